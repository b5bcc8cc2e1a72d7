/**
 * Gateways, events and containers as Zeebe documents them, end to end through the
 * gateway: exclusive (default flow), parallel, inclusive and event-based gateways,
 * terminate end events, sub-processes, call activities and multi-instance.
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

describe('flow control (docs: "BPMN coverage")', () => {
  let h: EngineHarness;
  beforeAll(async () => {
    h = await startEngineHarness();
  });
  afterAll(() => h.stop());

  const run = (
    bpmnProcessId: string,
    variables: Record<string, string | number | boolean | string[]>,
  ) => h.zbc.createProcessInstanceWithResult({ bpmnProcessId, variables, requestTimeout: 20_000 });

  it('takes the first true condition of an exclusive gateway, else its default flow', async () => {
    const body = `
      <bpmn:startEvent id="start"/>
      <bpmn:exclusiveGateway id="choose" default="toDefault"/>
      <bpmn:scriptTask id="small"><bpmn:extensionElements><zeebe:script expression="=&quot;affidamento diretto&quot;" resultVariable="procedure"/></bpmn:extensionElements></bpmn:scriptTask>
      <bpmn:scriptTask id="medium"><bpmn:extensionElements><zeebe:script expression="=&quot;procedura negoziata&quot;" resultVariable="procedure"/></bpmn:extensionElements></bpmn:scriptTask>
      <bpmn:scriptTask id="large"><bpmn:extensionElements><zeebe:script expression="=&quot;procedura aperta&quot;" resultVariable="procedure"/></bpmn:extensionElements></bpmn:scriptTask>
      <bpmn:endEvent id="end"/>
      ${flow('f0', 'start', 'choose')}
      ${flow('toSmall', 'choose', 'small', '=amount &lt; 140000')}
      ${flow('toMedium', 'choose', 'medium', '=amount &lt; 216000')}
      ${flow('toDefault', 'choose', 'large')}
      ${flow('f1', 'small', 'end')}${flow('f2', 'medium', 'end')}${flow('f3', 'large', 'end')}`;
    await deploy(h.zbc, 'exclusive.bpmn', bpmn('exclusive', body));
    expect((await run('exclusive', { amount: 90000 })).variables.procedure).toBe(
      'affidamento diretto',
    );
    expect((await run('exclusive', { amount: 150000 })).variables.procedure).toBe(
      'procedura negoziata',
    );
    expect((await run('exclusive', { amount: 6000000 })).variables.procedure).toBe(
      'procedura aperta',
    );
  });

  it('joins parallel branches once all have arrived', async () => {
    const body = `
      <bpmn:startEvent id="start"/>
      <bpmn:parallelGateway id="fork"/>
      ${serviceTask('a', 'par-a')}${serviceTask('b', 'par-b')}
      <bpmn:parallelGateway id="join"/>
      ${serviceTask('after', 'par-after')}
      <bpmn:endEvent id="end"/>
      ${chain(['start', 'fork'])}${flow('fa', 'fork', 'a')}${flow('fb', 'fork', 'b')}
      ${flow('ja', 'a', 'join')}${flow('jb', 'b', 'join')}${chain(['join', 'after', 'end'])}`;
    await deploy(h.zbc, 'parallel.bpmn', bpmn('parallel', body));
    const result = run('parallel', {});
    const [a] = await activate(h.zbc, 'par-a');
    const [b] = await activate(h.zbc, 'par-b');
    await h.zbc.completeJob({ jobKey: a.key, variables: { fromA: 1 } });
    const early = await h.zbc.activateJobs({
      type: 'par-after',
      worker: 't',
      maxJobsToActivate: 1,
      timeout: 10_000,
      requestTimeout: -1,
    } as never);
    expect(early).toHaveLength(0);
    await h.zbc.completeJob({ jobKey: b.key, variables: { fromB: 2 } });
    const [after] = await activate(h.zbc, 'par-after');
    expect(after.variables).toMatchObject({ fromA: 1, fromB: 2 });
    await h.zbc.completeJob({ jobKey: after.key, variables: {} });
    expect((await result).variables).toEqual({ fromA: 1, fromB: 2 });
  });

  it('activates every inclusive branch whose condition holds and joins them', async () => {
    const body = `
      <bpmn:startEvent id="start"/>
      <bpmn:inclusiveGateway id="fork"/>
      ${serviceTask('partner', 'inc-partner')}${serviceTask('budget', 'inc-budget')}${serviceTask('draft', 'inc-draft')}
      <bpmn:inclusiveGateway id="join"/>
      <bpmn:endEvent id="end"/>
      ${chain(['start', 'fork'])}
      ${flow('fp', 'fork', 'partner', '=needsPartners')}
      ${flow('fbud', 'fork', 'budget', '=true')}
      ${flow('fd', 'fork', 'draft', '=needsDraft')}
      ${flow('jp', 'partner', 'join')}${flow('jbud', 'budget', 'join')}${flow('jd', 'draft', 'join')}${chain(['join', 'end'])}`;
    await deploy(h.zbc, 'inclusive.bpmn', bpmn('inclusive', body));
    const result = run('inclusive', { needsPartners: true, needsDraft: false });
    const partner = await activate(h.zbc, 'inc-partner');
    const budget = await activate(h.zbc, 'inc-budget');
    expect(partner).toHaveLength(1);
    expect(budget).toHaveLength(1);
    const draft = await h.zbc.activateJobs({
      type: 'inc-draft',
      worker: 't',
      maxJobsToActivate: 1,
      timeout: 10_000,
      requestTimeout: -1,
    } as never);
    expect(draft).toHaveLength(0);
    await h.zbc.completeJob({ jobKey: partner[0].key, variables: { partners: 3 } });
    await h.zbc.completeJob({ jobKey: budget[0].key, variables: { budget: 50000 } });
    expect((await result).variables).toMatchObject({ partners: 3, budget: 50000 });
  });

  it('ends the whole instance at a terminate end event, cancelling other branches', async () => {
    const body = `
      <bpmn:startEvent id="start"/>
      <bpmn:parallelGateway id="fork"/>
      ${serviceTask('slow', 'term-slow')}
      <bpmn:endEvent id="stop"><bpmn:terminateEventDefinition/></bpmn:endEvent>
      <bpmn:endEvent id="end"/>
      ${chain(['start', 'fork'])}${flow('f1', 'fork', 'slow')}${flow('f2', 'fork', 'stop')}${chain(['slow', 'end'])}`;
    await deploy(h.zbc, 'terminate.bpmn', bpmn('terminate', body));
    await run('terminate', { ok: true });
    const jobs = await h.zbc.activateJobs({
      type: 'term-slow',
      worker: 't',
      maxJobsToActivate: 5,
      timeout: 10_000,
      requestTimeout: -1,
    } as never);
    expect(jobs).toHaveLength(0);
  });

  it('runs a parallel multi-instance with ordered output collection and loopCounter', async () => {
    const mi = `<bpmn:serviceTask id="check">
        <bpmn:extensionElements><zeebe:taskDefinition type="mi-check"/></bpmn:extensionElements>
        <bpmn:multiInstanceLoopCharacteristics>
          <bpmn:extensionElements>
            <zeebe:loopCharacteristics inputCollection="=comuni" inputElement="comune" outputCollection="checks" outputElement="=&#123;comune: comune, ok: ok&#125;"/>
          </bpmn:extensionElements>
        </bpmn:multiInstanceLoopCharacteristics>
      </bpmn:serviceTask>`;
    await deploy(
      h.zbc,
      'mi.bpmn',
      bpmn(
        'mi',
        `<bpmn:startEvent id="start"/>${mi}<bpmn:endEvent id="end"/>${chain(['start', 'check', 'end'])}`,
      ),
    );
    const result = run('mi', { comuni: ['039014', '039010', '039012'] });
    const jobs = await activate(h.zbc, 'mi-check', 10);
    let all = jobs;
    while (all.length < 3) all = all.concat(await activate(h.zbc, 'mi-check', 10));
    expect(all.map((j) => j.variables.comune).sort()).toEqual(['039010', '039012', '039014']);
    expect(all.map((j) => j.variables.loopCounter).sort()).toEqual([1, 2, 3]);
    // Complete in reverse order: the output collection still follows the input order.
    for (const job of [...all].reverse()) {
      await h.zbc.completeJob({
        jobKey: job.key,
        variables: { ok: job.variables.comune !== '039010' },
      });
    }
    const done = await result;
    expect(done.variables.checks).toEqual([
      { comune: '039014', ok: true },
      { comune: '039010', ok: false },
      { comune: '039012', ok: true },
    ]);
  });

  it('lets the input mappings of each inner instance read its input element and loopCounter', async () => {
    const mi = `<bpmn:serviceTask id="notify">
        <bpmn:extensionElements>
          <zeebe:taskDefinition type="mi-mapped"/>
          <zeebe:ioMapping>
            <zeebe:input source="=comune.istat" target="istat"/>
            <zeebe:input source="=loopCounter * 10" target="position"/>
          </zeebe:ioMapping>
        </bpmn:extensionElements>
        <bpmn:multiInstanceLoopCharacteristics>
          <bpmn:extensionElements>
            <zeebe:loopCharacteristics inputCollection="=comuni" inputElement="comune"/>
          </bpmn:extensionElements>
        </bpmn:multiInstanceLoopCharacteristics>
      </bpmn:serviceTask>`;
    await deploy(
      h.zbc,
      'mi-mapped.bpmn',
      bpmn(
        'mi-mapped',
        `<bpmn:startEvent id="start"/>${mi}<bpmn:endEvent id="end"/>${chain(['start', 'notify', 'end'])}`,
      ),
    );
    const result = run('mi-mapped', {
      comuni: [{ istat: '039014' }, { istat: '039010' }],
    } as never);
    let all = await activate(h.zbc, 'mi-mapped', 10);
    while (all.length < 2) all = all.concat(await activate(h.zbc, 'mi-mapped', 10));
    expect(all.map((j) => [j.variables.istat, j.variables.position]).sort()).toEqual([
      ['039010', 20],
      ['039014', 10],
    ]);
    for (const job of all) await h.zbc.completeJob({ jobKey: job.key, variables: {} });
    await result;
  });

  it('runs a sequential multi-instance one at a time and stops at its completion condition', async () => {
    const mi = `<bpmn:serviceTask id="invite">
        <bpmn:extensionElements><zeebe:taskDefinition type="seq-invite"/></bpmn:extensionElements>
        <bpmn:multiInstanceLoopCharacteristics isSequential="true">
          <bpmn:extensionElements>
            <zeebe:loopCharacteristics inputCollection="=operators" inputElement="operator"/>
          </bpmn:extensionElements>
          <bpmn:completionCondition>=numberOfCompletedInstances &gt;= 2</bpmn:completionCondition>
        </bpmn:multiInstanceLoopCharacteristics>
      </bpmn:serviceTask>`;
    await deploy(
      h.zbc,
      'seq.bpmn',
      bpmn(
        'seq',
        `<bpmn:startEvent id="start"/>${mi}<bpmn:endEvent id="end"/>${chain(['start', 'invite', 'end'])}`,
      ),
    );
    const result = run('seq', { operators: ['op1', 'op2', 'op3', 'op4'] });
    const seen: unknown[] = [];
    for (let i = 0; i < 2; i++) {
      const jobs = await activate(h.zbc, 'seq-invite', 10);
      expect(jobs).toHaveLength(1);
      seen.push([jobs[0].variables.operator, jobs[0].variables.loopCounter]);
      await h.zbc.completeJob({ jobKey: jobs[0].key, variables: {} });
    }
    await result;
    expect(seen).toEqual([
      ['op1', 1],
      ['op2', 2],
    ]);
    const rest = await h.zbc.activateJobs({
      type: 'seq-invite',
      worker: 't',
      maxJobsToActivate: 5,
      timeout: 10_000,
      requestTimeout: -1,
    } as never);
    expect(rest).toHaveLength(0);
  });

  it('runs an embedded sub-process with its own variable scope', async () => {
    const body = `
      <bpmn:startEvent id="start"/>
      <bpmn:subProcess id="sub">
        <bpmn:extensionElements><zeebe:ioMapping><zeebe:input source="=0" target="attempts"/></zeebe:ioMapping></bpmn:extensionElements>
        <bpmn:startEvent id="subStart"/>
        ${serviceTask('inner', 'sub-inner')}
        <bpmn:endEvent id="subEnd"/>
        ${chain(['subStart', 'inner', 'subEnd'])}
      </bpmn:subProcess>
      <bpmn:endEvent id="end"/>
      ${chain(['start', 'sub', 'end'])}`;
    await deploy(h.zbc, 'sub.bpmn', bpmn('sub-proc', body));
    const result = run('sub-proc', {});
    const [job] = await activate(h.zbc, 'sub-inner');
    expect(job.variables).toEqual({ attempts: 0 });
    // attempts exists in the sub-process scope: the job's update lands there, not at the root.
    await h.zbc.completeJob({ jobKey: job.key, variables: { attempts: 1, outcome: 'ok' } });
    expect((await result).variables).toEqual({ outcome: 'ok' });
  });

  it('calls a child process and propagates its variables back by default', async () => {
    await deploy(
      h.zbc,
      'child.bpmn',
      bpmn(
        'child-proc',
        `<bpmn:startEvent id="s"/>${serviceTask('childTask', 'child-work')}<bpmn:endEvent id="e"/>${chain(['s', 'childTask', 'e'])}`,
      ),
    );
    const call = `<bpmn:callActivity id="call"><bpmn:extensionElements><zeebe:calledElement processId="=childId" propagateAllChildVariables="true"/></bpmn:extensionElements></bpmn:callActivity>`;
    await deploy(
      h.zbc,
      'parent.bpmn',
      bpmn(
        'parent-proc',
        `<bpmn:startEvent id="start"/>${call}<bpmn:endEvent id="end"/>${chain(['start', 'call', 'end'])}`,
      ),
    );
    const result = run('parent-proc', { childId: 'child-proc', request: 'R-7' });
    const [job] = await activate(h.zbc, 'child-work');
    expect(job.bpmnProcessId).toBe('child-proc');
    expect(job.variables).toMatchObject({ request: 'R-7' });
    await h.zbc.completeJob({ jobKey: job.key, variables: { cig: 'B123456789' } });
    expect((await result).variables).toMatchObject({ request: 'R-7', cig: 'B123456789' });
  });

  it('cancels an instance: its jobs can no longer be completed', async () => {
    await deploy(
      h.zbc,
      'cancel.bpmn',
      bpmn(
        'cancel',
        `<bpmn:startEvent id="s"/>${serviceTask('t', 'cancel-work')}<bpmn:endEvent id="e"/>${chain(['s', 't', 'e'])}`,
      ),
    );
    const created = await h.zbc.createProcessInstance({ bpmnProcessId: 'cancel', variables: {} });
    const [job] = await activate(h.zbc, 'cancel-work');
    await h.zbc.cancelProcessInstance(created.processInstanceKey);
    await expect(h.zbc.completeJob({ jobKey: job.key, variables: {} })).rejects.toThrow(
      /NOT_FOUND|not found/i,
    );
    await expect(h.zbc.cancelProcessInstance(created.processInstanceKey)).rejects.toThrow(
      /NOT_FOUND|not found/i,
    );
  });
});
