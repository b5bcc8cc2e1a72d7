/**
 * FEEL values as the rest of the engine sees them: the FEEL type of a value, the JSON
 * value Zeebe stores for it (temporal values become ISO-8601 strings), deep JSON
 * equality, and the Zeebe type names used in incident messages.
 */
import { FeelDate, FeelDateTime, FeelDuration, FeelRange, FeelTime, isFunction } from 'feelin';

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
  if (typeof value === 'number') return Number.isFinite(value) ? 'number' : 'null';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'function' || isFunction(value)) return 'function';
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

/** `+01:00` for a zone id at the instant of a date-time (luxon is not needed for this). */
function offsetOf(dateTime: FeelDateTime): string {
  const offset = dateTime['time offset'];
  if (!offset) return '';
  const seconds = Math.round(offset.unwrap().total({ unit: 'seconds' }));
  const sign = seconds < 0 ? '-' : '+';
  const abs = Math.abs(seconds);
  const hh = String(Math.floor(abs / 3600)).padStart(2, '0');
  const mm = String(Math.floor((abs % 3600) / 60)).padStart(2, '0');
  return `${sign}${hh}:${mm}`;
}

/**
 * The ISO-8601 text of a date-time as Zeebe writes it into variables: a zone id becomes
 * its offset followed by the id in brackets (`2025-11-24T10:00:00+01:00[Europe/Berlin]`),
 * offsets and `Z` stay as they are, local date-times have neither.
 */
export function isoDateTime(dateTime: FeelDateTime): string {
  const text = dateTime.toString();
  const at = text.indexOf('@');
  if (at < 0) return text;
  return `${text.slice(0, at)}${offsetOf(dateTime)}[${text.slice(at + 1)}]`;
}

/**
 * A JSON-able copy: temporal values become their ISO strings, non-finite numbers and
 * functions become null, ranges and contexts plain objects.
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
  if (value instanceof FeelDateTime) return isoDateTime(value);
  if (
    value instanceof FeelDate ||
    value instanceof FeelTime ||
    value instanceof FeelDuration ||
    value instanceof FeelRange
  ) {
    return value.toString();
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (isFunction(value)) return null;
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

/** The type name Zeebe uses in its messages for a JSON value (STRING, NUMBER, ...). */
export function describeType(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (Array.isArray(value)) return 'ARRAY';
  if (typeof value === 'object') return 'OBJECT';
  return typeof value === 'number' ? 'NUMBER' : typeof value === 'boolean' ? 'BOOLEAN' : 'STRING';
}
