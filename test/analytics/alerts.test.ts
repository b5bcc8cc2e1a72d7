/**
 * Alerts: thresholds a province administrator sets, checked against the real engine's
 * history (REST API v2), e-mailed through a real SMTP server once per breach, with
 * reminders while the breach lasts. The check's clock is passed in, so no test waits.
 */
import { findFreePort } from '../../src/db';
import { startRestApi, type RunningRestApi } from '../../src/engine/rest';
import { AlertInputError, AlertStore, checkAlerts, type AlertCheckDeps } from '../../src/analytics';
import { createHistoryClient } from '../../src/monitoring';
import { createMailer, type Mailer } from '../../src/workers/notifications/mailer';
import { createZeebeClient, type ZeebeClient } from '../../src/workers/runtime';
import { bpmn, chain, serviceTask } from '../support/bpmn-xml';
import { startEngineWithGateway, type RunningEngine } from '../support/engine-with-gateway';
import { startSmtpSink, type SmtpSink } from '../services/support/smtp-sink';
import { waitFor } from '../support/wait-for';

const HOUR = 3_600_000;

describe('alerts', () => {
  let running: RunningEngine;
  let rest: RunningRestApi;
  let smtp: SmtpSink;
  let mailer: Mailer;
  let worker: ZeebeClient;
  let deps: AlertCheckDeps;
  let store: AlertStore;

  async function failOneJob(): Promise<string> {
    const created = await worker.createProcessInstance({
      bpmnProcessId: 'alert-proc',
      variables: {},
      tenantId: '039',
    } as never);
    for (let i = 0; i < 50; i++) {
      const jobs = await worker.activateJobs({
        type: 'alert-work',
        worker: 'alert-test',
        maxJobsToActivate: 10,
        timeout: 60_000,
        requestTimeout: 1_000,
      } as never);
      const mine = jobs.find((j) => j.processInstanceKey === created.processInstanceKey);
      if (mine) {
        await worker.failJob({
          jobKey: mine.key,
          retries: 0,
          errorMessage: 'servizio esterno giù',
        } as never);
        return created.processInstanceKey;
      }
    }
    throw new Error('no job');
  }

  async function incidentsInHistory(n: number) {
    const history = createHistoryClient({ baseUrl: rest.url });
    await waitFor(
      `${n} open incidents in history`,
      async () =>
        (await history.search('incidents', { filter: { tenantId: '039', state: 'ACTIVE' } })).page
          .totalItems === n,
      { timeoutMs: 10_000, intervalMs: 100 },
    );
  }

  beforeAll(async () => {
    running = await startEngineWithGateway();
    rest = await startRestApi(running.engine, running.db.connection, {
      address: `127.0.0.1:${await findFreePort()}`,
    });
    smtp = await startSmtpSink();
    mailer = createMailer({
      from: 'Allarmi <allarmi@test.local>',
      smtp: { host: '127.0.0.1', port: smtp.port },
    });
    worker = createZeebeClient(running.address, { tenantId: '039' });
    await worker.deployResource({
      name: 'alert-proc.bpmn',
      process: Buffer.from(
        bpmn(
          'alert-proc',
          `<bpmn:startEvent id="s"/>${serviceTask('t', 'alert-work')}<bpmn:endEvent id="e"/>${chain(['s', 't', 'e'])}`,
        ),
      ),
      tenantId: '039',
    } as never);
    store = new AlertStore(running.db.connection);
    deps = {
      connection: running.db.connection,
      history: createHistoryClient({ baseUrl: rest.url }),
      mailer,
      store,
      province: (tenantId) =>
        tenantId === '039'
          ? {
              name: 'Provincia di Ravenna',
              dataRequestServiceLevel: 'P30D',
              officeServiceLevels: {},
            }
          : undefined,
      indicatorLabel: () => 'Incidenti aperti',
    };
  });

  afterAll(async () => {
    await worker?.close();
    mailer?.close();
    await smtp?.close();
    await rest?.close();
    await running?.close();
  });

  it('refuses thresholds that make no sense, naming the field', async () => {
    const base = {
      name: 'Incidenti',
      indicator: 'openIncidents',
      comparator: 'gt',
      threshold: 3,
      recipients: 'dirigente@provincia.ra.it',
    };
    for (const [field, patch] of [
      ['name', { name: ' ' }],
      ['indicator', { indicator: 'weather' }],
      ['comparator', { comparator: 'about' }],
      ['threshold', { threshold: 'tre' }],
      ['recipients', { recipients: 'not-an-address' }],
      ['reminderEvery', { reminderEvery: 'PT1M' }],
    ] as const) {
      const err = await store
        .create('039', 'admin.ra', { ...base, ...patch })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AlertInputError);
      expect((err as AlertInputError).field).toBe(field);
    }
    expect(await store.list('039')).toEqual([]);
  });

  it('mails the named people once per breach, reminds while it lasts, and starts again after recovery', async () => {
    const alert = await store.create('039', 'admin.ra', {
      name: 'Più di 1 incidente aperto',
      indicator: 'openIncidents',
      comparator: 'gt',
      threshold: 1,
      recipients: 'dirigente@provincia.ra.it, ufficio.sua@provincia.ra.it',
      reminderEvery: 'PT6H',
    });
    const prato = await store.create('100', 'admin.po', {
      name: 'Prato: incidenti',
      indicator: 'openIncidents',
      comparator: 'gt',
      threshold: 0,
      recipients: 'dirigente@provincia.po.it',
    });
    expect((await store.list('039')).map((a) => a._id)).toEqual([alert._id]);

    const t0 = new Date();
    const first = await failOneJob();
    await incidentsInHistory(1);
    let results = await checkAlerts(deps, t0);
    expect(results.find((r) => r.alertId === alert._id)).toMatchObject({
      value: 1,
      breached: false,
      sent: 0,
    });
    // Prato sees none of Ravenna's incidents.
    expect(results.find((r) => r.alertId === prato._id)).toMatchObject({
      value: 0,
      breached: false,
    });

    await failOneJob();
    await incidentsInHistory(2);
    results = await checkAlerts(deps, new Date(t0.getTime() + 60_000));
    expect(results.find((r) => r.alertId === alert._id)).toMatchObject({
      value: 2,
      breached: true,
      sent: 1,
    });
    const mail = await smtp.waitFor(
      (m) => m.subject.includes('Più di 1 incidente aperto'),
      'the alert e-mail',
    );
    expect(mail.to).toEqual(['dirigente@provincia.ra.it', 'ufficio.sua@provincia.ra.it']);
    expect(mail.subject).toBe('soglia superata - Più di 1 incidente aperto');
    expect(mail.text).toContain('Valore rilevato: 2');
    expect(mail.text).toContain('Soglia: > 1');

    // Checked again within the hour: no second e-mail for the same breach.
    results = await checkAlerts(deps, new Date(t0.getTime() + 2 * HOUR));
    expect(results.find((r) => r.alertId === alert._id)).toMatchObject({ breached: true, sent: 0 });
    // Six hours into the breach: one reminder.
    results = await checkAlerts(deps, new Date(t0.getTime() + 60_000 + 6 * HOUR));
    expect(results.find((r) => r.alertId === alert._id)).toMatchObject({ sent: 1 });
    await smtp.waitFor((m) => m.subject.startsWith('Promemoria: soglia superata'), 'the reminder');
    expect(smtp.messages.filter((m) => m.subject.includes('Più di 1 incidente'))).toHaveLength(2);

    // Recovery: resolve one incident; the next breach mails again.
    const history = createHistoryClient({ baseUrl: rest.url });
    const [inc] = (
      await history.search<{ incidentKey: string; jobKey: string }>('incidents', {
        filter: { processInstanceKey: first, state: 'ACTIVE' },
      })
    ).items;
    await worker.updateJobRetries({ jobKey: inc.jobKey, retries: 1 });
    await worker.resolveIncident({ incidentKey: inc.incidentKey });
    await incidentsInHistory(1);
    results = await checkAlerts(deps, new Date(t0.getTime() + 7 * HOUR));
    expect(results.find((r) => r.alertId === alert._id)).toMatchObject({
      breached: false,
      sent: 0,
    });
    expect((await store.state(alert._id))?.breached).toBe(false);
    await failOneJob();
    await incidentsInHistory(2);
    results = await checkAlerts(deps, new Date(t0.getTime() + 8 * HOUR));
    expect(results.find((r) => r.alertId === alert._id)).toMatchObject({ breached: true, sent: 1 });
    expect(smtp.messages.filter((m) => m.subject.includes('Più di 1 incidente'))).toHaveLength(3);
    expect(smtp.messages.some((m) => m.to.includes('dirigente@provincia.po.it'))).toBe(false);

    expect(await store.remove('100', alert._id)).toBe(false);
    expect(await store.remove('039', alert._id)).toBe(true);
  });
});
