/**
 * The engine killed with SIGKILL at random moments while 500 instances are in flight
 * (jobs, timers, messages): after the last restart every instance completes exactly once
 * and no job is completed twice, checked on the durable log itself and in the history.
 */
import path from 'node:path';
import { HISTORY_COLLECTIONS } from '../../../src/engine/history';
import { LogStore } from '../../../src/engine/log/log-store';
import type { LogRecord } from '../../../src/engine/log/record';
import { openTestDatabase, testDatabaseUri, type TestDatabase } from '../../support/database';
import { killHard, spawnTsChild, type Child } from './spawn-child';

const WORKER = path.join(__dirname, 'children', 'engine-worker.ts');
const INSTANCES = 500;
const KILLS = 4;

let db: TestDatabase;
beforeAll(async () => {
  db = await openTestDatabase('crash');
});
afterAll(async () => {
  await db.close();
});

interface RunningEngine {
  child: Child;
  ready: Promise<void>;
  created: Promise<void>;
  completedJobs(): number;
}

function startEngineChild(createInstances: number): RunningEngine {
  let completed = 0;
  let onReady: () => void = () => undefined;
  let onCreated: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  const created = new Promise<void>((resolve) => (onCreated = resolve));
  const child = spawnTsChild(
    WORKER,
    { CRASH_DB_URI: testDatabaseUri(db.name), CRASH_CREATE_INSTANCES: String(createInstances) },
    (line) => {
      if (line === 'ready') onReady();
      else if (line.startsWith('created')) onCreated();
      else if (line.startsWith('completed-job')) completed++;
    },
  );
  const failIfExited = (what: string) =>
    child.exited.then(() => {
      throw new Error(`engine child exited before ${what}:\n${child.stderr()}`);
    });
  const running = {
    child,
    ready: Promise.race([ready, failIfExited('ready')]),
    created: Promise.race([created, failIfExited('creating the instances')]),
    completedJobs: () => completed,
  };
  // Only awaited when needed: a killed child must not count as an unhandled failure.
  running.ready.catch(() => undefined);
  running.created.catch(() => undefined);
  return running;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function completedInHistory(): Promise<number> {
  return db.connection
    .db!.collection(HISTORY_COLLECTIONS.processInstances)
    .countDocuments({ bpmnProcessId: 'crash', state: 'COMPLETED' });
}

it('completes every instance exactly once across SIGKILLs of the engine', async () => {
  let engine = startEngineChild(INSTANCES);
  await engine.ready;
  await engine.created;

  for (let kill = 0; kill < KILLS; kill++) {
    // A random moment while work is going on: after a random number of job completions
    // (at most 600 of the 1000 in all, so work is always left for the next run).
    const target = 20 + Math.floor(Math.random() * 130);
    const until = Date.now() + 3000;
    while (engine.completedJobs() < target && Date.now() < until) await sleep(5);
    await killHard(engine.child);
    engine = startEngineChild(0);
    await engine.ready;
  }

  // After the last restart everything completes (history is written by the engine's exporter).
  const deadline = Date.now() + 120_000;
  while ((await completedInHistory()) < INSTANCES) {
    if (engine.child.process.exitCode !== null)
      throw new Error(`engine child died:\n${engine.child.stderr()}`);
    if (Date.now() > deadline)
      throw new Error(`only ${await completedInHistory()} instances completed`);
    await sleep(250);
  }
  await killHard(engine.child);

  // The durable log is the evidence.
  const store = await LogStore.open(db.connection);
  const events: LogRecord[] = [];
  for await (const r of store.readFrom(0)) if (r.recordType === 'EVENT') events.push(r);
  await store.close();

  const processEvents = events.filter(
    (r) =>
      r.valueType === 'PROCESS_INSTANCE' &&
      r.value.bpmnElementType === 'PROCESS' &&
      r.value.bpmnProcessId === 'crash',
  );
  const countBy = (rs: LogRecord[]) => {
    const m = new Map<number, number>();
    for (const r of rs) m.set(r.key, (m.get(r.key) ?? 0) + 1);
    return m;
  };
  const activated = countBy(processEvents.filter((r) => r.intent === 'ELEMENT_ACTIVATED'));
  const completed = countBy(processEvents.filter((r) => r.intent === 'ELEMENT_COMPLETED'));
  expect(activated.size).toBe(INSTANCES);
  expect(completed.size).toBe(INSTANCES);
  expect([...completed.values()].every((n) => n === 1)).toBe(true);
  expect([...activated.values()].every((n) => n === 1)).toBe(true);

  const jobCompletions = countBy(
    events.filter((r) => r.valueType === 'JOB' && r.intent === 'COMPLETED'),
  );
  expect(jobCompletions.size).toBe(2 * INSTANCES);
  expect(Math.max(...jobCompletions.values())).toBe(1);

  const history = await db.connection
    .db!.collection(HISTORY_COLLECTIONS.processInstances)
    .find({ bpmnProcessId: 'crash' })
    .toArray();
  expect(history).toHaveLength(INSTANCES);
  expect(new Set(history.map((h) => h.key))).toEqual(new Set([...completed.keys()].map(String)));
  expect(history.every((h) => h.state === 'COMPLETED' && h.endDate instanceof Date)).toBe(true);

  // The last kill did land while work was in flight: the last run completed jobs too.
  expect(engine.completedJobs()).toBeGreaterThan(0);
}, 180_000);
