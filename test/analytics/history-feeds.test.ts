/**
 * The incremental copies of engine history the indicator pages read
 * (src/analytics/history-feeds.ts), against the real engine, its history exporter and
 * REST API v2 on a real database: what started or ended after a read is in the next
 * one, each item once, only the province's own; a period before the window, or a
 * province over the row bound, is read through the API instead with the same answer;
 * a change the incremental reads cannot see arrives with the periodic reload.
 */
import { findFreePort } from '../../src/db';
import { createEngine, type Engine } from '../../src/engine';
import { startRestApi, type RunningRestApi } from '../../src/engine/rest';
import {
  HistoryFeeds,
  requestsInPeriod,
  slaComplianceByOffice,
  type AnalyticsFilter,
} from '../../src/analytics';
import {
  createHistoryClient,
  type HistoryClient,
  type ProcessInstanceItem,
} from '../../src/monitoring';
import { bpmn, chain } from '../support/bpmn-xml';
import { openTestDatabase, type TestDatabase } from '../support/database';
import { waitFor } from '../support/wait-for';

const DAY = 86_400_000;
const PROCESS = bpmn(
  'feed-request',
  `<bpmn:startEvent id="start"/>
   <bpmn:userTask id="review" name="Istruttoria"><bpmn:extensionElements>
     <zeebe:assignmentDefinition candidateGroups="ufficio-gare"/>
   </bpmn:extensionElements></bpmn:userTask>
   <bpmn:endEvent id="end"/>${chain(['start', 'review', 'end'])}`,
);

describe('incremental copies of engine history', () => {
  let db: TestDatabase;
  let engine: Engine;
  let rest: RunningRestApi;
  let history: HistoryClient;

  const period = (): AnalyticsFilter => ({
    tenantId: '039',
    from: new Date(Date.now() - DAY),
    to: new Date(Date.now() + DAY),
  });

  /** Starts a request and waits until history has it. */
  async function request(tenantId: string, comuneIstat: string, datasetId = 'popolazione') {
    const created = await engine.createProcessInstance({
      bpmnProcessId: 'feed-request',
      tenantId,
      variables: { comuneIstat, datasetId },
    });
    const key = String(created.processInstanceKey);
    await waitFor(`instance ${key} in history`, () =>
      history.get<ProcessInstanceItem>('process-instances', key),
    );
    return key;
  }

  /** Completes the open review of a province's instance and waits until history has it. */
  async function completeReview(tenantId: string, processInstanceKey: string) {
    const jobs = await engine.activateJobs({
      type: 'io.camunda.zeebe:userTask',
      worker: 'test',
      timeout: 60_000,
      maxJobsToActivate: 100,
      requestTimeoutMs: 2_000,
      tenantIds: [tenantId],
    });
    const job = jobs.find((j) => String(j.processInstanceKey) === processInstanceKey);
    if (!job) throw new Error(`no review job for ${processInstanceKey}`);
    await engine.completeJob({ jobKey: job.key });
    // Jobs activated but not completed here go back for the next call.
    for (const other of jobs.filter((j) => j !== job)) {
      await engine.failJob({ jobKey: other.key, retries: 1, errorMessage: 'not this one' });
    }
    await waitFor(`review of ${processInstanceKey} completed in history`, async () => {
      const page = await history.search('element-instances', {
        filter: { processInstanceKey, elementId: 'review', state: 'COMPLETED' },
      });
      return page.items.length > 0;
    });
  }

  beforeAll(async () => {
    db = await openTestDatabase('feeds');
    engine = await createEngine({ connection: db.connection });
    rest = await startRestApi(engine, db.connection, {
      address: `127.0.0.1:${await findFreePort()}`,
    });
    await rest.historyIndex?.ready;
    history = createHistoryClient({ baseUrl: rest.url });
    for (const tenantId of ['039', '100']) {
      await engine.deployResource({
        resources: [{ name: 'feed-request.bpmn', content: PROCESS }],
        tenantId,
      });
    }
  }, 60_000);

  afterAll(async () => {
    await rest?.close();
    await engine?.close();
    await db?.close();
  });

  it('has at the next read what started after the previous one, once each, and only the province’s own', async () => {
    const feeds = new HistoryFeeds(history);
    const faenza = await request('039', '039010');
    const prato = await request('100', '100005');
    const { from, to } = period();
    const first = (await feeds.requestsIn('039', 'feed-request', from, to))!;
    expect(first.map((r) => r.processInstanceKey)).toContain(faenza);
    expect(first.find((r) => r.processInstanceKey === faenza)!.values).toEqual({
      comuneIstat: '039010',
      datasetId: 'popolazione',
    });
    expect(first.map((r) => r.processInstanceKey)).not.toContain(prato);

    const lugo = await request('039', '039012', 'turismo');
    const second = (await feeds.requestsIn('039', 'feed-request', from, to))!;
    expect(second.map((r) => r.processInstanceKey).sort()).toEqual(
      [...first.map((r) => r.processInstanceKey), lugo].sort(),
    );
    expect(second.find((r) => r.processInstanceKey === lugo)!.values.datasetId).toBe('turismo');

    const pratoRows = (await feeds.requestsIn('100', 'feed-request', from, to))!;
    expect(pratoRows.map((r) => r.processInstanceKey)).toEqual([prato]);
    expect(pratoRows.every((r) => r.values.comuneIstat.startsWith('100'))).toBe(true);

    // The period is [from, to): a period that ended before the requests holds none.
    expect(
      await feeds.requestsIn('039', 'feed-request', from, new Date(from.getTime() + 1)),
    ).toEqual([]);
  });

  it('gives the same requests as the API for a period before its window, and with a comune filter', async () => {
    const faenza = await request('039', '039010');
    const recent = await requestsInPeriod(history, period(), 'feed-request', ['comuneIstat']);
    // 500 days back is before the copy's 400-day window: answered through the API.
    const long = await requestsInPeriod(
      history,
      { ...period(), from: new Date(Date.now() - 500 * DAY) },
      'feed-request',
      ['comuneIstat'],
    );
    const view = (rows: typeof recent) =>
      rows
        .map((r) => [r.processInstanceKey, r.values.comuneIstat] as const)
        .sort((a, b) => a[0].localeCompare(b[0]));
    expect(view(recent)).toEqual(view(long));
    expect(view(recent)).toContainEqual([faenza, '039010']);

    const narrowed = await requestsInPeriod(
      history,
      { ...period(), comuneIstat: '039010' },
      'feed-request',
      ['comuneIstat'],
    );
    expect(narrowed.length).toBeGreaterThan(0);
    expect(narrowed.every((r) => r.values.comuneIstat === '039010')).toBe(true);
    expect(narrowed.length).toBe(recent.filter((r) => r.values.comuneIstat === '039010').length);

    const feeds = new HistoryFeeds(history, { windowDays: 1 });
    expect(
      await feeds.requestsIn('039', 'feed-request', new Date(Date.now() - 2 * DAY), new Date()),
    ).toBeUndefined();
  });

  it('counts each completed user task once in the SLA per office, the province’s own only', async () => {
    const feeds = new HistoryFeeds(history);
    const { from, to } = period();
    const before = (await feeds.completedTasksIn('039', from, to))!;
    const key = await request('039', '039007');
    await completeReview('039', key);
    const pratoKey = await request('100', '100005');
    await completeReview('100', pratoKey);

    const after = (await feeds.completedTasksIn('039', from, to))!;
    expect(after.map((t) => t.processInstanceKey)).toContain(key);
    expect(after.map((t) => t.processInstanceKey)).not.toContain(pratoKey);
    expect(after).toHaveLength(before.length + 1);
    expect(new Set(after.map((t) => t.elementInstanceKey)).size).toBe(after.length);

    // The page's table, read through the product's shared copy.
    const sla = await slaComplianceByOffice(history, period(), { 'ufficio-gare': 'P5D' });
    const row = sla.rows.find((r) => r.office === 'ufficio-gare')!;
    expect(row.completed).toBe(after.length);
    expect(row.withinServiceLevel).toBe(after.length); // completed within seconds
  });

  it('steps aside for a province with more items than its bound, and says so in the log', async () => {
    await request('039', '039010');
    await request('039', '039012');
    const warnings: string[] = [];
    const feeds = new HistoryFeeds(history, {
      maxRows: 1,
      logger: { warn: (_obj, msg) => warnings.push(String(msg)) },
    });
    const { from, to } = period();
    expect(await feeds.requestsIn('039', 'feed-request', from, to)).toBeUndefined();
    expect(warnings.join('\n')).toMatch(/more than 1 items/);
  });

  it('picks up a variable changed after the start with the periodic reload', async () => {
    let now = Date.now();
    // No overlap: only the reload can see a change to an earlier request.
    const feeds = new HistoryFeeds(history, { overlapMs: 0, reloadMs: 60_000, now: () => now });
    const key = await request('039', '039010');
    await request('039', '039012'); // a later request: the next reads start after `key`
    const { from, to } = period();
    const valueOf = async () =>
      (await feeds.requestsIn('039', 'feed-request', from, to))!.find(
        (r) => r.processInstanceKey === key,
      )?.values.comuneIstat;
    expect(await valueOf()).toBe('039010');

    await engine.setVariables({
      elementInstanceKey: key,
      variables: { comuneIstat: '039014' },
      local: true,
    });
    await waitFor('the change in history', async () => {
      const vars = await history.search<{ value: string }>('variables', {
        filter: { processInstanceKey: key, name: 'comuneIstat' },
      });
      return vars.items.some((v) => v.value === '"039014"');
    });
    expect(await valueOf()).toBe('039010');

    now += 61_000;
    await waitFor('the reloaded copy', async () => (await valueOf()) === '039014', {
      timeoutMs: 15_000,
      intervalMs: 100,
    });
  });
});
