/**
 * The monitoring room against the real engine: reads through the REST API v2 served
 * by the built-in engine, commands through the product's Zeebe gRPC client, operator
 * actions recorded in the real audit trail (the case's fascicolo).
 */
import { createAuditTrail, type AuditTrail } from '../../src/audit';
import { findFreePort } from '../../src/db';
import { startRestApi, type RunningRestApi } from '../../src/engine/rest';
import {
  MonitoringOperations,
  NotFoundError,
  auditTrailOperatorLog,
  createHistoryClient,
  getInstanceDetail,
  incidentGroups,
  instancesCsv,
  listInstances,
  type HistoryClient,
  type ProcessInstanceItem,
  type VariableItem,
} from '../../src/monitoring';
import { createZeebeClient, type ZeebeClient } from '../../src/workers/runtime';
import { bpmn, chain, serviceTask } from '../support/bpmn-xml';
import { startEngineWithGateway, type RunningEngine } from '../support/engine-with-gateway';
import { waitFor } from '../support/wait-for';

const RA = { tenantId: '039' };
const PO = { tenantId: '100' };
const operator = { username: 'dirigente.ra' };

async function eventually<T>(check: () => Promise<T | undefined | false>, what: string) {
  return waitFor(
    what,
    async () => {
      const v = await check();
      return v === undefined || v === false ? undefined : { v };
    },
    { timeoutMs: 10_000, intervalMs: 100 },
  ).then((box) => box.v as T);
}

const modelV1 = bpmn(
  'mon-proc',
  `<bpmn:startEvent id="start"/>${serviceTask('stepA', 'mon-a')}${serviceTask('stepB', 'mon-b')}<bpmn:endEvent id="end"/>${chain(['start', 'stepA', 'stepB', 'end'])}`,
).replace('id="mon-proc"', 'id="mon-proc" name="Processo monitorato"');
const modelV2 = modelV1
  .replace(/stepB/g, 'stepB2')
  .replace('<bpmn:endEvent id="end"/>', '<bpmn:endEvent id="end" name="Fine v2"/>');

describe('monitoring', () => {
  let running: RunningEngine;
  let rest: RunningRestApi;
  let zbc: ZeebeClient;
  /** Workers of a province activate jobs with their tenant, as the product's workers do. */
  let worker039: ZeebeClient;
  let history: HistoryClient;
  let trail: AuditTrail;
  let ops: MonitoringOperations;
  const keys: Record<string, string> = {};
  let v2Key = '';

  const start = async (label: string, tenantId: string, variables: Record<string, unknown>) => {
    const r = await zbc.createProcessInstance({
      bpmnProcessId: 'mon-proc',
      variables,
      tenantId,
    } as never);
    keys[label] = r.processInstanceKey;
  };

  const jobOf = async (type: string, instanceKey: string) =>
    eventually(async () => {
      const jobs = await worker039.activateJobs({
        type,
        worker: 'mon-test',
        maxJobsToActivate: 20,
        timeout: 60_000,
        requestTimeout: 1_000,
      } as never);
      const mine = jobs.find((j) => j.processInstanceKey === instanceKey);
      for (const other of jobs.filter((j) => j !== mine)) {
        await zbc.failJob({ jobKey: other.key, retries: 5, errorMessage: 'not now' } as never);
      }
      return mine;
    }, `a ${type} job of ${instanceKey}`);

  beforeAll(async () => {
    running = await startEngineWithGateway();
    rest = await startRestApi(running.engine, running.db.connection, {
      address: `127.0.0.1:${await findFreePort()}`,
    });
    zbc = createZeebeClient(running.address);
    worker039 = createZeebeClient(running.address, { tenantId: '039' });
    history = createHistoryClient({ baseUrl: rest.url });
    trail = createAuditTrail(running.db.connection);
    ops = new MonitoringOperations({ history, zeebe: zbc, log: auditTrailOperatorLog(trail) });
    for (const tenantId of ['039', '100']) {
      await zbc.deployResource({
        name: 'mon-proc.bpmn',
        process: Buffer.from(modelV1),
        tenantId,
      } as never);
    }
    await start('faenza', '039', { comuneIstat: '039010', caseNumber: 'SUA-039-2026-0001' });
    await start('lugo', '039', { comuneIstat: '039012', caseNumber: 'SUA-039-2026-0002' });
    await start('failing', '039', { comuneIstat: '039010', caseNumber: 'SUA-039-2026-0003' });
    await start('prato', '100', { comuneIstat: '100005', caseNumber: 'SUA-100-2026-0001' });
    // faenza moves on to stepB; failing gets an incident on stepA.
    const a = await jobOf('mon-a', keys.faenza);
    await zbc.completeJob({ jobKey: a.key, variables: { offers: 3 } });
    const f = await jobOf('mon-a', keys.failing);
    await zbc.failJob({
      jobKey: f.key,
      retries: 0,
      errorMessage: 'ANAC non raggiungibile',
    } as never);
    await eventually(
      async () =>
        (await history.search('incidents', { filter: { processInstanceKey: keys.failing } })).items
          .length === 1,
      'the incident in history',
    );
  });

  afterAll(async () => {
    await zbc?.close();
    await worker039?.close();
    await rest?.close();
    await running?.close();
  });

  it('lists a province’s instances with every filter, newest first', async () => {
    const all = await listInstances(history, RA, {});
    expect(all.rows.map((r) => r.processInstanceKey)).toEqual([
      keys.failing,
      keys.lugo,
      keys.faenza,
    ]);
    expect(all.total).toBe(3);
    expect(all.rows[2]).toMatchObject({
      processName: 'Processo monitorato',
      caseNumber: 'SUA-039-2026-0001',
      comuneIstat: '039010',
      state: 'ACTIVE',
      version: 1,
    });
    const ids = async (f: Parameters<typeof listInstances>[2]) =>
      (await listInstances(history, RA, f)).rows.map((r) => r.processInstanceKey).sort();
    expect(await ids({ withIncidents: true })).toEqual([keys.failing]);
    expect(await ids({ comuneIstat: '039010' })).toEqual([keys.faenza, keys.failing].sort());
    expect(await ids({ caseNumber: '2026-0002' })).toEqual([keys.lugo]);
    expect(await ids({ variable: { name: 'offers', value: '3' } })).toEqual([keys.faenza]);
    expect(await ids({ bpmnProcessId: 'mon-proc', version: 1, state: 'ACTIVE' })).toHaveLength(3);
    expect(await ids({ state: 'COMPLETED' })).toEqual([]);
    expect(await ids({ startedFrom: new Date(Date.now() + 60_000) })).toEqual([]);
    expect(await ids({ startedTo: new Date(Date.now() + 60_000) })).toHaveLength(3);
    // Prato's instance never appears for Ravenna, whatever the filter.
    expect(await ids({ comuneIstat: '100005' })).toEqual([]);
    expect(await ids({ caseNumber: 'SUA-100' })).toEqual([]);
  });

  it('pages the list with cursors', async () => {
    const first = await listInstances(history, RA, {}, { limit: 2 });
    expect(first.rows).toHaveLength(2);
    expect(first.previous).toBeNull();
    const second = await listInstances(history, RA, {}, { limit: 2, after: first.next! });
    expect(second.rows.map((r) => r.processInstanceKey)).toEqual([keys.faenza]);
    expect(second.next).toBeNull();
    const back = await listInstances(history, RA, {}, { limit: 2, before: second.previous! });
    expect(back.rows.map((r) => r.processInstanceKey)).toEqual(
      first.rows.map((r) => r.processInstanceKey),
    );
  });

  it('exports the filtered list as CSV with a BOM', async () => {
    const csv = await instancesCsv(
      history,
      RA,
      { comuneIstat: '039010' },
      {
        processInstanceKey: 'Istanza',
        bpmnProcessId: 'Processo',
        processName: 'Nome del processo',
        version: 'Versione',
        processDefinitionKey: 'Definizione',
        state: 'Stato',
        hasIncident: 'Incidente',
        startDate: 'Avvio',
        endDate: 'Fine',
        caseNumber: 'Numero pratica',
        comuneIstat: 'Comune',
      },
    );
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const lines = csv.slice(1).trim().split('\n');
    expect(lines[0]).toBe(
      'Istanza,Processo,Nome del processo,Versione,Definizione,Stato,Incidente,Avvio,Fine,Numero pratica,Comune',
    );
    expect(lines).toHaveLength(3);
    expect(
      lines
        .slice(1)
        .map((l) => l.split(',')[0])
        .sort(),
    ).toEqual([keys.faenza, keys.failing].sort());
    expect(csv).not.toContain('SUA-100');
  });

  it('shows one instance with per-element counts, active elements and the path taken', async () => {
    const d = await getInstanceDetail(history, RA, keys.faenza);
    expect(d.xml).toContain('id="mon-proc"');
    expect(d.activeElementIds).toEqual(['stepB']);
    expect(d.visitedElementIds.sort()).toEqual(['start', 'stepA']);
    expect(d.stats.find((s) => s.elementId === 'stepA')).toMatchObject({ count: 1, completed: 1 });
    expect(d.variables.map((v) => v.name)).toEqual(['caseNumber', 'comuneIstat', 'offers']);
    const failing = await getInstanceDetail(history, RA, keys.failing);
    expect(failing.stats.find((s) => s.elementId === 'stepA')).toMatchObject({
      active: 1,
      incidents: 1,
    });
    await expect(getInstanceDetail(history, RA, keys.prato)).rejects.toBeInstanceOf(NotFoundError);
    await expect(getInstanceDetail(history, PO, keys.faenza)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('groups open incidents by process and error; a retry raises retries and resolves, per incident, audited', async () => {
    const groups = await incidentGroups(history, RA);
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({
      bpmnProcessId: 'mon-proc',
      processName: 'Processo monitorato',
      errorType: 'JOB_NO_RETRIES',
      errorMessage: 'ANAC non raggiungibile',
    });
    const incidentKey = groups[0].incidents[0].incidentKey;
    expect(await incidentGroups(history, PO)).toEqual([]);
    await expect(ops.retryIncidents(RA, operator, [incidentKey], '  ')).rejects.toThrow(/motivo/);

    const results = await ops.retryIncidents(
      RA,
      operator,
      [incidentKey, '2251799813999999'],
      'ANAC di nuovo disponibile',
    );
    expect(results).toEqual([
      { key: incidentKey, ok: true },
      { key: '2251799813999999', ok: false, error: 'Incidente non trovato' },
    ]);
    const job = await jobOf('mon-a', keys.failing);
    await zbc.completeJob({ jobKey: job.key, variables: {} });
    await eventually(async () => {
      const d = await getInstanceDetail(history, RA, keys.failing);
      return d.activeElementIds[0] === 'stepB' && d.incidents.every((i) => i.state === 'RESOLVED');
    }, 'the instance to move on to stepB');
    const fascicolo = await trail.fascicolo('039', keys.failing);
    expect(fascicolo).toEqual([
      expect.objectContaining({
        action: 'monitoring.incident.retry',
        actor: 'dirigente.ra',
        details: expect.objectContaining({
          reason: 'ANAC di nuovo disponibile',
          incidentKey,
          retries: 1,
          outcome: 'ok',
        }),
      }),
    ]);
    expect(fascicolo[0].at).toBeInstanceOf(Date);
  });

  it('changes a variable with a reason, recording before and after', async () => {
    await expect(
      ops.updateVariable(
        RA,
        operator,
        { processInstanceKey: keys.lugo, name: 'offers', value: 'tre' },
        'x',
      ),
    ).rejects.toThrow(/JSON valido/);
    await ops.updateVariable(
      RA,
      operator,
      { processInstanceKey: keys.lugo, name: 'caseNumber', value: '"SUA-039-2026-0099"' },
      'Numero di pratica corretto',
    );
    await eventually(async () => {
      const v = await history.search<VariableItem>('variables', {
        filter: { processInstanceKey: keys.lugo, name: 'caseNumber' },
      });
      return v.items[0]?.value === '"SUA-039-2026-0099"';
    }, 'the new value in history');
    const [entry] = await trail.fascicolo('039', keys.lugo);
    expect(entry).toMatchObject({
      action: 'monitoring.variable.update',
      details: expect.objectContaining({
        name: 'caseNumber',
        before: '"SUA-039-2026-0002"',
        after: '"SUA-039-2026-0099"',
        reason: 'Numero di pratica corretto',
      }),
    });
    await expect(
      ops.updateVariable(
        PO,
        operator,
        { processInstanceKey: keys.lugo, name: 'a', value: '1' },
        'x',
      ),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('moves a token to another element', async () => {
    await ops.moveToken(
      RA,
      operator,
      { processInstanceKey: keys.lugo, fromElementId: 'stepA', toElementId: 'stepB' },
      'Passo già svolto fuori sistema',
    );
    await eventually(
      async () =>
        (await getInstanceDetail(history, RA, keys.lugo)).activeElementIds.join() === 'stepB',
      'the token on stepB',
    );
    await expect(
      ops.moveToken(
        RA,
        operator,
        { processInstanceKey: keys.lugo, fromElementId: 'stepB', toElementId: 'nowhere' },
        'x',
      ),
    ).rejects.toThrow(/inesistente/);
  });

  it('migrates running instances to a new version with an element mapping', async () => {
    const d = await zbc.deployResource({
      name: 'mon-proc.bpmn',
      process: Buffer.from(modelV2),
      tenantId: '039',
    } as never);
    v2Key = (d.deployments[0] as { process: { processDefinitionKey: string } }).process
      .processDefinitionKey;
    await eventually(
      async () => (await history.get('process-definitions', v2Key)) !== undefined,
      'the new version in history',
    );
    const results = await ops.migrateInstances(
      RA,
      operator,
      {
        processInstanceKeys: [keys.faenza, keys.prato],
        targetProcessDefinitionKey: v2Key,
        mapping: [
          { sourceElementId: 'stepA', targetElementId: 'stepA' },
          { sourceElementId: 'stepB', targetElementId: 'stepB2' },
        ],
      },
      'Nuova versione del processo',
    );
    expect(results[0]).toEqual({ key: keys.faenza, ok: true });
    expect(results[1]).toMatchObject({ key: keys.prato, ok: false });
    await eventually(async () => {
      const i = await history.get<ProcessInstanceItem>('process-instances', keys.faenza);
      return i?.processDefinitionVersion === 2;
    }, 'the instance on version 2');
    // The element instances are exported right after the process instance.
    const detail = await eventually(async () => {
      const d = await getInstanceDetail(history, RA, keys.faenza);
      return d.activeElementIds.length === 1 && d.activeElementIds[0] !== 'stepB' ? d : undefined;
    }, 'the migrated element in history');
    expect(detail.activeElementIds).toEqual(['stepB2']);
  });

  it('cancels instances, one result each', async () => {
    const results = await ops.cancelInstances(
      RA,
      operator,
      [keys.lugo, keys.prato],
      'Richiesta ritirata dal comune',
    );
    expect(results).toEqual([
      { key: keys.lugo, ok: true },
      { key: keys.prato, ok: false, error: 'Istanza non trovata' },
    ]);
    await eventually(async () => {
      const i = await history.get<ProcessInstanceItem>('process-instances', keys.lugo);
      return i?.state === 'TERMINATED';
    }, 'the instance to be terminated');
    const actions = (await trail.fascicolo('039', keys.lugo)).map((e) => e.action);
    expect(actions).toEqual([
      'monitoring.variable.update',
      'monitoring.instance.modify',
      'monitoring.instance.cancel',
    ]);
    // Prato's instance still runs.
    const prato = await history.get<ProcessInstanceItem>('process-instances', keys.prato);
    expect(prato?.state).toBe('ACTIVE');
  });
});
