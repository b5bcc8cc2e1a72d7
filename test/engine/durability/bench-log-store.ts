/**
 * Throughput of the LogStore with group commit (a measurement, not a test):
 *   npx tsx test/engine/durability/bench-log-store.ts
 * Uses MONGODB_URI when set, otherwise an embedded FerretDB in a temporary folder.
 * N concurrent "commands" each append 5 job-like records and wait until they are durable.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { startEmbeddedDatabase } from '../../../src/db/embedded-ferretdb';
import { LogStore } from '../../../src/engine/log/log-store';
import type { LogRecord } from '../../../src/engine/log/record';

function jobRecord(i: number): Omit<LogRecord, 'position'> {
  return {
    sourceRecordPosition: 1,
    partitionId: 1,
    recordType: 'EVENT',
    valueType: 'JOB',
    intent: 'COMPLETED',
    key: 2251799813685249 + i,
    timestamp: Date.now(),
    value: {
      type: 'service-task',
      worker: 'w1',
      retries: 3,
      deadline: Date.now() + 30_000,
      errorMessage: '',
      customHeaders: {},
      elementId: 'task',
      elementInstanceKey: 2251799813685300 + i,
      processInstanceKey: 2251799813685200 + i,
      bpmnProcessId: 'proc',
      processDefinitionKey: 2251799813685100,
      processDefinitionVersion: 1,
      tenantId: '<default>',
      variables: { a: i },
    },
  };
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bench-log-'));
  const embedded = process.env.MONGODB_URI
    ? undefined
    : await startEmbeddedDatabase({ dataDir, dbName: 'bench_log' });
  const uri = process.env.MONGODB_URI ?? embedded!.uri;
  const connection = await mongoose.createConnection(uri).asPromise();
  const store = await LogStore.open(connection, { collectionName: `bench_log_${Date.now()}` });
  for (const concurrency of [1, 10, 100, 500]) {
    let records = 0;
    let stop = false;
    const started = Date.now();
    const command = async () => {
      while (!stop) {
        await store.append([1, 2, 3, 4, 5].map(jobRecord)).durable;
        records += 5;
      }
    };
    const running = Array.from({ length: concurrency }, command);
    await new Promise((r) => setTimeout(r, 3000));
    stop = true;
    await Promise.all(running);
    const rate = Math.round(records / ((Date.now() - started) / 1000));
    console.log(`${concurrency} concurrent appends of 5 records: ${rate} records/s durable`);
  }
  const started = Date.now();
  let read = 0;
  for await (const batch of store.readBatchesFrom(0)) read += batch.length;
  const rate = Math.round(read / ((Date.now() - started) / 1000));
  console.log(`read back ${read} records: ${rate} records/s`);
  await store.close();
  await connection.dropDatabase();
  await connection.close();
  await embedded?.stop();
  rmSync(dataDir, { recursive: true, force: true });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
