/**
 * The product's worker runtime against the real engine behind the real gateway:
 * typed handlers, completion with the handler's variables, failures with retries,
 * business errors as BPMN errors, graceful stop.
 */
import {
  BusinessError,
  createWorkerRegistry,
  type WorkerRegistry,
} from '../../../src/workers/runtime';
import type { Logger } from '../../../src/logging';
import { startEngineWithGateway, type RunningEngine } from '../../support/engine-with-gateway';
import { isEvent, waitForRecord } from '../../gateway/support/engine-log';
import { errorBoundaryProcess, oneTaskProcess } from '../../gateway/support/models';

let running: RunningEngine;
const registries: WorkerRegistry[] = [];

beforeAll(async () => {
  running = await startEngineWithGateway();
});

afterAll(async () => {
  for (const r of registries) await r.stop();
  await running?.close();
});

/** What the runtime logged at warn (the product passes its pino logger). */
const warnings: { obj: Record<string, unknown>; msg?: string }[] = [];
const logger: Logger = {
  info: () => undefined,
  warn: (obj: unknown, msg?: string) => {
    if (typeof obj === 'object' && obj) warnings.push({ obj: obj as Record<string, unknown>, msg });
  },
  error: () => undefined,
};

function registry(): WorkerRegistry {
  const r = createWorkerRegistry({ gatewayAddress: running.address, longPollMs: 5_000, logger });
  registries.push(r);
  return r;
}

interface RequestVars extends Record<string, unknown> {
  amount: number;
}
interface RegionHeaders extends Record<string, unknown> {
  region: string;
}

test('completes jobs with the variables the handler returns, seeing typed variables and headers', async () => {
  const workers = registry();
  await workers.client.deployResource({
    name: 'rt_one.bpmn',
    process: Buffer.from(oneTaskProcess('rt_one', 'rt-classify')),
  });
  workers.register<RequestVars, RegionHeaders>({
    type: 'rt-classify',
    handler: async (job) => ({
      doubled: job.variables.amount * 2,
      region: job.customHeaders.region,
    }),
  });
  workers.start();
  const result = await workers.client.createProcessInstanceWithResult({
    bpmnProcessId: 'rt_one',
    variables: { amount: 21 },
    requestTimeout: 20_000,
  });
  expect(result.variables).toEqual({ amount: 21, doubled: 42, region: 'Emilia-Romagna' });
});

test("a handler's exception fails the job with its message and one retry less; the retry succeeds", async () => {
  const workers = registry();
  await workers.client.deployResource({
    name: 'rt_retry.bpmn',
    process: Buffer.from(oneTaskProcess('rt_retry', 'rt-pec')),
  });
  let attempts = 0;
  workers.register({
    type: 'rt-pec',
    handler: () => {
      attempts++;
      if (attempts === 1) throw new Error('PEC server not reachable');
      return { sent: true };
    },
  });
  workers.start();
  const result = await workers.client.createProcessInstanceWithResult({
    bpmnProcessId: 'rt_retry',
    variables: {},
    requestTimeout: 20_000,
  });
  expect(result.variables).toEqual({ sent: true });
  const failed = await waitForRecord(
    running.engine,
    (r) =>
      isEvent(r, 'JOB', 'FAILED') &&
      String(r.value.processInstanceKey) === String(result.processInstanceKey),
    'job failed',
  );
  expect(failed.value).toMatchObject({ retries: 2, errorMessage: 'PEC server not reachable' });
  // The failure is in the log at warn: instance, element, job type, error.
  expect(warnings).toContainEqual({
    obj: expect.objectContaining({
      type: 'rt-pec',
      processInstanceKey: String(result.processInstanceKey),
      elementId: 'work',
      err: 'PEC server not reachable',
      retriesLeft: 2,
    }),
    msg: expect.stringContaining('job rt-pec failed at work: PEC server not reachable'),
  });
});

test('an error with retryAfterMs postpones the job without using up a retry (another delivery is at work)', async () => {
  const workers = registry();
  await workers.client.deployResource({
    name: 'rt_later.bpmn',
    process: Buffer.from(oneTaskProcess('rt_later', 'rt-later')),
  });
  let attempts = 0;
  workers.register({
    type: 'rt-later',
    handler: () => {
      attempts++;
      if (attempts === 1) {
        throw Object.assign(new Error('being sent by another delivery'), { retryAfterMs: 200 });
      }
      return { sent: true };
    },
  });
  workers.start();
  const result = await workers.client.createProcessInstanceWithResult({
    bpmnProcessId: 'rt_later',
    variables: {},
    requestTimeout: 20_000,
  });
  expect(result.variables).toEqual({ sent: true });
  const failed = await waitForRecord(
    running.engine,
    (r) =>
      isEvent(r, 'JOB', 'FAILED') &&
      String(r.value.processInstanceKey) === String(result.processInstanceKey),
    'job postponed',
  );
  expect(failed.value).toMatchObject({ retries: 3, retryBackoff: 200 });
});

test('a BusinessError is thrown as a BPMN error that the process catches', async () => {
  const workers = registry();
  await workers.client.deployResource({
    name: 'rt_err.bpmn',
    process: Buffer.from(errorBoundaryProcess('rt_err', 'rt-check', 'DOCS_MISSING', 'rt-ask-docs')),
  });
  workers.register({
    type: 'rt-check',
    handler: () => {
      throw new BusinessError('DOCS_MISSING', 'determina a contrarre missing', {
        missing: ['determina'],
      });
    },
  });
  workers.register({ type: 'rt-ask-docs', handler: (job) => ({ asked: job.variables.missing }) });
  workers.start();
  const result = await workers.client.createProcessInstanceWithResult({
    bpmnProcessId: 'rt_err',
    variables: {},
    requestTimeout: 20_000,
  });
  expect(result.variables).toEqual(expect.objectContaining({ asked: ['determina'] }));
});

test('stop() waits for the running handler, whose job is then completed', async () => {
  const workers = registry();
  await workers.client.deployResource({
    name: 'rt_slow.bpmn',
    process: Buffer.from(oneTaskProcess('rt_slow', 'rt-slow')),
  });
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let started!: () => void;
  const handlerStarted = new Promise<void>((r) => (started = r));
  workers.register({
    type: 'rt-slow',
    handler: async () => {
      started();
      await released;
      return { done: true };
    },
  });
  workers.start();
  const { processInstanceKey } = await workers.client.createProcessInstance({
    bpmnProcessId: 'rt_slow',
    variables: {},
  });
  await handlerStarted;

  let stopped = false;
  const stopping = workers.stop().then(() => (stopped = true));
  await new Promise((r) => setImmediate(r));
  expect(stopped).toBe(false);
  release();
  await stopping;
  await waitForRecord(
    running.engine,
    (r) =>
      isEvent(r, 'JOB', 'COMPLETED') &&
      String(r.value.processInstanceKey) === String(processInstanceKey),
    'job completed',
  );
});

test("a registry for a province's tenant works that tenant's jobs", async () => {
  const workers = createWorkerRegistry({
    gatewayAddress: running.address,
    longPollMs: 5_000,
    tenantIds: ['039'],
  });
  registries.push(workers);
  await workers.client.deployResource({
    name: 'rt_tenant.bpmn',
    process: Buffer.from(oneTaskProcess('rt_tenant', 'rt-tenant')),
    tenantId: '039',
  });
  workers.register({ type: 'rt-tenant', handler: (job) => ({ workedFor: job.tenantId }) });
  workers.start();
  const result = await workers.client.createProcessInstanceWithResult({
    bpmnProcessId: 'rt_tenant',
    tenantId: '039',
    variables: {},
    requestTimeout: 20_000,
  });
  expect(result.tenantId).toBe('039');
  expect(result.variables).toEqual({ workedFor: '039' });
});

test('registering the same job type twice is refused', () => {
  const workers = registry();
  workers.register({ type: 'rt-dup', handler: () => ({}) });
  expect(() => workers.register({ type: 'rt-dup', handler: () => ({}) })).toThrow(
    /already registered/,
  );
});
