/**
 * Cron time cycles over days ("Timer events": "0 0 9-17 * * MON-FRI: every hour on the
 * hour from 9-5 p.m. UTC Monday-Friday"), on the engine's controllable clock and through
 * the gateway with the product's client: a weekday timer start event starts an instance on
 * Friday and next on Monday, none at the weekend; a non-interrupting office-hours boundary
 * event reminds at 17:00 on Friday and next at 9:00 on Monday, and its timer is cancelled
 * when the activity completes.
 */
import type { LogRecord } from '../../src/engine/log/record';
import { ManualClock } from '../../src/engine/scheduler/clock';
import { isEvent, ofInstance, waitForRecord } from '../support/engine-log';
import {
  bpmn,
  chain,
  deploy,
  serviceTask,
  startEngineHarness,
  type EngineHarness,
} from '../support/engine-harness';
import { waitFor } from '../support/wait-for';

const HOUR = 3_600_000;
const at = (iso: string) => Date.parse(iso);

describe('cron time cycles on the engine clock (docs: "Timer events")', () => {
  // Friday 4 December 2026, 08:59:30 UTC.
  const clock = new ManualClock(at('2026-12-04T08:59:30Z'));
  let h: EngineHarness;
  beforeAll(async () => {
    h = await startEngineHarness({ clock });
  });
  afterAll(() => h.stop());

  /** Moves the engine clock to `iso`. */
  const advanceTo = (iso: string) => clock.advance(at(iso) - clock.now());

  /** Waits (real time, bounded) for the next job of a type; no long poll on a manual clock. */
  const nextJob = (type: string) =>
    waitFor(`a job of type ${type}`, async () => {
      const [job] = await h.zbc.activateJobs({
        type,
        worker: 'conformance',
        maxJobsToActivate: 1,
        timeout: 30 * 24 * HOUR, // outlives the days the clock jumps
        requestTimeout: -1,
      } as never);
      return job;
    });

  const timers = async (intent: string, elementId: string) =>
    (await h.engine.readLog()).filter(
      (r) =>
        isEvent(r, 'TIMER', intent) &&
        (r.value as { targetElementId?: string }).targetElementId === elementId,
    );
  const dueOf = (r: LogRecord) => (r.value as { dueDate: number }).dueDate;

  it('starts an instance on weekday mornings only', async () => {
    const body = `<bpmn:startEvent id="weekdays"><bpmn:timerEventDefinition><bpmn:timeCycle>0 0 9 * * MON-FRI</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>
      ${serviceTask('collect', 'cc-collect')}<bpmn:endEvent id="e"/>${chain(['weekdays', 'collect', 'e'])}`;
    await deploy(h.zbc, 'cc-weekdays.bpmn', bpmn('cc-weekdays', body));
    const [first] = await timers('CREATED', 'weekdays');
    expect(dueOf(first)).toBe(at('2026-12-04T09:00:00Z'));
    advanceTo('2026-12-04T09:00:01Z');
    const friday = await nextJob('cc-collect');
    // The next occurrence is Monday: Saturday and Sunday are skipped.
    const next = await waitFor(
      'the timer rescheduled',
      async () => (await timers('CREATED', 'weekdays'))[1],
    );
    expect(dueOf(next)).toBe(at('2026-12-07T09:00:00Z'));
    advanceTo('2026-12-05T09:00:01Z');
    advanceTo('2026-12-06T09:00:01Z');
    advanceTo('2026-12-07T09:00:01Z');
    const monday = await nextJob('cc-collect');
    expect(monday.processInstanceKey).not.toBe(friday.processInstanceKey);
    const started = (await h.engine.readLog()).filter(
      (r) =>
        isEvent(r, 'PROCESS_INSTANCE', 'ELEMENT_ACTIVATED') &&
        (r.value as { bpmnElementType?: string; bpmnProcessId?: string }).bpmnElementType ===
          'PROCESS' &&
        (r.value as { bpmnProcessId?: string }).bpmnProcessId === 'cc-weekdays',
    );
    expect(started.map((r) => r.timestamp)).toEqual([
      at('2026-12-04T09:00:01Z'),
      at('2026-12-07T09:00:01Z'),
    ]);
    for (const job of [friday, monday])
      await h.zbc.completeJob({ jobKey: job.key, variables: {} } as never);
  });

  it('reminds in office hours with a non-interrupting boundary until the activity completes', async () => {
    advanceTo('2026-12-11T16:30:00Z'); // Friday afternoon
    const body = `<bpmn:startEvent id="s"/>${serviceTask('examine', 'cc-examine')}
      <bpmn:boundaryEvent id="officeHours" attachedToRef="examine" cancelActivity="false"><bpmn:timerEventDefinition><bpmn:timeCycle>0 0 9-17 * * MON-FRI</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:boundaryEvent>
      ${serviceTask('remind', 'cc-remind')}<bpmn:endEvent id="e1"/><bpmn:endEvent id="e2"/>
      ${chain(['s', 'examine', 'e1'])}${chain(['officeHours', 'remind', 'e2'])}`;
    await deploy(h.zbc, 'cc-office.bpmn', bpmn('cc-office', body));
    const pi = (
      await h.zbc.createProcessInstance({ bpmnProcessId: 'cc-office', variables: {} } as never)
    ).processInstanceKey;
    const examine = await nextJob('cc-examine');
    advanceTo('2026-12-11T17:00:00Z');
    const friday = await nextJob('cc-remind');
    expect(friday.processInstanceKey).toBe(pi);
    const rescheduled = await waitFor(
      'the boundary timer rescheduled',
      async () => (await timers('CREATED', 'officeHours'))[1],
    );
    expect(dueOf(rescheduled)).toBe(at('2026-12-14T09:00:00Z'));
    advanceTo('2026-12-14T09:00:00Z');
    const monday = await nextJob('cc-remind');
    expect(monday.processInstanceKey).toBe(pi);
    // Completing the activity cancels its cycle; the instance then ends with the reminders.
    await h.zbc.completeJob({ jobKey: examine.key, variables: {} } as never);
    const [cancelled] = await waitFor('the boundary timer cancelled', async () => {
      const found = await timers('CANCELED', 'officeHours');
      return found.length ? found : undefined;
    });
    expect(cancelled.key).toBe((await timers('CREATED', 'officeHours'))[2].key);
    for (const job of [friday, monday])
      await h.zbc.completeJob({ jobKey: job.key, variables: {} } as never);
    await waitForRecord(
      h.engine,
      (r) =>
        isEvent(r, 'PROCESS_INSTANCE', 'ELEMENT_COMPLETED') &&
        ofInstance(r, pi) &&
        (r.value as { bpmnElementType?: string }).bpmnElementType === 'PROCESS',
      'the instance completed',
    );
    const fired = await timers('TRIGGERED', 'officeHours');
    expect(fired.map((r) => r.timestamp)).toEqual([
      at('2026-12-11T17:00:00Z'),
      at('2026-12-14T09:00:00Z'),
    ]);
  });
});
