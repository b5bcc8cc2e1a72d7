/**
 * FEEL value helpers: the FEEL type of a value (to refuse comparisons across types),
 * and the conversion of feelin results into the JSON values Zeebe returns.
 */
import { FeelDate, FeelDateTime, FeelDuration, FeelRange, FeelTime } from 'feelin';

export type FeelType =
  | 'null'
  | 'number'
  | 'string'
  | 'boolean'
  | 'date'
  | 'time'
  | 'date time'
  | 'years and months duration'
  | 'days and time duration'
  | 'list'
  | 'range'
  | 'function'
  | 'context';

export function feelTypeOf(value: unknown): FeelType {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'function') return 'function';
  if (value instanceof FeelDate) return 'date';
  if (value instanceof FeelTime) return 'time';
  if (value instanceof FeelDateTime) return 'date time';
  if (value instanceof FeelDuration) {
    return value.yearsMonths ? 'years and months duration' : 'days and time duration';
  }
  if (value instanceof FeelRange) return 'range';
  if (Array.isArray(value)) return 'list';
  return 'context';
}

/**
 * A JSON-able copy: temporal values become their ISO strings (as Zeebe serialises
 * them), non-finite numbers and functions become null, contexts plain objects.
 */
export function toJsonValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'string':
    case 'boolean':
      return value;
    case 'bigint':
      return Number(value);
    case 'function':
    case 'symbol':
      return null;
  }
  if (
    value instanceof FeelDate ||
    value instanceof FeelTime ||
    value instanceof FeelDateTime ||
    value instanceof FeelDuration ||
    value instanceof FeelRange
  ) {
    return value.toString();
  }
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toJsonValue);
  const result: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
    result[key] = toJsonValue(entry);
  }
  return result;
}

/** Deep equality of JSON values (key order ignored). */
export function jsonEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => jsonEquals(item, b[i]));
  }
  const aRecord = a as Record<string, unknown>;
  const bRecord = b as Record<string, unknown>;
  const keys = Object.keys(aRecord);
  if (keys.length !== Object.keys(bRecord).length) return false;
  return keys.every((key) => key in bRecord && jsonEquals(aRecord[key], bRecord[key]));
}
