/** Boolean functions of Zeebe's FEEL that feelin lacks: is defined, get or else, assert. */
import { feelFunction } from '../function-values';

/** Thrown by assert(); the evaluation fails with the assertion's message (no null result). */
export class FeelAssertionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FeelAssertionError';
  }
}

export const BOOLEAN_FUNCTIONS = {
  // Since Camunda 8.4 a null value is "not defined", like a missing variable.
  'is defined': feelFunction(['value'], (value: unknown) => value !== null && value !== undefined),
  'get or else': feelFunction(['value', 'default'], (value: unknown, fallback: unknown) =>
    value === null || value === undefined ? (fallback ?? null) : value,
  ),
  assert: feelFunction(
    ['value', 'condition', 'cause'],
    (value: unknown, condition: unknown, cause: unknown) => {
      if (condition === true) return value ?? null;
      throw new FeelAssertionError(
        typeof cause === 'string' ? cause : 'The condition is not fulfilled',
      );
    },
  ),
};
