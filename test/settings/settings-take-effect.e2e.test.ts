/**
 * A province's saved settings and templates reach the next instance without a restart:
 * the real engine, gateway and service workers keep running while an administrator
 * saves a new version; the procedure the DMN chooses (from the thresholds the
 * procurement.openCase worker puts on the instance) and the e-mail text change for that
 * province only.
 */
import { loadProductConfig } from '../../src/config';
import {
  createSettingsService,
  createTemplateService,
  currentSettingsForWorkers,
  type SettingsActor,
} from '../../src/settings';
import { startE2E, type E2E } from '../services/support/e2e-harness';
import { CONFIG_DIR } from '../services/support/service-context';

let e2e: E2E;
const admin: SettingsActor = {
  tenantId: '039',
  username: 'admin.ra',
  displayName: 'Admin Ravenna',
  permissions: new Set(['settings.edit']),
};

beforeAll(async () => {
  e2e = await startE2E();
  const config = loadProductConfig(CONFIG_DIR);
  const settings = createSettingsService({ connection: e2e.db.connection, config });
  const templates = createTemplateService({ connection: e2e.db.connection, config });
  // As product.ts wires it: the running workers read the current version for every job.
  e2e.ctx.current = currentSettingsForWorkers(settings, templates);
  (e2e as unknown as { settings: typeof settings }).settings = settings;
  (e2e as unknown as { templates: typeof templates }).templates = templates;
}, 120_000);

afterAll(async () => e2e?.close());

const request = (comuneIstat: string) => ({
  comuneIstat,
  subject: 'Servizio di pulizia degli uffici comunali',
  cpv: '90911200-8',
  contractType: 'services',
  amount: 130000,
  awardCriterion: 'lowestPrice',
  determinaNumber: '55/2026',
  determinaDate: '2026-11-03',
  rupName: 'Franco Marini',
  rupCodiceFiscale: 'RSSMRA80A01H501U',
  rupEmail: 'rup@demo.comune.test.it',
  fundingSource: 'ownFunds',
});

async function procedureOf(tenantId: string, comuneIstat: string): Promise<string> {
  const pi = await e2e.start('procurement', tenantId, request(comuneIstat));
  await e2e.submit(await e2e.userTask(pi, 'checkDocuments'), { documentsComplete: true });
  await e2e.completed(pi, 'selectProcedure');
  // The decision's result variable, as the history exporter recorded it (bounded poll).
  const d = e2e.db.connection.db!;
  for (const deadline = Date.now() + 30_000; Date.now() < deadline;) {
    for (const name of ['history_variables_active', 'history_variables']) {
      const v = await d.collection(name).findOne({ processInstanceKey: pi, name: 'procedure' });
      if (v)
        return String((JSON.parse(String(v.value)) as { procedureType: string }).procedureType);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no procedure variable for ${pi}: ${await e2e.describe(pi)}`);
}

it('a lower threshold saved for Ravenna changes the next Ravenna procedure, not Prato’s', async () => {
  const settings = (e2e as unknown as { settings: ReturnType<typeof createSettingsService> })
    .settings;
  // € 130,000 of services: below the € 140,000 direct-award threshold in both provinces.
  expect(await procedureOf('039', '039010')).toBe('directAward');
  expect(await procedureOf('100', '100005')).toBe('directAward');

  const current = await settings.current('039');
  const edited = structuredClone(current.effective);
  edited.procurement.thresholds.directAwardServicesSupplies = 120000;
  await settings.save(admin, edited, { message: 'Soglia interna per servizi e forniture' });

  expect(await procedureOf('039', '039010')).toBe('negotiated');
  expect(await procedureOf('100', '100005')).toBe('directAward');
});

it('a template saved for Ravenna is used by the next Ravenna e-mail, Prato keeps the default', async () => {
  const templates = (e2e as unknown as { templates: ReturnType<typeof createTemplateService> })
    .templates;
  const { text } = await templates.get('039', 'emails', 'richiesta-integrazione');
  await templates.save(
    admin,
    'emails',
    'richiesta-integrazione',
    text.replace(/^Oggetto: .*$/m, 'Oggetto: Ravenna chiede documenti - {{caseNumber}}'),
    { message: 'Oggetto più breve' },
  );
  for (const [tenantId, comune] of [
    ['039', '039010'],
    ['100', '100005'],
  ]) {
    const pi = await e2e.start('procurement', tenantId, { ...request(comune), amount: 50000 });
    await e2e.submit(await e2e.userTask(pi, 'checkDocuments'), {
      documentsComplete: false,
      missingDocuments: 'Manca il capitolato firmato.',
    });
    const mail = await e2e.mail(
      pi,
      (m) => m.text.includes('capitolato firmato') && m.subject.includes(`SUA-${tenantId}-`),
    );
    if (tenantId === '039') expect(mail.subject).toMatch(/^Ravenna chiede documenti - SUA-039-/);
    else expect(mail.subject).toMatch(/^Richiesta di integrazione documentale - pratica SUA-100-/);
  }
});
