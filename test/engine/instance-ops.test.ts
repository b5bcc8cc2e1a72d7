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
  trail,
  variablesOf,
  type TestEngine,
} from './support';

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
  await deploy(
    t.engine,
    'ops.bpmn',
    bpmn(
      'ops',
      `<bpmn:startEvent id="s" />${serviceTask('a', 'ops-a')}${serviceTask('b', 'ops-b')}<bpmn:endEvent id="e" />${chain(['s', 'a', 'b', 'e'])}`,
    ),
  );
});
afterAll(async () => {
  await t.close();
});

const activate = (type: string) =>
  t.engine.activateJobs({ type, timeout: 10_000, maxJobsToActivate: 1, requestTimeoutMs: 2000 });

describe('instance operations', () => {
  it('cancels an instance and its jobs', async () => {
    const pi = await t.engine.createProcessInstance({ bpmnProcessId: 'ops' });
    await t.engine.cancelProcessInstance({ processInstanceKey: pi.processInstanceKey });
    const tr = await trail(t.engine, pi.processInstanceKey);
    expect(tr.slice(-4)).toEqual([
      'ops:ELEMENT_TERMINATING',
      'a:ELEMENT_TERMINATING',
      'a:ELEMENT_TERMINATED',
      'ops:ELEMENT_TERMINATED',
    ]);
    const canceled = await records(t.engine, { valueType: 'JOB', intent: 'CANCELED' });
    expect(canceled.some((r) => String(r.value.processInstanceKey) === pi.processInstanceKey)).toBe(
      true,
    );
    await expect(
      t.engine.cancelProcessInstance({ processInstanceKey: pi.processInstanceKey }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('sets local and propagating variables on an element instance', async () => {
    const pi = await t.engine.createProcessInstance({
      bpmnProcessId: 'ops',
      variables: { shared: 1 },
    });
    const [job] = await activate('ops-a');
    await t.engine.setVariables({
      elementInstanceKey: job.elementInstanceKey,
      variables: { onlyHere: true },
      local: true,
    });
    await t.engine.setVariables({
      elementInstanceKey: job.elementInstanceKey,
      variables: { shared: 2, fresh: 'x' },
    });
    expect(await variablesOf(t.engine, job.elementInstanceKey)).toEqual({ onlyHere: true });
    expect(await variablesOf(t.engine, pi.processInstanceKey)).toEqual({ shared: 2, fresh: 'x' });
    await t.engine.cancelProcessInstance({ processInstanceKey: pi.processInstanceKey });
  });

  it('modifies an instance: activates one element and terminates another', async () => {
    const pi = await t.engine.createProcessInstance({ bpmnProcessId: 'ops' });
    const [job] = await activate('ops-a');
    await t.engine.modifyProcessInstance({
      processInstanceKey: pi.processInstanceKey,
      activateInstructions: [
        { elementId: 'b', variableInstructions: [{ variables: { moved: true } }] },
      ],
      terminateInstructions: [{ elementInstanceKey: job.elementInstanceKey }],
    });
    const [jobB] = await activate('ops-b');
    expect(jobB.variables).toEqual({ moved: true });
    await t.engine.completeJob({ jobKey: jobB.key });
    await eventually(() => isCompleted(t.engine, pi.processInstanceKey));
  });

  it('migrates an instance to a new version with the same element ids', async () => {
    const pi = await t.engine.createProcessInstance({ bpmnProcessId: 'ops' });
    await activate('ops-a');
    const v2 = await deploy(
      t.engine,
      'ops.bpmn',
      bpmn(
        'ops',
        `<bpmn:startEvent id="s" />${serviceTask('a', 'ops-a')}<bpmn:endEvent id="done" />${flow('f1', 's', 'a')}${flow('f2', 'a', 'done')}`,
      ),
    );
    const targetKey =
      'process' in v2.deployments[0] ? v2.deployments[0].process.processDefinitionKey : '';
    await t.engine.migrateProcessInstance({
      processInstanceKey: pi.processInstanceKey,
      migrationPlan: {
        targetProcessDefinitionKey: targetKey,
        mappingInstructions: [{ sourceElementId: 'a', targetElementId: 'a' }],
      },
    });
    const jobs = await records(t.engine, { valueType: 'JOB', intent: 'MIGRATED' });
    const migrated = jobs.find(
      (r) => String(r.value.processInstanceKey) === pi.processInstanceKey,
    )!;
    await t.engine.completeJob({ jobKey: String(migrated.key) });
    await eventually(() => isCompleted(t.engine, pi.processInstanceKey));
    expect(await trail(t.engine, pi.processInstanceKey)).toContain('done:ELEMENT_COMPLETED');
  });

  it('rejects commands beyond the pending-command bound with RESOURCE_EXHAUSTED', async () => {
    const small = await startTestEngine({ maxPendingCommands: 2 });
    try {
      await deploy(small.engine, 'q.bpmn', bpmn('q', `<bpmn:startEvent id="s" />`));
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, () =>
          small.engine.createProcessInstance({ bpmnProcessId: 'q' }),
        ),
      );
      expect(
        results.some(
          (r) =>
            r.status === 'rejected' && (r.reason as { code: string }).code === 'RESOURCE_EXHAUSTED',
        ),
      ).toBe(true);
      expect(results.some((r) => r.status === 'fulfilled')).toBe(true);
    } finally {
      await small.close();
    }
  });
});
