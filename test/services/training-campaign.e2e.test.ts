/**
 * A needs-survey campaign end to end: built-in engine + gateway, the real workers, real
 * database and SMTP server; staff complete their tasks with the forms. The province opens
 * a campaign for Faenza and Lugo; Faenza's staff answer at once and their head of office
 * validates; Lugo is late: its staff get the reminder, then the escalation reaches Lugo's
 * head of office and the training office (Faenza gets neither); Lugo answers; the needs
 * are analysed and prioritised, the training office drafts the plan from the proposal,
 * the Presidente's decree and each comune's approval follow, and the plan is adopted and
 * sent to the comuni.
 *
 * Reminder and escalation come `survey.reminderBefore` / `escalationBefore` before the
 * deadline (days in production). Here the province's settings put them 75 and 100
 * seconds after the campaign opens, so the test waits for real timers
 * to fire; every wait is on the awaited state (mail received, task created), bounded.
 */
import { DateTime } from 'luxon';
import { TIME_ZONE } from '../../src/time';
import { createTrainingStore, staffOf, SYLLABUS_COMPETENCE_IDS } from '../../src/training';
import { waitFor } from '../support/wait-for';
import { startE2E, type E2E, type UserTaskJob } from './support/e2e-harness';

let e2e: E2E;
let survey: { reminderBefore: string; escalationBefore: string };
beforeAll(async () => {
  e2e = await startE2E((config) => {
    const ravenna = config.provinces.get('039')!.settings as Record<
      string,
      Record<string, unknown>
    >;
    survey = { reminderBefore: 'P7D', escalationBefore: 'P2D' };
    ravenna.training = { ...ravenna.training, survey };
  });
}, 120_000);
afterAll(() => e2e?.close());

const FAENZA = '039010';
const LUGO = '039012';

function selfAssessment(roleBand: string, gapsIn: string[]): Record<string, unknown> {
  return {
    roleBand,
    competences: Object.fromEntries(
      SYLLABUS_COMPETENCE_IDS.map((id) => [id, gapsIn.includes(id) ? 'none' : 'avanzato']),
    ),
    mandatoryTopicsDone: ['safety'],
    preferredMode: 'webinar',
    preferredPeriod: 'q2',
  };
}

async function answerFor(comuneIstat: string, campaignKey: string): Promise<void> {
  const province = e2e.config.provinces.get('039')!;
  const people = staffOf(province, [comuneIstat]);
  expect(people.length).toBeGreaterThanOrEqual(2);
  const ofPerson = (elementId: string, username: string) => (t: UserTaskJob) =>
    t.elementId === elementId &&
    t.variables.campaignKey === campaignKey &&
    (t.variables.employee as { username?: string } | undefined)?.username === username;
  for (const person of people) {
    const task = await e2e.findUserTask(
      `self-assessment of ${person.username}`,
      ofPerson('selfAssessment', person.username),
    );
    expect(task.assignee).toBe(person.username);
    await e2e.submit(task, selfAssessment(person.roleBand, ['c1_3', 'c4_2']));
    const validation = await e2e.findUserTask(
      `validation for ${person.username}`,
      ofPerson('validateAssessment', person.username),
    );
    await e2e.submit(validation, { assessmentValidated: true });
  }
}

it('runs a campaign for two comuni, one late (reminder, then escalation), to the adopted plan', async () => {
  const store = createTrainingStore(e2e.db.connection);
  const now = DateTime.now().setZone(TIME_ZONE);
  const deadline = now.plus({ days: 2 }).toISODate()!;
  const deadlineAt = DateTime.fromISO(deadline, { zone: TIME_ZONE }).endOf('day');
  const secondsToDeadline = Math.floor(deadlineAt.diff(now, 'seconds').seconds);
  survey.reminderBefore = `PT${secondsToDeadline - 75}S`;
  survey.escalationBefore = `PT${secondsToDeadline - 100}S`;

  const campaignPi = await e2e.start('training-campaign', '039', {
    campaignTitle: 'Rilevazione dei fabbisogni formativi 2027',
    year: 2027,
    areas: ['digital', 'public-values'],
    deadline,
    comuni: [FAENZA, LUGO],
  });
  await e2e.completed(campaignPi, 'openCampaign');
  const campaign = await store.campaign('039', campaignPi);
  expect(campaign?.comuni.map((c) => c.comuneIstat).sort()).toEqual([FAENZA, LUGO]);

  // Faenza answers on time.
  await answerFor(FAENZA, campaignPi);
  await waitFor(
    "Faenza's survey recorded as complete",
    async () =>
      (await store.campaign('039', campaignPi))?.comuni.find((c) => c.comuneIstat === FAENZA)
        ?.status !== 'open',
    { timeoutMs: 60_000, intervalMs: 250 },
  );

  // Lugo is late: first the reminder to Lugo's staff still to answer...
  const reminder = await e2e.smtp.waitFor(
    (m) => m.to.includes('anagrafe@demo.comune.lugo.ra.it') && /[Ss]ollecito/.test(m.subject),
    'the reminder to Lugo',
    150_000,
  );
  expect(reminder.to).toContain('protocollo@comune.lugo.ra.it');
  expect(reminder.to.some((a) => a.includes('faenza'))).toBe(false);
  expect(reminder.text).toContain('Lugo');
  // ...then the escalation to Lugo's head of office and the province's training office.
  const escalation = await e2e.smtp.waitFor(
    (m) => m.to.includes('formazione@demo.provincia.ra.it'),
    'the escalation about Lugo',
    150_000,
  );
  expect(escalation.to).toContain('dirigente.demografici@demo.comune.lugo.ra.it');
  expect(escalation.to.some((a) => a.includes('faenza'))).toBe(false);
  // The worker records the escalation right after sending it.
  const afterEscalation = await waitFor(
    "Lugo's escalation recorded",
    async () => {
      const c = await store.campaign('039', campaignPi);
      return c?.comuni.find((x) => x.comuneIstat === LUGO)?.escalatedAt ? c : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 250 },
  );
  const lugo = afterEscalation!.comuni.find((c) => c.comuneIstat === LUGO)!;
  const faenza = afterEscalation!.comuni.find((c) => c.comuneIstat === FAENZA)!;
  expect(lugo.remindedAt).toBeDefined();
  expect(lugo.escalatedAt).toBeDefined();
  expect(lugo.remindedAt!.getTime()).toBeLessThanOrEqual(lugo.escalatedAt!.getTime());
  expect(faenza.remindedAt).toBeUndefined();

  // Lugo answers after all; the survey closes with both comuni and the analysis follows.
  await answerFor(LUGO, campaignPi);
  const draft = await e2e.userTask(campaignPi, 'draftPlan', 120_000);
  expect(draft.candidateGroups).toContain('training-officer');
  const proposed = draft.variables.planActions as { area: string; hoursPerCapita: number }[];
  expect(proposed.length).toBeGreaterThan(0);
  expect(String(draft.variables.planTitle)).toBe('Piano della formazione 2027');
  await e2e.submit(draft, {
    planTitle: draft.variables.planTitle,
    planObjectives: draft.variables.planObjectives,
    planActions: proposed,
    financialResources: { own: 5000, state: 2000, eu: 0 },
    deliveryMethods: 'Webinar e aula, con test finale e questionario di gradimento.',
  });
  const decree = await e2e.userTask(campaignPi, 'presidentDecree');
  await e2e.submit(decree, {
    decreeNumber: '12',
    decreeDate: now.toISODate()!,
    decreeSignedBy: 'Il Presidente della Provincia',
  });
  for (const istat of [FAENZA, LUGO]) {
    const approval = await e2e.findUserTask(
      `approval of ${istat}`,
      (t) => t.elementId === 'comuneApprovals' && t.variables.comuneIstat === istat,
    );
    // An approval names the act that approved it.
    await expect(
      e2e.submit(approval, { sectionApproved: true, approvalOrgan: 'giunta' }),
    ).rejects.toThrow(/approvalActNumber: campo obbligatorio/);
    await e2e.submit(approval, {
      sectionApproved: true,
      approvalOrgan: 'giunta',
      approvalActNumber: `DG-${istat}-45`,
      approvalActDate: now.toISODate()!,
    });
  }
  await e2e.completed(campaignPi, 'planAdopted');
  const adopted = await e2e.mail(
    campaignPi,
    (m) =>
      m.to.includes('protocollo@comune.faenza.ra.it') &&
      m.to.includes('protocollo@comune.lugo.ra.it'),
    'the adopted plan sent to the comuni',
  );
  expect(adopted.subject).toMatch(/[Pp]iano della formazione/);
  expect((await store.campaign('039', campaignPi))?.status).toBe('adopted');
}, 420_000);
