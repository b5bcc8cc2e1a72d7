import {
  bpmn,
  chain,
  deploy,
  eventually,
  flow,
  isCompleted,
  records,
  serviceTask,
  startTestEngine,
  type TestEngine,
} from './support';

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine({ snapshotEveryRecords: 40 });
  await deploy(
    t.engine,
    'dur.bpmn',
    bpmn(
      'dur',
      `<bpmn:startEvent id="s" />${serviceTask('task', 'dur')}
       <bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition><bpmn:timeDuration>=delay</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
       <bpmn:endEvent id="e" />${chain(['s', 'task', 'wait', 'e'])}`,
    ),
  );
});
afterAll(async () => {
  await t.close();
});

describe('durable state', () => {
  it('keeps instances, jobs and variables across a restart (snapshot + log replay)', async () => {
    const pis = [];
    for (let i = 0; i < 5; i++)
      pis.push(
        await t.engine.createProcessInstance({
          bpmnProcessId: 'dur',
          variables: { i, delay: 'PT0.1S' },
        }),
      );
    await t.engine.takeSnapshot();
    const extra = await t.engine.createProcessInstance({
      bpmnProcessId: 'dur',
      variables: { i: 99, delay: 'PT0.1S' },
    });
    const before = t.engine.health();
    await t.restart({ snapshotEveryRecords: 40 });
    expect(t.engine.health().activeProcessInstances).toBe(before.activeProcessInstances);
    const jobs = await t.engine.activateJobs({
      type: 'dur',
      timeout: 10_000,
      maxJobsToActivate: 10,
    });
    expect(jobs.map((j) => j.variables.i).sort((a, b) => Number(a) - Number(b))).toEqual([
      0, 1, 2, 3, 4, 99,
    ]);
    // keys keep growing after a restart: no key is handed out twice
    const next = await t.engine.createProcessInstance({
      bpmnProcessId: 'dur',
      variables: { delay: 'PT0.1S' },
    });
    expect(BigInt(next.processInstanceKey) > BigInt(extra.processInstanceKey)).toBe(true);
    for (const j of jobs) await t.engine.completeJob({ jobKey: j.key });
    await t.engine.cancelProcessInstance({ processInstanceKey: next.processInstanceKey });
    for (const pi of pis) await eventually(() => isCompleted(t.engine, pi.processInstanceKey));
  });

  it('fires a timer that fell due while the engine was down', async () => {
    const pi = await t.engine.createProcessInstance({
      bpmnProcessId: 'dur',
      variables: { delay: 'PT0.2S' },
    });
    const [job] = await t.engine.activateJobs({
      type: 'dur',
      timeout: 10_000,
      maxJobsToActivate: 1,
      requestTimeoutMs: 2000,
    });
    await t.engine.completeJob({ jobKey: job.key });
    await t.engine.close();
    await new Promise((r) => setTimeout(r, 300));
    await t.restart();
    await eventually(() => isCompleted(t.engine, pi.processInstanceKey));
    const triggered = await records(t.engine, { valueType: 'TIMER', intent: 'TRIGGERED' });
    expect(
      triggered.filter((r) => String(r.value.processInstanceKey) === pi.processInstanceKey),
    ).toHaveLength(1);
  });

  it('continues a timer start cycle after a restart', async () => {
    await deploy(
      t.engine,
      'cycle.bpmn',
      bpmn(
        'cycle',
        `<bpmn:startEvent id="tick"><bpmn:timerEventDefinition><bpmn:timeCycle>R3/PT0.1S</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>
         ${serviceTask('t', 'cycle')}${flow('f', 'tick', 't')}`,
      ),
    );
    await eventually(
      async () =>
        (await t.engine.activateJobs({ type: 'cycle', timeout: 60_000, maxJobsToActivate: 5 }))
          .length > 0,
    );
    await t.restart();
    let got = 1;
    await eventually(async () => {
      got += (await t.engine.activateJobs({ type: 'cycle', timeout: 60_000, maxJobsToActivate: 5 }))
        .length;
      return got >= 3;
    });
    await new Promise((r) => setTimeout(r, 250));
    expect(
      await t.engine.activateJobs({ type: 'cycle', timeout: 60_000, maxJobsToActivate: 5 }),
    ).toEqual([]);
  });

  it('forgets completed instances: memory follows the active workload', async () => {
    await deploy(
      t.engine,
      'quick.bpmn',
      bpmn('quick', `<bpmn:startEvent id="s" /><bpmn:endEvent id="e" />${chain(['s', 'e'])}`),
    );
    const before = t.engine.health().activeProcessInstances;
    for (let i = 0; i < 20; i++)
      await t.engine.createProcessInstance({
        bpmnProcessId: 'quick',
        variables: { big: 'x'.repeat(100) },
      });
    expect(t.engine.health().activeProcessInstances).toBe(before);
  });
});
