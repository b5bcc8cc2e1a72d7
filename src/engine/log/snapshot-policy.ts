/**
 * When to snapshot: every `everyRecords` records or `intervalMs`, whichever comes first,
 * checked after each processed batch. A snapshot is serialised at once (the state is
 * consistent between commands), stored only once the log up to its position is durable,
 * and then the log is compacted below min(snapshot position, exporters' position).
 */
import type { Logger } from '../../logging';
import type { EngineState } from '../state/engine-state';
import type { LogStore } from './log-store';
import type { SnapshotStore } from './snapshot-store';

export interface SnapshotPolicyOptions {
  everyRecords: number;
  intervalMs: number;
  now(): number;
  log: Logger;
}

export interface SnapshotTarget {
  state: EngineState;
  logStore: LogStore;
  snapshots: SnapshotStore;
  /** Lowest position every exporter has passed (the log position when none run). */
  exportedPosition(): number;
}

export class SnapshotPolicy {
  private lastPosition = 0;
  private lastAt = 0;
  private snapshotting = false;

  constructor(private readonly opts: SnapshotPolicyOptions) {}

  /** After loading: the snapshot the state was rebuilt from counts as the last one. */
  reset(snapshotPosition: number): void {
    this.lastPosition = snapshotPosition;
    this.lastAt = this.opts.now();
  }

  afterBatch(target: SnapshotTarget): void {
    if (this.snapshotting) return;
    const position = target.state.position;
    if (position <= this.lastPosition) return;
    const due =
      position - this.lastPosition >= this.opts.everyRecords ||
      this.opts.now() - this.lastAt >= this.opts.intervalMs;
    if (due) void this.take(target);
  }

  /** Takes a snapshot of the current state once everything in it is durable. */
  async take(target: SnapshotTarget): Promise<void> {
    if (this.snapshotting) return;
    this.snapshotting = true;
    try {
      const position = target.state.position;
      const json = JSON.stringify(target.state.toSnapshot());
      await target.logStore.whenDurable(position);
      // Stored as the JSON text itself: serialised once, at the moment it was consistent.
      await target.snapshots.save(position, json);
      this.lastPosition = position;
      this.lastAt = this.opts.now();
      await target.logStore.compact(Math.min(position, target.exportedPosition()));
    } catch (err) {
      this.opts.log.warn({ err }, 'snapshot failed');
    } finally {
      this.snapshotting = false;
    }
  }
}
