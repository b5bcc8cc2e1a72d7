import {
  bpmn,
  chain,
  deploy,
  eventually,
  flow,
  isCompleted,
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
    'msg.bpmn',
    bpmn(
      'msg',
      `<bpmn:startEvent id="s" />
       <bpmn:intermediateCatchEvent id="wait"><bpmn:messageEventDefinition messageRef="M" /></bpmn:intermediateCatchEvent>
       <bpmn:endEvent id="e" />${chain(['s', 'wait', 'e'])}`,
      `<bpmn:message id="M" name="paid"><bpmn:extensionElements><zeebe:subscription correlationKey="=orderId" /></bpmn:extensionElements></bpmn:message>`,
    ),
  );
});
afterAll(async () => {
  await t.close();
});

describe('messages', () => {
  it('correlates a published message to a waiting catch event and merges its variables', async () => {
    const pi = await t.engine.createProcessInstance({
      bpmnProcessId: 'msg',
      variables: { orderId: 'o-1' },
    });
    await t.engine.publishMessage({
      name: 'paid',
      correlationKey: 'o-1',
      variables: { amount: 10 },
    });
    await eventually(() => isCompleted(t.engine, pi.processInstanceKey));
    expect(await variablesOf(t.engine, pi.processInstanceKey)).toMatchObject({
      orderId: 'o-1',
      amount: 10,
    });
  });

  it('buffers a message for its time to live and correlates it to a later subscription', async () => {
    await t.engine.publishMessage({ name: 'paid', correlationKey: 'o-2', timeToLive: 60_000 });
    const pi = await t.engine.createProcessInstance({
      bpmnProcessId: 'msg',
      variables: { orderId: 'o-2' },
    });
    await eventually(() => isCompleted(t.engine, pi.processInstanceKey));
  });

  it('does not correlate a message whose time to live is over', async () => {
    await t.engine.publishMessage({ name: 'paid', correlationKey: 'o-3', timeToLive: 20 });
    await new Promise((r) => setTimeout(r, 60));
    const pi = await t.engine.createProcessInstance({
      bpmnProcessId: 'msg',
      variables: { orderId: 'o-3' },
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(await isCompleted(t.engine, pi.processInstanceKey)).toBe(false);
    await t.engine.cancelProcessInstance({ processInstanceKey: pi.processInstanceKey });
  });

  it('rejects a duplicate message id while the first is buffered', async () => {
    await t.engine.publishMessage({
      name: 'paid',
      correlationKey: 'o-4',
      messageId: 'id-1',
      timeToLive: 60_000,
    });
    await expect(
      t.engine.publishMessage({
        name: 'paid',
        correlationKey: 'o-4',
        messageId: 'id-1',
        timeToLive: 60_000,
      }),
    ).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
  });

  it('correlates a buffered message only once per process', async () => {
    await t.engine.publishMessage({ name: 'paid', correlationKey: 'o-5', timeToLive: 60_000 });
    const a = await t.engine.createProcessInstance({
      bpmnProcessId: 'msg',
      variables: { orderId: 'o-5' },
    });
    const b = await t.engine.createProcessInstance({
      bpmnProcessId: 'msg',
      variables: { orderId: 'o-5' },
    });
    await eventually(() => isCompleted(t.engine, a.processInstanceKey));
    expect(await isCompleted(t.engine, b.processInstanceKey)).toBe(false);
    await t.engine.cancelProcessInstance({ processInstanceKey: b.processInstanceKey });
  });

  it('starts an instance from a message start event, at most one active per correlation key', async () => {
    await deploy(
      t.engine,
      'mstart.bpmn',
      bpmn(
        'mstart',
        `<bpmn:startEvent id="s"><bpmn:messageEventDefinition messageRef="R" /></bpmn:startEvent>${serviceTask('t', 'mstart')}${chain(['s', 't'])}`,
        `<bpmn:message id="R" name="richiesta" />`,
      ),
    );
    await t.engine.publishMessage({ name: 'richiesta', correlationKey: 'c1', variables: { n: 1 } });
    await t.engine.publishMessage({
      name: 'richiesta',
      correlationKey: 'c1',
      variables: { n: 2 },
      timeToLive: 60_000,
    });
    await t.engine.publishMessage({ name: 'richiesta', correlationKey: 'c2', variables: { n: 3 } });
    const jobs = await t.engine.activateJobs({
      type: 'mstart',
      timeout: 10_000,
      maxJobsToActivate: 10,
    });
    expect(jobs.map((j) => j.variables.n).sort()).toEqual([1, 3]);
    // when the instance for c1 ends, the buffered message for c1 starts the next one
    await t.engine.completeJob({ jobKey: jobs.find((j) => j.variables.n === 1)!.key });
    const [next] = await t.engine.activateJobs({
      type: 'mstart',
      timeout: 10_000,
      maxJobsToActivate: 10,
      requestTimeoutMs: 2000,
    });
    expect(next.variables.n).toBe(2);
  });

  it('interrupts a task with a message boundary event', async () => {
    await deploy(
      t.engine,
      'mb.bpmn',
      bpmn(
        'mb',
        `<bpmn:startEvent id="s" />${serviceTask('task', 'mb')}<bpmn:endEvent id="e" />
         <bpmn:boundaryEvent id="cancel" attachedToRef="task"><bpmn:messageEventDefinition messageRef="C" /></bpmn:boundaryEvent>
         <bpmn:endEvent id="canceled" />${chain(['s', 'task', 'e'])}${flow('fc', 'cancel', 'canceled')}`,
        `<bpmn:message id="C" name="annulla"><bpmn:extensionElements><zeebe:subscription correlationKey="=id" /></bpmn:extensionElements></bpmn:message>`,
      ),
    );
    const pi = await t.engine.createProcessInstance({
      bpmnProcessId: 'mb',
      variables: { id: 'x' },
    });
    await t.engine.publishMessage({ name: 'annulla', correlationKey: 'x' });
    await eventually(() => isCompleted(t.engine, pi.processInstanceKey));
    const tr = await trail(t.engine, pi.processInstanceKey);
    expect(tr).toContain('task:ELEMENT_TERMINATED');
    expect(tr).toContain('canceled:ELEMENT_COMPLETED');
    expect(
      await t.engine.activateJobs({ type: 'mb', timeout: 1000, maxJobsToActivate: 1 }),
    ).toEqual([]);
  });

  it('waits in a receive task and in an event-based gateway', async () => {
    await deploy(
      t.engine,
      'evgw.bpmn',
      bpmn(
        'evgw',
        `<bpmn:startEvent id="s" /><bpmn:eventBasedGateway id="gw" />
         <bpmn:receiveTask id="rt" messageRef="A" />
         <bpmn:intermediateCatchEvent id="late"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
         <bpmn:endEvent id="e1" /><bpmn:endEvent id="e2" />
         ${flow('f0', 's', 'gw')}${flow('f1', 'gw', 'rt')}${flow('f2', 'gw', 'late')}${flow('f3', 'rt', 'e1')}${flow('f4', 'late', 'e2')}`,
        `<bpmn:message id="A" name="risposta"><bpmn:extensionElements><zeebe:subscription correlationKey="=k" /></bpmn:extensionElements></bpmn:message>`,
      ),
    );
    const pi = await t.engine.createProcessInstance({
      bpmnProcessId: 'evgw',
      variables: { k: 'k1' },
    });
    await t.engine.publishMessage({ name: 'risposta', correlationKey: 'k1' });
    await eventually(() => isCompleted(t.engine, pi.processInstanceKey));
    const tr = await trail(t.engine, pi.processInstanceKey);
    if (!tr.includes('e1:ELEMENT_COMPLETED')) console.log(tr.join('\n'));
    expect(tr).toContain('e1:ELEMENT_COMPLETED');
    expect(tr).not.toContain('late:ELEMENT_ACTIVATING');
  });
});

describe('timers and signals', () => {
  it('fires an intermediate timer and a non-interrupting timer boundary cycle', async () => {
    await deploy(
      t.engine,
      'tm.bpmn',
      bpmn(
        'tm',
        `<bpmn:startEvent id="s" />
         <bpmn:intermediateCatchEvent id="pause"><bpmn:timerEventDefinition><bpmn:timeDuration>PT0.05S</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
         ${serviceTask('task', 'tm')}<bpmn:endEvent id="e" />
         <bpmn:boundaryEvent id="remind" attachedToRef="task" cancelActivity="false"><bpmn:timerEventDefinition><bpmn:timeCycle>R2/PT0.05S</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:boundaryEvent>
         <bpmn:endEvent id="reminded" />
         ${chain(['s', 'pause', 'task', 'e'])}${flow('fr', 'remind', 'reminded')}`,
      ),
    );
    const pi = await t.engine.createProcessInstance({ bpmnProcessId: 'tm' });
    const [job] = await t.engine.activateJobs({
      type: 'tm',
      timeout: 10_000,
      maxJobsToActivate: 1,
      requestTimeoutMs: 3000,
    });
    await eventually(
      async () =>
        (await trail(t.engine, pi.processInstanceKey)).filter(
          (x) => x === 'reminded:ELEMENT_COMPLETED',
        ).length === 2,
    );
    await t.engine.completeJob({ jobKey: job.key });
    await eventually(() => isCompleted(t.engine, pi.processInstanceKey));
  });

  it('broadcasts a signal to catch events and signal start events of the tenant', async () => {
    await deploy(
      t.engine,
      'sig.bpmn',
      bpmn(
        'sig',
        `<bpmn:startEvent id="s" /><bpmn:intermediateCatchEvent id="w"><bpmn:signalEventDefinition signalRef="S" /></bpmn:intermediateCatchEvent><bpmn:endEvent id="e" />${chain(['s', 'w', 'e'])}`,
        '<bpmn:signal id="S" name="allerta" />',
      ),
    );
    await deploy(
      t.engine,
      'sigstart.bpmn',
      bpmn(
        'sigstart',
        `<bpmn:startEvent id="s"><bpmn:signalEventDefinition signalRef="S" /></bpmn:startEvent>${serviceTask('t', 'sigstart')}${chain(['s', 't'])}`,
        '<bpmn:signal id="S" name="allerta" />',
      ),
    );
    const pi = await t.engine.createProcessInstance({ bpmnProcessId: 'sig' });
    await t.engine.broadcastSignal({ signalName: 'allerta', variables: { level: 2 } });
    await eventually(() => isCompleted(t.engine, pi.processInstanceKey));
    const jobs = await t.engine.activateJobs({
      type: 'sigstart',
      timeout: 1000,
      maxJobsToActivate: 5,
    });
    expect(jobs).toHaveLength(1);
    expect(jobs[0].variables).toEqual({ level: 2 });
    await t.engine.broadcastSignal({ signalName: 'allerta', tenantId: 'other' });
    expect(
      await t.engine.activateJobs({ type: 'sigstart', timeout: 1000, maxJobsToActivate: 5 }),
    ).toEqual([]);
  });
});
