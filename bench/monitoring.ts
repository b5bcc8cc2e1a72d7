/**
 * Monitoring and analytics speed (part of `npm run bench`, never a test): history as
 * the exporter writes it, BENCH_MONITORING_COMPLETED (50,000) completed and
 * BENCH_MONITORING_RUNNING (5,000) running instances per province for two provinces,
 * written into the product's database; the product is then started on it (WORKERS=false,
 * demo accounts) and, once what it loads at start is in (`analyticsReady`), read as its
 * users do: the pages over HTTP as Ravenna's SUA manager (dirigente.ra), and the
 * functions behind them (through the REST API v2) to show where the time goes. Each call
 * BENCH_MONITORING_REPS (20) times; a call slower than BENCH_MONITORING_CAP_SECONDS (60)
 * stops that row's repetitions. Target: p99 < 500 ms.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Connection } from 'mongoose';
import {
  dataRequestIndicators,
  durationHeatmap,
  euFundingIndicators,
  openWorkByOffice,
  procurementIndicators,
  slaComplianceByOffice,
  type AnalyticsFilter,
} from '../src/analytics';
import { ACTIVE_HISTORY_COLLECTIONS, HISTORY_COLLECTIONS } from '../src/engine/history';
import { incidentGroups, listInstances } from '../src/monitoring';
import type { RunningProduct } from '../src/product';
import { INDICATORS_COLLECTION } from '../src/workers/common/indicators';
import { Session, startBenchProduct } from './web-product';
import { round, summarize, type LatencySummary } from './stats';

const COMPLETED = Number(process.env.BENCH_MONITORING_COMPLETED ?? 50_000);
const RUNNING = Number(process.env.BENCH_MONITORING_RUNNING ?? 5_000);
const REPS = Number(process.env.BENCH_MONITORING_REPS ?? 20);
const CAP_MS = Number(process.env.BENCH_MONITORING_CAP_SECONDS ?? 60) * 1000;
const TENANTS = ['039', '100'];
const PROCESSES = ['procurement', 'eu-funding', 'data-request'];
const DAY = 86_400_000;

export interface MonitoringBenchRow {
  call: string;
  samples: number;
  latency: LatencySummary;
  capped: boolean;
  /** The first error of the row (e.g. the cap's time-out), if any. */
  error?: string;
}

const XML = (id: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="x">
<bpmn:process id="${id}" name="${id}" isExecutable="true">
<bpmn:startEvent id="start"/><bpmn:userTask id="review" name="Istruttoria"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="sua-officer"/></bpmn:extensionElements></bpmn:userTask><bpmn:endEvent id="end"/>
<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review"/><bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="end"/>
</bpmn:process></bpmn:definitions>`;

/** Writes history documents shaped as the history exporter writes them. */
export async function seed(connection: Connection) {
  const d = connection.db!;
  let key = 2251799813685249;
  const next = () => String(key++);
  const now = Date.now();
  const batches = new Map<string, Record<string, unknown>[]>();
  const flush = async (force = false) => {
    for (const [name, docs] of batches) {
      if (docs.length >= 5000 || (force && docs.length)) {
        await d.collection(name).insertMany(docs.splice(0) as never[]);
      }
    }
  };
  const add = async (name: string, doc: Record<string, unknown>) => {
    if (!batches.has(name)) batches.set(name, []);
    batches.get(name)!.push(doc);
    await flush();
  };
  for (const tenantId of TENANTS) {
    const defs = new Map<string, string>();
    for (const p of PROCESSES) {
      const k = next();
      defs.set(p, k);
      await add(HISTORY_COLLECTIONS.processDefinitions, {
        _id: k,
        key: k,
        bpmnProcessId: p,
        name: p,
        version: 1,
        resourceName: `${p}.bpmn`,
        resource: XML(p),
        deploymentKey: null,
        tenantId,
        deployedAt: new Date(now - 400 * DAY),
      });
    }
    for (let i = 0; i < COMPLETED + RUNNING; i++) {
      const running = i >= COMPLETED;
      const p = PROCESSES[i % 3];
      const pk = next();
      const start = new Date(now - ((i * 37) % 360) * DAY - (i % 1000) * 1000);
      const end = running ? null : new Date(start.getTime() + ((i % 40) + 1) * DAY);
      const comune = `${tenantId}0${String((i % 9) + 10).padStart(2, '0')}`;
      const piColl = running
        ? ACTIVE_HISTORY_COLLECTIONS.processInstances
        : HISTORY_COLLECTIONS.processInstances;
      const incident = running && i % 100 === 0 ? next() : null;
      await add(piColl, {
        _id: pk,
        key: pk,
        bpmnProcessId: p,
        version: 1,
        processDefinitionKey: defs.get(p),
        tenantId,
        state: running ? 'ACTIVE' : 'COMPLETED',
        startDate: start,
        endDate: end,
        parentProcessInstanceKey: null,
        parentElementInstanceKey: null,
        ...(incident ? { incidentKeys: [incident] } : {}),
      });
      for (const [elementId, type, offset, dur] of [
        ['start', 'START_EVENT', 0, 0],
        ['review', 'USER_TASK', 0, ((i % 40) + 1) * DAY],
        ['end', 'END_EVENT', ((i % 40) + 1) * DAY, 0],
      ] as const) {
        if (running && elementId === 'end') continue;
        const ek = next();
        const active = running && elementId === 'review';
        await add(
          active
            ? ACTIVE_HISTORY_COLLECTIONS.elementInstances
            : HISTORY_COLLECTIONS.elementInstances,
          {
            _id: ek,
            key: ek,
            processInstanceKey: pk,
            processDefinitionKey: defs.get(p),
            bpmnProcessId: p,
            elementId,
            bpmnElementType: type,
            flowScopeKey: pk,
            tenantId,
            state: active ? 'ACTIVE' : 'COMPLETED',
            startDate: new Date(start.getTime() + offset),
            endDate: active ? null : new Date(start.getTime() + offset + dur),
            ...(incident && active ? { incidentKey: incident } : {}),
          },
        );
      }
      for (const [name, value] of [
        ['comuneIstat', JSON.stringify(comune)],
        ['caseNumber', JSON.stringify(`SUA-${tenantId}-${i}`)],
      ]) {
        await add(running ? ACTIVE_HISTORY_COLLECTIONS.variables : HISTORY_COLLECTIONS.variables, {
          _id: `${pk}:${name}`,
          name,
          value,
          scopeKey: pk,
          processInstanceKey: pk,
          processDefinitionKey: defs.get(p),
          bpmnProcessId: p,
          tenantId,
          updatedAt: start,
        });
      }
      if (incident) {
        await add(ACTIVE_HISTORY_COLLECTIONS.incidents, {
          _id: incident,
          key: incident,
          errorType: 'JOB_NO_RETRIES',
          errorMessage: 'servizio esterno non raggiungibile',
          state: 'ACTIVE',
          bpmnProcessId: p,
          processDefinitionKey: defs.get(p),
          processInstanceKey: pk,
          elementInstanceKey: null,
          elementId: 'review',
          jobKey: null,
          variableScopeKey: pk,
          creationTime: start,
          resolvedTime: null,
          tenantId,
        });
      }
      if (!running) {
        await add(INDICATORS_COLLECTION, {
          key: `${pk}:indicators`,
          tenantId,
          processInstanceKey: pk,
          comuneIstat: comune,
          recordedAt: end,
          service:
            p === 'procurement' ? 'procurement' : p === 'eu-funding' ? 'euFunding' : 'dataRequest',
          outcome:
            p === 'procurement'
              ? i % 10
                ? 'awarded'
                : 'deserted'
              : p === 'eu-funding'
                ? i % 2
                  ? 'funded'
                  : 'rejected'
                : 'delivered',
          procedureType: i % 2 ? 'directAward' : 'negotiated',
          baseAmount: 100000,
          awardedAmount: 90000 + (i % 10) * 100,
          rebatePercent: 10 - (i % 10) / 10,
          durationDays: (i % 40) + 1,
          grantAmount: 200000,
          coFinancingAmount: 40000,
          slaMet: i % 5 !== 0,
          publishedAsOpenData: i % 3 === 0,
        });
      }
    }
  }
  await flush(true);
}

/** Milliseconds the call took; a failed call (e.g. timed out at the cap) counts too. */
async function time(call: () => Promise<unknown>): Promise<{ ms: number; error?: string }> {
  const t = process.hrtime.bigint();
  let error: string | undefined;
  try {
    await call();
  } catch (err) {
    error = String((err as Error).message ?? err);
  }
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, error };
}

function start(dataDir: string): Promise<RunningProduct> {
  return startBenchProduct(dataDir, { WORKERS: 'false' });
}

/** GETs a page of the product; anything but 200 is an error of the row. */
function page(session: Session, url: string) {
  return async () => {
    const res = await session.request(url);
    if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
  };
}

export async function runMonitoringBench(): Promise<MonitoringBenchRow[]> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pc-bench-monitoring-'));
  let product: RunningProduct | undefined;
  try {
    // First start: the database, the demo accounts and models; then the history.
    product = await start(dataDir);
    const seeded = Date.now();
    console.log(
      `bench monitoring: seeding ${TENANTS.length} × (${COMPLETED} completed + ${RUNNING} running) instances…`,
    );
    await seed(product.db.connection);
    console.log(`bench monitoring: seeded in ${round((Date.now() - seeded) / 1000)} s`);
    await product.stop();
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const started = Date.now();
    product = await start(dataDir);
    const upSeconds = round((Date.now() - started) / 1000);
    await product.analyticsReady;
    global.gc?.();
    const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
    console.log(
      `bench monitoring: product up in ${upSeconds} s; query index, indicator records and history copies loaded ${round((Date.now() - started) / 1000)} s after the start; heap +${round(heapMb)} MB`,
    );

    // The product's own history client: the one its pages use, with its copies.
    const history = product.webContext.history;
    const scope = { tenantId: '039' };
    const filter: AnalyticsFilter = {
      tenantId: '039',
      from: new Date(Date.now() - 365 * DAY),
      to: new Date(),
    };
    const ctx = { connection: product.db.connection, history, comuneName: (c: string) => c };
    const levels = { 'sua-officer': 'P5D' };
    const manager = await Session.signIn(product.url, 'dirigente.ra', '/monitoraggio');
    const calls: [string, () => Promise<unknown>][] = [
      ['page /monitoraggio (instances, first page)', page(manager, '/monitoraggio')],
      [
        'page /monitoraggio (process + state)',
        page(manager, '/monitoraggio?processo=procurement&stato=ACTIVE'),
      ],
      ['page /monitoraggio (comune)', page(manager, '/monitoraggio?comune=039012')],
      ['page /monitoraggio/incidenti', page(manager, '/monitoraggio/incidenti')],
      ['page /indicatori (procurement)', page(manager, '/indicatori?sezione=appalti')],
      ['page /indicatori (EU funding)', page(manager, '/indicatori?sezione=fondi-ue')],
      ['page /indicatori (data requests)', page(manager, '/indicatori?sezione=dati')],
      [
        'page /indicatori (procurement, one comune)',
        page(manager, '/indicatori?sezione=appalti&comune=039012'),
      ],
      [
        'page /indicatori (across: SLA, open work)',
        page(manager, '/indicatori?sezione=trasversali'),
      ],
      [
        'page /indicatori/mappa-di-calore (procurement)',
        page(manager, '/indicatori/mappa-di-calore?processo=procurement'),
      ],
      ['instances list (first page)', () => listInstances(history, scope, {})],
      [
        'instances list (process + state)',
        () => listInstances(history, scope, { bpmnProcessId: 'procurement', state: 'ACTIVE' }),
      ],
      ['instances list (comune)', () => listInstances(history, scope, { comuneIstat: '039012' })],
      ['incidents grouped', () => incidentGroups(history, scope)],
      ['procurement indicators', () => procurementIndicators(ctx, filter)],
      ['EU funding indicators', () => euFundingIndicators(ctx, filter)],
      ['data request indicators', () => dataRequestIndicators(ctx, filter, 30)],
      ['duration heatmap (procurement)', () => durationHeatmap(history, filter, 'procurement')],
      ['SLA compliance per office', () => slaComplianceByOffice(history, filter, levels)],
      ['open work per office', () => openWorkByOffice(history, filter, levels)],
    ];
    const rows: MonitoringBenchRow[] = [];
    for (const [name, call] of calls) {
      const samples: number[] = [];
      let capped = false;
      let error: string | undefined;
      for (let i = 0; i < REPS; i++) {
        const r = await time(call);
        samples.push(r.ms);
        error ??= r.error;
        if (r.ms > CAP_MS || r.error) {
          capped = true;
          break;
        }
      }
      const latency = summarize(samples);
      rows.push({ call: name, samples: samples.length, latency, capped, error });
      console.log(
        `bench monitoring: ${name}: p50 ${latency.p50Ms} ms, p99 ${latency.p99Ms} ms (${samples.length} calls)${error ? ` — stopped: ${error}` : ''}`,
      );
    }
    return rows;
  } finally {
    await product?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  runMonitoringBench().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
