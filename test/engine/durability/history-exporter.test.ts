import { createHistoryExporter, startExporters } from '../../../src/engine/exporter';
import {
  ACTIVE_HISTORY_COLLECTIONS,
  getProcessInstance,
  HISTORY_COLLECTIONS,
  searchIncidents,
  searchJobs,
  searchProcessInstances,
} from '../../../src/engine/history';
import { LogStore } from '../../../src/engine/log/log-store';
import type { LogRecord } from '../../../src/engine/log/record';
import { openTestDatabase, type TestDatabase } from '../../support/database';
import { afterIncident, KEYS, T0, untilIncident } from './history-records';

let db: TestDatabase;
beforeEach(async () => {
  db = await openTestDatabase('history');
});
afterEach(async () => {
  await db.close();
});

const key = (k: number) => String(k);
const TENANT_039 = { tenantIds: ['039'] };

async function appendAll(store: LogStore, records: Omit<LogRecord, 'position'>[]) {
  const appended = store.append(records);
  await appended.durable;
  return appended.records;
}

/** Everything in the history collections, for before/after comparisons. */
async function historySnapshot(): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const name of [
    ...Object.values(HISTORY_COLLECTIONS),
    ...Object.values(ACTIVE_HISTORY_COLLECTIONS),
  ]) {
    out[name] = await db.connection.db!.collection(name).find().sort({ _id: 1 }).toArray();
  }
  return out;
}

describe('history exporter', () => {
  it('turns a process instance lifecycle into history that the queries return', async () => {
    const store = await LogStore.open(db.connection);
    await appendAll(store, [...untilIncident(), ...afterIncident()]);
    const exporters = await startExporters(db.connection, store);
    await exporters.flush();
    await exporters.stop();

    const details = await getProcessInstance(db.connection, key(KEYS.instance), TENANT_039);
    expect(details?.instance).toEqual({
      key: key(KEYS.instance),
      bpmnProcessId: 'sua-affidamento',
      version: 2,
      processDefinitionKey: key(KEYS.definition),
      tenantId: '039',
      state: 'COMPLETED',
      hasIncident: false,
      incidentCount: 0,
      startDate: new Date(T0 + 1000),
      endDate: expect.any(Date),
      parentProcessInstanceKey: null,
      parentElementInstanceKey: null,
    });
    expect(details!.elementInstances.map((e) => [e.elementId, e.bpmnElementType, e.state])).toEqual(
      [
        ['start', 'START_EVENT', 'COMPLETED'],
        ['check', 'SERVICE_TASK', 'COMPLETED'],
        ['end', 'END_EVENT', 'COMPLETED'],
      ],
    );
    expect(details!.elementInstances[1]).toMatchObject({
      key: key(KEYS.task),
      processInstanceKey: key(KEYS.instance),
      flowScopeKey: key(KEYS.instance),
      incidentKey: null,
      tenantId: '039',
    });
    expect(details!.variables).toEqual([
      expect.objectContaining({ name: 'amount', value: '250', scopeKey: key(KEYS.instance) }),
    ]);
    expect(details!.incidents).toEqual([
      expect.objectContaining({
        key: key(KEYS.incident),
        errorType: 'JOB_NO_RETRIES',
        errorMessage: 'PEC unreachable',
        state: 'RESOLVED',
        elementId: 'check',
        jobKey: key(KEYS.job),
      }),
    ]);
    expect(details!.jobs).toEqual([
      expect.objectContaining({
        key: key(KEYS.job),
        type: 'check-documents',
        state: 'COMPLETED',
        retries: 2,
        worker: 'w2',
        deadline: new Date(T0 + 90_000),
        customHeaders: { 'io.camunda.zeebe:formKey': 'verifica', priority: 'high' },
        elementInstanceKey: key(KEYS.task),
      }),
    ]);

    // Finished entities left the active collections, which stay as small as the workload.
    for (const name of Object.values(ACTIVE_HISTORY_COLLECTIONS)) {
      expect(await db.connection.db!.collection(name).countDocuments()).toBe(0);
    }
    const messages = await db.connection
      .db!.collection(HISTORY_COLLECTIONS.messages)
      .find()
      .toArray();
    expect(messages).toEqual([
      expect.objectContaining({
        name: 'esito',
        correlationKey: 'CIG-1',
        expiresAt: expect.any(Date),
      }),
    ]);
    await store.close();
  });

  it('never shows one tenant another tenant’s instances', async () => {
    const store = await LogStore.open(db.connection);
    await appendAll(store, [...untilIncident(), ...afterIncident()]);
    const exporters = await startExporters(db.connection, store);
    await exporters.flush();
    await exporters.stop();

    const mine = await searchProcessInstances(db.connection, TENANT_039);
    expect(mine.items.map((i) => i.key)).toEqual([key(KEYS.instance)]);
    expect(
      await getProcessInstance(db.connection, key(KEYS.otherInstance), TENANT_039),
    ).toBeUndefined();
    expect((await searchProcessInstances(db.connection, { tenantIds: [] })).total).toBe(0);
    const theirs = await searchProcessInstances(db.connection, { tenantIds: ['100'] });
    expect(theirs.items).toEqual([
      expect.objectContaining({ bpmnProcessId: 'dati-richiesta', state: 'TERMINATED' }),
    ]);
    const both = await searchProcessInstances(db.connection, {
      tenantIds: ['039', '100'],
      state: ['COMPLETED', 'TERMINATED'],
      startedAfter: new Date(T0),
      limit: 1,
    });
    expect(both.total).toBe(2);
    expect(both.items).toHaveLength(1);
    expect(both.items[0].key).toBe(key(KEYS.otherInstance)); // newest first
    await store.close();
  });

  it('shows an open incident until it is resolved, following notified records', async () => {
    const store = await LogStore.open(db.connection);
    await appendAll(store, untilIncident());
    const exporters = await startExporters(db.connection, store);
    await exporters.flush();

    const open = await searchProcessInstances(db.connection, { ...TENANT_039, hasIncident: true });
    expect(open.items).toEqual([
      expect.objectContaining({ state: 'ACTIVE', hasIncident: true, incidentCount: 1 }),
    ]);
    const incidents = await searchIncidents(db.connection, { ...TENANT_039, state: 'ACTIVE' });
    expect(incidents.items.map((i) => i.key)).toEqual([key(KEYS.incident)]);
    const failed = await searchJobs(db.connection, { ...TENANT_039, state: 'FAILED' });
    expect(failed.items).toEqual([
      expect.objectContaining({ retries: 0, errorMessage: 'PEC unreachable' }),
    ]);
    const task = (await getProcessInstance(
      db.connection,
      key(KEYS.instance),
      TENANT_039,
    ))!.elementInstances.find((e) => e.elementId === 'check');
    expect(task).toMatchObject({ state: 'ACTIVE', incidentKey: key(KEYS.incident) });

    // As the engine does: hand over each append's records once they are durable.
    exporters.notify(await appendAll(store, afterIncident()));
    await exporters.flush();
    expect(
      (await searchProcessInstances(db.connection, { ...TENANT_039, hasIncident: true })).total,
    ).toBe(0);
    expect((await searchIncidents(db.connection, { ...TENANT_039, state: 'RESOLVED' })).total).toBe(
      1,
    );
    await exporters.stop();
    await store.close();
  });

  it('re-exporting records after a crash changes nothing', async () => {
    const store = await LogStore.open(db.connection);
    const records = [
      ...(await appendAll(store, untilIncident())),
      ...(await appendAll(store, afterIncident())),
    ];
    const exporter = createHistoryExporter(db.connection);
    await exporter.open!();
    await exporter.export(records);
    const once = await historySnapshot();

    // A crash after some writes but before the position was stored: the suffix comes again.
    for (const from of [3, 12, 20]) {
      await exporter.export(records.slice(from));
      expect(await historySnapshot()).toEqual(once);
    }
    // Batches cut elsewhere give the same result too.
    await db.connection.dropDatabase();
    for (let i = 0; i < records.length; i += 7) await exporter.export(records.slice(i, i + 7));
    expect(await historySnapshot()).toEqual(once);
    await store.close();
  });
});
