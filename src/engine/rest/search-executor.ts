/**
 * Runs a parsed search on one kind of history entity. An entity lives in the active
 * collection while it changes and in the finished one afterwards (history-collections.ts),
 * so each page is read from both, merged in the requested order and de-duplicated (the
 * finished copy wins). Cursor pages continue strictly after (or before) the sort values
 * of the cursor's item, so they stay exact while history grows.
 */
import type mongoose from 'mongoose';
import {
  ACTIVE_HISTORY_COLLECTIONS,
  HISTORY_COLLECTIONS,
  type HistoryKind,
} from '../history/history-collections';
import { compareValues, compileFilter, pathGetter, valueAt } from '../history/filter-match';
import type { HistoryQueryIndex } from '../history/query-index';
import { encodeCursor, type MongoFilter, type ParsedSearch, type SortKey } from './search-request';

export type HistoryDoc = Record<string, unknown> & { _id: string };

export interface SearchPage<T> {
  items: T[];
  page: {
    totalItems: number;
    hasMoreTotalItems: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
}

export function historyCollections(
  connection: mongoose.Connection,
  kind: HistoryKind,
): mongoose.mongo.Collection<HistoryDoc>[] {
  const db = connection.db;
  if (!db) throw new Error('The REST API needs an open database connection');
  const names: string[] = [HISTORY_COLLECTIONS[kind]];
  if (kind in ACTIVE_HISTORY_COLLECTIONS) {
    names.push(ACTIVE_HISTORY_COLLECTIONS[kind as keyof typeof ACTIVE_HISTORY_COLLECTIONS]);
  }
  return names.map((n) => db.collection<HistoryDoc>(n));
}

function comparator(sort: SortKey[]) {
  const keys = sort.map((k) => ({ get: pathGetter(k.path), sign: k.order === 'ASC' ? 1 : -1 }));
  return (a: HistoryDoc, b: HistoryDoc) => {
    for (const key of keys) {
      const c = compareValues(key.get(a), key.get(b));
      if (c !== 0) return key.sign * c;
    }
    return 0;
  };
}

/** "comes after `value` in this order" as a condition on one field. */
function beyond(path: string, order: 'ASC' | 'DESC', value: unknown): MongoFilter {
  const isNull = value === null || value === undefined;
  if (order === 'ASC') return isNull ? { [path]: { $ne: null } } : { [path]: { $gt: value } };
  if (isNull) return { _id: { $exists: false } }; // nothing sorts below null
  return { $or: [{ [path]: { $lt: value } }, { [path]: null }] };
}

/** Strictly after the cursor's sort values: (s1 beyond v1) or (s1 = v1 and s2 beyond v2) … */
function cursorCondition(sort: SortKey[], values: unknown[]): MongoFilter {
  const alternatives: MongoFilter[] = [];
  for (let i = 0; i < sort.length; i++) {
    const equal = sort
      .slice(0, i)
      .map((k, j) => ({ [k.path]: values[j] === undefined ? null : values[j] }));
    alternatives.push({ $and: [...equal, beyond(sort[i].path, sort[i].order, values[i])] });
  }
  return { $or: alternatives };
}

const reversed = (sort: SortKey[]): SortKey[] =>
  sort.map((k) => ({ path: k.path, order: k.order === 'ASC' ? 'DESC' : 'ASC' }));

export interface SearchOptions {
  /** Fields left out of the documents read (e.g. a definition's XML). */
  exclude?: string[];
  /** The in-memory query index, when the REST API has one: it answers what it holds. */
  index?: HistoryQueryIndex;
}

export async function executeSearch(
  connection: mongoose.Connection,
  kind: HistoryKind,
  search: ParsedSearch,
  opts: SearchOptions = {},
): Promise<{ docs: HistoryDoc[]; total: number; cursors: (d: HistoryDoc) => string }> {
  const backwards = search.before !== undefined;
  const order = backwards ? reversed(search.sort) : search.sort;
  const cursorValues = search.after ?? search.before;
  const cursors = (d: HistoryDoc) =>
    encodeCursor(search.sort.map((k) => valueAt(d, k.path) ?? null));
  const wanted = search.from + search.limit;

  // The in-memory query index answers what it holds; the same filters, order and cursors.
  const compare = comparator(order);
  const indexed = opts.index?.sortedMatching(kind, search.filter, JSON.stringify(order), compare);
  if (indexed) {
    const rest = cursorValues
      ? indexed.filter(compileFilter(cursorCondition(order, cursorValues)))
      : indexed;
    let docs = rest.slice(search.from, wanted);
    if (backwards) docs = docs.reverse();
    if (opts.exclude?.length) {
      docs = docs.map((d) => {
        const copy = { ...d };
        for (const f of opts.exclude!) delete copy[f];
        return copy;
      });
    }
    return { docs, total: indexed.length, cursors };
  }

  const colls = historyCollections(connection, kind);
  const pageFilter = cursorValues
    ? { $and: [search.filter, cursorCondition(order, cursorValues)] }
    : search.filter;
  const mongoSort = Object.fromEntries(order.map((k) => [k.path, k.order === 'ASC' ? 1 : -1]));
  const projection = opts.exclude?.length
    ? Object.fromEntries(opts.exclude.map((f) => [f, 0]))
    : undefined;
  const [lists, counts] = await Promise.all([
    Promise.all(
      colls.map((c) =>
        c
          .find(pageFilter as mongoose.mongo.Filter<HistoryDoc>, { projection })
          .sort(mongoSort as mongoose.mongo.Sort)
          .limit(wanted)
          .toArray(),
      ),
    ),
    Promise.all(
      colls.map((c) => c.countDocuments(search.filter as mongoose.mongo.Filter<HistoryDoc>)),
    ),
  ]);
  const byId = new Map<string, HistoryDoc>();
  for (const list of lists) for (const d of list) if (!byId.has(d._id)) byId.set(d._id, d);
  let docs = [...byId.values()].sort(comparator(order)).slice(search.from, wanted);
  if (backwards) docs = docs.reverse();
  return { docs, total: counts.reduce((a, b) => a + b, 0), cursors };
}

/** One entity by key from either collection (finished first). */
export async function findByKey(
  connection: mongoose.Connection,
  kind: HistoryKind,
  key: string,
  opts: SearchOptions = {},
): Promise<HistoryDoc | undefined> {
  const projection = opts.exclude?.length
    ? Object.fromEntries(opts.exclude.map((f) => [f, 0]))
    : undefined;
  for (const c of historyCollections(connection, kind)) {
    const doc = await c.findOne({ _id: key }, { projection });
    if (doc) return doc;
  }
  return undefined;
}
