/**
 * Collects the changes one export batch makes to the entities of one kind (jobs, element
 * instances, ...) and merges those aimed at the same entity, so a job created, activated
 * and completed within a batch costs one write instead of three (each write is a round
 * trip; the further behind a busy exporter is, the bigger its batches and the more it
 * merges).
 *
 * Only changes that give the same result when a suffix of the record sequence is applied
 * again are used ($set, $min, adding/removing distinct keys of a set): re-exporting after
 * a crash does no harm.
 */
import type mongoose from 'mongoose';

type Fields = Record<string, unknown>;

interface SetChange {
  op: 'add' | 'pull';
  field: string;
  value: string;
}

interface EntityChange {
  set: Fields;
  min: Fields;
  setChanges: SetChange[];
}

export type BulkOp = mongoose.mongo.AnyBulkWriteOperation<{ _id: string }>;

export class DocumentUpdates {
  private readonly changes = new Map<string, EntityChange>();
  private readonly finished = new Set<string>();

  /** Sets fields (later calls win); undefined values are left out. */
  set(id: string, fields: Fields): void {
    const change = this.entry(id);
    for (const [name, value] of Object.entries(fields)) {
      if (value !== undefined) change.set[name] = value;
    }
  }

  /** Keeps the smallest value seen for a field (e.g. a start date). */
  min(id: string, name: string, value: Date | number): void {
    const change = this.entry(id);
    const current = change.min[name] as Date | number | undefined;
    if (current === undefined || value < current) change.min[name] = value;
  }

  addToSet(id: string, field: string, value: string): void {
    this.entry(id).setChanges.push({ op: 'add', field, value });
  }

  pull(id: string, field: string, value: string): void {
    this.entry(id).setChanges.push({ op: 'pull', field, value });
  }

  /** The entity reached its final state: it will not change any more. */
  finish(id: string): void {
    this.entry(id);
    this.finished.add(id);
  }

  /** Fields set so far for an entity (to find e.g. its process instance). */
  fieldsOf(id: string): Fields | undefined {
    return this.changes.get(id)?.set;
  }

  ids(): string[] {
    return [...this.changes.keys()];
  }

  finishedIds(): string[] {
    return [...this.finished];
  }

  get size(): number {
    return this.changes.size;
  }

  /** Upserts for the entities that are still changing, in a suffix-replay-safe form. */
  upsertsForUnfinished(): BulkOp[] {
    const ops: BulkOp[] = [];
    for (const [id, change] of this.changes) {
      if (this.finished.has(id)) continue;
      const update: Fields = {};
      if (Object.keys(change.set).length) update.$set = change.set;
      if (Object.keys(change.min).length) update.$min = change.min;
      if (Object.keys(update).length) {
        ops.push({ updateOne: { filter: { _id: id }, update, upsert: true } });
      }
      // Set changes go one by one: two operators on one field may not share an update.
      for (const c of change.setChanges) {
        const update =
          c.op === 'add'
            ? { $addToSet: { [c.field]: c.value } }
            : { $pull: { [c.field]: c.value } };
        ops.push({ updateOne: { filter: { _id: id }, update, upsert: true } });
      }
    }
    return ops;
  }

  /** The entity's document after this batch, given what was stored before it. */
  applyTo(id: string, stored: Fields | undefined): Fields & { _id: string } {
    const doc: Fields & { _id: string } = { ...(stored ?? {}), _id: id };
    const change = this.changes.get(id);
    if (!change) return doc;
    Object.assign(doc, change.set);
    for (const [name, value] of Object.entries(change.min)) {
      const current = doc[name] as Date | number | undefined | null;
      if (current === undefined || current === null || (value as Date | number) < current) {
        doc[name] = value;
      }
    }
    for (const c of change.setChanges) {
      const values = Array.isArray(doc[c.field]) ? (doc[c.field] as string[]) : [];
      doc[c.field] =
        c.op === 'add'
          ? values.includes(c.value)
            ? values
            : [...values, c.value]
          : values.filter((v) => v !== c.value);
    }
    return doc;
  }

  private entry(id: string): EntityChange {
    let change = this.changes.get(id);
    if (!change) {
      change = { set: {}, min: {}, setChanges: [] };
      this.changes.set(id, change);
    }
    return change;
  }
}
