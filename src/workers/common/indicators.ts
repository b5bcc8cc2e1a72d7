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
    return true;
  } catch (err) {
    if (isDuplicateKeyError(err)) return false;
    throw err;
  }
}
