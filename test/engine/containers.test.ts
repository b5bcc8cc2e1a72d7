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

const work = async (
  type: string,
  vars: (v: Record<string, unknown>) => Record<string, unknown> = () => ({}),
  n = 1,
) => {
  const out = [];
  while (out.length < n) {
    const jobs = await t.engine.activateJobs({
      type,
      timeout: 10_000,
      maxJobsToActivate: n - out.length,
      requestTimeoutMs: 2000,
    });
    for (const j of jobs) {
      await t.engine.completeJob({ jobKey: j.key, variables: vars(j.variables) });
      out.push(j);
    }
  }
  return out;
};

describe('sub-processes and event sub-processes', () => {
  it('runs an embedded sub-process with local input/output mappings', async () => {
    await deploy(
      t.engine,
      'sub.bpmn',
      bpmn(
        'sub',
        `<bpmn:startEvent id="s" />
         <bpmn:subProcess id="sp">
           <bpmn:extensionElements><zeebe:ioMapping>
             <zeebe:input source="=order.total * 2" target="doubled" />
             <zeebe:output source="=doubled + 1" target="result.value" />
           </zeebe:ioMapping></bpmn:extensionElements>
           <bpmn:startEvent id="ss" />${serviceTask('inner', 'sub')}<bpmn:endEvent id="se" />${chain(['ss', 'inner', 'se'])}
         </bpmn:subProcess>
         <bpmn:endEvent id="e" />${chain(['s', 'sp', 'e'])}`,
      ),
    );
    const pi = await t.engine.createProcessInstance({
      bpmnProcessId: 'sub',
      variables: { order: { total: 5 }, result: { keep: true } },
    });
    const [job] = await work('sub');
    expect(job.variables).toMatchObject({ doubled: 10, order: { total: 5 } });
    await eventually(() => isCompleted(t.engine, pi.processInstanceKey));
    const vars = await variablesOf(t.engine, pi.processInstanceKey);
    expect(vars.result).toEqual({ keep: true, value: 11 });
    expect(vars).not.toHaveProperty('doubled');
  });

  it('interrupts the scope with a message event sub-process', async () => {
    await deploy(
      t.engine,
      'esp.bpmn',
      bpmn(
        'esp',
        `<bpmn:startEvent id="s" />${serviceTask('task', 'esp')}<bpmn:endEvent id="e" />${chain(['s', 'task', 'e'])}
         <bpmn:subProcess id="onCancel" triggeredByEvent="true">
           <bpmn:startEvent id="cs"><bpmn:messageEventDefinition messageRef="X" /></bpmn:startEvent><bpmn:endEvent id="ce" />${flow('cf', 'cs', 'ce')}
         </bpmn:subProcess>
         <bpmn:subProcess id="onError" triggeredByEvent="true">
           <bpmn:startEvent id="es"><bpmn:errorEventDefinition /></bpmn:startEvent><bpmn:endEvent id="ee" />${flow('ef', 'es', 'ee')}
         </bpmn:subProcess>`,
        `<bpmn:message id="X" name="annullamento"><bpmn:extensionElements><zeebe:subscription correlationKey="=id" /></bpmn:extensionElements></bpmn:message>`,
      ),
    );
    const a = await t.engine.createProcessInstance({
      bpmnProcessId: 'esp',
      variables: { id: 'a' },
    });
    await t.engine.publishMessage({ name: 'annullamento', correlationKey: 'a' });
    await eventually(() => isCompleted(t.engine, a.processInstanceKey));
    const tr = await trail(t.engine, a.processInstanceKey);
    expect(tr).toContain('task:ELEMENT_TERMINATED');
    expect(tr).toContain('ce:ELEMENT_COMPLETED');

    const b = await t.engine.createProcessInstance({
      bpmnProcessId: 'esp',
      variables: { id: 'b' },
    });
    const [job] = await t.engine.activateJobs({
      type: 'esp',
      timeout: 10_000,
      maxJobsToActivate: 1,
      requestTimeoutMs: 2000,
    });
    await t.engine.throwError({ jobKey: job.key, errorCode: 'ANY' });
    await eventually(() => isCompleted(t.engine, b.processInstanceKey));
    expect(await trail(t.engine, b.processInstanceKey)).toContain('ee:ELEMENT_COMPLETED');
  });

  it('ends the whole scope at a terminate end event', async () => {
    await deploy(
      t.engine,
      'term.bpmn',
      bpmn(
        'term',
        `<bpmn:startEvent id="s" /><bpmn:parallelGateway id="fork" />${serviceTask('slow', 'never')}
         <bpmn:endEvent id="stop"><bpmn:terminateEventDefinition /></bpmn:endEvent>
         ${flow('f0', 's', 'fork')}${flow('f1', 'fork', 'slow')}${flow('f2', 'fork', 'stop')}`,
      ),
    );
    const pi = await t.engine.createProcessInstance({ bpmnProcessId: 'term' });
    await eventually(() => isCompleted(t.engine, pi.processInstanceKey));
    expect(await trail(t.engine, pi.processInstanceKey)).toContain('slow:ELEMENT_TERMINATED');
  });

  it('catches an escalation thrown inside a sub-process with a non-interrupting boundary', async () => {
    await deploy(
      t.engine,
      'esc.bpmn',
      bpmn(
        'esc',
        `<bpmn:startEvent id="s" />
         <bpmn:subProcess id="sp"><bpmn:startEvent id="ss" />
           <bpmn:intermediateThrowEvent id="raise"><bpmn:escalationEventDefinition escalationRef="Esc" /></bpmn:intermediateThrowEvent>
           <bpmn:endEvent id="se" />${chain(['ss', 'raise', 'se'])}</bpmn:subProcess>
         <bpmn:boundaryEvent id="b" attachedToRef="sp" cancelActivity="false"><bpmn:escalationEventDefinition escalationRef="Esc" /></bpmn:boundaryEvent>
         <bpmn:endEvent id="e" /><bpmn:endEvent id="be" />${chain(['s', 'sp', 'e'])}${flow('fb', 'b', 'be')}`,
        '<bpmn:escalation id="Esc" escalationCode="LATE" />',
      ),
    );
    const pi = await t.engine.createProcessInstance({ bpmnProcessId: 'esc' });
    await eventually(() => isCompleted(t.engine, pi.processInstanceKey));
    const tr = await trail(t.engine, pi.processInstanceKey);
    expect(tr).toContain('be:ELEMENT_COMPLETED');
    expect(tr).toContain('e:ELEMENT_COMPLETED');
  });
});

describe('call activities', () => {
  beforeAll(async () => {
    await deploy(
      t.engine,
      'child.bpmn',
      bpmn(
        'child',
        `<bpmn:startEvent id="s" />${serviceTask('ct', 'child')}<bpmn:endEvent id="e" />${chain(['s', 'ct', 'e'])}`,
      ),
    );
    await deploy(
      t.engine,
      'parent.bpmn',
      bpmn(
        'parent',
        `<bpmn:startEvent id="s" />
         <bpmn:callActivity id="call"><bpmn:extensionElements><zeebe:calledElement processId="=childId" propagateAllChildVariables="true" /></bpmn:extensionElements></bpmn:callActivity>
         <bpmn:endEvent id="e" />${chain(['s', 'call', 'e'])}`,
      ),
    );
  });

  it('calls a process by FEEL id, passes variables down and back up', async () => {
    const pi = await t.engine.createProcessInstance({
      bpmnProcessId: 'parent',
      variables: { childId: 'child', input: 1 },
    });
    const [job] = await work('child', (v) => ({ output: (v.input as number) + 1 }));
    expect(job.bpmnProcessId).toBe('child');
    await eventually(() => isCompleted(t.engine, pi.processInstanceKey));
    expect(await variablesOf(t.engine, pi.processInstanceKey)).toMatchObject({ output: 2 });
  });

  it('cancels the called instance with its parent', async () => {
    const pi = await t.engine.createProcessInstance({
      bpmnProcessId: 'parent',
      variables: { childId: 'child' },
    });
    const [job] = await t.engine.activateJobs({
      type: 'child',
      timeout: 10_000,
      maxJobsToActivate: 1,
      requestTimeoutMs: 2000,
    });
    await expect(
      t.engine.cancelProcessInstance({ processInstanceKey: job.processInstanceKey }),
    ).rejects.toMatchObject({ code: 'FAILED_PRECONDITION' });
    await t.engine.cancelProcessInstance({ processInstanceKey: pi.processInstanceKey });
    expect(t.engine.health().activeProcessInstances).toBe(0);
    await expect(t.engine.completeJob({ jobKey: job.key })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('raises an incident when the called process is not deployed', async () => {
    const pi = await t.engine.createProcessInstance({
      bpmnProcessId: 'parent',
      variables: { childId: 'missing' },
    });
    const [incident] = await incidents(t.engine, pi.processInstanceKey);
    expect(incident.value).toMatchObject({ errorType: 'CALLED_ELEMENT_ERROR', elementId: 'call' });
    await t.engine.cancelProcessInstance({ processInstanceKey: pi.processInstanceKey });
  });
});

describe('multi-instance', () => {
  it('runs parallel instances and collects the output collection', async () => {
    await deploy(
      t.engine,
      'mi.bpmn',
      bpmn(
        'mi',
        `<bpmn:startEvent id="s" />
         <bpmn:serviceTask id="each"><bpmn:extensionElements><zeebe:taskDefinition type="mi" /></bpmn:extensionElements>
           <bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements>
             <zeebe:loopCharacteristics inputCollection="=comuni" inputElement="comune" outputCollection="risultati" outputElement="=esito" />
           </bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics></bpmn:serviceTask>
         <bpmn:endEvent id="e" />${chain(['s', 'each', 'e'])}`,
      ),
    );
    const pi = await t.engine.createProcessInstance({
      bpmnProcessId: 'mi',
      variables: { comuni: ['Arezzo', 'Cortona', 'Anghiari'] },
    });
    const jobs = await work(
      'mi',
      (v) => ({ esito: `ok-${String(v.comune)}-${String(v.loopCounter)}` }),
      3,
    );
    expect(jobs.map((j) => j.variables.comune).sort()).toEqual(['Anghiari', 'Arezzo', 'Cortona']);
    await eventually(() => isCompleted(t.engine, pi.processInstanceKey));
    expect((await variablesOf(t.engine, pi.processInstanceKey)).risultati).toEqual([
      'ok-Arezzo-1',
      'ok-Cortona-2',
      'ok-Anghiari-3',
    ]);
  });

  it('runs sequential instances and stops at the completion condition', async () => {
    await deploy(
      t.engine,
      'mis.bpmn',
      bpmn(
        'mis',
        `<bpmn:startEvent id="s" />
         <bpmn:serviceTask id="each"><bpmn:extensionElements><zeebe:taskDefinition type="mis" /></bpmn:extensionElements>
           <bpmn:multiInstanceLoopCharacteristics isSequential="true"><bpmn:extensionElements>
             <zeebe:loopCharacteristics inputCollection="=[1,2,3,4]" inputElement="n" />
           </bpmn:extensionElements><bpmn:completionCondition>=found</bpmn:completionCondition></bpmn:multiInstanceLoopCharacteristics></bpmn:serviceTask>
         <bpmn:endEvent id="e" />${chain(['s', 'each', 'e'])}`,
      ),
    );
    const pi = await t.engine.createProcessInstance({
      bpmnProcessId: 'mis',
      variables: { found: false },
    });
    const jobs = await work('mis', (v) => ({ found: v.n === 2 }), 2);
    expect(jobs.map((j) => j.variables.n)).toEqual([1, 2]);
    await eventually(() => isCompleted(t.engine, pi.processInstanceKey));
  });

  it('raises an incident when the input collection is not a list', async () => {
    const pi = await t.engine.createProcessInstance({
      bpmnProcessId: 'mi',
      variables: { comuni: 'Arezzo' },
    });
    const [incident] = await incidents(t.engine, pi.processInstanceKey);
    expect(incident.value.errorType).toBe('EXTRACT_VALUE_ERROR');
    expect(String(incident.value.errorMessage)).toMatch(/ARRAY/);
  });
});

describe('scripts, decisions, mappings', () => {
  it('evaluates a FEEL script task and an expression failure raises an incident', async () => {
    await deploy(
      t.engine,
      'script.bpmn',
      bpmn(
        'script',
        `<bpmn:startEvent id="s" /><bpmn:scriptTask id="calc"><bpmn:extensionElements><zeebe:script expression="=a + b" resultVariable="sum" /></bpmn:extensionElements></bpmn:scriptTask>
         <bpmn:endEvent id="e" />${chain(['s', 'calc', 'e'])}`,
      ),
    );
    const ok = await t.engine.createProcessInstanceWithResult({
      request: { bpmnProcessId: 'script', variables: { a: 1, b: 2 } },
    });
    expect(ok.variables.sum).toBe(3);
    const bad = await t.engine.createProcessInstance({
      bpmnProcessId: 'script',
      variables: { a: 'x', b: {} },
    });
    const [incident] = await incidents(t.engine, bad.processInstanceKey);
    expect(incident.value).toMatchObject({ errorType: 'EXTRACT_VALUE_ERROR', elementId: 'calc' });
  });

  it('evaluates the latest decision for a business rule task', async () => {
    const dmn = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="drg_soglie" name="Soglie" namespace="http://camunda.org/schema/1.0/dmn">
  <decision id="procedura" name="Procedura">
    <decisionTable id="dt" hitPolicy="FIRST">
      <input id="in1" label="Importo"><inputExpression id="ie1" typeRef="number"><text>importo</text></inputExpression></input>
      <output id="out1" name="tipo" typeRef="string" />
      <rule id="r1"><inputEntry id="e1"><text>&lt; 40000</text></inputEntry><outputEntry id="o1"><text>"affidamento diretto"</text></outputEntry></rule>
      <rule id="r2"><inputEntry id="e2"><text>-</text></inputEntry><outputEntry id="o2"><text>"procedura aperta"</text></outputEntry></rule>
    </decisionTable>
  </decision>
</definitions>`;
    const dep = await t.engine.deployResource({
      resources: [{ name: 'soglie.dmn', content: dmn }],
    });
    expect(
      dep.deployments.some((d) => 'decision' in d && d.decision.dmnDecisionId === 'procedura'),
    ).toBe(true);
    await deploy(
      t.engine,
      'brt.bpmn',
      bpmn(
        'brt',
        `<bpmn:startEvent id="s" /><bpmn:businessRuleTask id="decide"><bpmn:extensionElements><zeebe:calledDecision decisionId="procedura" resultVariable="tipo" /></bpmn:extensionElements></bpmn:businessRuleTask>
         <bpmn:endEvent id="e" />${chain(['s', 'decide', 'e'])}`,
      ),
    );
    const res = await t.engine.createProcessInstanceWithResult({
      request: { bpmnProcessId: 'brt', variables: { importo: 1000 } },
    });
    expect(res.variables.tipo).toBe('affidamento diretto');
    const direct = await t.engine.evaluateDecision({
      decisionId: 'procedura',
      variables: { importo: 100000 },
    });
    expect(JSON.parse(direct.decisionOutput)).toBe('procedura aperta');
  });
});
