/**
 * Demo data: startDemoInstances deploys the processes per province and starts
 * instances of each process in different states, through the real engine and workers.
 */
import { createTrainingStore } from '../../src/training';
import { startDemoInstances } from '../../src/workers/demo';
import { waitFor } from '../support/wait-for';
import { startE2E, type E2E } from './support/e2e-harness';

let e2e: E2E;

beforeAll(async () => {
  e2e = await startE2E();
}, 120_000);

afterAll(async () => {
  await e2e?.close();
});

it('starts instances of the four service lines for both demo provinces, in different states', async () => {
  const reports = await startDemoInstances(e2e.staff, e2e.config, {
    gatewayAddress: e2e.gateway.address,
  });
  expect(reports.map((r) => r.tenantId).sort()).toEqual(['039', '100']);
  for (const report of reports) {
    expect(report.deployed).toEqual(
      expect.arrayContaining([
        'procurement/procurement.bpmn',
        'eu-funding/eu-funding.bpmn',
        'data-request/data-request.bpmn',
      ]),
    );
    const byProcess = (id: string) => report.instances.filter((i) => i.bpmnProcessId === id);
    expect(byProcess('procurement').length).toBeGreaterThanOrEqual(5);
    expect(byProcess('eu-funding').length).toBeGreaterThanOrEqual(2);
    expect(byProcess('data-request').length).toBeGreaterThanOrEqual(3);
    expect(report.instances.filter((i) => i.stepsDone > 0).length).toBe(7);
    // Concluded procurement cases (finished in the background) give the indicators data.
    expect(report.instances.filter((i) => i.label.startsWith('Concluso'))).toHaveLength(3);
    expect(report.concluded).toBeInstanceOf(Promise);

    const [integration] = report.instances.filter((i) => i.label.startsWith('Forniture'));
    await e2e.completed(integration.processInstanceKey, 'requestIntegration');
    const [openData] = report.instances.filter((i) => i.label.startsWith('Popolazione'));
    await e2e.completed(openData.processInstanceKey, 'requestCompleted');
    const [negotiated] = report.instances.filter((i) => i.label.startsWith('Lavori € 600.000'));
    await e2e.completed(negotiated.processInstanceKey, 'sendInvitations');
  }
  // Training: a course in the catalogue and a campaign in which one comune has answered.
  const store = createTrainingStore(e2e.db.connection);
  for (const report of reports) {
    expect(report.deployed).toEqual(expect.arrayContaining(['training/training-campaign.bpmn']));
    const training = report.training!;
    expect(training.stepsPlanned).toBeGreaterThan(2);
    expect(training.stepsDone).toBe(training.stepsPlanned);
    const campaign = await waitFor(
      'a comune that completed the demo campaign',
      async () => {
        const c = await store.campaign(report.tenantId, training.campaignKey!);
        return c?.comuni.some((x) => x.status === 'completed') ? c : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    expect(campaign.comuni.filter((c) => c.status === 'open').length).toBeGreaterThan(0);
    expect((await store.catalogue(report.tenantId)).map((c) => c.status)).toContain('open');
  }
  const instances = await e2e.db.connection
    .db!.collection('history_process_instances')
    .find({})
    .toArray();
  expect(new Set(instances.map((i) => i.tenantId))).toEqual(new Set(['039', '100']));
}, 240_000);
