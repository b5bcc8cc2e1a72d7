/**
 * Timer cycles given as cron expressions ("Timer events", time cycle), through the gateway
 * with the product's client: a timer start event starts one instance per occurrence, a
 * non-interrupting boundary event fires on every occurrence while its activity is active.
 * The expressions fire every second so the test waits (with a bounded poll) on real time.
 */
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
});
