/**
 * MongoDB's query semantics for the subset of filters the REST API's search translation
 * produces (src/engine/rest/search-request.ts and resources.ts), evaluated in memory over
 * history documents: `$and`, `$or`, equality, `$eq $ne $gt $gte $lt $lte $in $nin
 * $exists $regex $not`. Used by the in-memory query index (query-index.ts) so that it
 * answers exactly what the database would.
 *
 * Written by hand: the libraries that evaluate Mongo queries in memory (mingo, sift)
 * differ from MongoDB in corner cases we rely on (null matching a missing field,
 * comparison only within one type) and would be a dependency for ~100 lines.
 * Anything outside the subset throws UnsupportedFilter; the caller then asks the database.
 */

export type Predicate = (doc: Record<string, unknown>) => boolean;

export class UnsupportedFilter extends Error {}

/** MongoDB's order for the values we store: null/missing first, then by value. */
export function compareValues(a: unknown, b: unknown): number {
  const an = a === undefined || a === null;
  const bn = b === undefined || b === null;
  if (an || bn) return an && bn ? 0 : an ? -1 : 1;
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const as = String(a);
  const bs = String(b);
  return as < bs ? -1 : as > bs ? 1 : 0;
}

/** A getter for a dotted path (`incidentKeys.0` reads the array's first element). */
export function pathGetter(path: string): (doc: Record<string, unknown>) => unknown {
  const parts = path.split('.');
  if (parts.length === 1) return (doc) => doc[path];
  return (doc) => {
    let cur: unknown = doc;
    for (const part of parts) {
      if (cur === null || typeof cur !== 'object') return undefined;
      cur = (cur as Record<string, unknown>)[part];
    }
    return cur;
  };
}

export function valueAt(doc: Record<string, unknown>, path: string): unknown {
  return pathGetter(path)(doc);
}

/** Mongo's comparison classes: values of different classes never compare. */
function typeClass(v: unknown): string {
  if (v instanceof Date) return 'date';
  return typeof v;
}

/** A canonical form for equality (Dates by time, classes kept apart). */
function equalityKey(v: unknown): unknown {
  if (v === undefined || v === null) return null;
  if (v instanceof Date) return `d:${v.getTime()}`;
  if (typeof v === 'string') return `s:${v}`;
  if (typeof v === 'number' || typeof v === 'boolean') return v;
  throw new UnsupportedFilter(`cannot compare ${typeof v} values in memory`);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    !(v instanceof Date) &&
    !(v instanceof RegExp)
  );
}

function equals(operand: unknown): (v: unknown) => boolean {
  if (Array.isArray(operand)) throw new UnsupportedFilter('array equality');
  const key = equalityKey(operand);
  // Arrays in documents (incidentKeys) are only read through `field.N` paths.
  return (v) => !Array.isArray(v) && equalityKey(v) === key;
}

function ordered(op: string, operand: unknown): (v: unknown) => boolean {
  if (operand === null || operand === undefined) throw new UnsupportedFilter(`${op} null`);
  const cls = typeClass(operand);
  const test =
    op === '$gt'
      ? (c: number) => c > 0
      : op === '$gte'
        ? (c: number) => c >= 0
        : op === '$lt'
          ? (c: number) => c < 0
          : (c: number) => c <= 0;
  return (v) =>
    v !== null && v !== undefined && typeClass(v) === cls && test(compareValues(v, operand));
}

function memberOf(operand: unknown): (v: unknown) => boolean {
  if (!Array.isArray(operand)) throw new UnsupportedFilter('$in needs an array');
  const keys = new Set(operand.map(equalityKey));
  return (v) => !Array.isArray(v) && keys.has(equalityKey(v));
}

function fieldTest(condition: unknown): (v: unknown) => boolean {
  if (condition instanceof RegExp) return (v) => typeof v === 'string' && condition.test(v);
  if (!isPlainObject(condition)) return equals(condition);
  const tests: ((v: unknown) => boolean)[] = [];
  for (const [op, operand] of Object.entries(condition)) {
    switch (op) {
      case '$eq':
        tests.push(equals(operand));
        break;
      case '$ne': {
        const eq = equals(operand);
        tests.push((v) => !eq(v));
        break;
      }
      case '$gt':
      case '$gte':
      case '$lt':
      case '$lte':
        tests.push(ordered(op, operand));
        break;
      case '$in':
        tests.push(memberOf(operand));
        break;
      case '$nin': {
        const member = memberOf(operand);
        tests.push((v) => !member(v));
        break;
      }
      case '$exists':
        tests.push(operand ? (v) => v !== undefined : (v) => v === undefined);
        break;
      case '$regex': {
        if (!(operand instanceof RegExp)) throw new UnsupportedFilter('$regex needs a RegExp');
        tests.push((v) => typeof v === 'string' && operand.test(v));
        break;
      }
      case '$not': {
        const inner = fieldTest(operand);
        tests.push((v) => !inner(v));
        break;
      }
      default:
        throw new UnsupportedFilter(`operator ${op}`);
    }
  }
  return (v) => tests.every((t) => t(v));
}

/** The filter as a predicate over documents; throws UnsupportedFilter outside the subset. */
export function compileFilter(filter: Record<string, unknown>): Predicate {
  const parts: Predicate[] = [];
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$and' || key === '$or') {
      if (!Array.isArray(value)) throw new UnsupportedFilter(`${key} needs an array`);
      const subs = value.map((v) => compileFilter(v as Record<string, unknown>));
      parts.push(key === '$and' ? (d) => subs.every((s) => s(d)) : (d) => subs.some((s) => s(d)));
    } else if (key.startsWith('$')) {
      throw new UnsupportedFilter(`operator ${key}`);
    } else {
      const get = pathGetter(key);
      const test = fieldTest(value);
      parts.push((d) => test(get(d)));
    }
  }
  if (parts.length === 0) return () => true;
  if (parts.length === 1) return parts[0];
  return (d) => parts.every((p) => p(d));
}
