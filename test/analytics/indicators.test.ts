/**
 * The indicators on the demo data, against the real engine, workers and database:
 * every figure is also computed here, independently, from the demo instances'
 * variables and element history (read through the REST API v2), and must agree.
 */
import ExcelJS from 'exceljs';
import { findFreePort } from '../../src/db';
import { startRestApi, type RunningRestApi } from '../../src/engine/rest';
import {
  barChartSvg,
  dataRequestIndicators,
  durationHeatmap,
  euFundingIndicators,
  openWorkByOffice,
  procurementIndicators,
  slaComplianceByOffice,
  tableCsv,
  tableXlsx,
  type AnalyticsFilter,
  type IndicatorContext,
} from '../../src/analytics';
import {
  createHistoryClient,
  type ElementInstanceItem,
  type HistoryClient,
  type ProcessInstanceItem,
  type VariableItem,
} from '../../src/monitoring';
import { startDemoInstances, type DemoReport } from '../../src/workers/demo';
import { startE2E, type E2E } from '../services/support/e2e-harness';
import { waitFor } from '../support/wait-for';

const round2 = (v: number) => Math.round(v * 100) / 100;

describe('indicators on the demo data', () => {
  let e2e: E2E;
  let rest: RunningRestApi;
  let history: HistoryClient;
  let ctx: IndicatorContext;
  let reports: DemoReport[];
  let filter: AnalyticsFilter;

  /** Process variables of the instances of a process, read through the REST API. */
  async function variablesOf(tenantId: string, bpmnProcessId: string) {
    const instances = await history.searchAll<ProcessInstanceItem>('process-instances', {
      filter: { tenantId, processDefinitionId: bpmnProcessId },
    });
    const out = new Map<string, { instance: ProcessInstanceItem; vars: Record<string, unknown> }>();
    for (const instance of instances) {
      const vars = await history.searchAll<VariableItem>('variables', {
        filter: {
          processInstanceKey: instance.processInstanceKey,
          scopeKey: instance.processInstanceKey,
        },
      });
      out.set(instance.processInstanceKey, {
        instance,
        vars: Object.fromEntries(vars.map((v) => [v.name, JSON.parse(v.value)])),
      });
    }
    return out;
  }

  beforeAll(async () => {
    e2e = await startE2E();
    rest = await startRestApi(e2e.engine, e2e.db.connection, {
      address: `127.0.0.1:${await findFreePort()}`,
    });
    history = createHistoryClient({ baseUrl: rest.url });
    reports = await startDemoInstances(e2e.staff, e2e.config, {
      gatewayAddress: e2e.gateway.address,
      concludeTimeoutMs: 150_000,
    });
    await Promise.all(reports.map((r) => r.concluded));
    for (const report of reports) {
      const concluded = report.instances.filter((i) => i.label.startsWith('Concluso'));
      await e2e.completed(concluded[0].processInstanceKey, 'contractHandedOver');
      await e2e.completed(concluded[1].processInstanceKey, 'contractHandedOver');
      await e2e.completed(concluded[2].processInstanceKey, 'tenderDeserted');
      const [openData] = report.instances.filter((i) => i.label.startsWith('Popolazione'));
      await e2e.completed(openData.processInstanceKey, 'requestCompleted');
      for (const i of [...concluded, openData]) {
        await e2e.audited(
          i.processInstanceKey,
          i.bpmnProcessId === 'procurement'
            ? 'procurement.recordIndicators'
            : 'dataRequest.recordOutcome',
        );
      }
    }
    // The instances' end reaches history a moment after the last audit entry.
    await waitFor(
      'three completed procurement instances in history',
      async () =>
        (
          await history.search('process-instances', {
            filter: { tenantId: '039', processDefinitionId: 'procurement', state: 'COMPLETED' },
          })
        ).page.totalItems >= 3,
      { timeoutMs: 20_000, intervalMs: 200 },
    );
    const province = e2e.config.provinces.get('039')!;
    ctx = {
      connection: e2e.db.connection,
      history,
      comuneName: (istat) => province.comuni.find((c) => c.istat === istat)?.name ?? istat,
    };
    filter = {
      tenantId: '039',
      from: new Date(Date.now() - 86_400_000),
      to: new Date(Date.now() + 60_000),
    };
  }, 240_000);

  afterAll(async () => {
    await rest?.close();
    await e2e?.close();
  });

  it('procurement: rebates, savings, deserted tenders, durations and requests per comune match the instances’ variables', async () => {
    const procurement = await variablesOf('039', 'procurement');
    const completed = [...procurement.values()].filter((p) => p.instance.state === 'COMPLETED');
    const awarded = completed.filter(
      (p) => (p.vars.awardProposal as { amount?: number } | undefined)?.amount,
    );
    expect(awarded).toHaveLength(2);
    const rebates = awarded.map((p) => {
      const base = p.vars.amount as number;
      const won = (p.vars.awardProposal as { amount: number }).amount;
      return round2(((base - won) / base) * 100);
    });
    const expectedAverage = round2(rebates.reduce((a, b) => a + b, 0) / rebates.length);
    const expectedSavings = awarded.reduce(
      (s, p) => s + (p.vars.amount as number) - (p.vars.awardProposal as { amount: number }).amount,
      0,
    );
    const deserted = completed.filter(
      (p) => Array.isArray(p.vars.offers) && p.vars.offers.length === 0,
    );
    const perComune = new Map<string, number>();
    for (const p of procurement.values()) {
      perComune.set(
        String(p.vars.comuneIstat),
        (perComune.get(String(p.vars.comuneIstat)) ?? 0) + 1,
      );
    }

    const result = await procurementIndicators(ctx, filter);
    expect(result.summary).toMatchObject({
      requests: procurement.size,
      awarded: 2,
      averageRebatePercent: expectedAverage,
      totalSavings: expectedSavings,
      deserted: deserted.length,
      appeals: 0,
    });
    expect(expectedAverage).toBe(6.84); // (5 % + 8.67 %) / 2: the demo's direct award and negotiated procedure
    const rebateTable = result.tables.find((t) => t.id === 'procurement.rebateDistribution')!;
    expect(rebateTable.rows).toEqual([
      { bucket: '0-5', cases: rebates.filter((r) => r < 5).length },
      { bucket: '5-10', cases: rebates.filter((r) => r >= 5 && r < 10).length },
      { bucket: '10-15', cases: 0 },
      { bucket: '15-20', cases: 0 },
      { bucket: '20+', cases: 0 },
    ]);
    const durations = result.tables.find((t) => t.id === 'procurement.durationByProcedure')!;
    expect(durations.rows.map((r) => [r.procedureType, r.cases]).sort()).toEqual(
      [
        ['directAward', 1],
        ['negotiated', 1],
      ].sort(),
    );
    const comuni = result.tables.find((t) => t.id === 'procurement.requestsPerComune')!;
    expect(Object.fromEntries(comuni.rows.map((r) => [r.comuneIstat, r.requests]))).toEqual(
      Object.fromEntries(perComune),
    );
    expect(comuni.rows.every((r) => String(r.comuneIstat).startsWith('039'))).toBe(true);

    // The same number in the CSV and XLSX exports, with the page's labels.
    const summary = result.tables[0];
    const csv = tableCsv(
      summary,
      (k) => ({ indicator: 'Indicatore', value: 'Valore', unit: 'Unità' })[k] ?? k,
    );
    expect(csv.startsWith('\uFEFFIndicatore;Valore;Unità')).toBe(true);
    expect(csv).toContain('averageRebatePercent;6,84;percent');
    const xlsx = await tableXlsx(summary, (k) => k, 'Appalti');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx as never);
    const values = book.worksheets[0].getSheetValues() as unknown[][];
    expect(
      values.some(
        (row) => Array.isArray(row) && row[1] === 'averageRebatePercent' && row[2] === 6.84,
      ),
    ).toBe(true);

    // A comune filter narrows every figure to that comune.
    const [firstAward] = awarded;
    const narrowed = await procurementIndicators(ctx, {
      ...filter,
      comuneIstat: String(firstAward.vars.comuneIstat),
    });
    expect(narrowed.summary.requests).toBe(perComune.get(String(firstAward.vars.comuneIstat)));
    // A period before the demo has nothing.
    const before = await procurementIndicators(ctx, {
      ...filter,
      to: new Date(Date.now() - 3_600_000),
    });
    expect(before.summary).toMatchObject({ requests: 0, awarded: 0, averageRebatePercent: null });
  });

  it('data requests and EU funding match their instances', async () => {
    const data = await variablesOf('039', 'data-request');
    const result = await dataRequestIndicators(ctx, filter, 30);
    const delivered = [...data.values()].filter((p) => p.instance.state === 'COMPLETED');
    expect(result.summary).toMatchObject({
      requests: data.size,
      delivered: delivered.length,
      serviceLevelDays: 30,
      refused: 0,
    });
    const published = delivered.filter((p) => p.vars.openDataPublished === true).length;
    expect(result.summary.openDataPercent).toBe(round2((published / delivered.length) * 100));
    const topics = result.tables.find((t) => t.id === 'dataRequests.perTopic')!;
    expect(topics.rows.map((r) => r.topic).sort()).toEqual(
      [...data.values()].map((p) => p.vars.datasetId).sort(),
    );

    const eu = await variablesOf('039', 'eu-funding');
    const euResult = await euFundingIndicators(ctx, filter);
    expect(euResult.summary).toMatchObject({
      applications: eu.size,
      funded: 0,
      successRatePercent: null,
      deadlinesMissed: 0,
    });
  });

  it('heatmap, SLA compliance and open work per office come from element history', async () => {
    const heat = await durationHeatmap(history, filter, 'procurement');
    const elements = await history.searchAll<ElementInstanceItem>('element-instances', {
      filter: { tenantId: '039', processDefinitionId: 'procurement', state: 'COMPLETED' },
    });
    const counts = new Map<string, number>();
    for (const e of elements.filter((x) => x.type !== 'PROCESS')) {
      counts.set(e.elementId, (counts.get(e.elementId) ?? 0) + 1);
    }
    expect(Object.fromEntries(heat.elements.map((e) => [e.elementId, e.count]))).toEqual(
      Object.fromEntries(counts),
    );
    expect(heat.processDefinitionKey).toMatch(/^\d+$/);
    expect(heat.elements[0].heat).toBe(1);

    const levels = { 'sua-officer': 'P5D', 'sua-manager': 'P3D' };
    const sla = await slaComplianceByOffice(history, filter, levels);
    const officer = sla.rows.find((r) => r.office === 'sua-officer')!;
    // The sua-officer's user tasks, read from the diagram here with a plain pattern.
    const xml = (await history.processDefinitionXml(heat.processDefinitionKey!))!;
    const officerTasks = [...xml.matchAll(/<bpmn:userTask id="([^"]+)"[\s\S]*?<\/bpmn:userTask>/g)]
      .filter((m) => m[0].includes('candidateGroups="sua-officer"'))
      .map((m) => m[1]);
    expect(officerTasks).toContain('checkDocuments');
    const checked = elements.filter((e) => officerTasks.includes(e.elementId)).length;
    expect(officer).toMatchObject({
      completed: checked,
      withinServiceLevel: checked,
      compliancePercent: 100,
    });

    const open = await openWorkByOffice(history, filter, levels);
    const active = await history.searchAll<ElementInstanceItem>('element-instances', {
      filter: { tenantId: '039', type: 'USER_TASK', state: 'ACTIVE' },
    });
    expect(open.rows.reduce((s, r) => s + Number(r.open), 0)).toBe(active.length);
  });

  it('draws charts as SVG with an accessible name', async () => {
    const svg = barChartSvg({
      title: 'Ribasso medio per procedura',
      categories: ['directAward', 'negotiated'],
      series: [{ name: 'Ribasso %', values: [5, 8.67] }],
    });
    expect(svg.startsWith('<svg role="img" aria-label="Ribasso medio per procedura"')).toBe(true);
    expect(svg).toContain('negotiated');
    expect(svg).toContain('8.67');
    // No inline styles: the pages' Content-Security-Policy refuses them.
    expect(svg).not.toMatch(/style/);
  });
});
