/**
 * /monitoraggio and /indicatori over HTTP on the running product (built-in engine, REST
 * API v2, real database): a SUA manager of Ravenna finds an instance with an incident,
 * retries it with a reason and the instance moves on; a viewer sees monitoring but gets
 * 403 on every operation; Prato's manager sees nothing of Ravenna.
 */
import type { Server } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { createWebApp } from '../../src/web/app';
import { resolveSessionSecret } from '../../src/web/core/session';
import {
  createHistoryClient,
  type IncidentItem,
  type ProcessInstanceItem,
} from '../../src/monitoring';
import { recordIndicatorOnce } from '../../src/workers/common/indicators';
import { createZeebeClient, type ZeebeClient } from '../../src/workers/runtime';
import { bpmn, chain, serviceTask } from '../support/bpmn-xml';
import { signIn, startTestProduct, type TestProduct } from '../support/web';
import { waitFor } from '../support/wait-for';

async function eventually<T>(check: () => Promise<T | undefined | false>, what: string) {
  return waitFor(
    what,
    async () => {
      const v = await check();
      return v === undefined || v === false ? undefined : { v };
    },
    { timeoutMs: 20_000, intervalMs: 150 },
  ).then((box) => box.v as T);
}

describe('monitoring pages', () => {
  let product: TestProduct;
  let worker: ZeebeClient;
  let instanceKey = '';

  const activate = () =>
    eventually(async () => {
      const jobs = await worker.activateJobs({
        type: 'web-mon-work',
        worker: 'web-test',
        maxJobsToActivate: 5,
        timeout: 60_000,
        requestTimeout: 1_000,
      } as never);
      return jobs.find((j) => j.processInstanceKey === instanceKey);
    }, 'the job');

  beforeAll(async () => {
    product = await startTestProduct({ name: 'webmon' });
    worker = createZeebeClient(product.env.zeebeAddress, { tenantId: '039' });
    await worker.deployResource({
      name: 'web-mon.bpmn',
      process: Buffer.from(
        bpmn(
          'web-mon',
          `<bpmn:startEvent id="s"/>${serviceTask('richiestaCig', 'web-mon-work')}<bpmn:endEvent id="e"/>${chain(['s', 'richiestaCig', 'e'])}`,
        ).replace('id="web-mon"', 'id="web-mon" name="Gara di prova"'),
      ),
      tenantId: '039',
    } as never);
    instanceKey = (
      await worker.createProcessInstance({
        bpmnProcessId: 'web-mon',
        variables: { comuneIstat: '039010', caseNumber: 'SUA-039-TEST-1' },
        tenantId: '039',
      } as never)
    ).processInstanceKey;
    const job = await activate();
    await worker.failJob({
      jobKey: job.key,
      retries: 0,
      errorMessage: 'ANAC non raggiungibile',
    } as never);
    const history = createHistoryClient({ baseUrl: product.env.engineRestUrl });
    await eventually(
      async () =>
        (
          await history.search<IncidentItem>('incidents', {
            filter: { processInstanceKey: instanceKey, state: 'ACTIVE' },
          })
        ).items[0],
      'the incident in history',
    );
  }, 180_000);

  afterAll(async () => {
    await worker?.close();
    await product?.stop();
  });

  it('lets a SUA manager of Ravenna find the incident, retry it with a reason, and the instance moves on', async () => {
    const manager = await signIn(product.url, 'dirigente.ra');
    const list = await manager.get('/monitoraggio?incidenti=1');
    expect(list.status).toBe(200);
    expect(list.text).toContain('SUA-039-TEST-1');
    const page = await manager.get(`/monitoraggio/istanze/${instanceKey}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('ANAC non raggiungibile');
    expect(page.text).toContain('data-pc-diagram');
    expect(page.text).toContain(`/fascicoli/${instanceKey}`);
    const xml = await manager.get(`/monitoraggio/istanze/${instanceKey}/diagramma.xml`);
    expect(xml.text).toContain('id="richiestaCig"');

    const incident = /name='incidentKey' value='(\d+)'/.exec(page.text)?.[1];
    expect(incident).toBeDefined();
    const noReason = await manager.postForm('/monitoraggio/incidenti/riprova', {
      incidentKey: incident!,
      reason: '',
    });
    expect(noReason.status).toBe(422);
    const retried = await manager.postForm('/monitoraggio/incidenti/riprova', {
      incidentKey: incident!,
      reason: 'ANAC di nuovo raggiungibile',
      returnTo: `/monitoraggio/istanze/${instanceKey}`,
    });
    expect(retried.status).toBe(303);
    const job = await activate();
    await worker.completeJob({ jobKey: job.key, variables: {} });
    const history = createHistoryClient({ baseUrl: product.env.engineRestUrl });
    await eventually(async () => {
      const i = await history.get<ProcessInstanceItem>('process-instances', instanceKey);
      return i?.state === 'COMPLETED';
    }, 'the instance to complete');
    const after = await manager.get(`/monitoraggio/istanze/${instanceKey}`);
    expect(after.text).toContain('Conclusa');
    const log = await product.db.connection
      .db!.collection('security_log')
      .find({ action: 'monitoring.incident.retry' })
      .toArray();
    expect(log).toEqual([
      expect.objectContaining({
        tenantId: '039',
        reason: 'ANAC di nuovo raggiungibile',
        outcome: 'success',
      }),
    ]);

    const csv = await manager.get('/monitoraggio/istanze.csv?processo=web-mon');
    expect(csv.status).toBe(200);
    // (fetch drops the BOM when decoding; the CSV's BOM is checked in test/monitoring.)
    expect(csv.text).toContain('Numero di pratica');
    expect(csv.text).toContain('SUA-039-TEST-1');
  });

  it('shows monitoring to a viewer but refuses every operation (403)', async () => {
    const viewer = await signIn(product.url, 'ospite.ra');
    expect((await viewer.get('/monitoraggio')).status).toBe(200);
    expect((await viewer.get(`/monitoraggio/istanze/${instanceKey}`)).status).toBe(200);
    for (const path of [
      '/monitoraggio/incidenti/riprova',
      `/monitoraggio/istanze/${instanceKey}/annulla`,
      `/monitoraggio/istanze/${instanceKey}/sposta`,
      `/monitoraggio/istanze/${instanceKey}/variabili`,
      '/monitoraggio/migrazione',
    ]) {
      expect({ path, status: (await viewer.postForm(path, { reason: 'prova' })).status }).toEqual({
        path,
        status: 403,
      });
    }
  });

  it('shows nothing of Ravenna to Prato', async () => {
    const prato = await signIn(product.url, 'dirigente.po');
    expect((await prato.get(`/monitoraggio/istanze/${instanceKey}`)).status).toBe(404);
    expect((await prato.get(`/monitoraggio/istanze/${instanceKey}/diagramma.xml`)).status).toBe(
      404,
    );
    const list = await prato.get('/monitoraggio');
    expect(list.text).not.toContain('SUA-039-TEST-1');
    expect(list.text).not.toContain('Gara di prova');
    const csv = await prato.get('/monitoraggio/istanze.csv');
    expect(csv.text).not.toContain('SUA-039');
  });

  it('renders the indicators page with charts and tables, and exports them', async () => {
    const manager = await signIn(product.url, 'dirigente.ra');
    const page = await manager.get('/indicatori?sezione=appalti');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Ribasso medio');
    for (const section of ['fondi-ue', 'dati', 'trasversali']) {
      expect((await manager.get(`/indicatori?sezione=${section}`)).status).toBe(200);
    }
    // The tables computed on a bounded sample say so.
    const across = await manager.get('/indicatori?sezione=trasversali');
    expect(across.text).toContain('ultime 20.000 attività concluse');
    expect(across.text).toContain('20.000 attività aperte da più tempo');
    const csv = await manager.get('/indicatori/esporta/procurement.summary.csv');
    expect(csv.status).toBe(200);
    expect(csv.text).toContain('Ribasso medio');
    const xlsx = await manager.get('/indicatori/esporta/procurement.summary.xlsx');
    expect(xlsx.status).toBe(200);
    expect((await manager.get('/indicatori/mappa-di-calore?processo=web-mon')).status).toBe(200);
    const bad = await manager.get('/indicatori?dal=ieri');
    expect(bad.status).toBe(422);
    // Alerts are for administrators.
    expect((await manager.get('/indicatori/allarmi')).status).toBe(403);
    const admin = await signIn(product.url, 'admin.ra');
    expect((await admin.get('/indicatori/allarmi')).status).toBe(200);
  });

  it('shows the first 200 awards of a long year on the page and every one in the export', async () => {
    const before = await recordedAwards();
    const now = Date.now();
    for (let i = 0; i < 230; i++) {
      await recordIndicatorOnce(product.db.connection, {
        key: `web-mon-award-${i}`,
        tenantId: '039',
        processInstanceKey: `web-mon-award-${i}`,
        service: 'procurement',
        outcome: 'awarded',
        comuneIstat: '039010',
        recordedAt: new Date(now - i * 60_000),
        procedureType: 'directAward',
        baseAmount: 100_000,
        awardedAmount: 95_000,
        rebatePercent: 5,
        durationDays: 20,
      });
    }
    const total = before + 230;
    const manager = await signIn(product.url, 'dirigente.ra');
    const page = await manager.get('/indicatori?sezione=appalti');
    const section = page.text.slice(
      page.text.indexOf("data-table='procurement.awards'"),
      page.text.indexOf("data-table='procurement.requestsPerComune'"),
    );
    expect(section.match(/<tr><td data-col='processInstanceKey'>/g)).toHaveLength(200);
    // Newest first: the last award recorded is on the page, the oldest of this batch is not.
    expect(section).toContain('web-mon-award-0<');
    expect(section).not.toContain('web-mon-award-229<');
    expect(section).toContain(`Sono mostrate le prime 200 righe su ${total}`);
    const csv = await manager.get('/indicatori/esporta/procurement.awards.csv');
    expect(csv.text.trim().split('\n')).toHaveLength(total + 1);
    expect(csv.text).toContain('web-mon-award-229;');

    async function recordedAwards() {
      const res = await (
        await signIn(product.url, 'dirigente.ra')
      ).get('/indicatori/esporta/procurement.awards.csv');
      return res.text.trim().split('\n').length - 1;
    }
  });

  it('answers 503 saying the history does not answer when the engine’s history API hangs', async () => {
    // A history API that accepts connections and never answers (as one busy loading).
    const hanging = net.createServer(() => undefined);
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    const historyUrl = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`;
    const web = createWebApp(
      {
        ...product.webContext,
        history: createHistoryClient({ baseUrl: historyUrl, timeoutMs: 300 }),
      },
      { sessionSecret: await resolveSessionSecret(product.db.connection, undefined) },
    );
    const server: Server = await new Promise((resolve) => {
      const s = web.app.listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const manager = await signIn(base, 'dirigente.ra');
      const page = await manager.get('/monitoraggio');
      expect(page.status).toBe(503);
      expect(page.headers.get('retry-after')).toBe('30');
      expect(page.text).toContain('Lo storico dei processi non risponde');
      const api = await manager.get('/api/v1/monitoring/instances');
      expect(api.status).toBe(503);
      expect(api.json<{ code: string; detail: string }>()).toMatchObject({
        code: 'unavailable',
        detail: expect.stringContaining('no answer within 300 ms'),
      });
    } finally {
      await new Promise((r) => server.close(r));
      await web.close();
      hanging.close();
    }
  });
});
