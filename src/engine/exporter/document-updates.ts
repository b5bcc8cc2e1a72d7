/**
 * Collects the updates one export batch makes to one collection and merges those aimed
 * at the same document, so a job created, activated and completed within a batch costs
 * one upsert instead of three (each write is a round trip; merging is what lets a busy
 * exporter keep up: the further behind, the bigger the batch, the more it merges).
 *
 * Only operators that give the same result when a suffix of the record sequence is
 * applied again are used ($set, $min, $addToSet/$pull of distinct keys): re-exporting
 * after a crash does no harm.
 */
import type mongoose from 'mongoose';

type Fields = Record<string, unknown>;

interface MergedUpdate {
  set: Fields;
  min: Fields;
}

type BulkOp = mongoose.mongo.AnyBulkWriteOperation<{ _id: string }>;

export class DocumentUpdates {
  private readonly merged = new Map<string, MergedUpdate>();
  /** Set-membership changes, applied after the merged upserts, in record order. */
  private readonly setOps: BulkOp[] = [];

  /** Sets fields (later calls win); undefined values are left out. */
  set(id: string, fields: Fields): void {
    const update = this.entry(id);
    for (const [name, value] of Object.entries(fields)) {
      if (value !== undefined) update.set[name] = value;
    }
  }

  /** Keeps the smallest value seen for a field (e.g. a start date). */
  min(id: string, name: string, value: Date | number): void {
    const update = this.entry(id);
    const current = update.min[name] as Date | number | undefined;
    if (current === undefined || value < current) update.min[name] = value;
  }

  addToSet(id: string, field: string, value: string): void {
    this.setOps.push({
      updateOne: { filter: { _id: id }, update: { $addToSet: { [field]: value } }, upsert: true },
    });
  }

  pull(id: string, field: string, value: string): void {
    this.setOps.push({
      updateOne: { filter: { _id: id }, update: { $pull: { [field]: value } } },
    });
  }

  get size(): number {
    return this.merged.size + this.setOps.length;
  }

  toBulkOps(): BulkOp[] {
    const ops: BulkOp[] = [];
    for (const [id, update] of this.merged) {
      const doc: Fields = {};
      if (Object.keys(update.set).length) doc.$set = update.set;
      if (Object.keys(update.min).length) doc.$min = update.min;
      ops.push({ updateOne: { filter: { _id: id }, update: doc, upsert: true } });
    }
    return ops.concat(this.setOps);
  }

  private entry(id: string): MergedUpdate {
    let update = this.merged.get(id);
    if (!update) {
      update = { set: {}, min: {} };
      this.merged.set(id, update);
    }
    return update;
  }
}
