/**
 * Validation of the scalar values the proto carries: JSON variable documents, 64-bit
 * keys (decimal strings thanks to `longs: String`) and tenant ids. Every message names
 * the offending field, the way Zeebe's gateway does.
 */
import type { Variables } from '../api';
import { invalidArgument } from './errors';

/** Empty string = no variables; otherwise a JSON object. */
export function parseVariables(json: string | undefined, field: string): Variables | undefined {
  if (json === undefined || json === '') return undefined;
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
  return value as Variables;
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

export function requireText(value: string | undefined, field: string): string {
  if (value === undefined || value.trim() === '') {
    throw invalidArgument(`Property '${field}' is invalid: expected a non-blank value`);
  }
  return value;
}
