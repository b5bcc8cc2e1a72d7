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
  variablesOf,
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

describe('incidents for expressions and mappings', () => {
  it('raises an IO mapping incident and retries the mapping after resolve', async () => {
    await deploy(
      t.engine,
      'io.bpmn',
      bpmn(
        'io',
        `<bpmn:startEvent id="s" />${serviceTask('task', 'io', '<zeebe:ioMapping><zeebe:input source="=name + &quot;!&quot;" target="upper" /></zeebe:ioMapping>')}<bpmn:endEvent id="e" />${chain(['s', 'task', 'e'])}`,
      ),
    );
    const pi = await t.engine.createProcessInstance({
      bpmnProcessId: 'io',
      variables: { name: 42 },
    });
    const [incident] = await incidents(t.engine, pi.processInstanceKey);
    expect(incident.value).toMatchObject({ errorType: 'IO_MAPPING_ERROR', elementId: 'task' });
    await t.engine.setVariables({
      elementInstanceKey: pi.processInstanceKey,
      variables: { name: 'rieti' },
    });
    await t.engine.resolveIncident({ incidentKey: String(incident.key) });
    const [job] = await activate('io');
    expect(job.variables.upper).toBe('rieti!');
  });

  it('raises a decision incident when the called decision does not exist', async () => {
    await deploy(
      t.engine,
      'nodec.bpmn',
      bpmn(
        'nodec',
        `<bpmn:startEvent id="s" /><bpmn:businessRuleTask id="d"><bpmn:extensionElements><zeebe:calledDecision decisionId="missing" resultVariable="r" /></bpmn:extensionElements></bpmn:businessRuleTask>${chain(['s', 'd'])}`,
      ),
    );
    const pi = await t.engine.createProcessInstance({ bpmnProcessId: 'nodec' });
    const [incident] = await incidents(t.engine, pi.processInstanceKey);
    expect(incident.value.errorType).toBe('DECISION_EVALUATION_ERROR');
  });

  it('raises an incident when a correlation key cannot be extracted', async () => {
    await deploy(
      t.engine,
      'nokey.bpmn',
      bpmn(
        'nokey',
        `<bpmn:startEvent id="s" /><bpmn:receiveTask id="r" messageRef="M" />${chain(['s', 'r'])}`,
        `<bpmn:message id="M" name="m"><bpmn:extensionElements><zeebe:subscription correlationKey="=missing" /></bpmn:extensionElements></bpmn:message>`,
      ),
    );
    const pi = await t.engine.createProcessInstance({ bpmnProcessId: 'nokey' });
    const [incident] = await incidents(t.engine, pi.processInstanceKey);
    expect(incident.value).toMatchObject({ errorType: 'EXTRACT_VALUE_ERROR', elementId: 'r' });
  });

  it('resolves an instance’s incidents when it is canceled', async () => {
    const pi = await t.engine.createProcessInstance({ bpmnProcessId: 'nokey' });
    expect(await incidents(t.engine, pi.processInstanceKey)).toHaveLength(1);
    await t.engine.cancelProcessInstance({ processInstanceKey: pi.processInstanceKey });
    expect(await incidents(t.engine, pi.processInstanceKey)).toHaveLength(0);
  });
});

describe('scopes and interrupting events', () => {
  it('interrupts a sub-process with a timer boundary event', async () => {
    await deploy(
      t.engine,
      'tb.bpmn',
      bpmn(
        'tb',
        `<bpmn:startEvent id="s" /><bpmn:subProcess id="sp"><bpmn:startEvent id="ss" />${serviceTask('inner', 'tb')}${chain(['ss', 'inner'])}</bpmn:subProcess>
         <bpmn:boundaryEvent id="late" attachedToRef="sp"><bpmn:timerEventDefinition><bpmn:timeDuration>PT0.05S</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
         <bpmn:endEvent id="e" /><bpmn:endEvent id="timeout" />${chain(['s', 'sp', 'e'])}${flow('ft', 'late', 'timeout')}`,
      ),
    );
    const pi = await t.engine.createProcessInstance({ bpmnProcessId: 'tb' });
    await eventually(() => isCompleted(t.engine, pi.processInstanceKey));
    const tr = await trail(t.engine, pi.processInstanceKey);
    expect(tr).toContain('inner:ELEMENT_TERMINATED');
    expect(tr).toContain('sp:ELEMENT_TERMINATED');
    expect(tr).toContain('timeout:ELEMENT_COMPLETED');
  });

  it('catches an error end event in an event sub-process of the enclosing sub-process', async () => {
    await deploy(
      t.engine,
      'ee.bpmn',
      bpmn(
        'ee',
        `<bpmn:startEvent id="s" />
         <bpmn:subProcess id="sp"><bpmn:startEvent id="ss" /><bpmn:endEvent id="boom"><bpmn:errorEventDefinition errorRef="E" /></bpmn:endEvent>${chain(['ss', 'boom'])}
           <bpmn:subProcess id="handler" triggeredByEvent="true"><bpmn:startEvent id="hs"><bpmn:errorEventDefinition errorRef="E" /></bpmn:startEvent><bpmn:endEvent id="he" />${flow('hf', 'hs', 'he')}</bpmn:subProcess>
         </bpmn:subProcess><bpmn:endEvent id="e" />${chain(['s', 'sp', 'e'])}`,
        '<bpmn:error id="E" errorCode="KO" />',
      ),
    );
    const res = await t.engine.createProcessInstanceWithResult({
      request: { bpmnProcessId: 'ee' },
    });
    const tr = await trail(t.engine, res.processInstanceKey);
    expect(tr).toContain('he:ELEMENT_COMPLETED');
    expect(tr).toContain('e:ELEMENT_COMPLETED');
  });

  it('continues after an uncaught escalation, and takes the default flow of an inclusive gateway', async () => {
    await deploy(
      t.engine,
      'esc2.bpmn',
      bpmn(
        'esc2',
        `<bpmn:startEvent id="s" /><bpmn:intermediateThrowEvent id="up"><bpmn:escalationEventDefinition escalationRef="X" /></bpmn:intermediateThrowEvent>
         <bpmn:inclusiveGateway id="gw" default="d" /><bpmn:endEvent id="a" /><bpmn:endEvent id="b" />
         ${chain(['s', 'up', 'gw'])}${flow('c', 'gw', 'a', '=false')}${flow('d', 'gw', 'b')}`,
        '<bpmn:escalation id="X" escalationCode="X1" />',
      ),
    );
    const res = await t.engine.createProcessInstanceWithResult({
      request: { bpmnProcessId: 'esc2' },
    });
    expect(await trail(t.engine, res.processInstanceKey)).toContain('b:ELEMENT_COMPLETED');
  });

  it('limits what a call activity passes when propagation is off, and maps outputs', async () => {
    await deploy(
      t.engine,
      'c2.bpmn',
      bpmn(
        'c2',
        `<bpmn:startEvent id="s" />${serviceTask('ct', 'c2')}<bpmn:endEvent id="e" />${chain(['s', 'ct', 'e'])}`,
      ),
    );
    await deploy(
      t.engine,
      'p2.bpmn',
      bpmn(
        'p2',
        `<bpmn:startEvent id="s" /><bpmn:callActivity id="call"><bpmn:extensionElements>
           <zeebe:calledElement processId="c2" propagateAllChildVariables="false" propagateAllParentVariables="false" />
           <zeebe:ioMapping><zeebe:input source="=secret + 1" target="given" /><zeebe:output source="=childResult" target="fromChild" /></zeebe:ioMapping>
         </bpmn:extensionElements></bpmn:callActivity><bpmn:endEvent id="e" />${chain(['s', 'call', 'e'])}`,
      ),
    );
    const pi = await t.engine.createProcessInstance({
      bpmnProcessId: 'p2',
      variables: { secret: 1 },
    });
    const [job] = await activate('c2');
    expect(job.variables).toEqual({ given: 2 });
    await t.engine.completeJob({ jobKey: job.key, variables: { childResult: 'ok', noise: 1 } });
    await eventually(() => isCompleted(t.engine, pi.processInstanceKey));
    const vars = await variablesOf(t.engine, pi.processInstanceKey);
    expect(vars).toEqual({ secret: 1, fromChild: 'ok' });
  });

  it('refuses to deploy for a tenant the caller may not use', async () => {
    await expect(
      t.engine.deployResource(
        {
          resources: [{ name: 'x.bpmn', content: bpmn('x', '<bpmn:startEvent id="s" />') }],
          tenantId: '058',
        },
        { authorizedTenants: ['015'] },
      ),
    ).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
  });
});
