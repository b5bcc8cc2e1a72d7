/** The order of two FEEL values of the same type: numbers, strings, temporal values. */
import { compareTemporal } from './temporal';

/** -1, 0 or 1; null when the values are not of one comparable type. */
export function compareFeelValues(a: unknown, b: unknown): number | null {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return compareTemporal(a, b) ?? null;
}

/** FEEL equality (`=`) of two values: same type and same value, deeply for lists and contexts. */
export function feelEquals(a: unknown, b: unknown): boolean {
  if (a === null || a === undefined || b === null || b === undefined) {
    return (a ?? null) === (b ?? null);
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((item, i) => feelEquals(item, b[i]))
    );
  }
  const temporal = compareTemporal(a, b);
  if (temporal !== undefined) return temporal === 0;
  if (isContext(a) || isContext(b)) {
    if (!isContext(a) || !isContext(b)) return false;
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length &&
      keys.every((k) => Object.prototype.hasOwnProperty.call(b, k) && feelEquals(a[k], b[k]))
    );
  }
  return a === b;
}

function isContext(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
