/**
 * FEEL in BPMN expression slots, the way Zeebe reads them: a value starting with '=' is
 * an expression, anything else a static value. Results are JSON values (what variables
 * hold); every failure is a FeelFailure whose message the caller puts in an incident.
 */
import { evaluateFeelText, FeelFailure } from './evaluate';
import type { EvaluationOptions, FeelWarning } from './frame';
import { findFeelSyntaxError } from './syntax';
import { describeType, feelTypeOf, toJsonValue, type FeelType } from './values';

export type FeelContext = Record<string, unknown>;

export interface FeelEvaluation {
  /** The result as a JSON value (temporal values as ISO-8601 strings). */
  value: unknown;
  /** The FEEL type of the result before the JSON conversion. */
  type: FeelType;
  /** Why parts of the expression evaluated to null (missing variables, bad arguments). */
  warnings: FeelWarning[];
}

export function isExpression(text: string | undefined): boolean {
  return typeof text === 'string' && text.trimStart().startsWith('=');
}

/** The expression without its leading '=' (texts without '=' are returned as they are). */
export function expressionBody(text: string): string {
  const trimmed = text.trimStart();
  return trimmed.startsWith('=') ? trimmed.slice(1) : text;
}

/**
 * Evaluates a FEEL expression (with or without the leading '='): the JSON value, its
 * FEEL type and the warnings. Throws FeelFailure when it cannot be evaluated (syntax,
 * limits, a failed assert()). A null result is not a failure here.
 */
export function evaluateExpression(
  expression: string,
  variables: FeelContext,
  options: EvaluationOptions = {},
): FeelEvaluation {
  const { value, warnings } = evaluateFeelText(
    expressionBody(expression),
    'expression',
    variables,
    options,
  );
  return { value: toJsonValue(value), type: feelTypeOf(value), warnings };
}

// Missing variables and context entries evaluate to null, as in Zeebe; other problems
// that end in null are failures of the slot.
const LENIENT_WARNINGS = new Set(['NO_VARIABLE_FOUND', 'NO_CONTEXT_ENTRY_FOUND']);

function describeWarnings(warnings: FeelWarning[]): string {
  return warnings.map((w) => `[${w.type}] ${w.message}`).join('; ');
}

/**
 * Evaluates a FEEL expression (with or without the leading '=') to its JSON value.
 * Throws FeelFailure when it cannot be evaluated, or when it evaluates to null because
 * of a problem other than a missing variable.
 */
export function evaluateFeel(
  expression: string,
  context: FeelContext,
  options: EvaluationOptions = {},
): unknown {
  const body = expressionBody(expression);
  const { value, warnings } = evaluateExpression(body, context, options);
  const failures = warnings.filter((w) => !LENIENT_WARNINGS.has(w.type));
  if (value === null && failures.length > 0) {
    throw new FeelFailure(
      `failed to evaluate expression '${body}': ${describeWarnings(failures)}`,
      'evaluation',
      describeWarnings(failures),
    );
  }
  return value;
}

/** A value that may be static text or a '=' expression (Zeebe's "expression or static"). */
export function evaluateExpressionOrStatic(
  text: string,
  context: FeelContext,
  options: EvaluationOptions = {},
): unknown {
  return isExpression(text) ? evaluateFeel(text, context, options) : text;
}

function typeMismatch(text: string, expected: string, value: unknown): FeelFailure {
  return new FeelFailure(
    `Expected result of the expression '${expressionBody(text)}' to be '${expected}', but was '${describeType(value)}'.`,
  );
}

export function evaluateBoolean(
  expression: string,
  context: FeelContext,
  options: EvaluationOptions = {},
): boolean {
  const value = evaluateFeel(expression, context, options);
  if (typeof value !== 'boolean') throw typeMismatch(expression, 'BOOLEAN', value);
  return value;
}

/** A static text, or an expression whose result is a string (numbers become their text). */
export function evaluateString(
  text: string,
  context: FeelContext,
  options: EvaluationOptions = {},
): string {
  const value = evaluateExpressionOrStatic(text, context, options);
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  throw typeMismatch(text, 'STRING', value);
}

/** A syntax or size problem of a FEEL expression (with or without '='), or undefined. */
export function feelSyntaxError(expression: string): string | undefined {
  const body = expressionBody(expression);
  if (body.trim() === '') return 'the expression is empty';
  return findFeelSyntaxError(body, 'expression');
}
