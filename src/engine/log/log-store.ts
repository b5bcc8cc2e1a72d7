/**
 * The partition's append-only log of commands and events in MongoDB.
 *
 * Positions are assigned synchronously by append(); the records then become durable
 * together with every other append that arrived while the previous insert was in flight
 * (group commit): one batch document per insert, so throughput grows with load while a
 * single append stays atomic. The store is the partition's only writer; another instance
 * opened on the same log (a reader, e.g. a test) sees the log as it was when opened. After a write
 * error it is failed for good: the engine must restart and recover from the log, since
 * the outcome of the failed insert is unknown.
 */
import type mongoose from 'mongoose';
import { decodeBatch, encodeBatch, paddedPosition } from './log-batch';
import {
  lastPositionIn,
  listSegments,
  readSegment,
  segmentName,
  type LogSegment,
} from './log-segments';
import { PositionWaiters } from './position-waiters';
import type { LogRecord } from './record';

export interface LogStoreOptions {
  partitionId?: number;
  collectionName?: string;
  /** Cap of one batch document's records JSON, in bytes (FerretDB/MongoDB allow 16 MiB). */
  maxBatchBytes?: number;
  /** Cap of records per batch document. */
  maxBatchRecords?: number;
  /** A new segment collection starts once the current one holds this many records. */
  segmentRecords?: number;
}

/**
 * One command's records must fit one batch document; the engine keeps commands well below
 * (step budget, request limits: see src/engine/README.md "Limits").
 */
export const DEFAULT_MAX_BATCH_BYTES = 12 * 1024 * 1024;
export const DEFAULT_MAX_BATCH_RECORDS = 10_000;
export const DEFAULT_SEGMENT_RECORDS = 10_000;

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
    private readonly db: mongoose.mongo.Db,
    private readonly baseName: string,
    /** Segments in position order; the last one receives the appends. */
    private readonly segments: LogSegment[],
    last: number,
    private readonly limits: { batchBytes: number; batchRecords: number; segmentRecords: number },
  ) {
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
    const baseName = opts.collectionName ?? `engine_log_p${partitionId}`;
    const segments = await listSegments(db, baseName);
    let last = 0;
    while (segments.length) {
      const newest = segments[segments.length - 1];
      const found = await lastPositionIn(newest);
      if (found !== undefined) {
        last = found;
        break;
      }
      // An empty segment is what a crash between creating it and its first insert leaves.
      await newest.collection.drop().catch(() => undefined);
      segments.pop();
      if (segments.length) last = newest.first - 1;
    }
    return new LogStore(partitionId, db, baseName, segments, last, {
      batchBytes: opts.maxBatchBytes ?? DEFAULT_MAX_BATCH_BYTES,
      batchRecords: opts.maxBatchRecords ?? DEFAULT_MAX_BATCH_RECORDS,
      segmentRecords: opts.segmentRecords ?? DEFAULT_SEGMENT_RECORDS,
    });
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
    return this.segments.length ? this.segments[0].first : this._durablePosition + 1;
  }

  /** True while appends wait for or are in their insert: others should go easy on the database. */
  get busy(): boolean {
    return this.flushing || this.flushScheduled || this.pending.length > 0;
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
    const { batchBytes, batchRecords } = this.limits;
    if (bytes > batchBytes || positioned.length > batchRecords) {
      throw new LogAppendTooLargeError(
        `Cannot append ${positioned.length} records of ${bytes} bytes atomically: one append ` +
          `may hold at most ${batchRecords} records and ${batchBytes} bytes`,
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
    while (cursor < this._durablePosition) {
      const i = this.segmentIndexFor(cursor + 1);
      const segment = this.segments[Math.max(i, 0)];
      if (!segment) return;
      // Positions before the oldest segment were compacted: nobody may need them any more.
      if (segment.first > cursor + 1) cursor = segment.first - 1;
      const before = cursor;
      for (const doc of await readSegment(segment, cursor)) {
        const after = cursor;
        const records = (await decodeBatch(doc)).filter((r) => r.position > after);
        cursor = doc.last;
        if (records.length) yield records;
      }
      if (cursor === before) {
        // Nothing readable here (dropped by a concurrent compact): go on with the next one.
        const next = this.segments[i + 1];
        if (!next) return;
        cursor = next.first - 1;
      }
    }
  }

  /**
   * Deletes whole segments at or below position (call it once a snapshot and every
   * exporter passed it). The newest segment is always kept so that positions continue
   * after a restart.
   */
  compact(upToPosition: number): Promise<void> {
    const run = this.compacting.then(async () => {
      // Oldest first: a crash in between leaves no gap.
      while (this.segments.length > 1 && this.segments[1].first - 1 <= upToPosition) {
        await this.segments[0].collection.drop().catch(ignoreNamespaceNotFound);
        this.segments.shift();
      }
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

  /** Index of the segment holding `position`: the last one starting at or before it (-1: none). */
  private segmentIndexFor(position: number): number {
    let lo = 0;
    let hi = this.segments.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.segments[mid].first <= position) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }

  /** The segment the batch starting at `first` goes to, opening a new one when full. */
  private segmentFor(first: number): LogSegment {
    const current = this.segments[this.segments.length - 1];
    if (current && first - current.first < this.limits.segmentRecords) return current;
    return { first, collection: this.db.collection(segmentName(this.baseName, first)) };
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
        const segment = this.segmentFor(first);
        const json = `[${groups.map((g) => g.json).join(',')}]`;
        try {
          const doc = await encodeBatch(paddedPosition(first), first, last, json);
          await segment.collection.insertOne(doc, { writeConcern: { w: 1, journal: true } });
        } catch (err) {
          this.fail(err as Error, first, last, groups);
          return;
        }
        if (segment !== this.segments[this.segments.length - 1]) this.segments.push(segment);
        this._durablePosition = last;
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
    const { batchBytes, batchRecords } = this.limits;
    for (const g of this.pending) {
      const count = g.last - g.first + 1;
      if (n > 0 && (bytes + g.bytes + 1 > batchBytes || records + count > batchRecords)) {
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

function ignoreNamespaceNotFound(err: { codeName?: string }): void {
  if (err.codeName !== 'NamespaceNotFound') throw err;
}
