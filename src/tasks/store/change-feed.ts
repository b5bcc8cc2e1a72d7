/**
 * The change feed that keeps every app process's in-memory task lists fresh.
 *
 * Why a feed of our own: FerretDB v1 (SQLite backend) pushes down to SQLite only a
 * filter of the form `{ _id: <string> }` (backends/sqlite/collection.go: any other
 * filter, sort or limit is a full scan in Go), and it has no change streams. So the
 * inbox reads and writes MongoDB by `_id` only, keeps its lists in memory, and tells
 * the other app processes what changed through this feed: entries with consecutive
 * `_id`s ("000000000042"), each a point lookup away.
 *
 * Appending needs no transaction: a writer inserts at the next position it believes
 * free; the unique `_id` refuses a taken position and the writer tries the next one.
 * Positions are therefore contiguous, and a reader simply asks for position + 1.
 * An entry carries the changed document itself, so readers apply it without a read.
 */
import type { Connection } from 'mongoose';
import type { Collection } from 'mongodb';
import { isDuplicateKeyError } from '../../db';
import { silentLogger, type Logger } from '../../logging';

export interface FeedEntry<D = unknown> {
  _id: string;
  seq: number;
  /** What changed: a store name, e.g. "task", "case", "substitute". */
  kind: string;
  id: string;
  version: number;
  doc: D | null;
  at: Date;
}

export type FeedListener = (entry: FeedEntry) => void;

export interface ChangeFeedOptions {
  collection?: string;
  /** How often a process looks for entries written by others, ms (default 100). */
  pollMs?: number;
  /** Entries kept when pruning (default 200,000). */
  keep?: number;
  logger?: Logger;
}

const WIDTH = 12;
const pad = (seq: number) => String(seq).padStart(WIDTH, '0');
const META_LOW = 'meta:low';

interface MetaDoc {
  _id: string;
  seq: number;
}

export class ChangeFeed {
  private readonly name: string;
  private readonly pollMs: number;
  private readonly keep: number;
  private readonly logger: Logger;
  private readonly listeners = new Map<string, FeedListener[]>();
  /** Highest position read (by this process) so far. */
  private position = 0;
  /** Highest position known to be taken (read or written here). */
  private knownTail = 0;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private reading: Promise<void> | undefined;

  constructor(
    private readonly connection: Connection,
    opts: ChangeFeedOptions = {},
  ) {
    this.name = opts.collection ?? 'inbox_feed';
    this.pollMs = opts.pollMs ?? 100;
    this.keep = opts.keep ?? 200_000;
    this.logger = opts.logger ?? silentLogger;
  }

  private entries(): Collection<FeedEntry> {
    return this.connection.db!.collection<FeedEntry>(this.name);
  }

  private meta(): Collection<MetaDoc> {
    return this.connection.db!.collection<MetaDoc>(`${this.name}_meta`);
  }

  private async exists(seq: number): Promise<boolean> {
    return (await this.entries().findOne({ _id: pad(seq) }, { projection: { _id: 1 } })) !== null;
  }

  /** The last position written, found with O(log n) point lookups from the low mark. */
  async findTail(): Promise<number> {
    const low = (await this.meta().findOne({ _id: META_LOW }))?.seq ?? 0;
    let known = low;
    if (!(await this.exists(low + 1))) return low;
    let step = 1;
    while (await this.exists(known + step)) {
      known += step;
      step *= 2;
    }
    // known exists, known + step does not: binary search in between.
    let lo = known;
    let hi = known + step;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (await this.exists(mid)) lo = mid;
      else hi = mid;
    }
    return lo;
  }

  /** Starts reading after the current tail (what was before is already loaded). */
  async init(): Promise<number> {
    const tail = await this.findTail();
    this.position = tail;
    this.knownTail = Math.max(this.knownTail, tail);
    return tail;
  }

  get readPosition(): number {
    return this.position;
  }

  on(kind: string, listener: FeedListener): void {
    this.listeners.set(kind, [...(this.listeners.get(kind) ?? []), listener]);
  }

  private deliver(entry: FeedEntry): void {
    for (const listener of this.listeners.get(entry.kind) ?? []) {
      try {
        listener(entry);
      } catch (err) {
        this.logger.warn({ err, kind: entry.kind, id: entry.id }, 'feed listener failed');
      }
    }
  }

  /** Appends a change; this process's listeners get it at once. */
  async append<D>(kind: string, id: string, version: number, doc: D | null): Promise<number> {
    const at = new Date();
    let seq = Math.max(this.knownTail, this.position) + 1;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.entries().insertOne({ _id: pad(seq), seq, kind, id, version, doc, at });
        break;
      } catch (err) {
        if (!isDuplicateKeyError(err) || attempt > 10_000) throw err;
        seq++;
      }
    }
    this.knownTail = Math.max(this.knownTail, seq);
    this.deliver({ _id: pad(seq), seq, kind, id, version, doc, at });
    return seq;
  }

  /** Reads every entry after the read position (written by any process). */
  async catchUp(): Promise<number> {
    if (this.reading) {
      await this.reading;
      return this.position;
    }
    this.reading = (async () => {
      for (;;) {
        const next = await this.entries().findOne({ _id: pad(this.position + 1) });
        if (!next) break;
        this.position = next.seq;
        this.knownTail = Math.max(this.knownTail, next.seq);
        this.deliver(next);
      }
    })();
    try {
      await this.reading;
    } finally {
      this.reading = undefined;
    }
    return this.position;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const tick = async () => {
      try {
        await this.catchUp();
      } catch (err) {
        this.logger.warn({ err }, 'change feed: read failed, retrying');
      }
      if (this.running) this.timer = setTimeout(tick, this.pollMs);
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    await this.reading?.catch(() => undefined);
  }

  /** Drops old entries, keeping the last `keep`; readers that start later begin at the tail. */
  async prune(): Promise<number> {
    const tail = Math.max(this.knownTail, this.position);
    const low = (await this.meta().findOne({ _id: META_LOW }))?.seq ?? 0;
    const newLow = tail - this.keep;
    if (newLow <= low) return 0;
    // Raise the mark first: a reader probing from it never lands in a deleted range.
    await this.meta().updateOne({ _id: META_LOW }, { $set: { seq: newLow } }, { upsert: true });
    const res = await this.entries().deleteMany({ _id: { $lte: pad(newLow) } });
    return res.deletedCount ?? 0;
  }
}
