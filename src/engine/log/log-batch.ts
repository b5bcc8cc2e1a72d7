/**
 * How the log is stored: each append batch is ONE document, so one insert is the commit
 * point and a crash can never leave part of a batch behind.
 *
 * The records travel as one JSON string (deflated when large) rather than nested BSON: it
 * is several times faster on FerretDB (which stores documents as JSON in SQLite), and it keeps arbitrary
 * user data (variable names with '.' or '$', which FerretDB v1 rejects as field names)
 * out of the document structure.
 *
 * Batches live in segment collections of a bounded size (see log-segments.ts): FerretDB v1
 * evaluates every query by parsing each stored document, so the cost of a read grows with
 * the bytes in the collection; segments bound that cost and make compaction a cheap drop
 * of whole collections. The _id is the zero-padded first position.
 */
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import mongoose from 'mongoose';
import type { LogRecord } from './record';

const deflate = promisify(zlib.deflateRaw);
const inflate = promisify(zlib.inflateRaw);

export interface LogBatchDocument {
  _id: string;
  first: number;
  last: number;
  /** JSON array of the batch's records, in position order (small batches). */
  records?: string;
  /** The same JSON, deflated (larger batches: FerretDB's cost grows with the bytes). */
  deflated?: mongoose.mongo.Binary;
}

/** Below this many characters compressing does not pay. */
const DEFLATE_FROM = 4096;

export async function encodeBatch(
  id: string,
  first: number,
  last: number,
  json: string,
): Promise<LogBatchDocument> {
  if (json.length < DEFLATE_FROM) return { _id: id, first, last, records: json };
  // Runs on libuv's thread pool, not on the processor's thread.
  const data = await deflate(Buffer.from(json), { level: 1 });
  return { _id: id, first, last, deflated: new mongoose.mongo.Binary(data) };
}

const ID_DIGITS = 16;

/** A position as a fixed-width string: sorts like the number. */
export function paddedPosition(position: number): string {
  return String(position).padStart(ID_DIGITS, '0');
}

export async function decodeBatch(doc: LogBatchDocument): Promise<LogRecord[]> {
  const json = doc.deflated
    ? (await inflate(Buffer.from(doc.deflated.buffer))).toString()
    : (doc.records ?? '[]');
  return JSON.parse(json) as LogRecord[];
}
