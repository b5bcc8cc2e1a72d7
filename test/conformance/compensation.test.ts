/**
 * Compensation as Zeebe 8.5 documents it (pages "Compensation events" and "Compensation
 * handler"), through the gateway with the product's client: handlers of completed
 * activities only, all at once (newest first), the throw event waiting for them,
 * activityRef, sub-processes, multi-instance, call activities, event sub-processes, and
 * the deploy rules.
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

/** A compensation boundary event on `activityId`, associated with a service-task handler. */
function compensatedBy(activityId: string, handlerType: string, handlerExtra = ''): string {
  return `<bpmn:boundaryEvent id="${activityId}_comp" attachedToRef="${activityId}"><bpmn:compensateEventDefinition/></bpmn:boundaryEvent>
    <bpmn:serviceTask id="undo_${activityId}" isForCompensation="true"><bpmn:extensionElements><zeebe:taskDefinition type="${handlerType}"/>${handlerExtra}</bpmn:extensionElements></bpmn:serviceTask>
    <bpmn:association id="${activityId}_assoc" associationDirection="One" sourceRef="${activityId}_comp" targetRef="undo_${activityId}"/>`;
}

const throwCompensation = (id: string, activityRef?: string) =>
  `<bpmn:intermediateThrowEvent id="${id}"><bpmn:compensateEventDefinition${activityRef ? ` activityRef="${activityRef}"` : ''}/></bpmn:intermediateThrowEvent>`;
const endCompensation = (id: string, activityRef?: string) =>
  `<bpmn:endEvent id="${id}"><bpmn:compensateEventDefinition${activityRef ? ` activityRef="${activityRef}"` : ''}/></bpmn:endEvent>`;

describe('compensation (docs: "Compensation events", "Compensation handler")', () => {
  let h: EngineHarness;
  beforeAll(async () => {
    h = await startEngineHarness();
  });
  afterAll(() => h.stop());

  /** Jobs of a type that are activatable right now (no long poll). */
  const jobsNow = (type: string, max = 10) =>
    h.zbc.activateJobs({
      type,
      worker: 'conformance',
      maxJobsToActivate: max,
      timeout: 30_000,
      requestTimeout: -1,
    } as never);

  const complete = (jobKey: string, variables: Record<string, unknown> = {}) =>
    h.zbc.completeJob({ jobKey, variables } as never);

  const run = (bpmnProcessId: string, variables: Record<string, unknown> = {}) =>
    h.zbc.createProcessInstanceWithResult({
      bpmnProcessId,
      variables,
      requestTimeout: 20_000,
    } as never);

  it('invokes the handler of a completed activity and waits for it at the throw event', async () => {
    const body = `<bpmn:startEvent id="s"/>
      ${serviceTask('book', 'c1-book')}${compensatedBy('book', 'c1-undo-book', '<zeebe:ioMapping><zeebe:input source="=bookingId" target="toCancel"/></zeebe:ioMapping>')}
      ${throwCompensation('compensate')}
      ${serviceTask('after', 'c1-after')}<bpmn:endEvent id="e"/>
      ${chain(['s', 'book', 'compensate', 'after', 'e'])}`;
    await deploy(h.zbc, 'c1.bpmn', bpmn('comp-basic', body));
    const result = run('comp-basic');
    const [book] = await activate(h.zbc, 'c1-book');
    await complete(book.key, { bookingId: 'PREN-7' });
    const [undo] = await activate(h.zbc, 'c1-undo-book');
    // The handler's input mappings are applied before it runs.
    expect(undo.variables).toMatchObject({ toCancel: 'PREN-7', bookingId: 'PREN-7' });
    expect(undo.elementId).toBe('undo_book');
    // The throw event waits until the handler has completed.
    expect(await jobsNow('c1-after')).toHaveLength(0);
    await complete(undo.key, { cancelled: true });
    const [after] = await activate(h.zbc, 'c1-after');
    await complete(after.key);
    expect((await result).variables).toEqual({ bookingId: 'PREN-7', cancelled: true });
  });

  it('invokes the handlers of all completed activities at once, newest first, and only once', async () => {
    const body = `<bpmn:startEvent id="s"/>
      ${serviceTask('a', 'c2-work')}${serviceTask('b', 'c2-work')}${serviceTask('c', 'c2-work')}
      ${compensatedBy('a', 'c2-undo', '<zeebe:taskHeaders><zeebe:header key="undoes" value="a"/></zeebe:taskHeaders>')}
      ${compensatedBy('b', 'c2-undo', '<zeebe:taskHeaders><zeebe:header key="undoes" value="b"/></zeebe:taskHeaders>')}
      ${compensatedBy('c', 'c2-undo', '<zeebe:taskHeaders><zeebe:header key="undoes" value="c"/></zeebe:taskHeaders>')}
      ${throwCompensation('first')}${throwCompensation('again')}<bpmn:endEvent id="e"/>
      ${chain(['s', 'a', 'b', 'c', 'first', 'again', 'e'])}`;
    await deploy(h.zbc, 'c2.bpmn', bpmn('comp-all', body));
    const result = run('comp-all');
    for (let i = 0; i < 3; i++) {
      const [job] = await activate(h.zbc, 'c2-work', 1);
      await complete(job.key);
    }
    const undo = await activate(h.zbc, 'c2-undo');
    expect(undo.map((j) => j.customHeaders.undoes)).toEqual(['c', 'b', 'a']);
    for (const job of undo) await complete(job.key);
    // A second compensation finds nothing left to compensate and passes.
    await result;
    expect(await jobsNow('c2-undo')).toHaveLength(0);
  });

  it('compensates neither active nor terminated activities', async () => {
    const defs = `<bpmn:message id="msgStop" name="c3-stop"><bpmn:extensionElements><zeebe:subscription correlationKey="=caseId"/></bpmn:extensionElements></bpmn:message>`;
    const body = `<bpmn:startEvent id="s"/><bpmn:parallelGateway id="fork"/>
      ${serviceTask('done', 'c3-done')}${compensatedBy('done', 'c3-undo-done')}
      ${serviceTask('stopped', 'c3-stopped')}${compensatedBy('stopped', 'c3-undo-stopped')}
      <bpmn:boundaryEvent id="stop" attachedToRef="stopped"><bpmn:messageEventDefinition messageRef="msgStop"/></bpmn:boundaryEvent>
      ${serviceTask('running', 'c3-running')}${compensatedBy('running', 'c3-undo-running')}
      <bpmn:parallelGateway id="join"/>
      ${throwCompensation('compensate')}<bpmn:endEvent id="e1"/><bpmn:endEvent id="e2"/>
      ${flow('f1', 's', 'fork')}${flow('f2', 'fork', 'done')}${flow('f3', 'fork', 'stopped')}${flow('f4', 'fork', 'running')}
      ${flow('f5', 'done', 'join')}${flow('f6', 'stop', 'join')}${flow('f7', 'join', 'compensate')}${flow('f8', 'compensate', 'e1')}
      ${flow('f9', 'running', 'e2')}${flow('f10', 'stopped', 'e2')}`;
    await deploy(h.zbc, 'c3.bpmn', bpmn('comp-only-completed', body, defs));
    const result = run('comp-only-completed', { caseId: 'C3' });
    const [done] = await activate(h.zbc, 'c3-done');
    await complete(done.key);
    await activate(h.zbc, 'c3-stopped');
    const [running] = await activate(h.zbc, 'c3-running');
    await h.zbc.publishMessage({
      name: 'c3-stop',
      correlationKey: 'C3',
      variables: {},
      timeToLive: 0,
    } as never);
    const [undo] = await activate(h.zbc, 'c3-undo-done');
    expect(undo.elementId).toBe('undo_done');
    expect(await jobsNow('c3-undo-stopped')).toHaveLength(0);
    expect(await jobsNow('c3-undo-running')).toHaveLength(0);
    await complete(undo.key);
    await complete(running.key);
    await result;
    expect(await jobsNow('c3-undo-running')).toHaveLength(0);
  });

  it('with activityRef invokes only that activity’s handler, so handlers can run one after the other', async () => {
    const body = `<bpmn:startEvent id="s"/>
      ${serviceTask('a', 'c4-a')}${compensatedBy('a', 'c4-undo-a')}
      ${serviceTask('b', 'c4-b')}${compensatedBy('b', 'c4-undo-b')}
      ${throwCompensation('undoA', 'a')}${endCompensation('undoB', 'b')}
      ${chain(['s', 'a', 'b', 'undoA', 'undoB'])}`;
    await deploy(h.zbc, 'c4.bpmn', bpmn('comp-activity-ref', body));
    const result = run('comp-activity-ref');
    await complete((await activate(h.zbc, 'c4-a'))[0].key);
    await complete((await activate(h.zbc, 'c4-b'))[0].key);
    const [undoA] = await activate(h.zbc, 'c4-undo-a');
    expect(await jobsNow('c4-undo-b')).toHaveLength(0);
    await complete(undoA.key);
    const [undoB] = await activate(h.zbc, 'c4-undo-b');
    await complete(undoB.key, { undone: ['a', 'b'] });
    expect((await result).variables).toEqual({ undone: ['a', 'b'] });
  });

  it('descends into completed sub-processes but not into active ones, and a throw inside a sub-process stays inside', async () => {
    const body = `<bpmn:startEvent id="s"/>
      ${serviceTask('outer', 'c5-outer')}${compensatedBy('outer', 'c5-undo-outer')}
      <bpmn:subProcess id="finished">
        <bpmn:startEvent id="fs"/>${serviceTask('inner', 'c5-inner')}${compensatedBy('inner', 'c5-undo-inner')}
        <bpmn:subProcess id="nested"><bpmn:startEvent id="ns"/>${serviceTask('deep', 'c5-deep')}${compensatedBy('deep', 'c5-undo-deep')}<bpmn:endEvent id="ne"/>${chain(['ns', 'deep', 'ne'])}</bpmn:subProcess>
        <bpmn:endEvent id="fe"/>${chain(['fs', 'inner', 'nested', 'fe'])}
      </bpmn:subProcess>
      <bpmn:subProcess id="local">
        <bpmn:startEvent id="ls"/>${serviceTask('own', 'c5-own')}${compensatedBy('own', 'c5-undo-own')}
        ${throwCompensation('localThrow')}<bpmn:endEvent id="le"/>${chain(['ls', 'own', 'localThrow', 'le'])}
      </bpmn:subProcess>
      ${endCompensation('compensateAll')}
      ${chain(['s', 'outer', 'finished', 'local', 'compensateAll'])}`;
    await deploy(h.zbc, 'c5.bpmn', bpmn('comp-subprocess', body));
    const result = run('comp-subprocess');
    for (const type of ['c5-outer', 'c5-inner', 'c5-deep', 'c5-own'])
      await complete((await activate(h.zbc, type))[0].key);
    // Inside "local": only its own handler; "outer" and "finished" are outside it.
    const [own] = await activate(h.zbc, 'c5-undo-own');
    for (const type of ['c5-undo-outer', 'c5-undo-inner', 'c5-undo-deep'])
      expect(await jobsNow(type)).toHaveLength(0);
    await complete(own.key);
    // At process level: the outer activity and everything inside completed sub-processes
    // (the local handler ran already and is not invoked again).
    const undo = [];
    for (const type of ['c5-undo-outer', 'c5-undo-inner', 'c5-undo-deep'])
      undo.push(...(await activate(h.zbc, type)));
    expect(undo.map((j) => j.elementId).sort()).toEqual(['undo_deep', 'undo_inner', 'undo_outer']);
    expect(await jobsNow('c5-undo-own')).toHaveLength(0);
    for (const job of undo) await complete(job.key);
    await result;
  });

  it('leaves an active sub-process alone', async () => {
    const body = `<bpmn:startEvent id="s"/><bpmn:parallelGateway id="fork"/>
      <bpmn:subProcess id="busy">
        <bpmn:startEvent id="bs"/>${serviceTask('part', 'c6-part')}${compensatedBy('part', 'c6-undo-part')}
        ${serviceTask('rest', 'c6-rest')}<bpmn:endEvent id="be"/>${chain(['bs', 'part', 'rest', 'be'])}
      </bpmn:subProcess>
      ${serviceTask('trigger', 'c6-trigger')}${throwCompensation('compensate')}
      <bpmn:endEvent id="e1"/><bpmn:endEvent id="e2"/>
      ${flow('f1', 's', 'fork')}${flow('f2', 'fork', 'busy')}${flow('f3', 'fork', 'trigger')}
      ${flow('f4', 'busy', 'e1')}${chain(['trigger', 'compensate', 'e2'])}`;
    await deploy(h.zbc, 'c6.bpmn', bpmn('comp-active-subprocess', body));
    const result = run('comp-active-subprocess');
    await complete((await activate(h.zbc, 'c6-part'))[0].key);
    await complete((await activate(h.zbc, 'c6-trigger'))[0].key);
    const [rest] = await activate(h.zbc, 'c6-rest');
    expect(await jobsNow('c6-undo-part')).toHaveLength(0);
    await complete(rest.key);
    await result;
    expect(await jobsNow('c6-undo-part')).toHaveLength(0);
  });

  it('invokes the handler of a multi-instance activity once, after all its instances completed', async () => {
    const mi = `<bpmn:serviceTask id="notify"><bpmn:extensionElements><zeebe:taskDefinition type="c7-notify"/></bpmn:extensionElements>
      <bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=comuni" inputElement="comune"/></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics></bpmn:serviceTask>`;
    const body = `<bpmn:startEvent id="s"/>${mi}${compensatedBy('notify', 'c7-undo')}
      ${throwCompensation('compensate')}<bpmn:endEvent id="e"/>${chain(['s', 'notify', 'compensate', 'e'])}`;
    await deploy(h.zbc, 'c7.bpmn', bpmn('comp-multi-instance', body));
    const result = run('comp-multi-instance', { comuni: ['Faenza', 'Lugo', 'Cervia'] });
    const notified = [];
    while (notified.length < 3) notified.push(...(await activate(h.zbc, 'c7-notify')));
    for (const job of notified) await complete(job.key);
    const undo = await activate(h.zbc, 'c7-undo');
    expect(undo).toHaveLength(1);
    expect(await jobsNow('c7-undo')).toHaveLength(0);
    await complete(undo[0].key);
    await result;
  });

  it('stops at a call activity: the child process’s handlers are not invoked, the call activity’s are', async () => {
    const child = `<bpmn:startEvent id="s"/>${serviceTask('childWork', 'c8-child')}${compensatedBy('childWork', 'c8-undo-child')}<bpmn:endEvent id="e"/>${chain(['s', 'childWork', 'e'])}`;
    await deploy(h.zbc, 'c8-child.bpmn', bpmn('comp-child', child));
    const body = `<bpmn:startEvent id="s"/>
      <bpmn:callActivity id="call"><bpmn:extensionElements><zeebe:calledElement processId="comp-child"/></bpmn:extensionElements></bpmn:callActivity>
      ${compensatedBy('call', 'c8-undo-call')}${throwCompensation('compensate')}<bpmn:endEvent id="e"/>
      ${chain(['s', 'call', 'compensate', 'e'])}`;
    await deploy(h.zbc, 'c8.bpmn', bpmn('comp-call', body));
    const result = run('comp-call');
    await complete((await activate(h.zbc, 'c8-child'))[0].key);
    const [undoCall] = await activate(h.zbc, 'c8-undo-call');
    expect(await jobsNow('c8-undo-child')).toHaveLength(0);
    await complete(undoCall.key);
    await result;
  });

  it('compensates from an error event sub-process, in the scope around it', async () => {
    const defs = `<bpmn:error id="errFail" errorCode="AGGIUDICAZIONE_ANNULLATA"/>`;
    const body = `<bpmn:startEvent id="s"/>
      ${serviceTask('reserve', 'c9-reserve')}${compensatedBy('reserve', 'c9-release')}
      ${serviceTask('award', 'c9-award')}<bpmn:endEvent id="e"/>
      ${chain(['s', 'reserve', 'award', 'e'])}
      <bpmn:subProcess id="onFailure" triggeredByEvent="true">
        <bpmn:startEvent id="fs"><bpmn:errorEventDefinition errorRef="errFail"/></bpmn:startEvent>
        ${endCompensation('undoAll')}${chain(['fs', 'undoAll'])}
      </bpmn:subProcess>`;
    await deploy(h.zbc, 'c9.bpmn', bpmn('comp-event-subprocess', body, defs));
    const result = run('comp-event-subprocess');
    await complete((await activate(h.zbc, 'c9-reserve'))[0].key, { reserved: 12 });
    const [award] = await activate(h.zbc, 'c9-award');
    await h.zbc.throwError({
      jobKey: award.key,
      errorCode: 'AGGIUDICAZIONE_ANNULLATA',
      errorMessage: 'ricorso accolto',
    } as never);
    const [release] = await activate(h.zbc, 'c9-release');
    expect(release.variables).toMatchObject({ reserved: 12 });
    await complete(release.key, { released: true });
    expect((await result).variables).toEqual({ reserved: 12, released: true });
  });

  it('runs an embedded sub-process as compensation handler', async () => {
    const body = `<bpmn:startEvent id="s"/>${serviceTask('pay', 'c10-pay')}
      <bpmn:boundaryEvent id="payComp" attachedToRef="pay"><bpmn:compensateEventDefinition/></bpmn:boundaryEvent>
      <bpmn:subProcess id="refund" isForCompensation="true">
        <bpmn:startEvent id="rs"/>${serviceTask('refundMoney', 'c10-refund')}${serviceTask('notifyRefund', 'c10-notify')}<bpmn:endEvent id="re"/>
        ${chain(['rs', 'refundMoney', 'notifyRefund', 're'])}
      </bpmn:subProcess>
      <bpmn:association id="a1" sourceRef="payComp" targetRef="refund"/>
      ${endCompensation('compensate')}${chain(['s', 'pay', 'compensate'])}`;
    await deploy(h.zbc, 'c10.bpmn', bpmn('comp-subprocess-handler', body));
    const result = run('comp-subprocess-handler');
    await complete((await activate(h.zbc, 'c10-pay'))[0].key);
    await complete((await activate(h.zbc, 'c10-refund'))[0].key);
    await complete((await activate(h.zbc, 'c10-notify'))[0].key, { refunded: true });
    expect((await result).variables).toEqual({ refunded: true });
  });

  it('refuses models that break the compensation rules, naming the element', async () => {
    const task = serviceTask('a', 'never');
    const cases: [string, string, RegExp][] = [
      [
        'wait-false',
        `<bpmn:startEvent id="s"/>${task}${compensatedBy('a', 'x')}<bpmn:endEvent id="bad"><bpmn:compensateEventDefinition waitForCompletion="false"/></bpmn:endEvent>${chain(['s', 'a', 'bad'])}`,
        /'bad'.*waitForCompletion/,
      ],
      [
        'handler-flow',
        `<bpmn:startEvent id="s"/>${task}${compensatedBy('a', 'x')}<bpmn:endEvent id="e"/>${chain(['s', 'a', 'undo_a', 'e'])}`,
        /'undo_a'.*sequence flows/,
      ],
      [
        'no-handler',
        `<bpmn:startEvent id="s"/>${task}<bpmn:boundaryEvent id="lonely" attachedToRef="a"><bpmn:compensateEventDefinition/></bpmn:boundaryEvent><bpmn:endEvent id="e"/>${chain(['s', 'a', 'e'])}`,
        /'lonely'.*compensation handler/,
      ],
      [
        'ref-other-scope',
        `<bpmn:startEvent id="s"/><bpmn:subProcess id="sub"><bpmn:startEvent id="ss"/>${task}${compensatedBy('a', 'x')}<bpmn:endEvent id="se"/>${chain(['ss', 'a', 'se'])}</bpmn:subProcess>${endCompensation('bad', 'a')}${chain(['s', 'sub', 'bad'])}`,
        /'bad'.*same scope/,
      ],
      [
        'handler-other-scope',
        `<bpmn:startEvent id="s"/><bpmn:subProcess id="sub"><bpmn:startEvent id="ss"/>${task}<bpmn:boundaryEvent id="aComp" attachedToRef="a"><bpmn:compensateEventDefinition/></bpmn:boundaryEvent><bpmn:endEvent id="se"/>${chain(['ss', 'a', 'se'])}</bpmn:subProcess>
         <bpmn:serviceTask id="outside" isForCompensation="true"><bpmn:extensionElements><zeebe:taskDefinition type="x"/></bpmn:extensionElements></bpmn:serviceTask>
         <bpmn:association id="across" sourceRef="aComp" targetRef="outside"/><bpmn:endEvent id="e"/>${chain(['s', 'sub', 'e'])}`,
        /'outside'.*same scope/,
      ],
      [
        'comp-event-subprocess',
        `<bpmn:startEvent id="s"/><bpmn:endEvent id="e"/>${chain(['s', 'e'])}<bpmn:subProcess id="esp" triggeredByEvent="true"><bpmn:startEvent id="cs"><bpmn:compensateEventDefinition/></bpmn:startEvent><bpmn:endEvent id="ce"/>${chain(['cs', 'ce'])}</bpmn:subProcess>`,
        /'cs'.*COMPENSATION/,
      ],
    ];
    for (const [name, body, message] of cases) {
      await expect(deploy(h.zbc, `${name}.bpmn`, bpmn(`bad-${name}`, body))).rejects.toThrow(
        message,
      );
    }
  });
});
