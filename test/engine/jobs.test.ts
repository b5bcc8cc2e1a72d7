import {
  bpmn,
  chain,
  deploy,
  eventually,
  flow,
  incidents,
  isCompleted,
  serviceTask,
  startTestEngine,
  trail,
  type TestEngine,
} from './support';

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
  await deploy(
    t.engine,
    'job.bpmn',
    bpmn(
      'job',
      `<bpmn:startEvent id="s" />${serviceTask('task', 'jobs', '<zeebe:taskDefinition type="jobs" retries="=r" />')}<bpmn:endEvent id="e" />${chain(['s', 'task', 'e'])}`.replace(
        '<zeebe:taskDefinition type="jobs" /><zeebe:taskDefinition type="jobs" retries="=r" />',
        '<zeebe:taskDefinition type="jobs" retries="=r" />',
      ),
    ),
  );
});
afterAll(async () => {
  await t.close();
});

const activate = (opts: Partial<Parameters<TestEngine['engine']['activateJobs']>[0]> = {}) =>
  t.engine.activateJobs({
    type: 'jobs',
    worker: 'w',
    timeout: 10_000,
    maxJobsToActivate: 1,
    requestTimeoutMs: 2000,
    ...opts,
  });

describe('jobs', () => {
  it('creates jobs with retries from a FEEL expression and fetches only requested variables', async () => {
    await t.engine.createProcessInstance({ bpmnProcessId: 'job', variables: { r: 5, a: 1, b: 2 } });
    const [job] = await activate({ fetchVariable: ['a'] });
    expect(job.retries).toBe(5);
    expect(job.variables).toEqual({ a: 1 });
    await t.engine.completeJob({ jobKey: job.key });
  });

  it('fails with retries left: the job comes back after the back-off', async () => {
    await t.engine.createProcessInstance({ bpmnProcessId: 'job', variables: { r: 3 } });
    const [job] = await activate();
    await t.engine.failJob({ jobKey: job.key, retries: 2, errorMessage: 'boom', retryBackOff: 50 });
    const [again] = await activate();
    expect(again.key).toBe(job.key);
    expect(again.retries).toBe(2);
    await t.engine.completeJob({ jobKey: again.key });
  });

  it('fails with no retries: incident, then update retries + resolve makes it activatable', async () => {
    const pi = await t.engine.createProcessInstance({ bpmnProcessId: 'job', variables: { r: 1 } });
    const [job] = await activate();
    await t.engine.failJob({ jobKey: job.key, retries: 0, errorMessage: 'no way' });
    const [incident] = await incidents(t.engine, pi.processInstanceKey);
    expect(incident.value).toMatchObject({
      errorType: 'JOB_NO_RETRIES',
      errorMessage: 'no way',
      jobKey: Number(job.key),
    });
    expect(await activate({ requestTimeoutMs: 0 })).toEqual([]);
    await t.engine.updateJobRetries({ jobKey: job.key, retries: 1 });
    await t.engine.resolveIncident({ incidentKey: String(incident.key) });
    const [again] = await activate();
    expect(again.key).toBe(job.key);
    await t.engine.completeJob({ jobKey: again.key });
    await eventually(() => isCompleted(t.engine, pi.processInstanceKey));
  });

  it('times out an activated job so another worker can take it', async () => {
    await t.engine.createProcessInstance({ bpmnProcessId: 'job', variables: { r: 3 } });
    const [job] = await activate({ timeout: 30 });
    const [again] = await activate({ worker: 'other' });
    expect(again.key).toBe(job.key);
    expect(again.worker).toBe('other');
    await t.engine.updateJobTimeout({ jobKey: again.key, timeout: 60_000 });
    await t.engine.completeJob({ jobKey: again.key });
  });

  it('rejects completing an unknown job with NOT_FOUND', async () => {
    await expect(t.engine.completeJob({ jobKey: '2251799813999999' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('catches a thrown error at an error boundary event; unmatched errors raise an incident', async () => {
    await deploy(
      t.engine,
      'err.bpmn',
      bpmn(
        'err',
        `<bpmn:startEvent id="s" />${serviceTask('task', 'err')}<bpmn:endEvent id="e" />
         <bpmn:boundaryEvent id="catch" attachedToRef="task"><bpmn:errorEventDefinition errorRef="E1" /></bpmn:boundaryEvent>
         <bpmn:endEvent id="handled" />
         ${chain(['s', 'task', 'e'])}${flow('fh', 'catch', 'handled')}`,
        '<bpmn:error id="E1" errorCode="NOT_OK" />',
      ),
    );
    const pi = await t.engine.createProcessInstance({ bpmnProcessId: 'err' });
    const [job] = await t.engine.activateJobs({
      type: 'err',
      timeout: 10_000,
      maxJobsToActivate: 1,
      requestTimeoutMs: 2000,
    });
    await t.engine.throwError({ jobKey: job.key, errorCode: 'NOT_OK', variables: { reason: 'x' } });
    await eventually(() => isCompleted(t.engine, pi.processInstanceKey));
    const tr = await trail(t.engine, pi.processInstanceKey);
    expect(tr).toContain('task:ELEMENT_TERMINATED');
    expect(tr).toContain('handled:ELEMENT_COMPLETED');

    const pi2 = await t.engine.createProcessInstance({ bpmnProcessId: 'err' });
    const [job2] = await t.engine.activateJobs({
      type: 'err',
      timeout: 10_000,
      maxJobsToActivate: 1,
      requestTimeoutMs: 2000,
    });
    await t.engine.throwError({ jobKey: job2.key, errorCode: 'OTHER' });
    const [incident] = await incidents(t.engine, pi2.processInstanceKey);
    expect(incident.value.errorType).toBe('UNHANDLED_ERROR_EVENT');
  });

  it('exposes user tasks as jobs with Zeebe headers', async () => {
    await deploy(
      t.engine,
      'ut.bpmn',
      bpmn(
        'ut',
        `<bpmn:startEvent id="s" />
         <bpmn:userTask id="approve"><bpmn:extensionElements>
           <zeebe:formDefinition formKey="camunda-forms:bpmn:approval" />
           <zeebe:assignmentDefinition assignee="=owner" candidateGroups="ufficio, giunta" />
           <zeebe:taskSchedule dueDate="2030-01-01T00:00:00Z" />
         </bpmn:extensionElements></bpmn:userTask>
         <bpmn:endEvent id="e" />${chain(['s', 'approve', 'e'])}`,
      ),
    );
    await t.engine.createProcessInstance({ bpmnProcessId: 'ut', variables: { owner: 'mario' } });
    const [job] = await t.engine.activateJobs({
      type: 'io.camunda.zeebe:userTask',
      timeout: 60_000,
      maxJobsToActivate: 1,
      requestTimeoutMs: 2000,
    });
    expect(job.customHeaders).toEqual({
      'io.camunda.zeebe:formKey': 'camunda-forms:bpmn:approval',
      'io.camunda.zeebe:assignee': 'mario',
      'io.camunda.zeebe:candidateGroups': '["ufficio","giunta"]',
      'io.camunda.zeebe:dueDate': '2030-01-01T00:00:00Z',
    });
    await t.engine.completeJob({ jobKey: job.key });
  });

  it('keeps tenants apart', async () => {
    await deploy(
      t.engine,
      'job.bpmn',
      bpmn(
        'tjob',
        `<bpmn:startEvent id="s" />${serviceTask('task', 'tenantjob')}${chain(['s', 'task'])}`,
      ),
      '058',
    );
    await expect(t.engine.createProcessInstance({ bpmnProcessId: 'tjob' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(
      t.engine.createProcessInstance(
        { bpmnProcessId: 'tjob', tenantId: '058' },
        { authorizedTenants: ['015'] },
      ),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const pi = await t.engine.createProcessInstance({ bpmnProcessId: 'tjob', tenantId: '058' });
    expect(pi.tenantId).toBe('058');
    expect(
      await t.engine.activateJobs({ type: 'tenantjob', timeout: 1000, maxJobsToActivate: 1 }),
    ).toEqual([]);
    const [job] = await t.engine.activateJobs({
      type: 'tenantjob',
      timeout: 1000,
      maxJobsToActivate: 1,
      tenantIds: ['058'],
    });
    expect(job.tenantId).toBe('058');
    await expect(
      t.engine.completeJob({ jobKey: job.key }, { authorizedTenants: ['015'] }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await t.engine.completeJob({ jobKey: job.key }, { authorizedTenants: ['058'] });
    await eventually(async () =>
      (await trail(t.engine, pi.processInstanceKey)).includes('tjob:ELEMENT_COMPLETED'),
    );
  });
});
