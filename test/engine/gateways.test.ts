import {
  bpmn,
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
});
afterAll(async () => {
  await t.close();
});

async function completeAll(type: string, n: number, vars: Record<string, unknown> = {}) {
  const done: string[] = [];
  while (done.length < n) {
    const jobs = await t.engine.activateJobs({
      type,
      timeout: 10_000,
      maxJobsToActivate: n,
      requestTimeoutMs: 2000,
    });
    for (const j of jobs) {
      await t.engine.completeJob({ jobKey: j.key, variables: vars });
      done.push(j.elementId);
    }
  }
  return done;
}

describe('exclusive gateway', () => {
  const xml = bpmn(
    'xor',
    `<bpmn:startEvent id="s" />
     <bpmn:exclusiveGateway id="gw" default="toC" />
     <bpmn:endEvent id="a" /><bpmn:endEvent id="b" /><bpmn:endEvent id="c" />
     ${flow('f0', 's', 'gw')}
     ${flow('toA', 'gw', 'a', '=x &gt; 10')}
     ${flow('toB', 'gw', 'b', '=x &gt; 5')}
     ${flow('toC', 'gw', 'c')}`,
  );
  beforeAll(async () => {
    await deploy(t.engine, 'xor.bpmn', xml);
  });

  it('takes the first flow whose condition is true', async () => {
    const pi = await t.engine.createProcessInstance({ bpmnProcessId: 'xor', variables: { x: 20 } });
    await eventually(() => isCompleted(t.engine, pi.processInstanceKey));
    const tr = await trail(t.engine, pi.processInstanceKey);
    expect(tr).toContain('toA:SEQUENCE_FLOW_TAKEN');
    expect(tr).not.toContain('toB:SEQUENCE_FLOW_TAKEN');
  });

  it('takes the default flow when no condition is true', async () => {
    const pi = await t.engine.createProcessInstance({ bpmnProcessId: 'xor', variables: { x: 1 } });
    await eventually(() => isCompleted(t.engine, pi.processInstanceKey));
    expect(await trail(t.engine, pi.processInstanceKey)).toContain('toC:SEQUENCE_FLOW_TAKEN');
  });

  it('raises an incident when a condition is not boolean, and continues after resolving', async () => {
    await deploy(
      t.engine,
      'xor3.bpmn',
      bpmn(
        'xor3',
        `<bpmn:startEvent id="s" /><bpmn:exclusiveGateway id="gw" default="toB" /><bpmn:endEvent id="a" /><bpmn:endEvent id="b" />
        ${flow('f0', 's', 'gw')}${flow('toA', 'gw', 'a', '=flag')}${flow('toB', 'gw', 'b')}`,
      ),
    );
    const pi = await t.engine.createProcessInstance({
      bpmnProcessId: 'xor3',
      variables: { flag: 'yes' },
    });
    const [incident] = await eventually(async () => {
      const list = await incidents(t.engine, pi.processInstanceKey);
      return list.length ? list : undefined;
    });
    expect(incident.value).toMatchObject({ errorType: 'CONDITION_ERROR', elementId: 'gw' });
    expect(String(incident.value.errorMessage)).toMatch(/BOOLEAN/);
    // fix the data, resolve: the gateway is evaluated again
    await t.engine.setVariables({
      elementInstanceKey: pi.processInstanceKey,
      variables: { flag: true },
    });
    await t.engine.resolveIncident({ incidentKey: String(incident.key) });
    await eventually(() => isCompleted(t.engine, pi.processInstanceKey));
    expect(await trail(t.engine, pi.processInstanceKey)).toContain('toA:SEQUENCE_FLOW_TAKEN');
  });

  it('raises an incident when no flow can be taken', async () => {
    await deploy(
      t.engine,
      'xor2.bpmn',
      bpmn(
        'xor2',
        `<bpmn:startEvent id="s" /><bpmn:exclusiveGateway id="gw" /><bpmn:endEvent id="a" /><bpmn:endEvent id="b" />
        ${flow('f0', 's', 'gw')}${flow('toA', 'gw', 'a', '=x = 1')}${flow('toB', 'gw', 'b', '=x = 2')}`,
      ),
    );
    const pi = await t.engine.createProcessInstance({ bpmnProcessId: 'xor2', variables: { x: 3 } });
    const list = await eventually(async () => {
      const l = await incidents(t.engine, pi.processInstanceKey);
      return l.length ? l : undefined;
    });
    expect(list[0].value.errorType).toBe('CONDITION_ERROR');
    expect(String(list[0].value.errorMessage)).toMatch(/at least one condition/);
  });
});

describe('parallel and inclusive gateways', () => {
  it('forks and joins a parallel gateway', async () => {
    await deploy(
      t.engine,
      'par.bpmn',
      bpmn(
        'par',
        `<bpmn:startEvent id="s" /><bpmn:parallelGateway id="fork" /><bpmn:parallelGateway id="join" />
        ${serviceTask('t1', 'par')}${serviceTask('t2', 'par')}<bpmn:endEvent id="e" />
        ${flow('f0', 's', 'fork')}${flow('f1', 'fork', 't1')}${flow('f2', 'fork', 't2')}${flow('f3', 't1', 'join')}${flow('f4', 't2', 'join')}${flow('f5', 'join', 'e')}`,
      ),
    );
    const pi = await t.engine.createProcessInstance({ bpmnProcessId: 'par' });
    const done = await completeAll('par', 2);
    expect(done.sort()).toEqual(['t1', 't2']);
    await eventually(() => isCompleted(t.engine, pi.processInstanceKey));
    const tr = await trail(t.engine, pi.processInstanceKey);
    expect(tr.filter((x) => x === 'join:ELEMENT_ACTIVATED')).toHaveLength(1);
    expect(tr.filter((x) => x === 'e:ELEMENT_COMPLETED')).toHaveLength(1);
  });

  it('activates only the true branches of an inclusive gateway and joins them', async () => {
    await deploy(
      t.engine,
      'or.bpmn',
      bpmn(
        'or',
        `<bpmn:startEvent id="s" /><bpmn:inclusiveGateway id="fork" /><bpmn:inclusiveGateway id="join" />
        ${serviceTask('t1', 'or')}${serviceTask('t2', 'or')}${serviceTask('t3', 'or')}<bpmn:endEvent id="e" />
        ${flow('f0', 's', 'fork')}${flow('f1', 'fork', 't1', '=a')}${flow('f2', 'fork', 't2', '=b')}${flow('f3', 'fork', 't3', '=c')}
        ${flow('g1', 't1', 'join')}${flow('g2', 't2', 'join')}${flow('g3', 't3', 'join')}${flow('f5', 'join', 'e')}`,
      ),
    );
    const pi = await t.engine.createProcessInstance({
      bpmnProcessId: 'or',
      variables: { a: true, b: false, c: true },
    });
    const done = await completeAll('or', 2);
    expect(done.sort()).toEqual(['t1', 't3']);
    await eventually(() => isCompleted(t.engine, pi.processInstanceKey));
    const tr = await trail(t.engine, pi.processInstanceKey);
    expect(tr.filter((x) => x === 'join:ELEMENT_ACTIVATED')).toHaveLength(1);
  });
});
