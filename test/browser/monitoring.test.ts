/**
 * Monitoring and indicators in Chromium, as their users walk them, on the running product
 * (built-in engine, workers, demo data, real database):
 * - a SUA manager of Ravenna filters the instances by keyboard to those with an incident,
 *   opens one, sees the incident on the diagram, fixes the variable that caused it, retries,
 *   and the instance moves on to its end;
 * - an analyst reads the average procurement rebate of the demo data on /indicatori and
 *   downloads the CSV export, which carries the same figure — both checked against the
 *   figure computed here from the demo instances' variables.
 * axe (no serious or critical violations) at desktop width and at 390 px on every page.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { findFreePort } from '../../src/db';
import {
  createHistoryClient,
  type HistoryClient,
  type IncidentItem,
  type ProcessInstanceItem,
  type VariableItem,
} from '../../src/monitoring';
import { createZeebeClient, type ZeebeClient } from '../../src/workers/runtime';
import {
  describeInBrowser,
  launchBrowser,
  seriousAxeViolations,
  signInInBrowser,
  watchPageErrors,
} from '../support/browser';
import { waitFor } from '../support/wait-for';
import { startTestProduct, type TestProduct } from '../support/web';

jest.setTimeout(300_000);

const JOB_TYPE = 'browser-mon-cpv-check';
const CASE_NUMBER = 'SUA-039-BROWSER-1';

/** A small procurement step with its diagram (DI), so the viewer can draw it. */
const MODEL = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="defs_cpv" targetNamespace="http://example.org">
  <bpmn:process id="verifica-cpv" name="Verifica codice CPV" isExecutable="true">
    <bpmn:startEvent id="avvio" name="Richiesta ricevuta"/>
    <bpmn:serviceTask id="verificaCpv" name="Verifica CPV"><bpmn:extensionElements><zeebe:taskDefinition type="${JOB_TYPE}"/></bpmn:extensionElements></bpmn:serviceTask>
    <bpmn:endEvent id="fine" name="CPV verificato"/>
    <bpmn:sequenceFlow id="f1" sourceRef="avvio" targetRef="verificaCpv"/>
    <bpmn:sequenceFlow id="f2" sourceRef="verificaCpv" targetRef="fine"/>
  </bpmn:process>
  <bpmndi:BPMNDiagram id="dia"><bpmndi:BPMNPlane id="plane" bpmnElement="verifica-cpv">
    <bpmndi:BPMNShape id="avvio_di" bpmnElement="avvio"><dc:Bounds x="100" y="100" width="36" height="36"/></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="verificaCpv_di" bpmnElement="verificaCpv"><dc:Bounds x="200" y="78" width="100" height="80"/></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="fine_di" bpmnElement="fine"><dc:Bounds x="370" y="100" width="36" height="36"/></bpmndi:BPMNShape>
    <bpmndi:BPMNEdge id="f1_di" bpmnElement="f1"><di:waypoint x="136" y="118"/><di:waypoint x="200" y="118"/></bpmndi:BPMNEdge>
    <bpmndi:BPMNEdge id="f2_di" bpmnElement="f2"><di:waypoint x="300" y="118"/><di:waypoint x="370" y="118"/></bpmndi:BPMNEdge>
  </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</bpmn:definitions>`;

/** The worker of this test: a CPV code is 8 digits, a dash and a check digit. */
const VALID_CPV = /^\d{8}-\d$/;

describeInBrowser('monitoring and indicators in a real browser', () => {
  let product: TestProduct;
  let browser: Browser;
  let zbc: ZeebeClient;
  let history: HistoryClient;
  let instanceKey = '';
  let configDir = '';

  /** Activates this instance's job and handles it as the real step would. */
  async function runCpvCheck(): Promise<'failed' | 'completed'> {
    const job = await waitFor(
      'the CPV check job',
      async () =>
        (
          await zbc.activateJobs({
            type: JOB_TYPE,
            worker: 'browser-test',
            maxJobsToActivate: 5,
            timeout: 60_000,
            requestTimeout: 1_000,
          } as never)
        ).find((j) => j.processInstanceKey === instanceKey),
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    const cpv = String((job.variables as { cpv?: unknown }).cpv);
    if (!VALID_CPV.test(cpv)) {
      await zbc.failJob({
        jobKey: job.key,
        retries: 0,
        errorMessage: `Codice CPV non valido: ${cpv}`,
      } as never);
      return 'failed';
    }
    await zbc.completeJob({ jobKey: job.key, variables: { cpvChecked: true } });
    return 'completed';
  }

  async function newPage(width: number): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    return { context, page: await context.newPage() };
  }

  /** Moves the focus with Tab until it reaches `selector` (fails if it never does). */
  async function tabTo(page: Page, selector: string): Promise<void> {
    for (let i = 0; i < 60; i++) {
      const focused = await page
        .locator(selector)
        .evaluate(
          (el) =>
            el ===
            (globalThis as unknown as { document: { activeElement: unknown } }).document
              .activeElement,
        );
      if (focused) return;
      await page.keyboard.press('Tab');
    }
    throw new Error(`Tab never reached ${selector}`);
  }

  beforeAll(async () => {
    // The demo cases send e-mail: the product's demo mail sink listens on a free port.
    configDir = mkdtempSync(path.join(os.tmpdir(), 'pc-monconf-'));
    cpSync(path.resolve(__dirname, '../../engine-config'), configDir, { recursive: true });
    const defaults = path.join(configDir, 'default.yaml');
    writeFileSync(
      defaults,
      readFileSync(defaults, 'utf8').replace(/port: 1025/, `port: ${await findFreePort()}`),
    );
    product = await startTestProduct({
      name: 'browser_monitoring',
      env: {
        WORKERS: 'true',
        DEMO_INSTANCES: 'true',
        DEMO_MAIL_SINK: 'true',
        CONFIG_DIR: configDir,
      },
    });
    browser = await launchBrowser();
    history = createHistoryClient({ baseUrl: product.env.engineRestUrl });
    zbc = createZeebeClient(product.env.zeebeAddress, { tenantId: '039' });
    await zbc.deployResource({
      name: 'verifica-cpv.bpmn',
      process: Buffer.from(MODEL),
      tenantId: '039',
    } as never);
    instanceKey = (
      await zbc.createProcessInstance({
        bpmnProcessId: 'verifica-cpv',
        variables: { comuneIstat: '039010', caseNumber: CASE_NUMBER, cpv: '4523314' },
        tenantId: '039',
      } as never)
    ).processInstanceKey;
    expect(await runCpvCheck()).toBe('failed');
    await waitFor(
      'the incident in history',
      async () =>
        (
          await history.search<IncidentItem>('incidents', {
            filter: { processInstanceKey: instanceKey, state: 'ACTIVE' },
          })
        ).items[0],
      { timeoutMs: 30_000, intervalMs: 200 },
    );
  });

  afterAll(async () => {
    await zbc?.close();
    await browser?.close();
    await product?.stop();
    if (configDir) rmSync(configDir, { recursive: true, force: true });
  });

  it('a SUA manager finds the instance with an incident, sees it on the diagram, fixes the variable, retries, and the instance ends', async () => {
    const { context, page } = await newPage(1280);
    const errors = watchPageErrors(page);
    await signInInBrowser(page, product.url, 'dirigente.ra');
    await page.goto(`${product.url}/monitoraggio`);

    // The filters by keyboard only: case number, "with incidents", then the submit button.
    await page.focus('#f-pratica');
    await page.keyboard.type('SUA-039-BROWSER');
    await tabTo(page, '#f-incidenti');
    await page.keyboard.press('Space');
    await tabTo(page, '[data-testid=filter-submit]');
    await Promise.all([page.waitForURL(/incidenti=1/), page.keyboard.press('Enter')]);
    const rows = page.locator('[data-testid=instances] tbody tr');
    await expect(rows.count()).resolves.toBe(1);
    await expect(rows.first().textContent()).resolves.toContain(CASE_NUMBER);
    await expect(rows.first().locator('.badge').textContent()).resolves.toBe('Incidente');
    expect(await seriousAxeViolations(page)).toEqual([]);

    await Promise.all([
      page.waitForURL(`${product.url}/monitoraggio/istanze/${instanceKey}`),
      page.click(`a:text("${CASE_NUMBER}")`),
    ]);
    // The incident on the diagram: the element is marked and carries a badge.
    await page.locator('[data-testid=diagram][data-ready=true]').waitFor({ timeout: 30_000 });
    await expect(page.locator('g[data-element-id=verificaCpv].pc-incident').count()).resolves.toBe(
      1,
    );
    await expect(page.locator('.pc-badge-incident').textContent()).resolves.toBe('⚠ 1');
    await expect(page.locator('[data-testid=incident]').textContent()).resolves.toContain(
      'Codice CPV non valido: 4523314',
    );
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 900 });

    // Fix the variable, with a reason.
    await page.click('summary:text("Modifica una variabile")');
    await page.fill('#var-name', 'cpv');
    await page.fill('#var-value', '"45233140-2"');
    await page.fill('#var-reason', 'CPV corretto dal fascicolo di gara');
    await Promise.all([page.waitForLoadState('load'), page.click('[data-testid=variable-save]')]);
    await expect(page.locator('[data-testid=flash]').textContent()).resolves.toBe(
      'Variabile modificata.',
    );
    await expect(
      page.locator('[data-testid=variables] tr:has(th:text-is("cpv")) code').textContent(),
    ).resolves.toBe('"45233140-2"');

    // Retry: the incident is resolved and the job runs again, now with the right code.
    await page.locator('[data-testid=incident] input[name=reason]').fill('CPV corretto');
    await Promise.all([page.waitForLoadState('load'), page.click('[data-testid=retry]')]);
    await expect(page.locator('[data-testid=flash]').textContent()).resolves.toBe(
      "Nuovo tentativo avviato: l'incidente è risolto.",
    );
    expect(await runCpvCheck()).toBe('completed');
    await waitFor(
      'the instance to complete',
      async () =>
        (await history.get<ProcessInstanceItem>('process-instances', instanceKey))?.state ===
        'COMPLETED',
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    await page.reload();
    await expect(page.locator('[data-testid=state]').textContent()).resolves.toBe('Conclusa');
    await expect(page.locator('[data-testid=incident]').count()).resolves.toBe(0);
    await page.locator('[data-testid=diagram][data-ready=true]').waitFor({ timeout: 30_000 });
    await expect(page.locator('g[data-element-id=fine].pc-visited').count()).resolves.toBe(1);
    await expect(page.locator('.pc-incident').count()).resolves.toBe(0);

    // Both operations are in the operator log, with who and why.
    const log = await product.db.connection
      .db!.collection('security_log')
      .find({ tenantId: '039', action: /^monitoring\./ })
      .toArray();
    expect(log.map((l) => [l.action, l.reason, l.outcome])).toEqual(
      expect.arrayContaining([
        ['monitoring.variable.update', 'CPV corretto dal fascicolo di gara', 'success'],
        ['monitoring.incident.retry', 'CPV corretto', 'success'],
      ]),
    );
    expect(errors).toEqual([]);
    await context.close();
  });

  it('an analyst reads the demo data’s average procurement rebate, and the CSV export gives the same figure', async () => {
    // The figure, computed here from the concluded demo cases' variables.
    const rebates = await waitFor(
      'the demo procurement cases of Ravenna to be awarded',
      async () => {
        const done = await history.searchAll<ProcessInstanceItem>('process-instances', {
          filter: { tenantId: '039', processDefinitionId: 'procurement', state: 'COMPLETED' },
        });
        const out: number[] = [];
        for (const i of done) {
          const vars = await history.searchAll<VariableItem>('variables', {
            filter: { processInstanceKey: i.processInstanceKey, scopeKey: i.processInstanceKey },
          });
          const v = Object.fromEntries(vars.map((x) => [x.name, JSON.parse(x.value) as unknown]));
          const won = (v.awardProposal as { amount?: number } | undefined)?.amount;
          if (won) out.push(((Number(v.amount) - won) / Number(v.amount)) * 100);
        }
        return out.length >= 2 && out;
      },
      { timeoutMs: 200_000, intervalMs: 1_000 },
    );
    const mean = rebates.map((r) => Math.round(r * 100) / 100).reduce((a, b) => a + b, 0);
    const expected = Math.round((mean / rebates.length) * 100) / 100;
    const expectedText = expected.toLocaleString('it-IT', { maximumFractionDigits: 2 });

    for (const width of [1280, 390]) {
      const { context, page } = await newPage(width);
      const errors = watchPageErrors(page);
      await signInInBrowser(page, product.url, 'analista.ra');
      await page.goto(`${product.url}/indicatori`);
      // The filters by keyboard: the period is the last year; apply it.
      await page.focus('#f-dal');
      await tabTo(page, '[data-testid=analytics-filter]');
      await Promise.all([page.waitForURL(/sezione=appalti/), page.keyboard.press('Enter')]);
      const card = page.locator('[data-indicator=averageRebatePercent]');
      await expect(card.textContent()).resolves.toBe(`${expectedText} %`);
      expect(await seriousAxeViolations(page)).toEqual([]);

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.click('section[data-table="procurement.summary"] a[data-export=csv]'),
      ]);
      const csv = readFileSync((await download.path())!, 'utf8');
      expect(csv.charCodeAt(0)).toBe(0xfeff); // BOM, so spreadsheet programs read accents
      const line = csv.split(/\r?\n/).find((l) => l.startsWith('Ribasso medio;'));
      expect(line?.split(';')[1]).toBe(String(expected).replace('.', ','));
      expect(errors).toEqual([]);
      await context.close();
    }
  });
});
