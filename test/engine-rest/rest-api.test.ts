/**
 * The built-in engine's Camunda 8 REST API v2 search endpoints, driven by
 * @camunda8/sdk's CamundaRestClient (a real client written by others) next to the
 * real gRPC gateway, engine and database. Instances are created over gRPC, as the
 * product does, and found through REST.
 */
import { CamundaRestClient } from '@camunda8/sdk';
import { findFreePort } from '../../src/db';
import { startRestApi, type RunningRestApi } from '../../src/engine/rest';
import { createZeebeClient, type ZeebeClient } from '../../src/workers/runtime';
import { bpmn, chain, serviceTask } from '../support/bpmn-xml';
import { startEngineWithGateway, type RunningEngine } from '../support/engine-with-gateway';

const TOKENS = { 'token-039': ['039'], 'token-100': ['100'] };

function restClient(url: string, token: string) {
  return new CamundaRestClient({
    config: {
      ZEEBE_REST_ADDRESS: url,
      CAMUNDA_AUTH_STRATEGY: 'BEARER',
      CAMUNDA_OAUTH_TOKEN: token,
      CAMUNDA_LOG_LEVEL: 'none',
    },
    retry: { limit: 0 },
  });
}

/** Polls until `check` returns a value (history is written a moment after the engine acts). */
async function eventually<T>(check: () => Promise<T | undefined>, what: string, ms = 10_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const PROCESS = bpmn(
  'rest-proc',
  `<bpmn:startEvent id="start" name="Richiesta ricevuta"/>${serviceTask('work', 'rest-work')}<bpmn:endEvent id="end" name="Fine"/>${chain(['start', 'work', 'end'])}`,
).replace('<bpmn:process id="rest-proc"', '<bpmn:process id="rest-proc" name="Processo di prova"');

describe('Camunda REST API v2 served by the built-in engine', () => {
  let running: RunningEngine;
  let rest: RunningRestApi;
  let ravenna: ZeebeClient;
  let prato: ZeebeClient;
  let api039: CamundaRestClient;
  let api100: CamundaRestClient;
  const ravennaKeys: string[] = [];
  let pratoKey = '';
  let pratoDefinitionKey = '';

  beforeAll(async () => {
    running = await startEngineWithGateway({ tokens: TOKENS });
    rest = await startRestApi(running.engine, running.db.connection, {
      address: `127.0.0.1:${await findFreePort()}`,
      tokens: TOKENS,
    });
    ravenna = createZeebeClient(running.address, { token: 'token-039', tenantId: '039' });
    prato = createZeebeClient(running.address, { token: 'token-100', tenantId: '100' });
    api039 = restClient(rest.url, 'token-039');
    api100 = restClient(rest.url, 'token-100');
    for (const [zbc, tenantId] of [
      [ravenna, '039'],
      [prato, '100'],
    ] as const) {
      const d = await zbc.deployResource({
        name: 'rest-proc.bpmn',
        process: Buffer.from(PROCESS),
        tenantId,
      } as never);
      if (tenantId === '100') {
        pratoDefinitionKey = (d.deployments[0] as { process: { processDefinitionKey: string } })
          .process.processDefinitionKey;
      }
    }
    for (const [i, comune] of ['039007', '039007', '039014'].entries()) {
      const created = await ravenna.createProcessInstance({
        bpmnProcessId: 'rest-proc',
        variables: { comune, amount: 1000 * (i + 1) },
        tenantId: '039',
      } as never);
      ravennaKeys.push(created.processInstanceKey);
    }
    pratoKey = (
      await prato.createProcessInstance({
        bpmnProcessId: 'rest-proc',
        variables: { comune: '100005' },
        tenantId: '100',
      } as never)
    ).processInstanceKey;
    // Complete the first Ravenna instance's job.
    const jobs = await ravenna.activateJobs({
      type: 'rest-work',
      worker: 'rest-test',
      maxJobsToActivate: 10,
      timeout: 60_000,
      requestTimeout: 5_000,
      tenantIds: ['039'],
    } as never);
    const first = jobs.find((j) => j.processInstanceKey === ravennaKeys[0])!;
    await ravenna.completeJob({ jobKey: first.key, variables: {} });
    // Hand the others back so later tests can activate them.
    for (const j of jobs.filter((j) => j !== first)) {
      await ravenna.failJob({ jobKey: j.key, retries: 3, errorMessage: 'later' } as never);
    }
    await eventually(async () => {
      const r = await api039.searchProcessInstances({
        filter: { processDefinitionId: 'rest-proc', state: 'COMPLETED' },
      });
      return r.items.length === 1 ? r : undefined;
    }, 'the completed instance in history');
  });

  afterAll(async () => {
    await ravenna?.close();
    await prato?.close();
    await rest?.close();
    await running?.close();
  });

  it('finds instances created over gRPC by process, state and variable', async () => {
    const byProcess = await api039.searchProcessInstances({
      filter: { processDefinitionId: 'rest-proc' },
      sort: [{ field: 'startDate', order: 'ASC' }],
    });
    expect(byProcess.items.map((i) => i.processInstanceKey)).toEqual(ravennaKeys);
    expect(byProcess.page.totalItems).toBe(3);
    expect(byProcess.items[0]).toMatchObject({
      processDefinitionId: 'rest-proc',
      processDefinitionName: 'Processo di prova',
      processDefinitionVersion: 1,
      state: 'COMPLETED',
      tenantId: '039',
      hasIncident: false,
    });
    expect(byProcess.items[0].endDate).toEqual(expect.stringMatching(/^\d{4}-\d\d-\d\dT/));

    const active = await api039.searchProcessInstances({ filter: { state: 'ACTIVE' } });
    expect(active.items.map((i) => i.processInstanceKey).sort()).toEqual(
      ravennaKeys.slice(1).sort(),
    );

    const byVariable = await api039.searchProcessInstances({
      filter: { variables: [{ name: 'comune', value: '"039007"' }] },
    });
    expect(byVariable.items.map((i) => i.processInstanceKey).sort()).toEqual(
      ravennaKeys.slice(0, 2).sort(),
    );
    const both = await api039.searchProcessInstances({
      filter: {
        state: 'ACTIVE',
        variables: [
          { name: 'comune', value: '"039007"' },
          { name: 'amount', value: { $in: ['2000', '3000'] } },
        ],
      },
    });
    expect(both.items.map((i) => i.processInstanceKey)).toEqual([ravennaKeys[1]]);

    const one = await fetchJson(`/v2/process-instances/${ravennaKeys[1]}`, 'token-039');
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ processInstanceKey: ravennaKeys[1], state: 'ACTIVE' });
  });

  it('pages with limit/from and with cursors in both directions', async () => {
    const sort = [{ field: 'processInstanceKey' as const, order: 'DESC' as const }];
    const all = await api039.searchProcessInstances({ filter: {}, sort });
    const keys = all.items.map((i) => i.processInstanceKey);
    expect(keys).toEqual([...ravennaKeys].reverse());
    const first = await api039.searchProcessInstances({
      filter: {},
      sort,
      page: { from: 0, limit: 2 },
    });
    expect(first.items.map((i) => i.processInstanceKey)).toEqual(keys.slice(0, 2));
    const next = await api039.searchProcessInstances({
      filter: {},
      sort,
      page: { limit: 2, after: first.page.endCursor } as never,
    });
    expect(next.items.map((i) => i.processInstanceKey)).toEqual(keys.slice(2));
    expect(next.page.totalItems).toBe(3);
    const back = await api039.searchProcessInstances({
      filter: {},
      sort,
      page: { limit: 1, before: next.page.startCursor } as never,
    });
    expect(back.items.map((i) => i.processInstanceKey)).toEqual([keys[1]]);
    const offset = await api039.searchProcessInstances({
      filter: {},
      sort,
      page: { from: 1, limit: 1 },
    });
    expect(offset.items.map((i) => i.processInstanceKey)).toEqual([keys[1]]);
  });

  it('finds element instances and variables of an instance, with element names', async () => {
    const elements = await api039.searchElementInstances({
      filter: { processInstanceKey: ravennaKeys[0] },
      sort: [{ field: 'startDate', order: 'ASC' }],
    });
    expect(elements.items.map((e) => [e.elementId, e.type, e.state])).toEqual([
      ['start', 'START_EVENT', 'COMPLETED'],
      ['work', 'SERVICE_TASK', 'COMPLETED'],
      ['end', 'END_EVENT', 'COMPLETED'],
    ]);
    expect(elements.items[0].elementName).toBe('Richiesta ricevuta');
    const named = await api039.searchElementInstances({
      filter: { processInstanceKey: ravennaKeys[0], elementName: 'Fine' } as never,
    });
    expect(named.items.map((e) => e.elementId)).toEqual(['end']);

    const variables = await api039.searchVariables({
      filter: { processInstanceKey: ravennaKeys[2] },
      sort: [{ field: 'name', order: 'ASC' }],
    });
    expect(variables.items.map((v) => [v.name, v.value])).toEqual([
      ['amount', '3000'],
      ['comune', '"039014"'],
    ]);
    expect(variables.items[0]).toMatchObject({ scopeKey: ravennaKeys[2], tenantId: '039' });
  });

  it('lists process definitions and serves their XML', async () => {
    const defs = await api039.searchProcessDefinitions({
      filter: { processDefinitionId: 'rest-proc' },
    });
    expect(defs.items).toHaveLength(1);
    expect(defs.items[0]).toMatchObject({
      name: 'Processo di prova',
      version: 1,
      tenantId: '039',
      resourceName: 'rest-proc.bpmn',
    });
    const xml = await api039.getProcessDefinitionXML(defs.items[0].processDefinitionKey);
    expect(xml).toContain('<bpmn:process id="rest-proc"');
  });

  it('finds an incident from a failing job and resolves it after its retries are raised; the instance completes', async () => {
    const target = ravennaKeys[2];
    const job = await eventually(async () => {
      const jobs = await ravenna.activateJobs({
        type: 'rest-work',
        worker: 'rest-test',
        maxJobsToActivate: 10,
        timeout: 60_000,
        requestTimeout: 1_000,
        tenantIds: ['039'],
      } as never);
      const mine = jobs.find((j) => j.processInstanceKey === target);
      for (const other of jobs.filter((j) => j !== mine)) {
        await ravenna.failJob({ jobKey: other.key, retries: 3, errorMessage: 'later' } as never);
      }
      return mine;
    }, 'the job of the target instance');
    await ravenna.failJob({
      jobKey: job.key,
      retries: 0,
      errorMessage: 'ANAC non raggiungibile',
    } as never);

    const incident = await eventually(async () => {
      const r = await api039.searchIncidents({
        filter: { processInstanceKey: target, state: 'ACTIVE' },
      });
      return r.items[0];
    }, 'the incident');
    expect(incident).toMatchObject({
      errorType: 'JOB_NO_RETRIES',
      errorMessage: 'ANAC non raggiungibile',
      elementId: 'work',
      jobKey: job.key,
      tenantId: '039',
    });
    const withIncident = await api039.searchProcessInstances({
      filter: { hasIncident: true } as never,
    });
    expect(withIncident.items.map((i) => i.processInstanceKey)).toEqual([target]);
    const elementWithIncident = await api039.searchElementInstances({
      filter: { processInstanceKey: target, hasIncident: true },
    });
    expect(elementWithIncident.items).toEqual([
      expect.objectContaining({ elementId: 'work', incidentKey: incident.incidentKey }),
    ]);

    await ravenna.updateJobRetries({ jobKey: job.key, retries: 1 });
    const resolved = await api039.resolveIncident(incident.incidentKey);
    expect(resolved.statusCode).toBe(204);

    const again = await eventually(async () => {
      const jobs = await ravenna.activateJobs({
        type: 'rest-work',
        worker: 'rest-test',
        maxJobsToActivate: 10,
        timeout: 60_000,
        requestTimeout: 1_000,
        tenantIds: ['039'],
      } as never);
      const mine = jobs.find((j) => j.processInstanceKey === target);
      for (const other of jobs.filter((j) => j !== mine)) {
        await ravenna.failJob({ jobKey: other.key, retries: 3, errorMessage: 'later' } as never);
      }
      return mine;
    }, 'the job after the resolution');
    await ravenna.completeJob({ jobKey: again.key, variables: {} });
    await eventually(async () => {
      const r = await api039.searchProcessInstances({
        filter: { processInstanceKey: target, state: 'COMPLETED' },
      });
      return r.items[0];
    }, 'the instance to complete');
    const incidents = await api039.searchIncidents({
      filter: { incidentKey: incident.incidentKey },
    });
    expect(incidents.items[0].state).toBe('RESOLVED');
  });

  it('never shows a 039 token any data of 100', async () => {
    const all = await api039.searchProcessInstances({ filter: {} });
    expect(all.items.length).toBeGreaterThan(0);
    expect(all.items.every((i) => i.tenantId === '039')).toBe(true);
    const asked = await api039.searchProcessInstances({ filter: { tenantId: '100' } });
    expect(asked.items).toEqual([]);
    expect(asked.page.totalItems).toBe(0);
    for (const search of [
      () => api039.searchVariables({ filter: { processInstanceKey: pratoKey } }),
      () => api039.searchElementInstances({ filter: { processInstanceKey: pratoKey } }),
      () => api039.searchIncidents({ filter: { processInstanceKey: pratoKey } }),
      () => api039.searchProcessDefinitions({ filter: { tenantId: '100' } }),
      () =>
        api039.searchProcessInstances({
          filter: { variables: [{ name: 'comune', value: '"100005"' }] },
        }),
    ]) {
      expect((await search()).items).toEqual([]);
    }
    expect((await fetchJson(`/v2/process-instances/${pratoKey}`, 'token-039')).status).toBe(404);
    const xml = await fetchJson(`/v2/process-definitions/${pratoDefinitionKey}/xml`, 'token-039');
    expect(xml.status).toBe(404);
    // Prato's own token sees its instance.
    const own = await api100.searchProcessInstances({ filter: {} });
    expect(own.items.map((i) => i.processInstanceKey)).toEqual([pratoKey]);
  });

  it('refuses requests without a valid token', async () => {
    const none = await fetch(`${rest.url}/v2/process-instances/search`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(none.status).toBe(401);
    expect((await fetchJson('/v2/process-instances/search', 'wrong', {})).status).toBe(401);
  });

  it.each([
    [{ filter: { colour: 'red' } }, /filter\.colour: unknown filter field/],
    [
      { filter: { state: 'SLEEPING' } },
      /filter\.state: expected one of ACTIVE, COMPLETED, TERMINATED/,
    ],
    [
      { filter: { startDate: { $after: '2026-01-01T00:00:00Z' } } },
      /filter\.startDate\.\$after: unknown operator/,
    ],
    [{ filter: { processInstanceKey: 'abc' } }, /filter\.processInstanceKey: expected a key/],
    [
      { sort: [{ field: 'colour' }] },
      /sort\[0\]\.field: cannot sort process instances by "colour"/,
    ],
    [{ sort: [{ field: 'startDate', order: 'UP' }] }, /sort\[0\]\.order: expected ASC or DESC/],
    [{ page: { limit: 10_001 } }, /page\.limit: at most 10000/],
    [{ page: { from: 2, after: 'x' } }, /page: give either from or after/],
    [{ page: { after: 'not-a-cursor' } }, /page\.after: not a cursor/],
  ])('answers %j with 400 problem+json naming the problem', async (body, detail) => {
    const r = await fetchJson('/v2/process-instances/search', 'token-039', body);
    expect(r.status).toBe(400);
    expect(r.contentType).toMatch(/^application\/problem\+json/);
    expect(r.body).toMatchObject({ status: 400, title: 'INVALID_ARGUMENT' });
    expect((r.body as { detail: string }).detail).toMatch(detail);
  });

  async function fetchJson(path: string, token: string, body?: unknown) {
    const res = await fetch(`${rest.url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // XML or empty
    }
    return { status: res.status, contentType: res.headers.get('content-type') ?? '', body: parsed };
  }
});
