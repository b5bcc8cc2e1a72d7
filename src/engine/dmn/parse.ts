/** parseDmn: safe XML checks, dmn-moddle, validation, then the evaluable ParsedDrg. */
import { buildDrg } from './build-drg';
import { DmnValidationError } from './errors';
import { upgradeLegacyNamespaces } from './legacy-namespaces';
import { readDefinitions, UnreadableXmlError, type ModdleReadResult } from './moddle-model';
import type { ParseDmnOptions, ParsedDrg } from './types';
import { validateDefinitions } from './validate';
import { MAX_RESOURCE_BYTES, unsafeXmlProblem } from '../model/safe-xml';

export async function parseDmn(
  xml: string,
  resourceName: string,
  options: ParseDmnOptions = {},
): Promise<ParsedDrg> {
  const unsafe = unsafeXmlProblem(xml, options.maxBytes ?? MAX_RESOURCE_BYTES);
  if (unsafe) throw new DmnValidationError(resourceName, undefined, unsafe);
  // Editors on Windows may save a byte order mark, which the XML reader rejects.
  const text = xml.startsWith('\uFEFF') ? xml.slice(1) : xml;
  let read: ModdleReadResult;
  try {
    read = await readDefinitions(upgradeLegacyNamespaces(text));
  } catch (error) {
    if (!(error instanceof UnreadableXmlError)) throw error;
    const warnings = error.warnings.length > 0 ? ` (warnings: ${error.warnings.join('; ')})` : '';
    throw new DmnValidationError(
      resourceName,
      undefined,
      `unparsable XML: ${error.message}${warnings}`,
    );
  }
  // moddle drops elements it cannot read (duplicate ids, unknown DMN elements) with only
  // a warning; deploying such a model would silently evaluate something else.
  const dropped = read.warnings.filter((w) => w.startsWith('unparsable content'));
  const duplicate = dropped.map((w) => /duplicate ID <([^>]*)>/.exec(w)).find((m) => m !== null);
  if (duplicate) {
    throw new DmnValidationError(resourceName, duplicate[1], 'duplicate id (ids must be unique)');
  }
  if (dropped.length > 0) {
    throw new DmnValidationError(resourceName, undefined, `unparsable XML: ${dropped.join('; ')}`);
  }
  validateDefinitions(read.definitions, resourceName);
  return { ...buildDrg(read.definitions, resourceName), warnings: read.warnings };
}
