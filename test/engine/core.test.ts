import {
  bpmn,
  chain,
  deploy,
  eventually,
  isCompleted,
  serviceTask,
  startTestEngine,
  trail,
  type TestEngine,
} from './support';

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
});
afterAll(async () => {
  await t.close();
});

const serviceProcess = bpmn(
  'svc',
  `<bpmn:startEvent id="start" />
   ${serviceTask('task', 'work', '<zeebe:taskHeaders><zeebe:header key="k" value="v" /></zeebe:taskHeaders>')}
   <bpmn:endEvent id="end" />
   ${chain(['start', 'task', 'end'])}`,
);

describe('deploy, create instance, service task job', () => {
  it('runs a service task process end to end', async () => {
    const dep = await deploy(t.engine, 'svc.bpmn', serviceProcess);
    expect(dep.deployments[0]).toMatchObject({ process: { bpmnProcessId: 'svc', version: 1 } });
    const pi = await t.engine.createProcessInstance({ bpmnProcessId: 'svc', variables: { a: 1 } });
    const jobs = await t.engine.activateJobs({
      type: 'work',
      worker: 'w1',
      timeout: 10_000,
      maxJobsToActivate: 5,
    });
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({
      elementId: 'task',
      customHeaders: { k: 'v' },
      variables: { a: 1 },
      worker: 'w1',
      retries: 3,
    });
    await t.engine.completeJob({ jobKey: jobs[0].key, variables: { b: 2 } });
    await eventually(() => isCompleted(t.engine, pi.processInstanceKey));
    expect(await trail(t.engine, pi.processInstanceKey)).toEqual([
      'svc:ELEMENT_ACTIVATING',
      'svc:ELEMENT_ACTIVATED',
      'start:ELEMENT_ACTIVATING',
      'start:ELEMENT_ACTIVATED',
      'start:ELEMENT_COMPLETING',
      'start:ELEMENT_COMPLETED',
      'f_start_task:SEQUENCE_FLOW_TAKEN',
      'task:ELEMENT_ACTIVATING',
      'task:ELEMENT_ACTIVATED',
      'task:ELEMENT_COMPLETING',
      'task:ELEMENT_COMPLETED',
      'f_task_end:SEQUENCE_FLOW_TAKEN',
      'end:ELEMENT_ACTIVATING',
      'end:ELEMENT_ACTIVATED',
      'end:ELEMENT_COMPLETING',
      'end:ELEMENT_COMPLETED',
      'svc:ELEMENT_COMPLETING',
      'svc:ELEMENT_COMPLETED',
    ]);
    expect(t.engine.health().activeProcessInstances).toBe(0);
  });

  it('keeps the version when identical content is deployed again', async () => {
    const again = await deploy(t.engine, 'svc.bpmn', serviceProcess);
    expect(again.deployments[0]).toMatchObject({ process: { version: 1 } });
    const changed = await deploy(
      t.engine,
      'svc.bpmn',
      serviceProcess.replace('value="v"', 'value="w"'),
    );
    expect(changed.deployments[0]).toMatchObject({ process: { version: 2 } });
  });

  it('long-polls for jobs and returns them once created', async () => {
    const waiting = t.engine.activateJobs({
      type: 'work',
      worker: 'w2',
      timeout: 10_000,
      maxJobsToActivate: 1,
      requestTimeoutMs: 5000,
    });
    await new Promise((r) => setTimeout(r, 30));
    await t.engine.createProcessInstance({ bpmnProcessId: 'svc' });
    const jobs = await waiting;
    expect(jobs).toHaveLength(1);
    await t.engine.completeJob({ jobKey: jobs[0].key });
  });

  it('returns the result of an instance with createProcessInstanceWithResult', async () => {
    const worker = (async () => {
      const jobs = await t.engine.activateJobs({
        type: 'work',
        timeout: 10_000,
        maxJobsToActivate: 1,
        requestTimeoutMs: 5000,
      });
      await t.engine.completeJob({ jobKey: jobs[0].key, variables: { result: 'ok' } });
    })();
    const res = await t.engine.createProcessInstanceWithResult({
      request: { bpmnProcessId: 'svc', variables: { x: 1 } },
    });
    await worker;
    expect(res.variables).toEqual({ x: 1, result: 'ok' });
  });
});
