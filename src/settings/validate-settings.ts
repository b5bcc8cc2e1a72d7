/**
 * Validates a province's settings with the JSON Schema that validates engine-config at
 * start-up (src/config/schema/settings.ts), with Italian messages (ajv-i18n) that name
 * each field by its path.
 */
import Ajv, { type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import localizeIt from 'ajv-i18n/localize/it';
import { addSchemaAnnotations } from '../config/schema/annotations';
import { settingsSchema } from '../config/schema/settings';
import type { FieldError } from '../errors';

const ajv = addSchemaAnnotations(new Ajv({ allErrors: true, strict: true }));
addFormats(ajv);
const validate = ajv.compile(settingsSchema);

/** "/procurement/thresholds/x" (ajv) → "procurement/thresholds/x" (our field paths). */
function fieldOf(err: ErrorObject): string {
  const base = err.instancePath.replace(/^\//, '').replace(/~1/g, '/').replace(/~0/g, '~');
  const extra =
    err.keyword === 'required'
      ? (err.params as { missingProperty: string }).missingProperty
      : err.keyword === 'additionalProperties'
        ? (err.params as { additionalProperty: string }).additionalProperty
        : '';
  return [base, extra].filter(Boolean).join('/');
}

const TYPE_NAMES: Record<string, string> = {
  number: 'un numero',
  integer: 'un numero intero',
  string: 'un testo',
  boolean: 'sì o no',
  array: 'un elenco',
  object: 'un gruppo di valori',
};

function italianReason(err: ErrorObject): string {
  if (err.keyword === 'type') {
    const type = String((err.params as { type: string }).type);
    return `deve essere ${type
      .split(',')
      .map((t) => TYPE_NAMES[t] ?? t)
      .join(' o ')}`;
  }
  return err.message ?? 'non è valido';
}

export function settingsSchemaErrors(settings: unknown): FieldError[] {
  if (validate(settings)) return [];
  const errors = (validate.errors ?? []).map((e) => ({ ...e }));
  const english = errors.map((e) => e.message ?? 'is not valid');
  localizeIt(errors);
  const seen = new Set<string>();
  const out: FieldError[] = [];
  errors.forEach((err, i) => {
    const field = fieldOf(err);
    if (seen.has(field)) return;
    seen.add(field);
    out.push({
      field,
      message: `${field || '(settings)'}: ${english[i]}`,
      key: 'admin.settings.error.schema',
      params: { field, reason: italianReason(err) },
    });
  });
  return out;
}
