/**
 * The gateway's own contract, beyond what the client scenarios cover: validation with
 * field names, long polling, bearer tokens and tenants, back-pressure, TLS, the
 * deprecated and newer RPCs. Real engine, real database, real gRPC.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { findFreePort } from '../../src/db';
import { startGateway, type RunningGateway } from '../../src/engine/gateway';
import { createZeebeClient } from '../../src/workers/runtime';
import { startEngineWithGateway, type RunningEngine } from '../support/engine-with-gateway';
import { waitFor } from '../support/wait-for';
import { isEvent, waitForRecord } from './support/engine-log';
import { noTaskProcess, oneTaskProcess, procedureDecision } from './support/models';
import { rawClient, type RawClient } from './support/raw-client';

let running: RunningEngine;
let raw: RawClient;

beforeAll(async () => {
  running = await startEngineWithGateway();
  raw = rawClient(running.address);
  await raw.call('DeployResource', {
    resources: [{ name: 'gw_one.bpmn', content: Buffer.from(oneTaskProcess('gw_one', 'gw-work')) }],
  });
});

afterAll(async () => {
  raw?.close();
  await running?.close();
});

async function extraGateway(
  opts: Parameters<typeof startGateway>[1] extends infer O ? Omit<O & object, 'address'> : never,
) {
  return startGateway(running.engine, { ...opts, address: `127.0.0.1:${await findFreePort()}` });
}

describe('validation', () => {
  test('invalid JSON variables are INVALID_ARGUMENT naming the field', async () => {
    await expect(
      raw.call('CreateProcessInstance', {
        bpmnProcessId: 'gw_one',
        version: -1,
        variables: '{not json',
      }),
    ).rejects.toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
      details: expect.stringContaining("'variables'"),
    });
  });

  test('variables that are not a JSON object are INVALID_ARGUMENT', async () => {
    await expect(
      raw.call('PublishMessage', { name: 'm', correlationKey: 'k', variables: '[1, 2]' }),
    ).rejects.toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
      details: expect.stringContaining('object'),
    });
  });

  test('ActivateJobs without a positive maxJobsToActivate is INVALID_ARGUMENT', async () => {
    await expect(
      raw.activate({ type: 'gw-work', worker: 'w', timeout: 1000, maxJobsToActivate: 0 }),
    ).rejects.toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
      details: expect.stringContaining('maxJobsToActivate'),
    });
  });

  test('CreateProcessInstance of an unknown process is NOT_FOUND', async () => {
    await expect(
      raw.call('CreateProcessInstance', { bpmnProcessId: 'nope', version: -1 }),
    ).rejects.toMatchObject({ code: grpc.status.NOT_FOUND });
  });

  test('EvaluateDecision with neither key nor id is INVALID_ARGUMENT', async () => {
    await expect(raw.call('EvaluateDecision', {})).rejects.toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
    });
  });
});

describe('job activation', () => {
  test('a long poll returns the job created while it waits', async () => {
    const polling = raw.activate({
      type: 'gw-longpoll',
      worker: 'w',
      timeout: 60_000,
      maxJobsToActivate: 5,
      requestTimeout: 20_000,
    });
    await raw.call('DeployResource', {
      resources: [
        { name: 'gw_lp.bpmn', content: Buffer.from(oneTaskProcess('gw_lp', 'gw-longpoll')) },
      ],
    });
    const created = await raw.call('CreateProcessInstance', {
      bpmnProcessId: 'gw_lp',
      version: -1,
    });
    const responses = await polling;
    const jobs = responses.flatMap((r) => r.jobs as Record<string, unknown>[]);
    expect(jobs).toHaveLength(1);
    expect(jobs[0].processInstanceKey).toBe(created.processInstanceKey);
    expect(JSON.parse(jobs[0].variables as string)).toEqual({});
    expect(Number(jobs[0].deadline)).toBeGreaterThan(Date.now());
  });

  test('a long poll whose client went away does not take the next job', async () => {
    const gone = raw.stream('ActivateJobs', {
      type: 'gw-gone',
      worker: 'leaver',
      timeout: 60_000,
      maxJobsToActivate: 1,
      requestTimeout: 30_000,
    });
    gone.on('error', () => undefined);
    const before = running.gateway.stats().waitingCalls;
    // The poll has reached the gateway (it holds a waiting slot) before the worker goes away,
    // and the gateway has seen it go (the slot is free again) before the job appears.
    await waitFor(
      'the long poll to reach the gateway',
      () => running.gateway.stats().waitingCalls > before,
    );
    gone.cancel();
    await waitFor(
      'the gateway to see the cancellation',
      () => running.gateway.stats().waitingCalls === before,
    );
    await raw.call('DeployResource', {
      resources: [
        { name: 'gw_gone.bpmn', content: Buffer.from(oneTaskProcess('gw_gone', 'gw-gone')) },
      ],
    });
    await raw.call('CreateProcessInstance', { bpmnProcessId: 'gw_gone', version: -1 });
    const jobs = (
      await raw.activate({
        type: 'gw-gone',
        worker: 'stayer',
        timeout: 60_000,
        maxJobsToActivate: 1,
        requestTimeout: 10_000,
      })
    ).flatMap((r) => r.jobs as Record<string, unknown>[]);
    expect(jobs).toHaveLength(1);
    expect(jobs[0].worker).toBe('stayer');
  });

  test('a negative requestTimeout answers at once when there is no job', async () => {
    const responses = await raw.activate({
      type: 'gw-nobody',
      worker: 'w',
      timeout: 1000,
      maxJobsToActivate: 1,
      requestTimeout: -1,
    });
    expect(responses.flatMap((r) => r.jobs as unknown[])).toEqual([]);
  });

  test('StreamActivatedJobs pushes jobs as they become activatable', async () => {
    const zbc = createZeebeClient(running.address);
    try {
      await zbc.deployResource({
        name: 'gw_stream.bpmn',
        process: Buffer.from(oneTaskProcess('gw_stream', 'gw-stream')),
      });
      const done = new Promise<string>((resolve) => {
        void zbc.streamJobs({
          type: 'gw-stream',
          worker: 'streamer',
          tenantIds: ['<default>'],
          timeout: 60_000,
          taskHandler: (job) => {
            resolve(job.processInstanceKey);
            return job.complete({ streamed: true });
          },
        });
      });
      // The stream is open at the gateway before the job appears.
      await waitFor('the job stream to open', () => running.gateway.stats().waitingCalls > 0);
      const { processInstanceKey } = await zbc.createProcessInstance({
        bpmnProcessId: 'gw_stream',
        variables: {},
      });
      expect(await done).toBe(processInstanceKey);
    } finally {
      await zbc.close();
    }
  });

  test('UpdateJobTimeout and UpdateJobRetries apply to an activated job', async () => {
    await raw.call('CreateProcessInstance', { bpmnProcessId: 'gw_one', version: -1 });
    const [first] = (
      await raw.activate({ type: 'gw-work', worker: 'w', timeout: 60_000, maxJobsToActivate: 1 })
    ).flatMap((r) => r.jobs as Record<string, string>[]);
    await raw.call('UpdateJobTimeout', { jobKey: first.key, timeout: 120_000 });
    await raw.call('UpdateJobRetries', { jobKey: first.key, retries: 7 });
    await expect(
      raw.call('UpdateJobRetries', { jobKey: first.key, retries: 0 }),
    ).rejects.toMatchObject({
      code: grpc.status.INVALID_ARGUMENT,
    });
    await raw.call('FailJob', { jobKey: first.key, retries: 6, errorMessage: 'again' });
    const [again] = (
      await raw.activate({ type: 'gw-work', worker: 'w', timeout: 60_000, maxJobsToActivate: 1 })
    ).flatMap((r) => r.jobs as Record<string, unknown>[]);
    expect(again.key).toBe(first.key);
    expect(again.retries).toBe(6);
    await raw.call('CompleteJob', { jobKey: first.key, variables: '' });
  });
});

describe('other RPCs', () => {
  test('Topology reports the broker at the address the gateway listens on', async () => {
    const topology = await raw.call('Topology', {});
    const [broker] = topology.brokers as { host: string; port: number }[];
    expect(`${broker.host}:${broker.port}`).toBe(running.address);
  });

  test('the deprecated DeployProcess still deploys', async () => {
    const res = await raw.call('DeployProcess', {
      processes: [{ name: 'gw_old.bpmn', definition: Buffer.from(noTaskProcess('gw_old')) }],
    });
    expect(res.processes).toEqual([
      expect.objectContaining({ bpmnProcessId: 'gw_old', version: 1 }),
    ]);
  });

  test('DeployResource deploys a form, and a decision evaluates by its key', async () => {
    const form = JSON.stringify({ id: 'gw_richiesta', type: 'default', components: [] });
    const res = await raw.call('DeployResource', {
      resources: [
        { name: 'gw_richiesta.form', content: Buffer.from(form) },
        { name: 'gw_proc.dmn', content: Buffer.from(procedureDecision('gw_proc')) },
      ],
    });
    const deployments = res.deployments as Record<string, Record<string, string> | null>[];
    expect(deployments.find((d) => d.form)?.form).toEqual(
      expect.objectContaining({ formId: 'gw_richiesta', version: 1 }),
    );
    const decisionKey = deployments.find((d) => d.decision)!.decision!.decisionKey;
    const evaluated = await raw.call('EvaluateDecision', {
      decisionKey,
      variables: '{"amount": 500000}',
    });
    expect(JSON.parse(evaluated.decisionOutput as string)).toBe('procedura negoziata');
    expect(evaluated.decisionKey).toBe(decisionKey);
  });

  test('a job failed with a retry back-off is not activatable before the back-off', async () => {
    await raw.call('DeployResource', {
      resources: [
        { name: 'gw_bo.bpmn', content: Buffer.from(oneTaskProcess('gw_bo', 'gw-backoff')) },
      ],
    });
    await raw.call('CreateProcessInstance', { bpmnProcessId: 'gw_bo', version: -1 });
    const activate = (requestTimeout: number) =>
      raw
        .activate({
          type: 'gw-backoff',
          worker: 'w',
          timeout: 60_000,
          maxJobsToActivate: 1,
          requestTimeout,
        })
        .then((rs) => rs.flatMap((r) => r.jobs as Record<string, string>[]));
    const [job] = await activate(10_000);
    await raw.call('FailJob', {
      jobKey: job.key,
      retries: 2,
      errorMessage: 'later',
      retryBackOff: 3_600_000,
    });
    expect(await activate(-1)).toEqual([]);
  });

  test('CreateProcessInstanceWithResult gives up with DEADLINE_EXCEEDED after its request timeout', async () => {
    await expect(
      raw.call('CreateProcessInstanceWithResult', {
        request: { bpmnProcessId: 'gw_one', version: -1, variables: '{}' },
        requestTimeout: 300,
      }),
    ).rejects.toMatchObject({ code: grpc.status.DEADLINE_EXCEEDED });
  });

  test('MigrateProcessInstance moves a waiting instance to a new version', async () => {
    const deploy = async (type: string) => {
      const res = await raw.call('DeployResource', {
        resources: [{ name: 'gw_mig.bpmn', content: Buffer.from(oneTaskProcess('gw_mig', type)) }],
      });
      return (res.deployments as { process: { processDefinitionKey: string } }[])[0].process
        .processDefinitionKey;
    };
    await deploy('gw-mig');
    const created = await raw.call('CreateProcessInstance', {
      bpmnProcessId: 'gw_mig',
      version: -1,
    });
    const v2 = await deploy('gw-mig-v2');
    await raw.call('MigrateProcessInstance', {
      processInstanceKey: created.processInstanceKey,
      migrationPlan: {
        targetProcessDefinitionKey: v2,
        mappingInstructions: [{ sourceElementId: 'work', targetElementId: 'work' }],
      },
    });
    const jobs = (
      await raw.activate({ type: 'gw-mig', worker: 'w', timeout: 60_000, maxJobsToActivate: 1 })
    ).flatMap((r) => r.jobs as Record<string, string>[]);
    expect(jobs).toHaveLength(1);
    expect(jobs[0].processDefinitionKey).toBe(v2);
  });

  test('ModifyProcessInstance activates another element', async () => {
    const created = await raw.call('CreateProcessInstance', {
      bpmnProcessId: 'gw_one',
      version: -1,
    });
    await raw.call('ModifyProcessInstance', {
      processInstanceKey: created.processInstanceKey,
      activateInstructions: [
        { elementId: 'work', ancestorElementInstanceKey: '-1', variableInstructions: [] },
      ],
      terminateInstructions: [],
    });
    const jobs = (
      await raw.activate({ type: 'gw-work', worker: 'w', timeout: 60_000, maxJobsToActivate: 5 })
    )
      .flatMap((r) => r.jobs as Record<string, string>[])
      .filter((j) => j.processInstanceKey === created.processInstanceKey);
    expect(jobs).toHaveLength(2);
    await raw.call('CancelProcessInstance', { processInstanceKey: created.processInstanceKey });
  });

  test('DeleteResource removes a process definition', async () => {
    const res = await raw.call('DeployResource', {
      resources: [{ name: 'gw_del.bpmn', content: Buffer.from(noTaskProcess('gw_del')) }],
    });
    const key = (res.deployments as { process: { processDefinitionKey: string } }[])[0].process
      .processDefinitionKey;
    await raw.call('DeleteResource', { resourceKey: key });
    await expect(
      raw.call('CreateProcessInstance', { bpmnProcessId: 'gw_del', version: -1 }),
    ).rejects.toMatchObject({
      code: grpc.status.NOT_FOUND,
    });
  });

  test('SetVariables answers with the key of its command', async () => {
    const created = await raw.call('CreateProcessInstance', {
      bpmnProcessId: 'gw_one',
      version: -1,
    });
    const res = await raw.call('SetVariables', {
      elementInstanceKey: created.processInstanceKey,
      variables: '{"x":1}',
      local: false,
    });
    expect(BigInt(res.key as string)).toBeGreaterThan(0n);
    await waitForRecord(
      running.engine,
      (r) => isEvent(r, 'VARIABLE', 'CREATED'),
      'variable created',
    );
    await raw.call('CancelProcessInstance', { processInstanceKey: created.processInstanceKey });
  });
});

describe('bearer tokens and tenants', () => {
  let secured: RunningGateway;
  let client: RawClient;

  beforeAll(async () => {
    secured = await extraGateway({
      tokens: { 'token-ravenna': ['039'], 'token-all': ['039', '100', '<default>'] },
    });
    client = rawClient(secured.address);
  });

  afterAll(async () => {
    client?.close();
    await secured?.close();
  });

  test('a call without a token is UNAUTHENTICATED', async () => {
    await expect(client.call('Topology', {})).rejects.toMatchObject({
      code: grpc.status.UNAUTHENTICATED,
    });
  });

  test('key-addressed calls with a token for another province find nothing of it', async () => {
    const all = { authorization: 'Bearer token-all' };
    const ravenna = { authorization: 'Bearer token-ravenna' };
    const deployed = await client.call(
      'DeployResource',
      {
        resources: [
          { name: 'po_task.bpmn', content: Buffer.from(oneTaskProcess('gw_po_task', 'gw-po')) },
        ],
        tenantId: '100',
      },
      all,
    );
    const processDefinitionKey = (
      deployed.deployments as { process: { processDefinitionKey: string } }[]
    )[0].process.processDefinitionKey;
    const created = await client.call(
      'CreateProcessInstance',
      { bpmnProcessId: 'gw_po_task', version: -1, tenantId: '100' },
      all,
    );
    const processInstanceKey = String(created.processInstanceKey);
    const [batch] = await client.activate(
      {
        type: 'gw-po',
        worker: 'w',
        timeout: 60_000,
        maxJobsToActivate: 1,
        requestTimeout: 5000,
        tenantIds: ['100'],
      },
      all,
    );
    const jobKey = String((batch.jobs as { key: string }[])[0].key);
    const calls: [string, Record<string, unknown>][] = [
      ['CancelProcessInstance', { processInstanceKey }],
      ['SetVariables', { elementInstanceKey: processInstanceKey, variables: '{"x":1}' }],
      [
        'ModifyProcessInstance',
        { processInstanceKey, activateInstructions: [{ elementId: 'work' }] },
      ],
      ['CompleteJob', { jobKey, variables: '{}' }],
      ['FailJob', { jobKey, retries: 1, errorMessage: 'no' }],
      ['ThrowError', { jobKey, errorCode: 'E' }],
      ['UpdateJobRetries', { jobKey, retries: 5 }],
      ['UpdateJobTimeout', { jobKey, timeout: 1000 }],
      ['DeleteResource', { resourceKey: processDefinitionKey }],
    ];
    for (const [method, request] of calls) {
      const outcome = await client.call(method, request, ravenna).then(
        () => 'OK',
        (err: grpc.ServiceError) => grpc.status[err.code],
      );
      expect({ method, outcome }).toEqual({
        method,
        outcome: expect.stringMatching(/^(NOT_FOUND|PERMISSION_DENIED)$/),
      });
    }
    // Nothing happened to Prato's instance: its job completes with the right token.
    await client.call('CompleteJob', { jobKey, variables: '{}' }, all);
  });

  test('a call with an unknown token is UNAUTHENTICATED', async () => {
    await expect(
      client.call('Topology', {}, { authorization: 'Bearer nope' }),
    ).rejects.toMatchObject({
      code: grpc.status.UNAUTHENTICATED,
    });
  });

  test("a token deploys for its own tenant but not for another province's", async () => {
    const auth = { authorization: 'Bearer token-ravenna' };
    const ok = await client.call(
      'DeployResource',
      {
        resources: [{ name: 'ra.bpmn', content: Buffer.from(noTaskProcess('gw_ra')) }],
        tenantId: '039',
      },
      auth,
    );
    expect(ok.tenantId).toBe('039');
    await expect(
      client.call(
        'DeployResource',
        {
          resources: [{ name: 'po.bpmn', content: Buffer.from(noTaskProcess('gw_po')) }],
          tenantId: '100',
        },
        auth,
      ),
    ).rejects.toMatchObject({ code: grpc.status.PERMISSION_DENIED });
  });

  test('the SDK client carries its token', async () => {
    const zbc = createZeebeClient(secured.address, { token: 'token-all' });
    try {
      const topology = await zbc.topology();
      expect(topology.brokers).toHaveLength(1);
    } finally {
      await zbc.close();
    }
  });
});

describe('back-pressure', () => {
  test('beyond maxConcurrentCalls a call is refused with RESOURCE_EXHAUSTED', async () => {
    const tight = await extraGateway({ maxConcurrentCalls: 0 });
    const client = rawClient(tight.address);
    try {
      await expect(
        client.call('CreateProcessInstance', { bpmnProcessId: 'gw_one', version: -1 }),
      ).rejects.toMatchObject({ code: grpc.status.RESOURCE_EXHAUSTED });
    } finally {
      client.close();
      await tight.close();
    }
  });
});

describe('back-pressure with retrying clients', () => {
  test("calls refused with RESOURCE_EXHAUSTED succeed on the Zeebe client's retries", async () => {
    const tight = await extraGateway({ maxConcurrentCalls: 1 });
    const zbc = createZeebeClient(tight.address); // the product's client: retries on back-pressure
    const slow = rawClient(tight.address);
    try {
      // Hold the only slot with a deploy that takes a while to parse (a large model), so
      // that the client's calls meet back-pressure for certain.
      const tasks = Array.from({ length: 800 }, (_, i) => `<bpmn:task id="big${i}"/>`).join('');
      const flows = Array.from(
        { length: 799 },
        (_, i) => `<bpmn:sequenceFlow id="bigf${i}" sourceRef="big${i}" targetRef="big${i + 1}"/>`,
      ).join('');
      const large = noTaskProcess('gw_large').replace(
        '<bpmn:endEvent',
        `${tasks}${flows}<bpmn:endEvent`,
      );
      const holding = slow.call('DeployResource', {
        resources: [{ name: 'gw_large.bpmn', content: Buffer.from(large) }],
      });
      await waitFor('the slow deploy to hold the slot', () => tight.stats().callsInFlight === 1, {
        intervalMs: 1,
      });
      const created = await Promise.all(
        Array.from({ length: 8 }, () =>
          zbc.createProcessInstance({ bpmnProcessId: 'gw_one', variables: {} }),
        ),
      );
      await holding;
      expect(tight.stats().refusedForBackPressure).toBeGreaterThan(0);
      expect(new Set(created.map((c) => c.processInstanceKey)).size).toBe(8);
    } finally {
      slow.close();
      await zbc.close();
      await tight.close();
    }
  });
});

describe('TLS', () => {
  test('a gateway with a certificate serves the SDK client over TLS', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gw-tls-'));
    const certPath = path.join(dir, 'cert.pem');
    const keyPath = path.join(dir, 'key.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
        '-keyout',
        keyPath,
        '-out',
        certPath,
      ],
      { stdio: 'ignore' },
    );
    const secure = await extraGateway({ tls: { certPath, keyPath } });
    const client = rawClient(secure.address, grpc.credentials.createSsl(readFileSync(certPath)));
    try {
      const topology = await client.call('Topology', {});
      expect((topology.brokers as unknown[]).length).toBe(1);
      const plain = rawClient(secure.address);
      await expect(plain.call('Topology', {})).rejects.toMatchObject({
        code: grpc.status.UNAVAILABLE,
      });
      plain.close();
    } finally {
      client.close();
      await secure.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
