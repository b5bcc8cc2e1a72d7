/**
 * The SAPE process end to end: built-in engine + gateway, the real workers, real
 * database and SMTP server; staff complete user tasks with forms; the evaluation
 * result arrives as a correlated message.
 */
import { startE2E, type E2E, type UserTaskJob } from './support/e2e-harness';

let e2e: E2E;
const euFunding = (tenantId: string) =>
  e2e.config.provinces.get(tenantId)!.settings.euFunding as Record<string, unknown>;

beforeAll(async () => {
  e2e = await startE2E();
}, 120_000);

afterAll(async () => {
  await e2e?.close();
});

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

const interest = (callId: string, callDeadline: string) => ({
  comuneIstat: '039014',
  callId,
  callTitle: 'LIFE - Adattamento ai cambiamenti climatici',
  programme: 'life',
  theme: 'environment',
  callDeadline,
  requestedAmount: 450000,
  coFinancingRate: 40,
  projectIdea: 'Forestazione urbana e rinaturalizzazione dei canali di scolo in città.',
  contactName: 'Elena Galli',
  contactEmail: 'ambiente@comune.ravenna.it',
});

async function prepareAndSubmit(
  pi: string,
  proposalNumber: string,
  beforeSubmit?: (t: UserTaskJob) => Promise<void>,
) {
  await e2e.submit(await e2e.userTask(pi, 'checkEligibility'), {
    applicantTypeOk: true,
    coFinancingOk: true,
    partnershipOk: true,
    deadlineOk: true,
    eligible: true,
  });
  await e2e.submit(await e2e.userTask(pi, 'partnerSearch'), {
    partners: [
      { name: 'Comune di Ravenna', country: 'IT', role: 'coordinator' },
      { name: 'Ville de Nantes', country: 'FR', role: 'partner' },
    ],
  });
  await e2e.submit(await e2e.userTask(pi, 'budgetPreparation'), {
    totalBudget: 750000,
    euContribution: 450000,
    coFinancingAmount: 300000,
  });
  await e2e.submit(await e2e.userTask(pi, 'proposalDrafting'), {
    proposalTitle: 'Ravenna città spugna',
    proposalSummary: 'Interventi di drenaggio urbano sostenibile e forestazione in tre quartieri.',
  });
  await e2e.submit(await e2e.userTask(pi, 'giuntaApproval'), {
    giuntaApproved: true,
    deliberaNumber: '215',
    deliberaDate: '2026-11-20',
  });
  const submit = await e2e.userTask(pi, 'submitApplication');
  if (beforeSubmit) await beforeSubmit(submit);
  await e2e.submit(submit, { proposalNumber, submittedAt: new Date().toISOString() });
}

async function indicator(pi: string) {
  await e2e.audited(pi, 'euFunding.recordOutcome');
  return e2e.db.connection.db!.collection('indicators').findOne({ processInstanceKey: pi });
}

it('funded: grant agreement with CUP and two reporting periods', async () => {
  const pi = await e2e.start('eu-funding', '039', interest('LIFE-2026-SAP-CLIMA', inDays(60)));
  await prepareAndSubmit(pi, '101123456');
  await e2e.staff.publishMessage({
    name: 'euFundingEvaluationResult',
    correlationKey: '101123456',
    tenantId: '039',
    timeToLive: 60_000,
    variables: { funded: true, evaluationScore: 86 },
  });
  await e2e.submit(await e2e.userTask(pi, 'grantAgreement'), {
    grantAgreementNumber: '101123456-LIFE',
    grantAmount: 450000,
    cup: 'J31B21001230006',
    reportingPeriods: [
      { label: 'RP1', endDate: '2027-12-31' },
      { label: 'RP2', endDate: '2028-12-31' },
    ],
  });
  const first = await e2e.userTask(pi, 'reportPeriod');
  expect(first.variables.reportingPeriod).toEqual({ label: 'RP1', endDate: '2027-12-31' });
  await e2e.submit(first, {
    report: { expenditure: 200000, activitiesSummary: 'Progettazione e primi cantieri.' },
  });
  const second = await e2e.userTask(pi, 'reportPeriod');
  expect(second.variables.reportingPeriod).toEqual({ label: 'RP2', endDate: '2028-12-31' });
  await e2e.submit(second, {
    report: { expenditure: 250000, activitiesSummary: 'Completamento delle opere.' },
  });
  expect(await indicator(pi)).toMatchObject({
    outcome: 'funded',
    grantAmount: 450000,
    reportedPeriods: 2,
    reportedExpenditure: 450000,
  });
});

it('rejected: the evaluation feedback is recorded', async () => {
  const pi = await e2e.start('eu-funding', '039', {
    ...interest('CERV-2026-CITIZENS-TOWN', inDays(45)),
    callTitle: 'CERV - Gemellaggi',
  });
  await prepareAndSubmit(pi, '101999888');
  await e2e.staff.publishMessage({
    name: 'euFundingEvaluationResult',
    correlationKey: '101999888',
    tenantId: '039',
    timeToLive: 60_000,
    variables: { funded: false, evaluationScore: 61 },
  });
  await e2e.submit(await e2e.userTask(pi, 'rejectionFeedback'), {
    evaluationScore: 61,
    feedback: 'Impatto poco quantificato; partenariato troppo ristretto.',
  });
  expect(await indicator(pi)).toMatchObject({ outcome: 'rejected', grantAmount: null });
});

it('evaluation time-out: no result in time, the SAPE and the comune are told', async () => {
  euFunding('100').evaluationTimeout = 'PT2S';
  const pi = await e2e.start('eu-funding', '100', {
    ...interest('DIGITAL-2026-SMARTCOMMUNITIES', inDays(40)),
    comuneIstat: '100005',
    contactEmail: 'innovazione@comune.prato.it',
  });
  await prepareAndSubmit(pi, '101555000');
  const mail = await e2e.mail(
    pi,
    (m) => m.subject === 'Esito non pervenuto - candidatura 101555000',
  );
  expect(mail.to).toEqual(
    expect.arrayContaining(['innovazione@comune.prato.it', 'sape@demo.provincia.prato.it']),
  );
  expect(await indicator(pi)).toMatchObject({ outcome: 'evaluationTimeout' });
});

it('deadline escalation: reminder and escalation before the call deadline, then submitted in time', async () => {
  const s = euFunding('039');
  s.submissionReminderBefore = 'PT50S';
  s.submissionEscalationBefore = 'PT45S';
  const pi = await e2e.start(
    'eu-funding',
    '039',
    interest('LIFE-2026-URGENT', new Date(Date.now() + 60_000).toISOString()),
  );
  await prepareAndSubmit(pi, '101777777', async () => {
    const reminder = await e2e.mail(pi, (m) =>
      m.subject.startsWith('Promemoria - scadenza del bando LIFE-2026-URGENT'),
    );
    expect(reminder.to).toEqual(
      expect.arrayContaining(['ambiente@comune.ravenna.it', 'sape@demo.provincia.ra.it']),
    );
    const escalation = await e2e.mail(pi, (m) =>
      m.subject.startsWith('URGENTE - bando LIFE-2026-URGENT'),
    );
    expect(escalation.to).toContain('admin@demo.provincia.ra.it');
  });
  await e2e.staff.publishMessage({
    name: 'euFundingEvaluationResult',
    correlationKey: '101777777',
    tenantId: '039',
    timeToLive: 60_000,
    variables: { funded: false },
  });
  await e2e.userTask(pi, 'rejectionFeedback');
  const missed = await e2e.db.connection
    .db!.collection('indicators')
    .findOne({ processInstanceKey: pi, outcome: 'deadlineMissed' });
  expect(missed).toBeNull();
});

it('scouting: open calls matched to the comuni by the DMN (multi-instance) and e-mailed', async () => {
  const pi = await e2e.start('eu-call-scouting', '100', {});
  const mail = await e2e.mail(
    pi,
    (m) => m.subject === 'Bandi europei di interesse per il Comune di Carmignano',
  );
  expect(mail.text).toContain('LIFE-2026-SAP-CLIMA');
  expect(mail.text).toContain('DIGITAL-2026-SMARTCOMMUNITIES');
  // CERV closes in 10 days (too close) and Horizon is not open to comuni.
  expect(mail.text).not.toContain('CERV-2026');
  expect(mail.text).not.toContain('HORIZON-2026');
  const [entry] = await e2e.audited(pi, 'euFunding.notifyMatches');
  expect(entry.details).toMatchObject({
    relevant: ['LIFE-2026-SAP-CLIMA', 'DIGITAL-2026-SMARTCOMMUNITIES'],
  });
});

it('an expression of interest sent as a message starts an application', async () => {
  await e2e.staff.publishMessage({
    name: 'euFundingInterest',
    correlationKey: '',
    tenantId: '039',
    timeToLive: 0,
    variables: { ...interest('LIFE-2026-MESSAGE', inDays(45)), comuneIstat: '039007' },
  });
  const audit = e2e.db.connection.db!.collection('auditTrail');
  const started = Date.now();
  for (;;) {
    const entry = await audit.findOne({
      action: 'euFunding.openCase',
      'details.callDeadlineAt': { $exists: true },
      summary: /LIFE-2026-MESSAGE/,
    });
    if (entry) {
      await e2e.userTask(String(entry.processInstanceKey), 'checkEligibility');
      return;
    }
    if (Date.now() - started > 45_000) throw new Error('No instance was started by the message');
    await new Promise((r) => setTimeout(r, 100));
  }
});
