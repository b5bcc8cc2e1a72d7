/**
 * Drives one exporter: catches up from the durable log, then follows the records the
 * engine notifies. The log is the authority: whenever notified records have a gap or
 * pile up beyond a bound (the exporter is slower than the processor), the queue is
 * dropped and the runner reads from the log again, so the processor never waits for
 * an exporter and memory stays bounded.
 */
import type { LogStore } from '../log/log-store';
import { PositionWaiters } from '../log/position-waiters';
import type { LogRecord } from '../log/record';
import type { Exporter } from './exporter';
import type { ExporterPositions } from './exporter-positions';

export interface ExporterRunnerOptions {
  /** Notified records kept in memory before falling back to reading the log. */
  maxQueuedRecords?: number;
  /** Records handed to one export() call. */
  maxExportRecords?: number;
  /** Called when an export fails (it is retried with backoff). */
  onError?: (err: Error, exporterId: string) => void;
}

const MAX_RETRY_DELAY_MS = 5000;

export class ExporterRunner {
  /** Position of the last record exported and stored. */
  private exported = 0;
  private live = false;
  private nextExpected = 0;
  private queue: LogRecord[] = [];
  private stopping = false;
  private wake: (() => void) | undefined;
  private interruptRetry: (() => void) | undefined;
  private loop: Promise<void> = Promise.resolve();
  private readonly waiters = new PositionWaiters();
  private readonly maxQueued: number;
  private readonly maxExport: number;

  constructor(
    private readonly exporter: Exporter,
    private readonly log: LogStore,
    private readonly positions: ExporterPositions,
    private readonly opts: ExporterRunnerOptions = {},
  ) {
    this.maxQueued = opts.maxQueuedRecords ?? 50_000;
    this.maxExport = opts.maxExportRecords ?? 10_000;
  }

  get id(): string {
    return this.exporter.id;
  }

  get position(): number {
    return this.exported;
  }

  async start(): Promise<void> {
    await this.exporter.open?.();
    this.exported = await this.positions.load(this.exporter.id);
    this.loop = this.run();
  }

  /** Records that are durable, in position order. Never blocks. */
  notify(records: LogRecord[]): void {
    if (!this.live || this.stopping || records.length === 0) return;
    let from = 0;
    while (from < records.length && records[from].position < this.nextExpected) from++;
    if (from === records.length) return;
    if (
      records[from].position !== this.nextExpected ||
      this.queue.length + records.length - from > this.maxQueued
    ) {
      this.fallBackToLog();
      return;
    }
    for (let i = from; i < records.length; i++) this.queue.push(records[i]);
    this.nextExpected = records[records.length - 1].position + 1;
    this.wakeUp();
  }

  /** Resolves once everything durable up to `position` is exported. */
  exportedUpTo(position: number): Promise<void> {
    if (this.exported >= position) return Promise.resolve();
    // Notifications may not cover everything: let the log be read.
    if (this.live && this.nextExpected <= position) this.fallBackToLog();
    return this.waiters.wait(position);
  }

  /**
   * Finishes the export in progress and stops: shutting down never waits for an exporter
   * to catch up (it resumes from its stored position next time; use exportedUpTo first
   * when everything must be exported).
   */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeUp();
    this.interruptRetry?.();
    await this.loop;
    this.waiters.rejectAll(new Error(`Exporter ${this.exporter.id} stopped`));
  }

  private fallBackToLog(): void {
    this.live = false;
    this.queue = [];
    this.wakeUp();
  }

  private wakeUp(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      if (!this.live) {
        await this.catchUp();
        continue;
      }
      if (this.queue.length === 0) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        continue;
      }
      const batch = this.queue.splice(0, this.maxExport);
      if (!(await this.exportBatch(batch))) return;
    }
  }

  /** Exports everything durable after `exported`, then switches to live notifications. */
  private async catchUp(): Promise<void> {
    let batch: LogRecord[] = [];
    let read = 0;
    for await (const records of this.log.readBatchesFrom(this.exported)) {
      if (this.stopping) return;
      read += records.length;
      for (const r of records) batch.push(r);
      if (batch.length >= this.maxExport) {
        if (!(await this.exportBatch(batch))) return;
        batch = [];
      }
    }
    if (this.stopping || (batch.length && !(await this.exportBatch(batch)))) return;
    // Synchronously with the check, so that no notified record can slip in between.
    // Nothing readable although behind: those records were compacted away, skip them.
    if (this.exported >= this.log.durablePosition || read === 0) {
      this.live = true;
      this.queue = [];
      this.nextExpected = Math.max(this.exported, this.log.durablePosition) + 1;
    }
  }

  /** Exports and stores the position, retrying with backoff; false when stopped meanwhile. */
  private async exportBatch(records: LogRecord[]): Promise<boolean> {
    const last = records[records.length - 1].position;
    let delay = 50;
    for (;;) {
      try {
        await this.exporter.export(records);
        await this.positions.store(this.exporter.id, last);
        this.exported = last;
        this.waiters.reached(last);
        return true;
      } catch (err) {
        this.opts.onError?.(err as Error, this.exporter.id);
        if (this.stopping) return false;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay);
          this.interruptRetry = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.interruptRetry = undefined;
        delay = Math.min(delay * 2, MAX_RETRY_DELAY_MS);
      }
    }
  }
}
