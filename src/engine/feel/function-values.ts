/**
 * How the engine's functions meet feelin: a FEEL function is a JavaScript function with
 * its parameter names in `$args` (a last name starting with `...` takes the remaining
 * arguments); feelin binds positional and named arguments to them. Where the engine
 * only adjusts feelin's behaviour, it evaluates feelin's own operator or built-in on
 * the values (`delegate`), keeping feelin's warnings.
 */
import { evaluate, isFunction, type FeelFunction } from 'feelin';
import { warn } from './frame';
import { FEEL_DIALECT } from './syntax';

export type FeelFunctionImpl = ((...args: never[]) => unknown) & { $args: string[] };

export function feelFunction<A extends unknown[]>(
  parameterNames: string[],
  impl: (...args: A) => unknown,
): FeelFunctionImpl {
  const fn = ((...args: A) => impl(...args)) as unknown as FeelFunctionImpl;
  fn.$args = parameterNames;
  return fn;
}

const DELEGATE_NAMES = ['a', 'b', 'c', 'd', 'e', 'f'];

/**
 * Evaluates feelin's own `template` (using the names a, b, c, ... for `values`), e.g.
 * `delegate('a + b', [date, duration])`. Its warnings become the evaluation's warnings.
 */
export function delegate(template: string, values: unknown[]): unknown {
  const context: Record<string, unknown> = {};
  values.forEach((value, i) => {
    context[DELEGATE_NAMES[i]] = value;
  });
  const result = evaluate(template, context, FEEL_DIALECT);
  for (const warning of result.warnings) {
    if (warning.type !== 'NO_VARIABLE_FOUND') warn(warning.type, warning.message);
  }
  return result.value ?? null;
}

/** Calls a FEEL function value (user-defined or built-in) with positional arguments. */
export function invokeFunction(fn: unknown, args: unknown[]): unknown {
  if (isFunction(fn)) return (fn as FeelFunction).invoke(args) ?? null;
  if (typeof fn === 'function') return (fn as (...a: unknown[]) => unknown)(...args) ?? null;
  return warn('NO_FUNCTION_FOUND', `'${String(fn)}' is not a function`);
}

export function isPlainContext(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
