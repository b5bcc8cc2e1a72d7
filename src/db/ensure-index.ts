/**
 * Creates an index once per database and process. Creating indexes on every write is
 * wasteful and, on FerretDB's SQLite backend, concurrent createIndex calls contend
 * for the same lock; so the first call creates it and the others await that promise.
 */
import type { Connection } from 'mongoose';
import type { CreateIndexesOptions, IndexSpecification } from 'mongodb';

const created = new Map<string, Promise<unknown>>();

export function ensureIndex(
  connection: Connection,
  collection: string,
  spec: IndexSpecification,
  options: CreateIndexesOptions & { name: string },
): Promise<unknown> {
  const key = `${connection.db!.databaseName}/${collection}/${options.name}`;
  let p = created.get(key);
  if (!p) {
    p = connection.db!.collection(collection).createIndex(spec, options);
    p.catch(() => created.delete(key));
    created.set(key, p);
  }
  return p;
}

/** True for MongoDB's duplicate-key error (E11000): a unique index refused an insert. */
export function isDuplicateKeyError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: number }).code === 11000;
}
