/**
 * The partition's append-only log of commands and events in MongoDB.
 *
 * Positions are assigned synchronously by append(); the records then become durable
 * together with every other append that arrived while the previous insert was in flight
 * (group commit): one batch document per insert, so throughput grows with load while a
 * single append stays atomic. The store is the partition's only writer. After a write
 * error it is failed for good: the engine must restart and recover from the log, since
 * the outcome of the failed insert is unknown.
 */
import type mongoose from 'mongoose';
import { batchId, decodeBatch, type LogBatchDocument, type LogBatchRange } from './log-batch';
import { PositionWaiters } from './position-waiters';
import type { LogRecord } from './record';

export interface LogStoreOptions {
  partitionId?: number;
  collectionName?: string;
  /** Cap of one batch document's records JSON, in bytes (FerretDB/MongoDB allow 16 MiB). */
  maxBatchBytes?: number;
  /** Cap of records per batch document. */
  maxBatchRecords?: number;
}

export const DEFAULT_MAX_BATCH_BYTES = 4 * 1024 * 1024;
export const DEFAULT_MAX_BATCH_RECORDS = 5000;

/** One append() is larger than a batch document may be; nothing was appended. */
export class LogAppendTooLargeError extends Error {
  override name = 'LogAppendTooLargeError';
}

/** A log write failed; this store accepts no more appends. */
export class LogStoreFailedError extends Error {
  override name = 'LogStoreFailedError';
}

interface PendingAppend {
  first: number;
  last: number;
  /** The records' JSON without the enclosing brackets, ready to be joined. */
  json: string;
  bytes: number;
  resolve(): void;
  reject(err: Error): void;
}

/** Batches fetched concurrently while reading. */
const READ_AHEAD = 8;

const ignore = () => undefined;

export class LogStore {
  private _lastPosition: number;
  private _durablePosition: number;
  private pending: PendingAppend[] = [];
  private flushing = false;
  private flushScheduled = false;
  private flushDone: Promise<void> = Promise.resolve();
  private failure: Error | undefined;
  private closing = false;
  private compacting: Promise<void> = Promise.resolve();
  private readonly waiters = new PositionWaiters();

  private constructor(
    readonly partitionId: number,
    private readonly collection: mongoose.mongo.Collection<LogBatchDocument>,
    /** Durable batches in position order: the read index (see log-batch.ts). */
    private readonly batches: LogBatchRange[],
    private readonly maxBatchBytes: number,
    private readonly maxBatchRecords: number,
  ) {
    const last = batches.length ? batches[batches.length - 1].last : 0;
    this._lastPosition = last;
    this._durablePosition = last;
  }

  static async open(
    connection: mongoose.Connection,
    opts: LogStoreOptions = {},
  ): Promise<LogStore> {
    const partitionId = opts.partitionId ?? 1;
    const db = connection.db;
    if (!db) throw new Error('LogStore.open needs an open connection');
    const collection = db.collection<LogBatchDocument>(
      opts.collectionName ?? `engine_log_p${partitionId}`,
    );
    await collection.createIndex({ last: 1 });
    const found = await collection.find({}, { projection: { first: 1, last: 1 } }).toArray();
    const ranges = found.map((d) => ({ first: d.first, last: d.last }));
    const { tail, leftovers } = contiguousTail(ranges, collection.collectionName);
    // Batches before a gap are what an interrupted compact() left behind.
    for (const range of leftovers) await collection.deleteOne({ _id: batchId(range.first) });
    return new LogStore(
      partitionId,
      collection,
      tail,
      opts.maxBatchBytes ?? DEFAULT_MAX_BATCH_BYTES,
      opts.maxBatchRecords ?? DEFAULT_MAX_BATCH_RECORDS,
    );
  }

  /** Last position assigned (durable or not); 0 for an empty log. */
  get lastPosition(): number {
    return this._lastPosition;
  }

  /** Last position known durable. */
  get durablePosition(): number {
    return this._durablePosition;
  }

  /** First position still stored (compaction removes older ones); lastPosition + 1 if none. */
  get firstPosition(): number {
    return this.batches.length ? this.batches[0].first : this._durablePosition + 1;
  }

  /** The write error that failed the store, if any. */
  get failed(): Error | undefined {
    return this.failure;
  }

  /**
   * Assigns positions synchronously (returned records carry them), then makes the records
   * durable in one atomic batch together with other concurrent appends. `durable` resolves
   * once stored and rejects on a write error (after which every append rejects).
   * Throws LogAppendTooLargeError, assigning nothing, when the records cannot fit one batch
   * document.
   */
  append(records: Omit<LogRecord, 'position'>[]): {
    records: LogRecord[];
    durable: Promise<void>;
  } {
    if (this.closing) throw new Error('LogStore is closed');
    if (records.length === 0) {
      return { records: [], durable: this.whenDurable(this._lastPosition) };
    }
    const first = this._lastPosition + 1;
    const positioned = records.map((r, i) => ({ ...r, position: first + i }) as LogRecord);
    // Serialising now also freezes the records: later mutation by the caller cannot
    // change what is written.
    const json = JSON.stringify(positioned);
    const bytes = Buffer.byteLength(json);
    if (bytes > this.maxBatchBytes || positioned.length > this.maxBatchRecords) {
      throw new LogAppendTooLargeError(
        `Cannot append ${positioned.length} records of ${bytes} bytes atomically: one append ` +
          `may hold at most ${this.maxBatchRecords} records and ${this.maxBatchBytes} bytes`,
      );
    }
    const last = first + positioned.length - 1;
    this._lastPosition = last;
    let durable: Promise<void>;
    if (this.failure) {
      durable = Promise.reject(this.failure);
    } else {
      durable = new Promise<void>((resolve, reject) => {
        this.pending.push({ first, last, json: json.slice(1, -1), bytes, resolve, reject });
      });
      this.scheduleFlush();
    }
    // Callers that only use whenDurable() must not crash the process on a rejection.
    durable.catch(ignore);
    return { records: positioned, durable };
  }

  whenDurable(position: number): Promise<void> {
    if (position <= this._durablePosition) return Promise.resolve();
    if (this.failure) return Promise.reject(this.failure);
    return this.waiters.wait(position);
  }

  /** Durable records with position > afterPosition, in order (reads the database). */
  async *readFrom(afterPosition: number): AsyncIterable<LogRecord> {
    for await (const records of this.readBatchesFrom(afterPosition)) yield* records;
  }

  /** Like readFrom, one stored batch at a time (cheaper for bulk consumers). */
  async *readBatchesFrom(afterPosition: number): AsyncIterable<LogRecord[]> {
    let cursor = afterPosition;
    for (;;) {
      const start = this.indexAfter(cursor);
      if (start >= this.batches.length) return;
      const ranges = this.batches.slice(start, start + READ_AHEAD);
      const docs = await Promise.all(
        ranges.map((range) => this.collection.findOne({ _id: batchId(range.first) })),
      );
      for (let i = 0; i < ranges.length; i++) {
        const doc = docs[i];
        // A missing batch was compacted while we read: nobody may need it any more.
        if (doc) {
          const after = cursor;
          const records = decodeBatch(doc).filter((r) => r.position > after);
          if (records.length) yield records;
        }
        cursor = Math.max(cursor, ranges[i].last);
      }
    }
  }

  /**
   * Deletes batches entirely at or below position (call it once a snapshot and every
   * exporter passed it). The newest batch is always kept so that positions continue
   * after a restart.
   */
  compact(upToPosition: number): Promise<void> {
    const run = this.compacting.then(async () => {
      const newest = this.batches[this.batches.length - 1];
      if (!newest) return;
      const limit = Math.min(upToPosition, newest.first - 1);
      if (this.batches[0].last > limit) return;
      await this.collection.deleteMany({ last: { $lte: limit } });
      let n = 0;
      while (n < this.batches.length && this.batches[n].last <= limit) n++;
      this.batches.splice(0, n);
    });
    this.compacting = run.catch(ignore);
    return run;
  }

  /** Stops accepting appends and waits until those already made are durable (or failed). */
  async close(): Promise<void> {
    this.closing = true;
    await this.whenDurable(this._lastPosition).catch(ignore);
    await this.flushDone;
    await this.compacting;
    this.waiters.rejectAll(new Error('LogStore is closed'));
  }

  /** Index of the first batch holding a position above `position`. */
  private indexAfter(position: number): number {
    let lo = 0;
    let hi = this.batches.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.batches[mid].last <= position) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private scheduleFlush(): void {
    if (this.flushing || this.flushScheduled) return;
    this.flushScheduled = true;
    // Waiting one turn of the event loop lets every append of the current burst join.
    setImmediate(() => {
      this.flushScheduled = false;
      this.flushDone = this.flush();
    });
  }

  /** Writes everything pending, one batch document per insert, until nothing is left. */
  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.pending.length && !this.failure) {
        const groups = this.takeBatch();
        const first = groups[0].first;
        const last = groups[groups.length - 1].last;
        const doc: LogBatchDocument = {
          _id: batchId(first),
          first,
          last,
          records: `[${groups.map((g) => g.json).join(',')}]`,
        };
        try {
          await this.collection.insertOne(doc, { writeConcern: { w: 1, journal: true } });
        } catch (err) {
          this.fail(err as Error, first, last, groups);
          return;
        }
        this._durablePosition = last;
        this.batches.push({ first, last });
        for (const g of groups) g.resolve();
        this.waiters.reached(last);
      }
    } finally {
      this.flushing = false;
    }
  }

  /** Takes the longest prefix of pending appends that fits one batch document. */
  private takeBatch(): PendingAppend[] {
    let bytes = 2;
    let records = 0;
    let n = 0;
    for (const g of this.pending) {
      const count = g.last - g.first + 1;
      if (
        n > 0 &&
        (bytes + g.bytes + 1 > this.maxBatchBytes || records + count > this.maxBatchRecords)
      ) {
        break;
      }
      bytes += g.bytes + 1;
      records += count;
      n++;
    }
    return this.pending.splice(0, n);
  }

  private fail(cause: Error, first: number, last: number, groups: PendingAppend[]): void {
    this.failure = new LogStoreFailedError(
      `Writing log positions ${first}..${last} failed: ${cause.message}`,
      { cause },
    );
    for (const g of groups) g.reject(this.failure);
    for (const g of this.pending.splice(0)) g.reject(this.failure);
    this.waiters.rejectAll(this.failure);
  }
}

/**
 * The run of contiguous batches that ends at the newest one. Overlapping batches mean two
 * writers shared the partition: refuse to guess.
 */
function contiguousTail(
  ranges: LogBatchRange[],
  collectionName: string,
): { tail: LogBatchRange[]; leftovers: LogBatchRange[] } {
  ranges.sort((a, b) => a.first - b.first);
  let start = ranges.length - 1;
  while (start > 0) {
    const prev = ranges[start - 1];
    const cur = ranges[start];
    if (prev.last >= cur.first) {
      throw new Error(
        `Log ${collectionName} is corrupt: batches ${prev.first}..${prev.last} and ` +
          `${cur.first}..${cur.last} overlap (two writers on one partition?)`,
      );
    }
    if (prev.last + 1 !== cur.first) break;
    start--;
  }
  if (start < 0) return { tail: [], leftovers: [] };
  return { tail: ranges.slice(start), leftovers: ranges.slice(0, start) };
}
