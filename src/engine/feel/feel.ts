/**
 * FEEL evaluation for the engine (feelin). Zeebe treats a value that starts with '='
 * as an expression and anything else as a static value; every failure is reported
 * as a FeelFailure so the caller can raise an incident instead of crashing.
 */
import { evaluate, parseExpression } from 'feelin';

export class FeelFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FeelFailure';
  }
}

export type FeelContext = Record<string, unknown>;

export function isExpression(text: string | undefined): boolean {
  return typeof text === 'string' && text.trimStart().startsWith('=');
}

/** Converts feelin's temporal values (and nested ones) into JSON-safe values. */
export function toJsonValue(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      const iso = (value as { iso?: unknown }).iso;
      if (typeof iso === 'string') return iso;
      const text = String(value);
      return text;
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toJsonValue(v);
    return out;
  }
  if (typeof value === 'function') return null;
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  return value;
}

const LENIENT_WARNINGS = new Set(['NO_VARIABLE_FOUND', 'NO_CONTEXT_ENTRY_FOUND']);

const cache = new Map<string, string>();

/** Evaluates a FEEL expression (with or without the leading '='); throws FeelFailure. */
export function evaluateFeel(expression: string, context: FeelContext): unknown {
  let body = cache.get(expression);
  if (body === undefined) {
    body = expression.trimStart().startsWith('=') ? expression.trimStart().slice(1) : expression;
    if (cache.size > 10_000) cache.clear();
    cache.set(expression, body);
  }
  let result: { value: unknown; warnings: { type: string; message: string }[] };
  try {
    result = evaluate(body, context) as typeof result;
  } catch (err) {
    throw new FeelFailure(
      `failed to evaluate expression '${body}': ${(err as Error).message || String(err)}`,
    );
  }
  const value = toJsonValue(result.value);
  // Missing variables evaluate to null, as in Zeebe; other failures are errors.
  const failures = result.warnings.filter((w) => !LENIENT_WARNINGS.has(w.type));
  if (value === null && failures.length > 0) {
    const reasons = failures.map((w) => w.message).join('; ');
    throw new FeelFailure(`failed to evaluate expression '${body}': ${reasons}`);
  }
  return value;
}

/** A value that may be static text or a '=' expression (Zeebe's "expression or static"). */
export function evaluateExpressionOrStatic(text: string, context: FeelContext): unknown {
  return isExpression(text) ? evaluateFeel(text, context) : text;
}

export function describeType(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (Array.isArray(value)) return 'ARRAY';
  if (typeof value === 'object') return 'OBJECT';
  return typeof value === 'number' ? 'NUMBER' : typeof value === 'boolean' ? 'BOOLEAN' : 'STRING';
}

export function evaluateBoolean(expression: string, context: FeelContext): boolean {
  const value = evaluateFeel(expression, context);
  if (typeof value !== 'boolean') {
    throw new FeelFailure(
      `Expected result of the expression '${expression.replace(/^\s*=/, '')}' to be 'BOOLEAN', but was '${describeType(value)}'.`,
    );
  }
  return value;
}

export function evaluateString(text: string, context: FeelContext): string {
  const value = evaluateExpressionOrStatic(text, context);
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  throw new FeelFailure(
    `Expected result of the expression '${text.replace(/^\s*=/, '')}' to be 'STRING', but was '${describeType(value)}'.`,
  );
}

/** A syntax problem of a FEEL expression (with or without '='), or undefined if it parses. */
export function feelSyntaxError(expression: string): string | undefined {
  const body = expression.trimStart().startsWith('=')
    ? expression.trimStart().slice(1)
    : expression;
  if (body.trim() === '') return 'the expression is empty';
  let bad = false;
  try {
    parseExpression(body, {}, undefined).iterate({
      enter: (node) => {
        if (node.type.isError) bad = true;
      },
    });
  } catch (err) {
    return (err as Error).message;
  }
  return bad ? 'syntax error' : undefined;
}
