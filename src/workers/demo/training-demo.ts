/**
 * Demo data of the training line for a province: a course open for enrolment in the
 * catalogue and a needs-survey campaign in progress, in which the staff of one comune
 * have answered (self-assessments validated by the head of office) and one person of
 * another comune has answered but is not validated yet. Everything goes through the
 * processes, the workers and the forms, as staff would do it in the inbox.
 */
import { DateTime } from 'luxon';
import type { ProvinceConfig } from '../../config';
import { loadFormRegistry } from '../../forms';
import { TIME_ZONE } from '../../time';
import { staffOf } from '../../training';
import { createZeebeClient, type ZeebeClient } from '../runtime';

const USER_TASK = 'io.camunda.zeebe:userTask';

interface TaskStep {
  what: string;
  matches(job: { elementId: string; variables: Record<string, unknown> }): boolean;
  formKey: string;
  data: Record<string, unknown>;
}

export interface TrainingDemoReport {
  courseKey?: string;
  campaignKey?: string;
  stepsDone: number;
  stepsPlanned: number;
}

const date = (days: number, now: Date) =>
  DateTime.fromJSDate(now, { zone: TIME_ZONE }).plus({ days }).toISODate()!;

/** A self-assessment that leaves some gaps (so the analysis has something to rank). */
function assessment(roleBand: string, variant: number): Record<string, unknown> {
  const levels = [
    'base',
    'intermedio',
    'none',
    'base',
    'avanzato',
    'base',
    'intermedio',
    'base',
    'none',
    'intermedio',
    'base',
  ];
  const ids = [
    'c1_1',
    'c1_2',
    'c1_3',
    'c2_1',
    'c2_2',
    'c3_1',
    'c3_2',
    'c4_1',
    'c4_2',
    'c5_1',
    'c5_2',
  ];
  return {
    roleBand,
    competences: Object.fromEntries(
      ids.map((id, i) => [id, levels[(i + variant) % levels.length]]),
    ),
    mandatoryTopicsDone: variant % 2 === 0 ? ['safety', 'anti-corruption'] : ['safety'],
    preferredMode: variant % 2 === 0 ? 'e-learning' : 'webinar',
    preferredPeriod: 'q1',
  };
}

export async function startTrainingDemo(
  client: ZeebeClient,
  province: ProvinceConfig,
  gatewayAddress: string | undefined,
  now: Date = new Date(),
): Promise<TrainingDemoReport> {
  const tenantId = province.tenantId;
  const staff = staffOf(province);
  const tutor = province.users.find((u) => u.roles.includes('training-officer'));
  const report: TrainingDemoReport = { stepsDone: 0, stepsPlanned: 0 };
  if (staff.length === 0 || !tutor) return report;
  const year = DateTime.fromJSDate(now, { zone: TIME_ZONE }).year + 1;

  const course = await client.createProcessInstance({
    bpmnProcessId: 'training-course',
    tenantId,
    variables: {
      courseCode: `SYL-${year}-${tenantId}`,
      courseTitle: 'Sicurezza informatica e protezione dei dati personali (Syllabus)',
      source: 'syllabus',
      area: 'digital',
      mandatory: false,
      mode: 'e-learning',
      sessions: [
        { date: date(40, now), hours: 6, topic: 'Proteggere i dispositivi' },
        { date: date(47, now), hours: 6, topic: 'Proteggere i dati personali e la privacy' },
      ],
      seats: 25,
      testQuestions: 30,
      enrolmentDeadline: date(30, now),
      tutorUsername: tutor.username,
      cost: 0,
      fundingSource: 'state',
    } as never,
  });
  report.courseKey = String(course.processInstanceKey);

  const campaign = await client.createProcessInstance({
    bpmnProcessId: 'training-campaign',
    tenantId,
    variables: {
      campaignTitle: `Rilevazione dei fabbisogni formativi ${year}`,
      year,
      areas: ['digital', 'administrative', 'public-values'],
      deadline: date(21, now),
      campaignNotes:
        'Compilare l’autovalutazione entro il termine; il dirigente dell’ufficio la convalida.',
    } as never,
  });
  const campaignKey = String(campaign.processInstanceKey);
  report.campaignKey = campaignKey;

  // The first comune answers completely; one person of the second answers, not yet validated.
  const comuni = [...new Set(staff.map((s) => s.comuneIstat))];
  const steps: TaskStep[] = [];
  staff.forEach((person, i) => {
    const ofCampaign =
      (elementId: string) => (job: { elementId: string; variables: Record<string, unknown> }) =>
        job.elementId === elementId &&
        job.variables.campaignKey === campaignKey &&
        (job.variables.employee as { username?: string } | undefined)?.username === person.username;
    if (person.comuneIstat === comuni[0]) {
      steps.push({
        what: `self-assessment of ${person.username}`,
        matches: ofCampaign('selfAssessment'),
        formKey: 'training-self-assessment',
        data: assessment(person.roleBand, i),
      });
      steps.push({
        what: `validation for ${person.username}`,
        matches: ofCampaign('validateAssessment'),
        formKey: 'training-assessment-validation',
        data: { assessmentValidated: true },
      });
    } else if (
      person.comuneIstat === comuni[1] &&
      person.roleBand !== 'dirigente' &&
      !steps.some((s) => s.what.includes(comuni[1]))
    ) {
      steps.push({
        what: `self-assessment of ${person.username} (${comuni[1]})`,
        matches: ofCampaign('selfAssessment'),
        formKey: 'training-self-assessment',
        data: assessment(person.roleBand, i),
      });
    }
  });
  report.stepsPlanned = steps.length;
  if (gatewayAddress) report.stepsDone = await completeTasks(gatewayAddress, tenantId, steps);
  return report;
}

/** Works the demo's user tasks like staff would (form data validated by the forms). */
async function completeTasks(
  gatewayAddress: string,
  tenantId: string,
  steps: TaskStep[],
  timeoutMs = 30_000,
): Promise<number> {
  const forms = loadFormRegistry();
  for (const s of steps) forms.assertValid(s.formKey, s.data);
  const todo = [...steps];
  let done = 0;
  // @camunda8/sdk 8.8 activates jobs of the client's own tenant only.
  const tenantClient = createZeebeClient(gatewayAddress, { tenantId });
  const deadline = Date.now() + timeoutMs;
  try {
    while (todo.length > 0 && Date.now() < deadline) {
      const jobs = await tenantClient.activateJobs({
        type: USER_TASK,
        worker: 'demo-data',
        maxJobsToActivate: 100,
        // Short lock: tasks that are not the demo's go back to the inbox quickly.
        timeout: 2_000,
        requestTimeout: -1,
      });
      if (jobs.length === 0) await new Promise((r) => setTimeout(r, 200));
      for (const job of jobs) {
        const i = todo.findIndex((s) =>
          s.matches({
            elementId: job.elementId,
            variables: job.variables as Record<string, unknown>,
          }),
        );
        if (i < 0) continue;
        const [step] = todo.splice(i, 1);
        await tenantClient.completeJob({ jobKey: job.key, variables: step.data as never });
        done += 1;
      }
    }
  } finally {
    await tenantClient.close();
  }
  return done;
}
