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
  type TestEngine,
} from './support';

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
});
afterAll(async () => {
  await t.close();
});

const activate = (type: string) =>
  t.engine.activateJobs({ type, timeout: 10_000, maxJobsToActivate: 5, requestTimeoutMs: 2000 });

describe('more events', () => {
  it('jumps through link events', async () => {
    await deploy(
      t.engine,
      'link.bpmn',
      bpmn(
        'link',
        `<bpmn:startEvent id="s" /><bpmn:intermediateThrowEvent id="go"><bpmn:linkEventDefinition name="A" /></bpmn:intermediateThrowEvent>
         <bpmn:intermediateCatchEvent id="land"><bpmn:linkEventDefinition name="A" /></bpmn:intermediateCatchEvent><bpmn:endEvent id="e" />
         ${flow('f1', 's', 'go')}${flow('f2', 'land', 'e')}`,
      ),
    );
    const res = await t.engine.createProcessInstanceWithResult({
      request: { bpmnProcessId: 'link' },
    });
    expect(await trail(t.engine, res.processInstanceKey)).toContain('land:ELEMENT_COMPLETED');
  });

  it('interrupts a task with a signal boundary and starts a non-interrupting message event sub-process', async () => {
    await deploy(
      t.engine,
      'sb.bpmn',
      bpmn(
        'sb',
        `<bpmn:startEvent id="s" />${serviceTask('task', 'sb')}<bpmn:endEvent id="e" />${chain(['s', 'task', 'e'])}
         <bpmn:boundaryEvent id="stop" attachedToRef="task"><bpmn:signalEventDefinition signalRef="Sig" /></bpmn:boundaryEvent>
         <bpmn:endEvent id="stopped" />${flow('fs', 'stop', 'stopped')}
         <bpmn:subProcess id="note" triggeredByEvent="true">
           <bpmn:startEvent id="ns" isInterrupting="false"><bpmn:messageEventDefinition messageRef="N" /></bpmn:startEvent>
           ${serviceTask('noteTask', 'sb-note')}${flow('nf', 'ns', 'noteTask')}
         </bpmn:subProcess>`,
        `<bpmn:signal id="Sig" name="stop" /><bpmn:message id="N" name="nota"><bpmn:extensionElements><zeebe:subscription correlationKey="=id" /></bpmn:extensionElements></bpmn:message>`,
      ),
    );
    const pi = await t.engine.createProcessInstance({
      bpmnProcessId: 'sb',
      variables: { id: 'n1' },
    });
    await t.engine.publishMessage({
      name: 'nota',
      correlationKey: 'n1',
      variables: { text: 'ciao' },
    });
    const [noteJob] = await activate('sb-note');
    expect(noteJob.variables.text).toBe('ciao');
    expect(await trail(t.engine, pi.processInstanceKey)).not.toContain('task:ELEMENT_TERMINATED');
    await t.engine.broadcastSignal({ signalName: 'stop' });
    expect(await trail(t.engine, pi.processInstanceKey)).toContain('task:ELEMENT_TERMINATED');
    await t.engine.completeJob({ jobKey: noteJob.key });
    await eventually(() => isCompleted(t.engine, pi.processInstanceKey));
  });

  it('propagates an error from a called process to a boundary event of the call activity', async () => {
    await deploy(
      t.engine,
      'errchild.bpmn',
      bpmn(
        'errchild',
        `<bpmn:startEvent id="s" /><bpmn:endEvent id="fail"><bpmn:errorEventDefinition errorRef="E" /></bpmn:endEvent>${chain(['s', 'fail'])}`,
        '<bpmn:error id="E" errorCode="REJECTED" />',
      ),
    );
    await deploy(
      t.engine,
      'errparent.bpmn',
      bpmn(
        'errparent',
        `<bpmn:startEvent id="s" /><bpmn:callActivity id="call"><bpmn:extensionElements><zeebe:calledElement processId="errchild" /></bpmn:extensionElements></bpmn:callActivity>
         <bpmn:endEvent id="e" /><bpmn:boundaryEvent id="caught" attachedToRef="call"><bpmn:errorEventDefinition errorRef="E" /></bpmn:boundaryEvent>
         <bpmn:endEvent id="handled" />${chain(['s', 'call', 'e'])}${flow('fh', 'caught', 'handled')}`,
        '<bpmn:error id="E" errorCode="REJECTED" />',
      ),
    );
    const res = await t.engine.createProcessInstanceWithResult({
      request: { bpmnProcessId: 'errparent' },
    });
    expect(await trail(t.engine, res.processInstanceKey)).toContain('handled:ELEMENT_COMPLETED');
    expect(t.engine.health().activeProcessInstances).toBe(0);
  });

  it('runs a message throw event as a job and a timer start event with a date', async () => {
    await deploy(
      t.engine,
      'throw.bpmn',
      bpmn(
        'throw',
        `<bpmn:startEvent id="s" /><bpmn:intermediateThrowEvent id="notify"><bpmn:extensionElements><zeebe:taskDefinition type="send-mail" /></bpmn:extensionElements><bpmn:messageEventDefinition messageRef="Mail" /></bpmn:intermediateThrowEvent>
         <bpmn:endEvent id="e" />${chain(['s', 'notify', 'e'])}`,
        '<bpmn:message id="Mail" name="mail" />',
      ),
    );
    const pi = await t.engine.createProcessInstance({ bpmnProcessId: 'throw' });
    const [job] = await activate('send-mail');
    expect(job.elementId).toBe('notify');
    await t.engine.completeJob({ jobKey: job.key });
    await eventually(() => isCompleted(t.engine, pi.processInstanceKey));

    const soon = new Date(Date.now() + 100).toISOString();
    await deploy(
      t.engine,
      'datestart.bpmn',
      bpmn(
        'datestart',
        `<bpmn:startEvent id="at"><bpmn:timerEventDefinition><bpmn:timeDate>${soon}</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:startEvent>${serviceTask('t', 'datestart')}${flow('f', 'at', 't')}`,
      ),
    );
    const started = await activate('datestart');
    expect(started).toHaveLength(1);
  });
});
