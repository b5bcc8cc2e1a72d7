/**
 * The engine's additions to feelin's built-in functions, passed to feelin in the
 * evaluation context (context entries take precedence over feelin's built-ins).
 * Each file follows one page of the FEEL reference at docs.camunda.io.
 */
import type { FeelFunctionImpl } from '../function-values';
import { BOOLEAN_FUNCTIONS } from './boolean';
import { CONTEXT_FUNCTIONS } from './context';
import { CONVERSION_FUNCTIONS } from './conversion';
import { LIST_FUNCTIONS } from './list';
import { MISCELLANEOUS_FUNCTIONS } from './miscellaneous';
import { EXTENSION_FUNCTION_NAMES } from './names';
import { NUMERIC_FUNCTIONS } from './numeric';
import { RANGE_FUNCTIONS } from './range';
import { STRING_FUNCTIONS } from './string';
import { TEMPORAL_FUNCTIONS } from './temporal';

export { FeelAssertionError } from './boolean';

export const EXTENSION_FUNCTIONS: Readonly<Record<string, FeelFunctionImpl>> = {
  ...BOOLEAN_FUNCTIONS,
  ...STRING_FUNCTIONS,
  ...LIST_FUNCTIONS,
  ...NUMERIC_FUNCTIONS,
  ...CONTEXT_FUNCTIONS,
  ...CONVERSION_FUNCTIONS,
  ...TEMPORAL_FUNCTIONS,
  ...RANGE_FUNCTIONS,
  ...MISCELLANEOUS_FUNCTIONS,
};

const missing = EXTENSION_FUNCTION_NAMES.filter((name) => !(name in EXTENSION_FUNCTIONS));
if (missing.length > 0)
  throw new Error(`FEEL functions listed but not implemented: ${missing.join(', ')}`);
