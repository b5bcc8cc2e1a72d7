/**
 * Documents with optimistic versions and an immutable history, on plain inserts.
 *
 * Every change of a document is first written as a version record with the unique
 * `_id` "<id>:<version>" — the commit point. Two processes changing the same version
 * cannot both succeed: the second insert is refused (duplicate `_id`), so the second
 * writer learns who changed the document and nothing is overwritten. Then the current
 * document is replaced (by `_id`) and the change goes to the feed. A crash between the
 * two writes is repaired on the next read (the newer version record is rolled forward).
 *
 * No multi-document transactions are needed (FerretDB has none), and every read and
 * write is by `_id`, the only filter FerretDB pushes down to SQLite.
 */
import type { Connection } from 'mongoose';
import type { Collection } from 'mongodb';
import { isDuplicateKeyError } from '../../db';
import type { ChangeFeed } from './change-feed';

export interface Versioned {
  _id: string;
  version: number;
}

/** Who did what: kept with each version (the document's history). */
export interface Change {
  action: string;
  /** Username, or "system:<component>". */
  actor: string;
  /** When a substitute acts for an absent colleague: the colleague. */
  onBehalfOf?: string;
  at: Date;
  details?: Record<string, unknown>;
}

export interface VersionRecord<T> {
  _id: string;
  id: string;
  version: number;
  change: Change;
  doc: T;
}

export class VersionConflictError<T extends Versioned> extends Error {
  constructor(
    readonly current: T,
    readonly lastChange: Change | undefined,
  ) {
    super(`Changed meanwhile: now at version ${current.version}`);
    this.name = 'VersionConflictError';
  }
}

export interface VersionedStoreOptions {
  /**
   * Current documents spread over this many collections ("<name>.s00" …), by a hash of
   * the `_id` (default 1: the one collection "<name>"). FerretDB (SQLite) answers
   * inserts and `_id` reads at once, but a replace costs time proportional to its
   * collection (~0.6 s at 20,000 documents): the inbox's 100,000 tasks in 64 collections
   * keep each change in tens of milliseconds. Documents written before sharding stay
   * readable in "<name>" (read after the shard; a change moves the document's current
   * version to its shard).
   */
  shards?: number;
}

/** FNV-1a: a stable, even spread of ids over the shards. */
function shardOf(id: string, shards: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return (h >>> 0) % shards;
}

export class VersionedStore<T extends Versioned> {
  private readonly shards: number;

  constructor(
    private readonly connection: Connection,
    readonly collectionName: string,
    private readonly feed: ChangeFeed,
    readonly kind: string,
    opts: VersionedStoreOptions = {},
  ) {
    this.shards = Math.max(1, Math.floor(opts.shards ?? 1));
  }

  /** The collection holding the current document of `id`. */
  docs(id?: string): Collection<T> {
    if (this.shards === 1 || id === undefined) return this.legacy();
    return this.shard(shardOf(id, this.shards));
  }

  /** The collection names of the current documents (every shard). */
  shardNames(): string[] {
    if (this.shards === 1) return [this.collectionName];
    return Array.from(
      { length: this.shards },
      (_, i) => `${this.collectionName}.s${String(i).padStart(2, '0')}`,
    );
  }

  private shard(i: number): Collection<T> {
    return this.connection.db!.collection<T>(this.shardNames()[i]);
  }

  private legacy(): Collection<T> {
    return this.connection.db!.collection<T>(this.collectionName);
  }

  versions(): Collection<VersionRecord<T>> {
    return this.connection.db!.collection<VersionRecord<T>>(`${this.collectionName}_versions`);
  }

  private versionId(id: string, version: number): string {
    return `${id}:${version}`;
  }

  async version(id: string, version: number): Promise<VersionRecord<T> | null> {
    return (await this.versions().findOne({
      _id: this.versionId(id, version),
    } as never)) as VersionRecord<T> | null;
  }

  /** The current document (newer committed versions rolled forward), or null. */
  async get(id: string): Promise<T | null> {
    let doc = (await this.docs(id).findOne({ _id: id } as never)) as T | null;
    if (!doc && this.shards > 1) {
      doc = (await this.legacy().findOne({ _id: id } as never)) as T | null;
    }
    let rolled = false;
    for (;;) {
      const next = await this.version(id, (doc?.version ?? 0) + 1);
      if (!next) break;
      doc = next.doc;
      rolled = true;
    }
    if (rolled && doc) {
      await this.docs(id).replaceOne({ _id: id } as never, doc, { upsert: true });
      await this.feed.append(this.kind, id, doc.version, doc);
    }
    return doc;
  }

  /** The last change of a document (who changed it last, and how). */
  async lastChange(doc: T): Promise<Change | undefined> {
    return (await this.version(doc._id, doc.version))?.change;
  }

  /** Creates version 1; `created: false` when the document already exists (it is returned). */
  async create(doc: T, change: Change): Promise<{ created: boolean; doc: T }> {
    const first = { ...doc, version: 1 };
    try {
      await this.versions().insertOne({
        _id: this.versionId(doc._id, 1),
        id: doc._id,
        version: 1,
        change,
        doc: first,
      } as never);
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      const existing = await this.get(doc._id);
      if (!existing) throw err;
      return { created: false, doc: existing };
    }
    // An insert: FerretDB (SQLite) answers inserts and `_id` reads at once, but an update,
    // replace or upsert costs time proportional to the collection (~0.6 s at 20,000 tasks).
    try {
      await this.docs(doc._id).insertOne(first as never);
    } catch (err) {
      // Left by an earlier attempt that stopped between the two writes: replace it.
      if (!isDuplicateKeyError(err)) throw err;
      await this.docs(doc._id).replaceOne({ _id: doc._id } as never, first, { upsert: true });
    }
    await this.feed.append(this.kind, doc._id, 1, first);
    return { created: true, doc: first };
  }

  /**
   * Changes a document: `mutate` gets a copy of the current version and returns the
   * next one. With `expectedVersion`, a document changed meanwhile is refused with
   * VersionConflictError; without it, a conflict is retried on the newer version.
   * `mutate` may throw to refuse the change (nothing is written).
   */
  async update(
    id: string,
    expectedVersion: number | undefined,
    mutate: (current: T) => T,
    change: Change,
  ): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const current = await this.get(id);
      if (!current) throw new Error(`${this.kind} ${id} does not exist`);
      if (expectedVersion !== undefined && current.version !== expectedVersion) {
        throw new VersionConflictError(current, await this.lastChange(current));
      }
      const next = { ...mutate(structuredClone(current)), _id: id, version: current.version + 1 };
      try {
        await this.versions().insertOne({
          _id: this.versionId(id, next.version),
          id,
          version: next.version,
          change,
          doc: next,
        } as never);
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        if (expectedVersion !== undefined || attempt > 20) {
          const latest = (await this.get(id))!;
          throw new VersionConflictError(latest, await this.lastChange(latest));
        }
        continue;
      }
      await this.docs(id).replaceOne({ _id: id } as never, next, { upsert: true });
      await this.feed.append(this.kind, id, next.version, next);
      return next;
    }
  }

  /** Every version of a document, oldest first (its immutable history). */
  async history(id: string, upTo?: number): Promise<VersionRecord<T>[]> {
    const last = upTo ?? (await this.get(id))?.version ?? 0;
    const ids = Array.from({ length: last }, (_, i) => this.versionId(id, i + 1));
    // One point lookup each: FerretDB pushes down `_id` equality only.
    const records = await Promise.all(
      ids.map((vid) => this.versions().findOne({ _id: vid } as never)),
    );
    return records.filter((r): r is VersionRecord<T> => r !== null);
  }

  /** Every current document: one full read (start-up of the in-memory lists). */
  async loadAll(): Promise<T[]> {
    const byId = new Map<string, T>();
    const names = this.shards > 1 ? [this.collectionName, ...this.shardNames()] : this.shardNames();
    for (const name of names) {
      const docs = (await this.connection.db!.collection<T>(name).find({}).toArray()) as T[];
      // A document moved to its shard is newer there than its old copy.
      for (const d of docs) {
        const held = byId.get(d._id);
        if (!held || held.version < d.version) byId.set(d._id, d);
      }
    }
    return [...byId.values()];
  }
}
