/**
 * The engine's controllable clock (issue 9, "honest, deterministic tests"): an engine
 * created with a ManualClock runs timers, job time-outs and the rest on it, and
 * `engine.clock.advance(ms)` resolves once what fell due has been processed and is
 * durable — a 30-day reminder is tested without sleeping and without polling. Through the
 * gateway with the product's Zeebe client.
 */
import { ManualClock } from '../../src/engine';
import {
  bpmn,
  chain,
  deploy,
  serviceTask,
  startEngineHarness,
  type EngineHarness,
} from '../support/engine-harness';
import { deploy as deployTo, startTestEngine } from './support';

const DAY = 24 * 3_600_000;

const reminder = bpmn(
  'reminder',
  `<bpmn:startEvent id="s" />
   ${serviceTask('review', 'clock-review')}
   <bpmn:boundaryEvent id="after30days" attachedToRef="review" cancelActivity="false">
     <bpmn:timerEventDefinition><bpmn:timeDuration>P30D</bpmn:timeDuration></bpmn:timerEventDefinition>
   </bpmn:boundaryEvent>
   ${serviceTask('remind', 'clock-remind')}
   <bpmn:endEvent id="reminded" />
   <bpmn:endEvent id="e" />
   ${chain(['s', 'review', 'e'])}
   ${chain(['after30days', 'remind', 'reminded'])}`,
);

describe('engine.clock on a ManualClock', () => {
  const clock = new ManualClock(Date.parse('2026-12-01T09:00:00Z'));
  let h: EngineHarness;
  beforeAll(async () => {
    h = await startEngineHarness({ clock });
    await deploy(h.zbc, 'reminder.bpmn', reminder);
  });
  afterAll(() => h.stop());

  const recordsOf = async (key: string, valueType: string, intent: string) =>
    (await h.engine.readLog()).filter(
      (r) =>
        r.valueType === valueType &&
        r.intent === intent &&
        r.recordType === 'EVENT' &&
        String(r.value.processInstanceKey) === key,
    );

  it('fires a 30-day reminder when the clock reaches it, not before', async () => {
    const { processInstanceKey: key } = await h.zbc.createProcessInstance({
      bpmnProcessId: 'reminder',
      variables: {},
    });
    const [timer] = await recordsOf(key, 'TIMER', 'CREATED');
    expect(timer.value.dueDate).toBe(h.engine.clock.now() + 30 * DAY);

    await h.engine.clock.advance(30 * DAY - 1000);
    expect(await recordsOf(key, 'TIMER', 'TRIGGERED')).toHaveLength(0);

    await h.engine.clock.advance(1000);
    // Settled when advance resolves: no polling.
    expect(await recordsOf(key, 'TIMER', 'TRIGGERED')).toHaveLength(1);
    const [job] = await recordsOf(key, 'JOB', 'CREATED').then((jobs) =>
      jobs.filter((j) => j.value.type === 'clock-remind'),
    );
    expect(job).toBeDefined();
    // The review goes on (non-interrupting) and the reminder's job is there to work.
    const jobs = await h.zbc.activateJobs({
      type: 'clock-remind',
      worker: 'clock-test',
      maxJobsToActivate: 5,
      timeout: 60_000,
      requestTimeout: -1,
    } as never);
    expect(jobs.map((j) => j.processInstanceKey)).toEqual([key]);
  });

  it('times out an activated job when the clock passes its deadline', async () => {
    const { processInstanceKey: key } = await h.zbc.createProcessInstance({
      bpmnProcessId: 'reminder',
      variables: {},
    });
    const jobs = await h.zbc.activateJobs({
      type: 'clock-review',
      worker: 'clock-test',
      maxJobsToActivate: 5,
      timeout: 10 * 60_000,
      requestTimeout: -1,
    } as never);
    // The first test's review is still open too.
    const job = jobs.find((j) => j.processInstanceKey === key)!;
    expect(job).toBeDefined();
    await h.engine.clock.advance(10 * 60_000 + 1);
    const timedOut = (await h.engine.readLog()).filter(
      (r) => r.valueType === 'JOB' && r.intent === 'TIMED_OUT' && String(r.key) === job.key,
    );
    expect(timedOut).toHaveLength(1);
  });
});

it('engine.clock.advance is refused on the wall clock', async () => {
  const t = await startTestEngine();
  try {
    await expect(t.engine.clock.advance(1000)).rejects.toThrow(/ManualClock/);
    expect(Math.abs(t.engine.clock.now() - Date.now())).toBeLessThan(5000);
  } finally {
    await t.close();
  }
});

describe('waits longer than Node timers allow (2^31 ms, issue 9 item 5)', () => {
  const LONG = 2 ** 31 + 1000;
  const oneJob = bpmn(
    'long_wait',
    `<bpmn:startEvent id="s" />${serviceTask('work', 'long-wait-work')}<bpmn:endEvent id="e" />
     ${chain(['s', 'work', 'e'])}`,
  );

  it('a long poll and a result wait beyond 2^31 ms wait instead of ending at once', async () => {
    const t = await startTestEngine();
    try {
      await deployTo(t.engine, 'long-wait.bpmn', oneJob);
      const poll = t.engine.activateJobs({
        type: 'long-wait-work',
        worker: 'w',
        timeout: 60_000,
        maxJobsToActivate: 1,
        requestTimeoutMs: LONG,
      });
      const result = t.engine.createProcessInstanceWithResult({
        request: { bpmnProcessId: 'long_wait' },
        requestTimeoutMs: 30 * DAY,
      });
      // The poll was still waiting when the job was created: it receives it.
      const jobs = await poll;
      expect(jobs).toHaveLength(1);
      await t.engine.completeJob({ jobKey: jobs[0].key, variables: { answered: true } });
      expect((await result).variables).toMatchObject({ answered: true });
    } finally {
      await t.close();
    }
  });
});
