/** fromAi(): only tags a value for AI integrations; the engine returns the value unchanged. */
import { feelFunction } from '../function-values';

export const MISCELLANEOUS_FUNCTIONS = {
  fromAi: feelFunction(
    ['value', 'description', 'type', 'schema', 'options'],
    (value: unknown) => value ?? null,
  ),
};
