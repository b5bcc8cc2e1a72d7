/**
 * The same scenarios through the three real Zeebe clients others wrote:
 * @camunda8/sdk 8.8, zeebe-node 8.3 and the zbctl 8.4 CLI, against the real engine
 * on a real database behind the real gateway.
 */
import { status } from '@grpc/grpc-js';
import { ZBClient } from 'zeebe-node';
import { camundaSdkClient } from './support/camunda-sdk-client';
import { startEngineWithGateway, type RunningEngine } from '../support/engine-with-gateway';
import { isEvent, ofInstance, processInstanceEvent, waitForRecord } from './support/engine-log';
import {
  errorBoundaryProcess,
  messageProcess,
  noTaskProcess,
  oneTaskProcess,
  procedureDecision,
  signalProcess,
} from './support/models';
import type { ClientJob, ScenarioClient } from './support/scenario-client';
import { zbctlClient } from './support/zbctl-client';
import { zeebeNodeClient } from './support/zeebe-node-client';

let running: RunningEngine;

beforeAll(async () => {
  running = await startEngineWithGateway();
});

afterAll(async () => {
  await running?.close();
});

const CLIENTS: [string, (address: string) => ScenarioClient][] = [
  ['sdk', camundaSdkClient],
  ['zeebenode', zeebeNodeClient],
  ['zbctl', zbctlClient],
];

describe.each(CLIENTS)('with the %s client', (prefix, makeClient) => {
  let client: ScenarioClient;
  const id = (name: string) => `${prefix}_${name}`;

  beforeAll(async () => {
    client = makeClient(running.address);
    await client.deploy(`${id('one')}.bpmn`, oneTaskProcess(id('one'), id('work')));
  });

  afterAll(async () => {
    await client?.close();
  });

  /** Activates exactly one job of `type` (long polling covers the engine's async step). */
  async function activateOne(type: string): Promise<ClientJob> {
    const jobs = await client.activateJobs(type, 1);
    expect(jobs).toHaveLength(1);
    return jobs[0];
  }

  test('reports the topology of one broker with one partition', async () => {
    const topology = await client.topology();
    expect(topology.brokerCount).toBe(1);
    expect(topology.partitionsCount).toBe(1);
  });

  test('deploys a BPMN process and a DMN decision, with 64-bit keys', async () => {
    const bpmn = await client.deploy(`${id('deploy')}.bpmn`, noTaskProcess(id('deploy')));
    expect(bpmn.processes).toEqual([
      expect.objectContaining({ bpmnProcessId: id('deploy'), version: 1 }),
    ]);
    expect(BigInt(bpmn.processes[0].processDefinitionKey)).toBeGreaterThan(2n ** 51n);

    const dmn = await client.deploy(`${id('decision')}.dmn`, procedureDecision(id('procedure')));
    expect(dmn.decisions).toEqual([expect.objectContaining({ dmnDecisionId: id('procedure') })]);
  });

  test('creates an instance and waits for its result, fetching only the variables asked for', async () => {
    await client.deploy(`${id('direct')}.bpmn`, noTaskProcess(id('direct')));
    const all = await client.createInstanceWithResult(id('direct'), {
      comune: '039001',
      amount: 5,
    });
    expect(all.variables).toEqual({ comune: '039001', amount: 5 });
    const some = await client.createInstanceWithResult(
      id('direct'),
      { comune: '039001', amount: 5 },
      ['amount'],
    );
    expect(some.variables).toEqual({ amount: 5 });
  });

  test('activates a job with its variables and headers, completes it, and the instance completes', async () => {
    const { processInstanceKey } = await client.createInstance(id('one'), { request: 'R-1' });
    const job = await activateOne(id('work'));
    expect(job.processInstanceKey).toBe(processInstanceKey);
    expect(job.variables).toEqual({ request: 'R-1' });
    expect(job.customHeaders).toEqual({ region: 'Emilia-Romagna' });
    await client.completeJob(job.key, { approved: true });
    await waitForRecord(
      running.engine,
      processInstanceEvent(processInstanceKey, 'ELEMENT_COMPLETED'),
      'instance completed',
    );
  });

  test('fails a job, raises an incident at zero retries, and resolves it after updating retries', async () => {
    const { processInstanceKey } = await client.createInstance(id('one'), {});
    const first = await activateOne(id('work'));
    await client.failJob(first.key, 1, 'service down');
    const again = await activateOne(id('work'));
    expect(again.key).toBe(first.key);
    expect(again.retries).toBe(1);

    await client.failJob(again.key, 0, 'still down');
    const incident = await waitForRecord(
      running.engine,
      (r) => isEvent(r, 'INCIDENT', 'CREATED') && ofInstance(r, processInstanceKey),
      'incident created',
    );
    expect((incident.value as { errorMessage: string }).errorMessage).toBe('still down');

    await client.updateRetries(again.key, 2);
    await client.resolveIncident(String(incident.key));
    const resumed = await activateOne(id('work'));
    expect(resumed.key).toBe(first.key);
    expect(resumed.retries).toBe(2);
    await client.completeJob(resumed.key);
    await waitForRecord(
      running.engine,
      processInstanceEvent(processInstanceKey, 'ELEMENT_COMPLETED'),
      'instance completed',
    );
  });

  test('throws a BPMN error that an error boundary event catches', async () => {
    await client.deploy(
      `${id('err')}.bpmn`,
      errorBoundaryProcess(id('err'), id('check'), 'DOCS_MISSING', id('ask-docs')),
    );
    const { processInstanceKey } = await client.createInstance(id('err'), {});
    const job = await activateOne(id('check'));
    await client.throwError(job.key, 'DOCS_MISSING', 'determina a contrarre missing');
    const handler = await activateOne(id('ask-docs'));
    expect(handler.processInstanceKey).toBe(processInstanceKey);
  });

  test('publishes a message that the waiting instance correlates', async () => {
    await client.deploy(
      `${id('msg')}.bpmn`,
      messageProcess(id('msg'), id('esito'), id('after-msg')),
    );
    const { processInstanceKey } = await client.createInstance(id('msg'), { orderId: 'CIG-42' });
    await client.publishMessage(id('esito'), 'CIG-42', { funded: true }, 60_000);
    const job = await activateOne(id('after-msg'));
    expect(job.processInstanceKey).toBe(processInstanceKey);
    expect(job.variables).toEqual(expect.objectContaining({ orderId: 'CIG-42', funded: true }));
  });

  test('broadcasts a signal that the waiting instance catches', async () => {
    await client.deploy(
      `${id('sig')}.bpmn`,
      signalProcess(id('sig'), id('alert'), id('after-sig')),
    );
    const { processInstanceKey } = await client.createInstance(id('sig'), {});
    // The signal subscription exists once the instance waits at the catch event.
    await waitForRecord(
      running.engine,
      (r) =>
        isEvent(r, 'PROCESS_INSTANCE', 'ELEMENT_ACTIVATED') &&
        ofInstance(r, processInstanceKey) &&
        (r.value as { elementId?: string }).elementId === 'wait',
      'instance waiting for the signal',
    );
    await client.broadcastSignal(id('alert'), { level: 2 });
    const job = await activateOne(id('after-sig'));
    expect(job.processInstanceKey).toBe(processInstanceKey);
    expect(job.variables).toEqual(expect.objectContaining({ level: 2 }));
  });

  test('sets variables on an instance that the next job sees', async () => {
    const { processInstanceKey } = await client.createInstance(id('one'), { a: 1 });
    await client.setVariables(processInstanceKey, { b: 2 });
    const job = await activateOne(id('work'));
    expect(job.variables).toEqual({ a: 1, b: 2 });
    await client.completeJob(job.key);
  });

  test('cancels an instance, after which it is gone', async () => {
    const { processInstanceKey } = await client.createInstance(id('one'), {});
    await client.cancelInstance(processInstanceKey);
    await waitForRecord(
      running.engine,
      processInstanceEvent(processInstanceKey, 'ELEMENT_TERMINATED'),
      'instance terminated',
    );
    await expect(client.cancelInstance(processInstanceKey)).rejects.toMatchObject({
      code: status.NOT_FOUND,
    });
  });

  test('evaluates a decision', async () => {
    await client.deploy(`${id('eval')}.dmn`, procedureDecision(id('eval_procedure')));
    const low = await client.evaluateDecision(id('eval_procedure'), { amount: 90_000 });
    expect(low.decisionId).toBe(id('eval_procedure'));
    expect(low.output).toBe('affidamento diretto');
    const high = await client.evaluateDecision(id('eval_procedure'), { amount: 200_000 });
    expect(high.output).toBe('procedura negoziata');
  });

  test('gets NOT_FOUND when completing a job that does not exist', async () => {
    await expect(client.completeJob('2251799813999999')).rejects.toMatchObject({
      code: status.NOT_FOUND,
    });
  });
});

test("zeebe-node's own job worker completes jobs through the gateway", async () => {
  const zbc = new ZBClient(running.address, { loglevel: 'NONE', useTLS: false });
  try {
    await zbc.deployResource({
      name: 'zn_worker.bpmn',
      process: Buffer.from(oneTaskProcess('zn_worker', 'zn-worker')),
    });
    zbc.createWorker({
      taskType: 'zn-worker',
      taskHandler: (job) => job.complete({ handledBy: 'zeebe-node' }),
      longPoll: 5_000,
      pollInterval: 50,
    });
    const result = await zbc.createProcessInstanceWithResult({
      bpmnProcessId: 'zn_worker',
      variables: { pratica: 7 },
      requestTimeout: 20_000,
    });
    expect(result.variables).toEqual({ pratica: 7, handledBy: 'zeebe-node' });
  } finally {
    await zbc.close();
  }
});
