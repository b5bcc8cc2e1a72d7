/**
 * Helpers for the FEEL suites: each documented example of the FEEL reference
 * (docs.camunda.io) is one test, its documented result the expectation. Results are
 * compared as Zeebe stores them (JSON values); temporal results also by FEEL type, so a
 * function that returns the text "2012-12-25" instead of a date fails.
 */
import { evaluateExpression, type FeelType } from '../../../src/engine/feel';

export class Typed {
  constructor(
    readonly type: FeelType,
    readonly value: unknown,
  ) {}
}

export const date = (iso: string) => new Typed('date', iso);
export const time = (iso: string) => new Typed('time', iso);
export const dateTime = (iso: string) => new Typed('date time', iso);
export const duration = (iso: string) =>
  new Typed(
    /^-?P(\d+Y)?(\d+M)?$/.test(iso) ? 'years and months duration' : 'days and time duration',
    iso,
  );

/** The JSON value of an expression (throws what the evaluation throws). */
export function value(expression: string, variables: Record<string, unknown> = {}): unknown {
  return evaluateExpression(expression, variables).value;
}

export function typed(expression: string, variables: Record<string, unknown> = {}): Typed {
  const result = evaluateExpression(expression, variables);
  return new Typed(result.type, result.value);
}

function show(expected: unknown): string {
  if (expected instanceof Typed) return `${expected.type}("${String(expected.value)}")`;
  return JSON.stringify(expected);
}

export type Example = [expression: string, expected: unknown, variables?: Record<string, unknown>];

/** One test per documented example: `expression` evaluates to `expected`. */
export function examples(cases: Example[]): void {
  for (const [expression, expected, variables = {}] of cases) {
    it(`${expression.replace(/\s+/g, ' ')} → ${show(expected)}`, () => {
      if (expected instanceof Typed) {
        expect(typed(expression, variables)).toEqual(expected);
      } else {
        expect(value(expression, variables)).toEqual(expected);
      }
    });
  }
}
