/**
 * The functions the rewritten text calls (rewrite.ts): budget guards around iteration,
 * decimal and temporal arithmetic, and the temporal literal `@"..."`.
 */
import { FeelDuration, isRange, type FeelRange } from 'feelin';
import * as dec from './decimal';
import { charge, warn } from './frame';
import { delegate, feelFunction, type FeelFunctionImpl } from './function-values';
import { BUILTIN_CALLS, GUARD } from './rewrite';
import { negateDuration, parseTemporalLiteral, temporalArithmetic } from './temporal';

/** Elements of a number range, for the budget; feelin enumerates only number ranges. */
function rangeSize(range: FeelRange): number {
  const { start, end } = range;
  if (typeof start !== 'number' || typeof end !== 'number') return 1;
  return Math.abs(end - start) + 1;
}

/** An iteration source: lists are charged by their length before feelin walks them. */
function iterate(source: unknown): unknown {
  if (Array.isArray(source)) charge(source.length);
  else if (isRange(source)) charge(rangeSize(source));
  else charge(1);
  return source;
}

/** `a..b` in for/some/every: the list of integers from a to b (descending when a > b). */
function range(start: unknown, end: unknown): unknown {
  if (!dec.isFeelNumber(start) || !dec.isFeelNumber(end)) {
    return warn(
      'INVALID_TYPE',
      `a range to iterate over needs two numbers, got '${String(start)}' and '${String(end)}'`,
    );
  }
  if (!Number.isInteger(start) || !Number.isInteger(end)) {
    return warn(
      'INVALID_TYPE',
      `a range to iterate over needs whole numbers, got ${start}..${end}`,
    );
  }
  const size = Math.abs(end - start) + 1;
  charge(size);
  const step = start <= end ? 1 : -1;
  const values = new Array<number>(size);
  for (let i = 0; i < size; i++) values[i] = start + i * step;
  return values;
}

function step(value: unknown): unknown {
  charge(1);
  return value;
}

/** Called at every element of a loop or filter: only the time is checked. */
function tick(value: unknown): unknown {
  charge(0);
  return value;
}

function isIndex(value: unknown): boolean {
  return dec.isFeelNumber(value);
}

function arithmetic(
  operator: string,
  numeric: (a: number, b: number) => number | null,
): FeelFunctionImpl {
  return feelFunction(['a', 'b'], (a: unknown, b: unknown) => {
    if (dec.isFeelNumber(a) && dec.isFeelNumber(b)) return numeric(a, b);
    const temporal = temporalArithmetic(operator, a, b);
    if (temporal !== undefined) return temporal;
    return delegate(`a ${operator} b`, [a, b]);
  });
}

function negate(value: unknown): unknown {
  if (dec.isFeelNumber(value)) return value === 0 ? 0 : -value;
  if (value instanceof FeelDuration) return negateDuration(value);
  return delegate('-a', [value]);
}

const ARGUMENT_NAMES = ['a', 'b', 'c', 'd', 'e', 'f'];

/** feelin's own built-in `name`, whatever a local name of the same text holds. */
function builtin(name: string): FeelFunctionImpl {
  return feelFunction(['...args'], (...args: unknown[]) =>
    delegate(`${name}(${ARGUMENT_NAMES.slice(0, args.length).join(', ')})`, args),
  );
}

export const GUARD_FUNCTIONS: Readonly<Record<string, FeelFunctionImpl>> = {
  [GUARD.iterate]: feelFunction(['source'], iterate),
  [GUARD.range]: feelFunction(['start', 'end'], range),
  [GUARD.step]: feelFunction(['value'], step),
  [GUARD.tick]: feelFunction(['value'], tick),
  [GUARD.isIndex]: feelFunction(['value'], isIndex),
  [GUARD.add]: arithmetic('+', dec.add),
  [GUARD.subtract]: arithmetic('-', dec.subtract),
  [GUARD.multiply]: arithmetic('*', dec.multiply),
  [GUARD.divide]: arithmetic('/', dec.divide),
  [GUARD.power]: arithmetic('**', dec.power),
  [GUARD.negate]: feelFunction(['value'], negate),
  [GUARD.at]: feelFunction(['text'], parseTemporalLiteral),
  ...Object.fromEntries(
    Object.entries(BUILTIN_CALLS).map(([name, guard]) => [guard, builtin(name)]),
  ),
};
