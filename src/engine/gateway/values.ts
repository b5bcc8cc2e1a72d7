/**
 * Validation of the scalar values the proto carries: JSON variable documents, 64-bit
 * keys (decimal strings thanks to `longs: String`) and tenant ids. Every message names
 * the offending field, the way Zeebe's gateway does.
 */
import type { Variables } from '../api';
import { invalidArgument } from './errors';

/** Nesting limit of a variables document (objects and arrays), documented in the README. */
export const MAX_VARIABLES_DEPTH = 64;
/** Limit on ids and names (process, decision, element, job type, message, signal ...). */
export const MAX_ID_LENGTH = 255;
/** Limit on correlation keys, message ids and resource names. */
export const MAX_KEY_TEXT_LENGTH = 1024;

/** Empty string = no variables; otherwise a JSON object. */
export function parseVariables(json: string | undefined, field: string): Variables | undefined {
  if (json === undefined || json === '') return undefined;
  const depth = jsonNestingDepth(json);
  if (depth > MAX_VARIABLES_DEPTH) {
    throw invalidArgument(
      `Property '${field}' is invalid: expected a JSON document nested at most ${MAX_VARIABLES_DEPTH} levels deep, but it is nested deeper`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (err) {
    throw invalidArgument(
      `Property '${field}' is invalid: expected a JSON document, but got '${truncate(json)}' (${(err as Error).message})`,
    );
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalidArgument(
      `Property '${field}' is invalid: expected the root of the JSON document to be an object, but got '${truncate(json)}'`,
    );
  }
  const proto = findProtoKey(value);
  if (proto !== undefined) {
    throw invalidArgument(
      `Property '${field}' is invalid: the name '__proto__' is not allowed for a variable or a key (found at ${proto})`,
    );
  }
  return value as Variables;
}

/**
 * The deepest nesting of objects and arrays in a JSON text, counted without parsing it
 * (a linear scan that skips strings), so a hostile document never reaches a recursive
 * algorithm. Stops counting once past the limit.
 */
function jsonNestingDepth(json: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > max) max = depth;
      if (max > MAX_VARIABLES_DEPTH) return max;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}

/**
 * JSON.parse keeps a "__proto__" key as an own property, but every copy by assignment
 * in the engine would turn it into the object's prototype and drop it. Refused rather
 * than silently lost. Returns the path of the first one, iteratively.
 */
function findProtoKey(root: unknown): string | undefined {
  const stack: { value: unknown; path: string }[] = [{ value: root, path: '' }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (Array.isArray(value)) {
      value.forEach((v, i) => stack.push({ value: v, path: `${path}[${i}]` }));
      continue;
    }
    for (const key of Object.keys(value)) {
      const keyPath = path ? `${path}.${key}` : key;
      if (key === '__proto__') return keyPath;
      stack.push({ value: (value as Record<string, unknown>)[key], path: keyPath });
    }
  }
  return undefined;
}

/** Refuses a text longer than `max` characters, naming the field and the limit. */
export function limitLength<T extends string | undefined>(value: T, field: string, max: number): T {
  if (value !== undefined && value.length > max) {
    throw invalidArgument(
      `Property '${field}' is invalid: expected at most ${max} characters, but got ${value.length}`,
    );
  }
  return value;
}

function truncate(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

const INT64 = /^-?\d{1,19}$/;

/** A key that must be given and positive. */
export function requireKey(value: string | undefined, field: string): string {
  const key = optionalKey(value, field);
  if (key === undefined) {
    throw invalidArgument(
      `Property '${field}' is invalid: expected a positive key, but got '${value ?? ''}'`,
    );
  }
  return key;
}

/** '0' and negative values mean "not given", as in Zeebe's proto. */
export function optionalKey(value: string | undefined, field: string): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (!INT64.test(value)) {
    throw invalidArgument(
      `Property '${field}' is invalid: expected a 64-bit key, but got '${value}'`,
    );
  }
  if (value === '0' || value.startsWith('-')) return undefined;
  return value;
}

/** int64 durations (ms) fit a JS number comfortably. */
export function toNumber(value: string | number | undefined): number {
  if (value === undefined || value === '') return 0;
  return typeof value === 'number' ? value : Number(value);
}

const TENANT_ID = /^[A-Za-z0-9_.-]{1,31}$/;
export const DEFAULT_TENANT = '<default>';

/** Empty = none given; otherwise Zeebe's tenant id format (or '<default>'). */
export function optionalTenantId(
  value: string | undefined,
  field = 'tenantId',
): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (value !== DEFAULT_TENANT && !TENANT_ID.test(value)) {
    throw invalidArgument(
      `Property '${field}' is invalid: expected a tenant id of at most 31 characters from [A-Za-z0-9_.-], but got '${truncate(value)}'`,
    );
  }
  return value;
}

export function tenantIds(values: string[] | undefined, field = 'tenantIds'): string[] | undefined {
  if (!values || values.length === 0) return undefined;
  return values.map((v) => {
    const id = optionalTenantId(v, field);
    if (id === undefined)
      throw invalidArgument(`Property '${field}' is invalid: contains a blank tenant id`);
    return id;
  });
}

/** A non-blank id or name of at most `max` (default MAX_ID_LENGTH) characters. */
export function requireText(
  value: string | undefined,
  field: string,
  max: number = MAX_ID_LENGTH,
): string {
  if (value === undefined || value.trim() === '') {
    throw invalidArgument(`Property '${field}' is invalid: expected a non-blank value`);
  }
  return limitLength(value, field, max);
}
