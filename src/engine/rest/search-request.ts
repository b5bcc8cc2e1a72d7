/**
 * Turns a Camunda 8.8 REST API v2 search request — `{ filter, sort, page }` — into a
 * MongoDB query on the history collections, and refuses (400) what the API does not
 * define: unknown filter fields or operators, values of the wrong type, unknown sort
 * fields or orders, pages over the limit, `from` together with a cursor.
 *
 * Written by hand rather than with a JSON Schema validator because validation and
 * translation are one pass over the same field table, and the error names the exact
 * field (`filter.state.$in[1]`), which the API's callers need.
 */
import { badRequest } from './problem';

export type MongoFilter = Record<string, unknown>;

/** How a filter field's value is read: the API's filter property types. */
export type FieldType =
  'key' | 'string' | 'integer' | 'date' | 'boolean' | { enum: readonly string[] };

export interface FilterField {
  type: FieldType;
  /** The document field; defaults to the API field's name. */
  path?: string;
  /**
   * A field that is not a plain document field (e.g. `hasIncident`, `variables`): builds
   * the MongoDB condition itself, possibly with queries of its own.
   */
  build?: (value: unknown, where: string, scope: MongoFilter) => Promise<MongoFilter> | MongoFilter;
}

export type SortOrder = 'ASC' | 'DESC';

export interface SortKey {
  /** Document field. */
  path: string;
  order: SortOrder;
}

export interface ParsedSearch {
  filter: MongoFilter;
  /** Sort keys, always ending with `_id` so every order is total (and cursors exact). */
  sort: SortKey[];
  from: number;
  limit: number;
  after?: unknown[];
  before?: unknown[];
}

export interface SearchSpec {
  /** For messages: "process instance". */
  entity: string;
  filter: Record<string, FilterField>;
  /** API sort field → document field. */
  sort: Record<string, string>;
  /** Used when the request has no sort. */
  defaultSort: SortKey[];
}

export const DEFAULT_PAGE_LIMIT = 100;
/** The largest page the Camunda 8.8 API serves. */
export const MAX_PAGE_LIMIT = 10_000;

const STRING_OPS = ['$eq', '$neq', '$exists', '$in', '$notIn', '$like'] as const;
const NUMBER_OPS = ['$eq', '$neq', '$exists', '$gt', '$gte', '$lt', '$lte', '$in', '$notIn'];
const DATE_OPS = ['$eq', '$neq', '$exists', '$gt', '$gte', '$lt', '$lte', '$in', '$notIn'];

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'string' ? `"${v}"` : typeof v;
}

/** `*` any run of characters, `?` one character; everything else literal. */
export function likeToRegex(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\*?]/g, (c) =>
    c === '*' ? '.*' : c === '?' ? '.' : `\\${c}`,
  );
  return new RegExp(`^${body}$`, 's');
}

/** Reads one scalar of the field's type, or refuses naming `where`. */
function scalar(type: FieldType, value: unknown, where: string): unknown {
  if (type === 'integer') {
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      throw badRequest(`${where}: expected an integer, got ${describe(value)}`);
    }
    return value;
  }
  if (type === 'boolean') {
    if (typeof value !== 'boolean') {
      throw badRequest(`${where}: expected a boolean, got ${describe(value)}`);
    }
    return value;
  }
  if (typeof value !== 'string') {
    throw badRequest(`${where}: expected a string, got ${describe(value)}`);
  }
  if (type === 'key' && !/^\d{1,19}$/.test(value)) {
    throw badRequest(`${where}: expected a key (a string of digits), got "${value}"`);
  }
  if (type === 'date') {
    const ms = Date.parse(value);
    if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(ms)) {
      throw badRequest(`${where}: expected an ISO 8601 date-time, got "${value}"`);
    }
    return new Date(ms);
  }
  if (typeof type === 'object' && !type.enum.includes(value)) {
    throw badRequest(`${where}: expected one of ${type.enum.join(', ')}, got "${value}"`);
  }
  return value;
}

function operatorsOf(type: FieldType): readonly string[] {
  if (type === 'integer') return NUMBER_OPS;
  if (type === 'date') return DATE_OPS;
  return STRING_OPS;
}

/** One filter property (a plain value = equality, or an object of operators) → condition. */
export function fieldCondition(type: FieldType, value: unknown, where: string): unknown {
  if (type === 'boolean' || !isPlainObject(value)) return scalar(type, value, where);
  const allowed = operatorsOf(type);
  const out: Record<string, unknown> = {};
  const entries = Object.entries(value);
  if (entries.length === 0) throw badRequest(`${where}: expected at least one operator`);
  for (const [op, operand] of entries) {
    const at = `${where}.${op}`;
    if (!allowed.includes(op)) {
      throw badRequest(`${at}: unknown operator; expected one of ${allowed.join(', ')}`);
    }
    if (op === '$exists') {
      if (typeof operand !== 'boolean') {
        throw badRequest(`${at}: expected a boolean, got ${describe(operand)}`);
      }
      // History documents store "none" as null, so existence means "not null".
      out[operand ? '$ne' : '$eq'] = null;
    } else if (op === '$in' || op === '$notIn') {
      if (!Array.isArray(operand)) {
        throw badRequest(`${at}: expected an array, got ${describe(operand)}`);
      }
      out[op === '$in' ? '$in' : '$nin'] = operand.map((v, i) => scalar(type, v, `${at}[${i}]`));
    } else if (op === '$like') {
      if (typeof operand !== 'string') {
        throw badRequest(`${at}: expected a string, got ${describe(operand)}`);
      }
      out.$regex = likeToRegex(operand);
    } else {
      out[op === '$neq' ? '$ne' : op] = scalar(type, operand, at);
    }
  }
  return out;
}

function parseSort(spec: SearchSpec, sort: unknown): SortKey[] {
  if (sort === undefined) return [...spec.defaultSort];
  if (!Array.isArray(sort)) throw badRequest(`sort: expected an array, got ${describe(sort)}`);
  const keys: SortKey[] = sort.map((entry, i) => {
    const where = `sort[${i}]`;
    if (!isPlainObject(entry)) throw badRequest(`${where}: expected an object`);
    for (const k of Object.keys(entry)) {
      if (k !== 'field' && k !== 'order') throw badRequest(`${where}.${k}: unknown property`);
    }
    const field = entry.field;
    if (typeof field !== 'string' || !Object.prototype.hasOwnProperty.call(spec.sort, field)) {
      throw badRequest(
        `${where}.field: cannot sort ${spec.entity}s by ${describe(field)}; expected one of ${Object.keys(spec.sort).join(', ')}`,
      );
    }
    const order = entry.order ?? 'ASC';
    if (typeof order !== 'string' || !['ASC', 'DESC'].includes(order.toUpperCase())) {
      throw badRequest(`${where}.order: expected ASC or DESC, got ${describe(order)}`);
    }
    return { path: spec.sort[field], order: order.toUpperCase() as SortOrder };
  });
  return keys.length ? keys : [...spec.defaultSort];
}

/** Cursors carry the sort values of an item, so the next page starts right after it. */
export function encodeCursor(values: unknown[]): string {
  const json = JSON.stringify(
    values.map((v) => (v instanceof Date ? { $date: v.toISOString() } : v)),
  );
  return Buffer.from(json, 'utf8').toString('base64url');
}

function decodeCursor(cursor: unknown, count: number, where: string): unknown[] {
  if (typeof cursor !== 'string' || cursor === '') {
    throw badRequest(`${where}: expected a cursor string from a previous answer`);
  }
  try {
    const values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (!Array.isArray(values) || values.length !== count) throw new Error('shape');
    return values.map((v) =>
      isPlainObject(v) && typeof v.$date === 'string' ? new Date(v.$date) : v,
    );
  } catch {
    throw badRequest(`${where}: not a cursor of this search (it was made for another sort)`);
  }
}

function parsePage(page: unknown, sortLength: number): Omit<ParsedSearch, 'filter' | 'sort'> {
  if (page === undefined) return { from: 0, limit: DEFAULT_PAGE_LIMIT };
  if (!isPlainObject(page)) throw badRequest(`page: expected an object, got ${describe(page)}`);
  for (const k of Object.keys(page)) {
    if (!['from', 'limit', 'after', 'before'].includes(k)) {
      throw badRequest(`page.${k}: unknown property; expected from, limit, after or before`);
    }
  }
  const limit = page.limit ?? DEFAULT_PAGE_LIMIT;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
    throw badRequest(`page.limit: expected a positive integer, got ${describe(limit)}`);
  }
  if (limit > MAX_PAGE_LIMIT) {
    throw badRequest(`page.limit: at most ${MAX_PAGE_LIMIT} items per page, got ${limit}`);
  }
  const from = page.from ?? 0;
  if (typeof from !== 'number' || !Number.isInteger(from) || from < 0) {
    throw badRequest(`page.from: expected a non-negative integer, got ${describe(from)}`);
  }
  const cursors = ['after', 'before'].filter((k) => page[k] !== undefined && page[k] !== null);
  if (cursors.length > 1) throw badRequest('page: give either after or before, not both');
  if (cursors.length && page.from !== undefined) {
    throw badRequest(`page: give either from or ${cursors[0]}, not both`);
  }
  const out: Omit<ParsedSearch, 'filter' | 'sort'> = { from, limit };
  if (cursors[0] === 'after') out.after = decodeCursor(page.after, sortLength, 'page.after');
  if (cursors[0] === 'before') out.before = decodeCursor(page.before, sortLength, 'page.before');
  return out;
}

async function parseFilter(
  spec: SearchSpec,
  filter: unknown,
  scope: MongoFilter,
): Promise<MongoFilter> {
  if (filter === undefined || filter === null) return {};
  if (!isPlainObject(filter)) throw badRequest(`filter: expected an object`);
  const parts: MongoFilter[] = [];
  for (const [name, value] of Object.entries(filter)) {
    const where = `filter.${name}`;
    const field = Object.prototype.hasOwnProperty.call(spec.filter, name)
      ? spec.filter[name]
      : undefined;
    if (!field) {
      throw badRequest(
        `${where}: unknown filter field for ${spec.entity}s; expected one of ${Object.keys(spec.filter).join(', ')}`,
      );
    }
    if (value === undefined) continue;
    if (field.build) parts.push(await field.build(value, where, scope));
    else parts.push({ [field.path ?? name]: fieldCondition(field.type, value, where) });
  }
  parts.push(scope);
  return parts.length === 1 ? parts[0] : { $and: parts };
}

/**
 * `scope` is the caller's tenant condition: it is part of every query, also of the
 * look-ups that filter fields such as `variables` make.
 */
export async function parseSearchRequest(
  spec: SearchSpec,
  body: unknown,
  scope: MongoFilter,
): Promise<ParsedSearch> {
  const request = body ?? {};
  if (!isPlainObject(request)) throw badRequest('expected a JSON object with filter, sort, page');
  for (const k of Object.keys(request)) {
    if (!['filter', 'sort', 'page'].includes(k)) {
      throw badRequest(`${k}: unknown property; expected filter, sort or page`);
    }
  }
  const sort = parseSort(spec, request.sort);
  if (!sort.some((s) => s.path === '_id')) sort.push({ path: '_id', order: 'ASC' });
  const page = parsePage(request.page, sort.length);
  const filter = await parseFilter(spec, request.filter, scope);
  return { filter, sort, ...page };
}
