/**
 * Fault: the embedded database is killed (SIGKILL) while instances are being created
 * and their jobs completed. The supervisor starts FerretDB again on the same port and
 * data folder; the engine recovers by itself from its durable log; every instance whose
 * creation was acknowledged completes, exactly once, and no job is completed twice.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import mongoose from 'mongoose';
import { findFreePort, startEmbeddedDatabase, type EmbeddedDatabase } from '../../src/db';
import { createEngine, type Engine } from '../../src/engine';
import { startGateway, type RunningGateway } from '../../src/engine/gateway';
import { oneTaskProcess } from '../gateway/support/models';
import { rawClient, type RawClient } from '../gateway/support/raw-client';
import { waitFor } from '../support/wait-for';

jest.setTimeout(180_000);

let dataDir: string;
let db: EmbeddedDatabase;
let connection: mongoose.Connection;
let engine: Engine;
let gateway: RunningGateway;
let raw: RawClient;
const supervisorLog: string[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'pc-dbkill-'));
  const record = (m: unknown, msg?: string) =>
    supervisorLog.push(typeof m === 'string' ? m : String(msg));
  db = await startEmbeddedDatabase({
    dataDir,
    dbName: 'dbkill',
    log: { info: record, warn: record, error: record },
    supervise: { firstBackOffMs: 200, maxAttempts: 5 },
  });
  connection = await mongoose
    .createConnection(db.uri, { serverSelectionTimeoutMS: 5000, heartbeatFrequencyMS: 500 })
    .asPromise();
  engine = await createEngine({ connection });
  gateway = await startGateway(engine, { address: `127.0.0.1:${await findFreePort()}` });
  raw = rawClient(gateway.address);
  await raw.call('DeployResource', {
    resources: [{ name: 'kill.bpmn', content: Buffer.from(oneTaskProcess('kill', 'kill-work')) }],
  });
});

afterAll(async () => {
  raw?.close();
  await gateway?.close();
  await engine?.close();
  await connection?.close().catch(() => undefined);
  await db?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test('SIGKILL of FerretDB under load: restarted, the engine recovers by itself, nothing acknowledged lost or doubled', async () => {
  const acknowledged: string[] = [];
  let producing = true;
  let working = true;
  const producer = (async () => {
    while (producing) {
      try {
        const res = await raw.call('CreateProcessInstance', { bpmnProcessId: 'kill', version: -1 });
        acknowledged.push(String(res.processInstanceKey));
      } catch (err) {
        // Refused while the database is away: the client retries, as a worker would.
        expect(grpc.status[(err as grpc.ServiceError).code]).toMatch(
          /UNAVAILABLE|INTERNAL|DEADLINE/,
        );
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  })();
  const worker = (async () => {
    while (working) {
      try {
        const responses = await raw.activate({
          type: 'kill-work',
          worker: 'killer',
          timeout: 3000,
          maxJobsToActivate: 20,
          requestTimeout: 1000,
        });
        const jobs = responses.flatMap((r) => r.jobs as { key: string }[]);
        await Promise.all(
          jobs.map((j) =>
            raw.call('CompleteJob', { jobKey: j.key, variables: '{}' }).catch(() => undefined),
          ),
        );
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  })();

  await waitFor('some instances under way', () => acknowledged.length >= 20, { timeoutMs: 30_000 });
  const killedPid = db.pid;
  process.kill(killedPid, 'SIGKILL');
  const beforeKill = acknowledged.length;

  await waitFor(
    'the supervisor to restart FerretDB',
    () => db.restarts === 1 && db.state === 'running',
    {
      timeoutMs: 30_000,
    },
  );
  expect(db.pid).not.toBe(killedPid);
  // The engine recovers by itself: new instances are acknowledged again.
  await waitFor(
    'instances acknowledged after the restart',
    () => acknowledged.length >= beforeKill + 20,
    {
      timeoutMs: 60_000,
      intervalMs: 100,
    },
  );
  producing = false;
  await producer;

  // Every acknowledged instance completes exactly once; no job is completed twice.
  const completedOnce = async () => {
    const log = await engine.readLog();
    const completed = new Map<string, number>();
    for (const r of log) {
      if (
        r.recordType === 'EVENT' &&
        r.valueType === 'PROCESS_INSTANCE' &&
        r.intent === 'ELEMENT_COMPLETED'
      ) {
        const v = r.value as { bpmnElementType?: string };
        if (v.bpmnElementType === 'PROCESS')
          completed.set(String(r.key), (completed.get(String(r.key)) ?? 0) + 1);
      }
    }
    return acknowledged.every((k) => completed.has(k)) ? { log, completed } : undefined;
  };
  const { log, completed } = await waitFor(
    'every acknowledged instance to complete',
    completedOnce,
    {
      timeoutMs: 90_000,
      intervalMs: 500,
    },
  );
  working = false;
  await worker;
  expect(acknowledged.filter((k) => completed.get(k) !== 1)).toEqual([]);
  const jobCompletions = new Map<string, number>();
  for (const r of log) {
    if (r.recordType === 'EVENT' && r.valueType === 'JOB' && r.intent === 'COMPLETED') {
      jobCompletions.set(String(r.key), (jobCompletions.get(String(r.key)) ?? 0) + 1);
    }
  }
  expect([...jobCompletions.values()].filter((n) => n > 1)).toEqual([]);
  expect(supervisorLog.some((l) => /exited unexpectedly/.test(l))).toBe(true);
  expect(supervisorLog.some((l) => /running again/.test(l))).toBe(true);
});
