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

/**
 * Cursors are always drained at once (toArray), never held open across an await of the
 * caller: FerretDB v1 keeps an open cursor's SQLite read going, and a consumer that writes
 * to the same database while holding one can stall every writer, the engine's appends
 * included.
 */

/** Highest position stored in a segment, or undefined when it holds no batch. */
export async function lastPositionIn(segment: LogSegment): Promise<number | undefined> {
  const docs = await segment.collection.find({}, { projection: { last: 1 } }).toArray();
  return docs.length ? Math.max(...docs.map((d) => d.last)) : undefined;
}

/** The segment's batches holding positions above `after`, in position order, in one scan. */
export async function readSegment(segment: LogSegment, after: number): Promise<LogBatchDocument[]> {
  const docs = await segment.collection.find({ last: { $gt: after } }).toArray();
  return docs.sort((a, b) => a.first - b.first);
}
