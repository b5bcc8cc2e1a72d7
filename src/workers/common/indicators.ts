/**
 * The province's indicators (durations, rebates, outcomes): one record per job,
 * written once (unique key), read by the monitoring views.
 */
import type { Connection } from 'mongoose';
import { ensureIndex, isDuplicateKeyError } from '../../db';

export const INDICATORS_COLLECTION = 'indicators';

export interface IndicatorRecord {
  key: string;
  tenantId: string;
  processInstanceKey: string;
  service: 'procurement' | 'euFunding' | 'dataRequest';
  outcome: string;
  comuneIstat?: string;
  recordedAt: Date;
  [measure: string]: unknown;
}

type IndicatorListener = (record: IndicatorRecord) => void;
const listeners = new WeakMap<Connection, Set<IndicatorListener>>();

/**
 * Called after each record this process writes on the connection (the analytics cache
 * of the same process keeps itself current with it). Returns the function that stops it.
 */
export function onIndicatorRecorded(connection: Connection, listener: IndicatorListener) {
  let set = listeners.get(connection);
  if (!set) {
    set = new Set();
    listeners.set(connection, set);
  }
  set.add(listener);
  return () => set.delete(listener);
}

export async function recordIndicatorOnce(
  connection: Connection,
  record: IndicatorRecord,
): Promise<boolean> {
  const collection = connection.db!.collection<IndicatorRecord>(INDICATORS_COLLECTION);
  await ensureIndex(
    connection,
    INDICATORS_COLLECTION,
    { key: 1 },
    { unique: true, name: 'key_unique' },
  );
  try {
    await collection.insertOne({ ...record });
    for (const listener of listeners.get(connection) ?? []) listener({ ...record });
    return true;
  } catch (err) {
    if (isDuplicateKeyError(err)) return false;
    throw err;
  }
}
