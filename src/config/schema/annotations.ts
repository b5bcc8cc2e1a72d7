/**
 * Annotation keywords the settings schemas carry besides JSON Schema: `x-source` (the law
 * or policy a value comes from, shown next to it by the settings editor). Every ajv that
 * compiles these schemas in strict mode registers them.
 */
import type Ajv from 'ajv';

export const SCHEMA_ANNOTATIONS = ['x-source'] as const;

export function addSchemaAnnotations(ajv: Ajv): Ajv {
  for (const keyword of SCHEMA_ANNOTATIONS) {
    if (!ajv.getKeyword(keyword)) ajv.addKeyword({ keyword, schemaType: 'string' });
  }
  return ajv;
}
