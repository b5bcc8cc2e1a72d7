/**
 * More of Zeebe's documented behaviour through the gateway: timers with FEEL, timer
 * start cycles, escalations, error end events caught on a sub-process, non-interrupting
 * message boundaries, user task headers, call activity mappings, link events, signal
 * catch events, start instructions and the errors of unknown processes.
 */
import {
  activate,
  bpmn,
  chain,
  deploy,
  flow,
  serviceTask,
  startEngineHarness,
  type EngineHarness,
} from '../support/engine-harness';
import { isEvent, waitForRecord } from '../support/engine-log';

const script = (id: string, expression: string, result: string) =>
  `<bpmn:scriptTask id="${id}"><bpmn:extensionElements><zeebe:script expression="${expression}" resultVariable="${result}"/></bpmn:extensionElements></bpmn:scriptTask>`;

describe('more documented behaviour', () => {
  let h: EngineHarness;
  beforeAll(async () => {
    h = await startEngineHarness();
  });
  afterAll(() => h.stop());

  const run = (bpmnProcessId: string, variables: Record<string, string | number | boolean> = {}) =>
    h.zbc.createProcessInstanceWithResult({ bpmnProcessId, variables, requestTimeout: 20_000 });

  it('waits on a timer whose duration is a FEEL expression', async () => {
    const body = `<bpmn:startEvent id="s"/>
      <bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition><bpmn:timeDuration>=duration(delay)</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
      ${script('after', '=&quot;scaduto&quot;', 'status')}<bpmn:endEvent id="e"/>${chain(['s', 'wait', 'after', 'e'])}`;
    await deploy(h.zbc, 'feeltimer.bpmn', bpmn('feel-timer', body));
    const started = Date.now();
    const done = await run('feel-timer', { delay: 'PT0.3S' });
    expect(done.variables.status).toBe('scaduto');
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it('creates one instance per repetition of a timer start cycle', async () => {
    const body = `<bpmn:startEvent id="s"><bpmn:timerEventDefinition><bpmn:timeCycle>R2/PT0.2S</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>
      ${serviceTask('t', 'cycle-work')}<bpmn:endEvent id="e"/>${chain(['s', 't', 'e'])}`;
    const deployed = await deploy(h.zbc, 'cycle.bpmn', bpmn('timer-cycle', body));
    const definitionKey = String(deployed.deployments[0].process?.processDefinitionKey);
    const jobs: { processInstanceKey: string }[] = [];
    const deadline = Date.now() + 8000;
    while (jobs.length < 2 && Date.now() < deadline)
      jobs.push(...(await activate(h.zbc, 'cycle-work', 5)));
    // Positive signal: both repetitions fired and no timer of this process is left.
    const timers = (await h.engine.readLog()).filter(
      (r) =>
        r.valueType === 'TIMER' &&
        String((r.value as { processDefinitionKey?: unknown }).processDefinitionKey) ===
          definitionKey,
    );
    const fired = timers.filter((r) => r.intent === 'TRIGGERED').length;
    const created = timers.filter((r) => r.intent === 'CREATED').length;
    expect(fired).toBe(2);
    expect(created).toBe(fired);
    jobs.push(
      ...(await h.zbc.activateJobs({
        type: 'cycle-work',
        worker: 't',
        maxJobsToActivate: 5,
        timeout: 10_000,
        requestTimeout: -1,
      } as never)),
    );
    expect(new Set(jobs.map((j) => j.processInstanceKey)).size).toBe(2);
  });

  it('catches an error end event of a sub-process at the sub-process boundary, by code or catch-all', async () => {
    const defs = `<bpmn:error id="errAppeal" errorCode="RICORSO"/>`;
    const body = `<bpmn:startEvent id="s"/>
      <bpmn:subProcess id="award">
        <bpmn:startEvent id="as"/>
        <bpmn:exclusiveGateway id="g" default="toOk"/>
        <bpmn:endEvent id="appealEnd"><bpmn:errorEventDefinition errorRef="errAppeal"/></bpmn:endEvent>
        <bpmn:endEvent id="ok"/>
        ${chain(['as', 'g'])}${flow('toAppeal', 'g', 'appealEnd', '=appeal')}${flow('toOk', 'g', 'ok')}
      </bpmn:subProcess>
      <bpmn:boundaryEvent id="onAppeal" attachedToRef="award"><bpmn:errorEventDefinition/></bpmn:boundaryEvent>
      ${script('markAppeal', '=&quot;ricorso&quot;', 'outcome')}${script('markOk', '=&quot;aggiudicata&quot;', 'outcome')}
      <bpmn:endEvent id="e1"/><bpmn:endEvent id="e2"/>
      ${chain(['s', 'award', 'markOk', 'e1'])}${chain(['onAppeal', 'markAppeal', 'e2'])}`;
    await deploy(h.zbc, 'suberror.bpmn', bpmn('sub-error', body, defs));
    expect((await run('sub-error', { appeal: true })).variables.outcome).toBe('ricorso');
    expect((await run('sub-error', { appeal: false })).variables.outcome).toBe('aggiudicata');
  });

  it('lets a non-interrupting escalation boundary run beside the sub-process', async () => {
    const defs = `<bpmn:escalation id="escLate" escalationCode="IN_RITARDO"/>`;
    const body = `<bpmn:startEvent id="s"/>
      <bpmn:subProcess id="work">
        <bpmn:startEvent id="ws"/>
        <bpmn:intermediateThrowEvent id="raise"><bpmn:escalationEventDefinition escalationRef="escLate"/></bpmn:intermediateThrowEvent>
        ${serviceTask('finish', 'esc-finish')}
        <bpmn:endEvent id="we"/>
        ${chain(['ws', 'raise', 'finish', 'we'])}
      </bpmn:subProcess>
      <bpmn:boundaryEvent id="onLate" attachedToRef="work" cancelActivity="false"><bpmn:escalationEventDefinition escalationRef="escLate"/></bpmn:boundaryEvent>
      ${serviceTask('notifyLate', 'esc-notify')}
      <bpmn:endEvent id="e1"/><bpmn:endEvent id="e2"/>
      ${chain(['s', 'work', 'e1'])}${chain(['onLate', 'notifyLate', 'e2'])}`;
    await deploy(h.zbc, 'escalation.bpmn', bpmn('escalation', body, defs));
    const result = run('escalation');
    const [notify] = await activate(h.zbc, 'esc-notify');
    const [finish] = await activate(h.zbc, 'esc-finish');
    expect(notify).toBeDefined();
    expect(finish).toBeDefined();
    await h.zbc.completeJob({ jobKey: notify.key, variables: { notified: true } });
    await h.zbc.completeJob({ jobKey: finish.key, variables: {} });
    expect((await result).variables).toEqual({ notified: true });
  });

  it('runs a non-interrupting message boundary on a user task and exposes the user task headers', async () => {
    const defs = `<bpmn:message id="msgReminder" name="sollecito"><bpmn:extensionElements><zeebe:subscription correlationKey="=caseId"/></bpmn:extensionElements></bpmn:message>`;
    const body = `<bpmn:startEvent id="s"/>
      <bpmn:userTask id="review" name="Verifica documentazione">
        <bpmn:extensionElements>
          <zeebe:formDefinition formKey="procurement-document-check"/>
          <zeebe:assignmentDefinition assignee="=reviewer" candidateGroups="sua-officer, sua-manager"/>
        </bpmn:extensionElements>
      </bpmn:userTask>
      <bpmn:boundaryEvent id="reminded" attachedToRef="review" cancelActivity="false"><bpmn:messageEventDefinition messageRef="msgReminder"/></bpmn:boundaryEvent>
      ${serviceTask('sendReminder', 'ut-reminder')}
      <bpmn:endEvent id="e1"/><bpmn:endEvent id="e2"/>
      ${chain(['s', 'review', 'e1'])}${chain(['reminded', 'sendReminder', 'e2'])}`;
    await deploy(h.zbc, 'usertask.bpmn', bpmn('user-task', body, defs));
    const result = run('user-task', { caseId: 'SUA-1', reviewer: 'istruttore.ra' });
    const [task] = await activate(h.zbc, 'io.camunda.zeebe:userTask');
    expect(task.customHeaders['io.camunda.zeebe:formKey']).toBe('procurement-document-check');
    expect(task.customHeaders['io.camunda.zeebe:assignee']).toBe('istruttore.ra');
    expect(JSON.parse(String(task.customHeaders['io.camunda.zeebe:candidateGroups']))).toEqual([
      'sua-officer',
      'sua-manager',
    ]);
    await h.zbc.publishMessage({
      name: 'sollecito',
      correlationKey: 'SUA-1',
      variables: {},
      timeToLive: 0,
    } as never);
    const [reminder] = await activate(h.zbc, 'ut-reminder');
    await h.zbc.completeJob({ jobKey: reminder.key, variables: {} });
    await h.zbc.completeJob({ jobKey: task.key, variables: { complete: true } });
    expect((await result).variables).toMatchObject({ caseId: 'SUA-1', complete: true });
  });

  it('maps call activity variables explicitly when propagation is off', async () => {
    await deploy(
      h.zbc,
      'child2.bpmn',
      bpmn(
        'child-mapped',
        `<bpmn:startEvent id="s"/>${script('calc', '=amount * 0.9', 'awarded')}${script('noise', '=1', 'internal')}<bpmn:endEvent id="e"/>${chain(['s', 'calc', 'noise', 'e'])}`,
      ),
    );
    const call = `<bpmn:callActivity id="call"><bpmn:extensionElements>
        <zeebe:calledElement processId="child-mapped" propagateAllChildVariables="false"/>
        <zeebe:ioMapping><zeebe:input source="=base" target="amount"/><zeebe:output source="=awarded" target="awardedAmount"/></zeebe:ioMapping>
      </bpmn:extensionElements></bpmn:callActivity>`;
    await deploy(
      h.zbc,
      'parent2.bpmn',
      bpmn(
        'parent-mapped',
        `<bpmn:startEvent id="s"/>${call}<bpmn:endEvent id="e"/>${chain(['s', 'call', 'e'])}`,
      ),
    );
    const done = await run('parent-mapped', { base: 100000 });
    expect(done.variables).toEqual({ base: 100000, awardedAmount: 90000 });
  });

  it('jumps through link events', async () => {
    const body = `<bpmn:startEvent id="s"/>
      <bpmn:intermediateThrowEvent id="goTo"><bpmn:linkEventDefinition name="salto"/></bpmn:intermediateThrowEvent>
      <bpmn:intermediateCatchEvent id="landing"><bpmn:linkEventDefinition name="salto"/></bpmn:intermediateCatchEvent>
      ${script('after', '=true', 'jumped')}<bpmn:endEvent id="e"/>
      ${chain(['s', 'goTo'])}${chain(['landing', 'after', 'e'])}`;
    await deploy(h.zbc, 'link.bpmn', bpmn('link', body));
    expect((await run('link')).variables).toEqual({ jumped: true });
  });

  it('resumes a signal intermediate catch event on broadcast', async () => {
    const defs = `<bpmn:signal id="sigClose" name="chiusura-bando"/>`;
    const body = `<bpmn:startEvent id="s"/>
      <bpmn:intermediateCatchEvent id="wait"><bpmn:signalEventDefinition signalRef="sigClose"/></bpmn:intermediateCatchEvent>
      <bpmn:endEvent id="e"/>${chain(['s', 'wait', 'e'])}`;
    await deploy(h.zbc, 'sigcatch.bpmn', bpmn('signal-catch', body, defs));
    const result = run('signal-catch', { id: 1 });
    await waitForRecord(
      h.engine,
      (r) =>
        isEvent(r, 'SIGNAL_SUBSCRIPTION', 'CREATED') &&
        (r.value as { signalName?: string }).signalName === 'chiusura-bando',
      'the instance waits for the signal',
    );
    await h.zbc.broadcastSignal({
      signalName: 'chiusura-bando',
      variables: { closed: true },
    } as never);
    expect((await result).variables).toEqual({ id: 1, closed: true });
  });

  it('starts an instance at the element named in start instructions', async () => {
    const body = `<bpmn:startEvent id="s"/>${serviceTask('first', 'si-first')}${serviceTask('second', 'si-second')}<bpmn:endEvent id="e"/>${chain(['s', 'first', 'second', 'e'])}`;
    await deploy(h.zbc, 'startinstr.bpmn', bpmn('start-instructions', body));
    await h.zbc.createProcessInstance({
      bpmnProcessId: 'start-instructions',
      variables: {},
      startInstructions: [{ elementId: 'second' }],
    } as never);
    const [job] = await activate(h.zbc, 'si-second');
    expect(job.elementId).toBe('second');
    const first = await h.zbc.activateJobs({
      type: 'si-first',
      worker: 't',
      maxJobsToActivate: 1,
      timeout: 10_000,
      requestTimeout: -1,
    } as never);
    expect(first).toHaveLength(0);
    await h.zbc.completeJob({ jobKey: job.key, variables: {} });
  });

  it('answers NOT_FOUND for an unknown process and an unknown job', async () => {
    await expect(
      h.zbc.createProcessInstance({ bpmnProcessId: 'non-esiste', variables: {} }),
    ).rejects.toThrow(/NOT_FOUND/);
    await expect(
      h.zbc.completeJob({ jobKey: '2251799813685249999', variables: {} }),
    ).rejects.toThrow(/NOT_FOUND/);
  });
});
