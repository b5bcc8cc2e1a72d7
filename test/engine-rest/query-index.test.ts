/**
 * The REST API's in-memory query index (src/engine/history/query-index.ts) answers
 * exactly what the database answers: the same searches — filters, sorts, from/limit,
 * cursors both ways, tenant filters — go to a REST API with the index and to one
 * without it, on the same history written by the real engine and exporter, and the
 * answers must be equal. Once with the index fed by the exporter from the start, once
 * with an index loaded from the collections afterwards (and kept current while the
 * instances move on), and once with an index over its cap (falls back to the database).
 */
import { findFreePort } from '../../src/db';
import { startRestApi, type RunningRestApi } from '../../src/engine/rest';
import { createZeebeClient, type ZeebeClient } from '../../src/workers/runtime';
import { bpmn, chain, serviceTask } from '../support/bpmn-xml';
import { startEngineWithGateway, type RunningEngine } from '../support/engine-with-gateway';
import { waitFor } from '../support/wait-for';

// Each test compares 37 searches × 3 tokens (with cursor walks both ways) against the
// database path, which reads whole collections on the embedded FerretDB: a lot of work
// by design (14 s alone at load 6; over 60 s on a loaded CI machine).
jest.setTimeout(180_000);

const TOKENS = {
  'token-039': ['039'],
  'token-100': ['100'],
  'token-all': ['039', '100'],
};

const model = (name: string) =>
  bpmn(
    'qi-proc',
    `<bpmn:startEvent id="start" name="Richiesta"/>${serviceTask('work', 'qi-work').replace('<bpmn:serviceTask id="work"', '<bpmn:serviceTask id="work" name="Lavoro"')}<bpmn:endEvent id="end" name="Fine"/>${chain(['start', 'work', 'end'])}`,
  ).replace('<bpmn:process id="qi-proc"', `<bpmn:process id="qi-proc" name="${name}"`);

type Body = Record<string, unknown>;

async function post(rest: RunningRestApi, path: string, body: Body, token: string) {
  const res = await fetch(`${rest.url}/v2/${path}/search`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Body };
}

interface Page {
  items: Record<string, unknown>[];
  page: { totalItems: number; startCursor: string | null; endCursor: string | null };
}

describe('the in-memory query index answers as the database does', () => {
  let running: RunningEngine;
  let plain: RunningRestApi;
  let indexed: RunningRestApi | undefined;
  let ravenna: ZeebeClient;
  let prato: ZeebeClient;
  const keys039: string[] = [];
  const keys100: string[] = [];

  const searches = (): [string, Body][] => {
    const mid = keys039.length ? keys039[3] : '1';
    return [
      ['process-definitions', {}],
      ['process-definitions', { filter: { isLatestVersion: true } }],
      ['process-definitions', { sort: [{ field: 'version', order: 'DESC' }] }],
      ['process-definitions', { filter: { name: { $like: '*v2' } } }],
      ['process-instances', {}],
      [
        'process-instances',
        {
          sort: [
            { field: 'startDate', order: 'DESC' },
            { field: 'processInstanceKey', order: 'DESC' },
          ],
          page: { limit: 3 },
        },
      ],
      ['process-instances', { filter: { state: 'ACTIVE' } }],
      [
        'process-instances',
        {
          filter: { state: { $in: ['COMPLETED', 'TERMINATED'] } },
          sort: [{ field: 'endDate', order: 'ASC' }],
        },
      ],
      ['process-instances', { filter: { hasIncident: true } }],
      [
        'process-instances',
        { filter: { hasIncident: false }, sort: [{ field: 'hasIncident', order: 'DESC' }] },
      ],
      ['process-instances', { sort: [{ field: 'hasIncident', order: 'DESC' }] }],
      ['process-instances', { filter: { processDefinitionVersion: 2 } }],
      [
        'process-instances',
        { filter: { processDefinitionId: 'qi-proc', processDefinitionVersion: { $gte: 1 } } },
      ],
      [
        'process-instances',
        { filter: { variables: [{ name: 'comuneIstat', value: '"039007"' }] } },
      ],
      [
        'process-instances',
        {
          filter: {
            state: 'ACTIVE',
            variables: [{ name: 'caseNumber', value: { $like: '*-03*' } }],
          },
        },
      ],
      [
        'process-instances',
        { filter: { variables: [{ name: 'amount', value: { $in: ['2', '3'] } }] } },
      ],
      ['process-instances', { filter: { endDate: { $exists: false } } }],
      ['process-instances', { filter: { endDate: { $exists: true } } }],
      ['process-instances', { filter: { errorMessage: { $like: '*raggiungibile*' } } }],
      ['process-instances', { filter: { elementId: 'work', state: { $neq: 'ACTIVE' } } }],
      ['process-instances', { filter: { tenantId: '100' } }],
      ['process-instances', { filter: { parentProcessInstanceKey: { $exists: false } } }],
      ['process-instances', { sort: [{ field: 'state' }], page: { from: 2, limit: 3 } }],
      ['process-instances', { filter: { processInstanceKey: { $in: [mid, keys039[0] ?? '1'] } } }],
      ['process-instances', { filter: { processInstanceKey: { $notIn: [mid] } } }],
      ['process-instances', { filter: { processDefinitionName: { $like: 'Processo*' } } }],
      [
        'element-instances',
        { filter: { type: 'SERVICE_TASK' }, sort: [{ field: 'startDate', order: 'DESC' }] },
      ],
      ['element-instances', { filter: { state: 'COMPLETED' }, sort: [{ field: 'endDate' }] }],
      ['element-instances', { filter: { hasIncident: true } }],
      ['element-instances', { filter: { processInstanceKey: mid } }],
      ['element-instances', { filter: { elementName: 'Lavoro', state: 'ACTIVE' } }],
      [
        'incidents',
        { filter: { state: 'ACTIVE' }, sort: [{ field: 'creationTime', order: 'DESC' }] },
      ],
      ['incidents', {}],
      ['incidents', { filter: { errorType: 'JOB_NO_RETRIES' } }],
      [
        'variables',
        {
          filter: {
            processInstanceKey: { $in: keys039.slice(0, 5) },
            name: { $in: ['caseNumber', 'comuneIstat'] },
          },
        },
      ],
      ['variables', { filter: { name: 'comuneIstat', value: '"039007"' } }],
      ['variables', { filter: { name: 'amount' }, sort: [{ field: 'value', order: 'DESC' }] }],
    ];
  };

  /** Every page of a search, forward with `after` cursors, then back with `before`. */
  async function walk(rest: RunningRestApi, path: string, body: Body, token: string) {
    const pages: unknown[] = [];
    let page = await post(rest, path, { ...body, page: { limit: 2 } }, token);
    pages.push(page);
    let last = page.body as unknown as Page;
    for (let i = 0; i < 20 && last.items.length === 2 && last.page.endCursor; i++) {
      page = await post(
        rest,
        path,
        { ...body, page: { limit: 2, after: last.page.endCursor } },
        token,
      );
      pages.push(page);
      last = page.body as unknown as Page;
    }
    for (let i = 0; i < 20 && last.page.startCursor; i++) {
      page = await post(
        rest,
        path,
        { ...body, page: { limit: 2, before: last.page.startCursor } },
        token,
      );
      pages.push(page);
      last = page.body as unknown as Page;
      if (last.items.length < 2) break;
    }
    return pages;
  }

  /** The same searches through both APIs, for each caller; returns how many were compared. */
  async function compareAll(rest: RunningRestApi) {
    let compared = 0;
    for (const token of ['token-039', 'token-100', 'token-all']) {
      for (const [path, body] of searches()) {
        const [a, b] = await Promise.all([
          post(rest, path, body, token),
          post(plain, path, body, token),
        ]);
        expect({ token, path, body, answer: a }).toEqual({ token, path, body, answer: b });
        if (a.status !== 200)
          throw new Error(`${path} ${JSON.stringify(body)}: ${JSON.stringify(a.body)}`);
        const { page: _ignored, ...unpaged } = body;
        const [pa, pb] = await Promise.all([
          walk(rest, path, unpaged, token),
          walk(plain, path, unpaged, token),
        ]);
        expect({ token, path, body, pages: pa }).toEqual({ token, path, body, pages: pb });
        compared++;
      }
    }
    return compared;
  }

  /** Counts that show the exporter is done: both APIs agree and reach the expected ones. */
  async function settled(rest: RunningRestApi, expected: Record<string, number>) {
    await waitFor(
      'history exported and the same in both APIs',
      async () => {
        const probes: [string, string, Body][] = [
          ['completed', 'process-instances', { filter: { state: 'COMPLETED' } }],
          ['terminated', 'process-instances', { filter: { state: 'TERMINATED' } }],
          ['active', 'process-instances', { filter: { state: 'ACTIVE' } }],
          ['incidents', 'incidents', { filter: { state: 'ACTIVE' } }],
          ['elements', 'element-instances', {}],
          ['withIncident', 'process-instances', { filter: { hasIncident: true } }],
        ];
        for (const [name, path, body] of probes) {
          const [a, b] = await Promise.all([
            post(rest, path, body, 'token-all'),
            post(plain, path, body, 'token-all'),
          ]);
          const total = (b.body as unknown as Page).page.totalItems;
          if (total !== expected[name]) return false;
          if ((a.body as unknown as Page).page.totalItems !== total) return false;
        }
        return true;
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );
  }

  async function activate(zbc: ZeebeClient, tenantId: string) {
    return zbc.activateJobs({
      type: 'qi-work',
      worker: 'qi-test',
      maxJobsToActivate: 20,
      timeout: 60_000,
      requestTimeout: 5_000,
      tenantIds: [tenantId],
    } as never);
  }

  beforeAll(async () => {
    running = await startEngineWithGateway({ tokens: TOKENS });
    const address = async () => `127.0.0.1:${await findFreePort()}`;
    plain = await startRestApi(running.engine, running.db.connection, {
      address: await address(),
      tokens: TOKENS,
      historyIndex: false,
    });
    indexed = await startRestApi(running.engine, running.db.connection, {
      address: await address(),
      tokens: TOKENS,
    });
    ravenna = createZeebeClient(running.address, { token: 'token-039', tenantId: '039' });
    prato = createZeebeClient(running.address, { token: 'token-100', tenantId: '100' });
    for (const [zbc, tenantId] of [
      [ravenna, '039'],
      [prato, '100'],
    ] as const) {
      await zbc.deployResource({
        name: 'qi-proc.bpmn',
        process: Buffer.from(model('Processo indice')),
        tenantId,
      } as never);
    }
    for (let i = 0; i < 8; i++) {
      if (i === 5) {
        // Instances 5–7 of Ravenna run on version 2.
        await ravenna.deployResource({
          name: 'qi-proc.bpmn',
          process: Buffer.from(model('Processo indice v2')),
          tenantId: '039',
        } as never);
      }
      const created = await ravenna.createProcessInstance({
        bpmnProcessId: 'qi-proc',
        variables: {
          comuneIstat: i % 2 ? '039014' : '039007',
          caseNumber: `SUA-039-${i}`,
          amount: i,
        },
        tenantId: '039',
      } as never);
      keys039.push(created.processInstanceKey);
    }
    for (let i = 0; i < 3; i++) {
      const created = await prato.createProcessInstance({
        bpmnProcessId: 'qi-proc',
        variables: { comuneIstat: '100005', caseNumber: `SUA-100-${i}`, amount: i },
        tenantId: '100',
      } as never);
      keys100.push(created.processInstanceKey);
    }
    const jobs = await activate(ravenna, '039');
    for (const job of jobs) {
      const i = keys039.indexOf(job.processInstanceKey);
      if (i <= 2) await ravenna.completeJob({ jobKey: job.key, variables: { outcome: 'ok' } });
      else if (i === 3) {
        await ravenna.failJob({
          jobKey: job.key,
          retries: 0,
          errorMessage: 'servizio non raggiungibile',
        } as never);
      }
    }
    await ravenna.cancelProcessInstance(keys039[4]);
    const pratoJobs = await activate(prato, '100');
    const firstPrato = pratoJobs.find((j) => j.processInstanceKey === keys100[0])!;
    await prato.completeJob({ jobKey: firstPrato.key, variables: {} });
  });

  afterAll(async () => {
    await ravenna?.close();
    await prato?.close();
    await indexed?.close();
    await plain?.close();
    await running?.close();
  });

  const expected = {
    completed: 4,
    terminated: 1,
    active: 6,
    incidents: 1,
    withIncident: 1,
    // start + work for every instance, end for the 4 completed ones.
    elements: 11 * 2 + 4,
  };

  it('fed by the exporter from the start: the same answers as the database', async () => {
    await indexed!.historyIndex!.ready;
    await settled(indexed!, expected);
    expect(indexed!.historyIndex!.serves('processInstances')).toBe(true);
    expect(indexed!.historyIndex!.sizes).toMatchObject({
      processDefinitions: 3,
      processInstances: 11,
      incidents: 1,
      elementInstances: 26,
    });
    // Only the indexed variables are kept (comune and case number of 11 instances).
    expect(indexed!.historyIndex!.sizes.variables).toBe(22);
    expect(await compareAll(indexed!)).toBe(searches().length * 3);
  });

  it('loaded from the collections, then kept current while instances move on', async () => {
    await indexed!.close();
    const logged: string[] = [];
    indexed = await startRestApi(running.engine, running.db.connection, {
      address: `127.0.0.1:${await findFreePort()}`,
      tokens: TOKENS,
      logger: {
        info: (_o, msg) => logged.push(String(msg)),
        warn: (_o, msg) => logged.push(String(msg)),
      },
    });
    await indexed.historyIndex!.ready;
    expect(logged.some((m) => m.startsWith('history query index loaded'))).toBe(true);
    expect(indexed.historyIndex!.sizes).toMatchObject({ processInstances: 11, variables: 22 });
    await settled(indexed, expected);
    expect(await compareAll(indexed)).toBe(searches().length * 3);

    // The incident is resolved after its retries are raised; its instance completes.
    const incident = (
      await post(indexed, 'incidents', { filter: { state: 'ACTIVE' } }, 'token-039')
    ).body as unknown as Page;
    const jobKey = String(incident.items[0].jobKey);
    await ravenna.updateJobRetries({ jobKey, retries: 1 } as never);
    const resolved = await fetch(
      `${indexed.url}/v2/incidents/${String(incident.items[0].incidentKey)}/resolution`,
      { method: 'POST', headers: { authorization: 'Bearer token-039' } },
    );
    expect(resolved.status).toBe(204);
    const retried = await waitFor('the retried job', async () => {
      const jobs = await activate(ravenna, '039');
      return jobs.find((j) => j.processInstanceKey === keys039[3]);
    });
    await ravenna.completeJob({ jobKey: retried.key, variables: {} });
    const moved = {
      ...expected,
      completed: 5,
      active: 5,
      incidents: 0,
      withIncident: 0,
      elements: 27,
    };
    await settled(indexed, moved);
    expect(await compareAll(indexed)).toBe(searches().length * 3);
  });

  it('over its cap the kind falls back to the database, with a warning', async () => {
    await indexed!.close();
    const warnings: string[] = [];
    indexed = await startRestApi(running.engine, running.db.connection, {
      address: `127.0.0.1:${await findFreePort()}`,
      tokens: TOKENS,
      historyIndex: { maxInstances: 3 },
      logger: { info: () => undefined, warn: (_o, msg) => warnings.push(String(msg)) },
    });
    await indexed.historyIndex!.ready;
    expect(indexed.historyIndex!.serves('processInstances')).toBe(false);
    expect(indexed.historyIndex!.serves('elementInstances')).toBe(true);
    expect(warnings.some((w) => /more than 3 processInstances/.test(w))).toBe(true);
    const body = { filter: { state: 'ACTIVE' }, sort: [{ field: 'startDate', order: 'DESC' }] };
    const [a, b] = await Promise.all([
      post(indexed, 'process-instances', body, 'token-all'),
      post(plain, 'process-instances', body, 'token-all'),
    ]);
    expect(a).toEqual(b);
    expect((a.body as unknown as Page).page.totalItems).toBe(5);
  });
});
