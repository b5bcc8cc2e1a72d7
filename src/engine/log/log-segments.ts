/**
 * The log is split into segment collections named after their first position
 * (`<base>_<16-digit position>`), as Zeebe splits its journal into segment files: a read
 * scans only the segments it needs, and compaction drops whole collections instead of
 * deleting documents one by one (both costs grow with the bytes scanned on FerretDB v1).
 */
import type mongoose from 'mongoose';
import { paddedPosition, type LogBatchDocument } from './log-batch';

export interface LogSegment {
  first: number;
  collection: mongoose.mongo.Collection<LogBatchDocument>;
}

export function segmentName(base: string, first: number): string {
  return `${base}_${paddedPosition(first)}`;
}

/** The log's segments, oldest first. */
export async function listSegments(db: mongoose.mongo.Db, base: string): Promise<LogSegment[]> {
  const names = await db.listCollections({}, { nameOnly: true }).toArray();
  const pattern = new RegExp(`^${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}_(\\d{16})$`);
  const segments: LogSegment[] = [];
  for (const { name } of names) {
    const match = pattern.exec(name);
    if (match) segments.push({ first: Number(match[1]), collection: db.collection(name) });
  }
  return segments.sort((a, b) => a.first - b.first);
}

/** Highest position stored in a segment, or undefined when it holds no batch. */
export async function lastPositionIn(segment: LogSegment): Promise<number | undefined> {
  let last: number | undefined;
  for await (const doc of segment.collection.find({}, { projection: { last: 1 } })) {
    if (last === undefined || doc.last > last) last = doc.last;
  }
  return last;
}

/**
 * The segment's batches holding positions above `after`, in position order, in one scan.
 * Documents normally come in insertion order; a small buffer restores order otherwise.
 */
export async function* readSegment(
  segment: LogSegment,
  after: number,
): AsyncIterable<LogBatchDocument> {
  let cursor = after;
  const waiting: LogBatchDocument[] = [];
  for await (const doc of segment.collection.find({ last: { $gt: after } }).batchSize(16)) {
    waiting.push(doc);
    for (;;) {
      const i = waiting.findIndex((d) => d.first <= cursor + 1 && d.last > cursor);
      if (i < 0) break;
      const [next] = waiting.splice(i, 1);
      cursor = next.last;
      yield next;
    }
  }
}
