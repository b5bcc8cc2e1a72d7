/**
 * Timer cycles given as cron expressions ("Timer events", time cycle), through the gateway
 * with the product's client: a timer start event starts one instance per occurrence, a
 * non-interrupting boundary event fires on every occurrence while its activity is active.
 * The expressions that fire fire every second, so the test waits (with a bounded poll) on
 * real time; the ones of the docs' kind (weekday mornings, office hours) are checked by the
 * due dates of their TIMER records against dates computed here with luxon. Where a time
 * cycle is not allowed (an interrupting boundary, an intermediate catch event) the deploy
 * is refused.
 */
import { DateTime } from 'luxon';
import type { LogRecord } from '../../src/engine/log/record';
import { isEvent, waitForRecord } from '../support/engine-log';
import {
  bpmn,
  chain,
  deploy,
  serviceTask,
  startEngineHarness,
  type EngineHarness,
} from '../support/engine-harness';

describe('cron time cycles (docs: "Timer events")', () => {
  let h: EngineHarness;
  beforeAll(async () => {
    h = await startEngineHarness();
  });
  afterAll(() => h.stop());

  /** Jobs of a type that are activatable right now (no long poll). */
  const jobsNow = (type: string, max: number) =>
    h.zbc.activateJobs({
      type,
      worker: 'conformance',
      maxJobsToActivate: max,
      timeout: 60_000,
      requestTimeout: -1,
    } as never);

  /** Polls for jobs of a type until `count` arrived (bounded by `ms`). */
  async function jobs(type: string, count: number, ms = 15_000) {
    const got: Awaited<ReturnType<typeof jobsNow>> = [];
    const deadline = Date.now() + ms;
    while (got.length < count && Date.now() < deadline) {
      got.push(...(await jobsNow(type, count - got.length)));
      if (got.length < count) await new Promise((r) => setTimeout(r, 50));
    }
    return got;
  }

  it('starts one instance per occurrence of a cron timer start event', async () => {
    const body = `<bpmn:startEvent id="tick"><bpmn:timerEventDefinition><bpmn:timeCycle>*/1 * * * * *</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>
      ${serviceTask('work', 'cron-start-work')}<bpmn:endEvent id="e"/>${chain(['tick', 'work', 'e'])}`;
    const deployed = await deploy(h.zbc, 'cron-start.bpmn', bpmn('cron-start', body));
    const started = await jobs('cron-start-work', 2);
    expect(new Set(started.map((j) => j.processInstanceKey)).size).toBe(2);
    // A new version without the timer stops the cycle (the old version's timer is canceled).
    const key = (deployed as { deployments: { process: { processDefinitionKey: string } }[] })
      .deployments[0].process.processDefinitionKey;
    const definitionOf = (j: object) =>
      (j as { processDefinitionKey?: string }).processDefinitionKey;
    expect(started.every((j) => definitionOf(j) === key)).toBe(true);
    await deploy(
      h.zbc,
      'cron-start.bpmn',
      bpmn('cron-start', `<bpmn:startEvent id="s"/><bpmn:endEvent id="e"/>${chain(['s', 'e'])}`),
    );
    for (const job of started) await h.zbc.completeJob({ jobKey: job.key, variables: {} } as never);
  });

  it('fires a non-interrupting cron boundary event on every occurrence until the activity completes', async () => {
    const body = `<bpmn:startEvent id="s"/>${serviceTask('review', 'cron-review')}
      <bpmn:boundaryEvent id="remind" attachedToRef="review" cancelActivity="false"><bpmn:timerEventDefinition><bpmn:timeCycle>*/1 * * * * ?</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:boundaryEvent>
      ${serviceTask('reminder', 'cron-reminder')}<bpmn:endEvent id="e1"/><bpmn:endEvent id="e2"/>
      ${chain(['s', 'review', 'e1'])}${chain(['remind', 'reminder', 'e2'])}`;
    await deploy(h.zbc, 'cron-boundary.bpmn', bpmn('cron-boundary', body));
    const result = h.zbc.createProcessInstanceWithResult({
      bpmnProcessId: 'cron-boundary',
      variables: {},
      requestTimeout: 30_000,
    } as never);
    const [review] = await jobs('cron-review', 1);
    const reminders = await jobs('cron-reminder', 2);
    expect(reminders).toHaveLength(2);
    expect(reminders.every((j) => j.processInstanceKey === review.processInstanceKey)).toBe(true);
    await h.zbc.completeJob({ jobKey: review.key, variables: { reviewed: true } } as never);
    // With the activity completed its timer is gone: once the reminders that already fired
    // are done, the instance ends.
    let done = false;
    const ended = result.then((r) => {
      done = true;
      return r;
    });
    for (const job of reminders)
      await h.zbc.completeJob({ jobKey: job.key, variables: {} } as never);
    const deadline = Date.now() + 10_000;
    while (!done && Date.now() < deadline) {
      for (const job of await jobs('cron-reminder', 1, 200))
        await h.zbc.completeJob({ jobKey: job.key, variables: {} } as never);
    }
    expect((await ended).variables).toEqual({ reviewed: true });
  });

  /** The TIMER CREATED record of an element (of one instance, or of the deployment). */
  const timerCreated = (targetElementId: string, processInstanceKey?: string) =>
    waitForRecord(
      h.engine,
      (r) => {
        const v = r.value as { targetElementId?: string; processInstanceKey?: unknown };
        return (
          isEvent(r, 'TIMER', 'CREATED') &&
          v.targetElementId === targetElementId &&
          (processInstanceKey === undefined || String(v.processInstanceKey) === processInstanceKey)
        );
      },
      `a timer for ${targetElementId}`,
    );
  const dueOf = (r: LogRecord) => (r.value as { dueDate: number }).dueDate;

  /** The first UTC instant after `after`, on a grid of `stepMinutes`, that `matches`. */
  function firstAfter(after: number, stepMinutes: number, matches: (t: DateTime) => boolean) {
    const step = stepMinutes * 60_000;
    let t = DateTime.fromMillis(Math.floor(after / step) * step + step, { zone: 'UTC' });
    for (let i = 0; i < 100_000 && !matches(t); i++) t = t.plus({ minutes: stepMinutes });
    return t.toMillis();
  }
  const weekday = (t: DateTime) => t.weekday <= 5;

  it('schedules the docs’ kind of expressions: weekday mornings, office hours, a FEEL cycle', async () => {
    await deploy(
      h.zbc,
      'cron-morning.bpmn',
      bpmn(
        'cron-morning',
        `<bpmn:startEvent id="morning"><bpmn:timerEventDefinition><bpmn:timeCycle>0 0 9 * * MON-FRI</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent><bpmn:endEvent id="e"/>${chain(['morning', 'e'])}`,
      ),
    );
    const morning = await timerCreated('morning');
    expect(dueOf(morning)).toBe(
      firstAfter(morning.timestamp, 60, (t) => weekday(t) && t.hour === 9),
    );
    const body = `<bpmn:startEvent id="s"/>${serviceTask('dossier', 'cron-dossier')}
      <bpmn:boundaryEvent id="hourly" attachedToRef="dossier" cancelActivity="false"><bpmn:timerEventDefinition><bpmn:timeCycle>0 0 9-17 * * MON-FRI</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:boundaryEvent>
      <bpmn:boundaryEvent id="monthly" attachedToRef="dossier" cancelActivity="false"><bpmn:timerEventDefinition><bpmn:timeCycle>=reminderCron</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:boundaryEvent>
      <bpmn:endEvent id="e"/><bpmn:endEvent id="e2"/><bpmn:endEvent id="e3"/>
      ${chain(['s', 'dossier', 'e'])}${chain(['hourly', 'e2'])}${chain(['monthly', 'e3'])}`;
    await deploy(h.zbc, 'cron-office.bpmn', bpmn('cron-office', body));
    const pi = await h.zbc.createProcessInstance({
      bpmnProcessId: 'cron-office',
      variables: { reminderCron: '0 30 8 1 * ?' },
    } as never);
    const hourly = await timerCreated('hourly', pi.processInstanceKey);
    expect(dueOf(hourly)).toBe(
      firstAfter(hourly.timestamp, 60, (t) => weekday(t) && t.hour >= 9 && t.hour <= 17),
    );
    const monthly = await timerCreated('monthly', pi.processInstanceKey);
    expect(dueOf(monthly)).toBe(
      firstAfter(monthly.timestamp, 30, (t) => t.day === 1 && t.hour === 8 && t.minute === 30),
    );
    await h.zbc.cancelProcessInstance(pi.processInstanceKey);
  });

  it('refuses a time cycle where the docs allow none, and a cron expression that is not one', async () => {
    const cycle = (c: string) =>
      `<bpmn:timerEventDefinition><bpmn:timeCycle>${c}</bpmn:timeCycle></bpmn:timerEventDefinition>`;
    const cases: [string, string, string][] = [
      [
        'cron-interrupting',
        `<bpmn:startEvent id="s"/>${serviceTask('work', 'cron-x')}<bpmn:boundaryEvent id="late" attachedToRef="work">${cycle('0 0 9 * * MON-FRI')}</bpmn:boundaryEvent><bpmn:endEvent id="e"/><bpmn:endEvent id="e2"/>${chain(['s', 'work', 'e'])}${chain(['late', 'e2'])}`,
        "'late'",
      ],
      [
        'cron-catch',
        `<bpmn:startEvent id="s"/><bpmn:intermediateCatchEvent id="wait">${cycle('0 0 9 * * MON-FRI')}</bpmn:intermediateCatchEvent><bpmn:endEvent id="e"/>${chain(['s', 'wait', 'e'])}`,
        "'wait'",
      ],
      [
        'cron-bad-hour',
        `<bpmn:startEvent id="tick">${cycle('0 0 25 * * *')}</bpmn:startEvent><bpmn:endEvent id="e"/>${chain(['tick', 'e'])}`,
        "'tick'",
      ],
    ];
    for (const [id, content, element] of cases) {
      const err = (await deploy(h.zbc, `${id}.bpmn`, bpmn(id, content)).then(
        () => undefined,
        (e: unknown) => e,
      )) as Error | undefined;
      expect(err?.message).toContain('INVALID_ARGUMENT');
      expect(err?.message).toContain(element);
    }
  });
});
