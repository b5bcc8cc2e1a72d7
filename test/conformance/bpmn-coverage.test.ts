/**
 * The Zeebe 8.5 "BPMN coverage" page, element by element, for the kinds the other
 * conformance files do not already run: pools and lanes, artifacts and data objects,
 * the none throw event, message throw/end events, every task kind, timer, signal,
 * error and escalation event sub-processes, non-interrupting boundaries, dates, a
 * terminate end event inside a sub-process, and the refusal of what 8.5 does not execute.
 */
import {
  bpmn,
  chain,
  deploy,
  flow,
  serviceTask,
  startEngineHarness,
  type EngineHarness,
} from '../support/engine-harness';

const script = (id: string, expression: string, result: string) =>
  `<bpmn:scriptTask id="${id}"><bpmn:extensionElements><zeebe:script expression="${expression}" resultVariable="${result}"/></bpmn:extensionElements></bpmn:scriptTask>`;

describe('BPMN coverage of Zeebe 8.5 (docs: "BPMN coverage")', () => {
  let h: EngineHarness;
  beforeAll(async () => {
    h = await startEngineHarness();
  });
  afterAll(() => h.stop());

  const run = (bpmnProcessId: string, variables: Record<string, unknown> = {}) =>
    h.zbc.createProcessInstanceWithResult({
      bpmnProcessId,
      variables,
      requestTimeout: 20_000,
    } as never);

  const jobsNow = (type: string, max = 10) =>
    h.zbc.activateJobs({
      type,
      worker: 'conformance',
      maxJobsToActivate: max,
      timeout: 30_000,
      requestTimeout: -1,
    } as never);

  /** Polls for jobs of a type until `count` arrived (bounded). */
  async function jobs(type: string, count: number, ms = 10_000) {
    const got: Awaited<ReturnType<typeof jobsNow>> = [];
    const deadline = Date.now() + ms;
    while (got.length < count && Date.now() < deadline) {
      got.push(...(await jobsNow(type, count - got.length)));
      if (got.length < count) await new Promise((r) => setTimeout(r, 25));
    }
    return got;
  }

  const complete = (jobKey: string, variables: Record<string, unknown> = {}) =>
    h.zbc.completeJob({ jobKey, variables } as never);

  const broadcast = (signalName: string, variables: Record<string, unknown> = {}) =>
    h.zbc.broadcastSignal({ signalName, variables } as never);

  it('runs a process in a pool with lanes, artifacts and data objects, next to a non-executable pool', async () => {
    const extra = `<bpmn:collaboration id="collab">
        <bpmn:participant id="provincia" name="Provincia" processRef="pool-lanes"/>
        <bpmn:participant id="comune" name="Comune" processRef="comune-external"/>
        <bpmn:messageFlow id="mf" sourceRef="comune" targetRef="provincia"/>
      </bpmn:collaboration>
      <bpmn:process id="comune-external" isExecutable="false"/>`;
    const body = `<bpmn:laneSet id="lanes">
        <bpmn:lane id="ufficio"><bpmn:flowNodeRef>s</bpmn:flowNodeRef><bpmn:flowNodeRef>check</bpmn:flowNodeRef></bpmn:lane>
        <bpmn:lane id="dirigente"><bpmn:flowNodeRef>sign</bpmn:flowNodeRef><bpmn:flowNodeRef>e</bpmn:flowNodeRef></bpmn:lane>
      </bpmn:laneSet>
      <bpmn:startEvent id="s"/>${script('check', '=true', 'checked')}${script('sign', '=&quot;firmato&quot;', 'act')}<bpmn:endEvent id="e"/>
      <bpmn:dataObject id="fascicolo"/><bpmn:dataObjectReference id="fascicoloRef" dataObjectRef="fascicolo"/>
      <bpmn:dataStoreReference id="protocollo"/>
      <bpmn:textAnnotation id="note"><bpmn:text>Verifica della documentazione</bpmn:text></bpmn:textAnnotation>
      <bpmn:association id="noteLink" sourceRef="check" targetRef="note"/>
      <bpmn:group id="fase"/>
      ${chain(['s', 'check', 'sign', 'e'])}`;
    await deploy(h.zbc, 'pool.bpmn', bpmn('pool-lanes', body, extra));
    expect((await run('pool-lanes')).variables).toEqual({ checked: true, act: 'firmato' });
  });

  it('passes a none intermediate throw event and runs every task kind', async () => {
    const defs = `<bpmn:message id="msgReply" name="cov-reply"><bpmn:extensionElements><zeebe:subscription correlationKey="=caseId"/></bpmn:extensionElements></bpmn:message>`;
    const body = `<bpmn:startEvent id="s"/>
      <bpmn:intermediateThrowEvent id="milestone"/>
      <bpmn:task id="undefinedTask"/><bpmn:manualTask id="manual"/>
      <bpmn:sendTask id="send"><bpmn:extensionElements><zeebe:taskDefinition type="cov-send"/></bpmn:extensionElements></bpmn:sendTask>
      <bpmn:receiveTask id="receive" messageRef="msgReply"/>
      <bpmn:scriptTask id="scriptJob"><bpmn:extensionElements><zeebe:taskDefinition type="cov-script"/></bpmn:extensionElements></bpmn:scriptTask>
      <bpmn:businessRuleTask id="ruleJob"><bpmn:extensionElements><zeebe:taskDefinition type="cov-rule"/></bpmn:extensionElements></bpmn:businessRuleTask>
      <bpmn:userTask id="user"/>
      <bpmn:endEvent id="e"/>
      ${chain(['s', 'milestone', 'undefinedTask', 'manual', 'send', 'receive', 'scriptJob', 'ruleJob', 'user', 'e'])}`;
    await deploy(h.zbc, 'tasks.bpmn', bpmn('task-kinds', body, defs));
    const result = run('task-kinds', { caseId: 'T-1' });
    await complete((await jobs('cov-send', 1))[0].key, { sent: true });
    await h.zbc.publishMessage({
      name: 'cov-reply',
      correlationKey: 'T-1',
      variables: { replied: true },
      timeToLive: 60_000,
    } as never);
    await complete((await jobs('cov-script', 1))[0].key, { scripted: true });
    await complete((await jobs('cov-rule', 1))[0].key, { ruled: true });
    const [user] = await jobs('io.camunda.zeebe:userTask', 1);
    expect(user.elementId).toBe('user');
    await complete(user.key, { approved: true });
    expect((await result).variables).toEqual({
      caseId: 'T-1',
      sent: true,
      replied: true,
      scripted: true,
      ruled: true,
      approved: true,
    });
  });

  it('runs message intermediate throw and end events as jobs', async () => {
    const defs = `<bpmn:message id="msgNotice" name="cov-notice"/>`;
    const body = `<bpmn:startEvent id="s"/>
      <bpmn:intermediateThrowEvent id="notify"><bpmn:extensionElements><zeebe:taskDefinition type="cov-notify"/></bpmn:extensionElements><bpmn:messageEventDefinition messageRef="msgNotice"/></bpmn:intermediateThrowEvent>
      <bpmn:endEvent id="reply"><bpmn:extensionElements><zeebe:taskDefinition type="cov-reply"/></bpmn:extensionElements><bpmn:messageEventDefinition messageRef="msgNotice"/></bpmn:endEvent>
      ${chain(['s', 'notify', 'reply'])}`;
    await deploy(h.zbc, 'msg-throw.bpmn', bpmn('message-throw', body, defs));
    const result = run('message-throw');
    const [notify] = await jobs('cov-notify', 1);
    expect(notify.elementId).toBe('notify');
    expect(await jobsNow('cov-reply')).toHaveLength(0);
    await complete(notify.key, { notified: 1 });
    await complete((await jobs('cov-reply', 1))[0].key, { replied: 1 });
    expect((await result).variables).toEqual({ notified: 1, replied: 1 });
  });

  it('waits on timer dates (catch event and start event)', async () => {
    const soon = new Date(Date.now() + 300).toISOString();
    const body = `<bpmn:startEvent id="s"/>
      <bpmn:intermediateCatchEvent id="until"><bpmn:timerEventDefinition><bpmn:timeDate>=dueAt</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
      ${script('after', '=true', 'waited')}<bpmn:endEvent id="e"/>${chain(['s', 'until', 'after', 'e'])}`;
    await deploy(h.zbc, 'date.bpmn', bpmn('timer-date', body));
    const started = Date.now();
    expect((await run('timer-date', { dueAt: soon })).variables.waited).toBe(true);
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(soon));
    expect(Date.now() - started).toBeLessThan(15_000);
    const startBody = `<bpmn:startEvent id="at"><bpmn:timerEventDefinition><bpmn:timeDate>${new Date(Date.now() + 300).toISOString()}</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:startEvent>
      ${serviceTask('work', 'cov-date-start')}<bpmn:endEvent id="e"/>${chain(['at', 'work', 'e'])}`;
    await deploy(h.zbc, 'date-start.bpmn', bpmn('timer-date-start', startBody));
    const [job] = await jobs('cov-date-start', 1);
    await complete(job.key);
    // A date fires once.
    expect(await jobsNow('cov-date-start')).toHaveLength(0);
  });

  it('runs timer event sub-processes: non-interrupting cycles beside the flow, interrupting ends it', async () => {
    const body = `<bpmn:startEvent id="s"/>${serviceTask('work', 'cov-timer-work')}<bpmn:endEvent id="e"/>${chain(['s', 'work', 'e'])}
      <bpmn:subProcess id="reminders" triggeredByEvent="true">
        <bpmn:startEvent id="rs" isInterrupting="false"><bpmn:timerEventDefinition><bpmn:timeCycle>R2/PT0.1S</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>
        ${serviceTask('remind', 'cov-timer-remind')}<bpmn:endEvent id="re"/>${chain(['rs', 'remind', 're'])}
      </bpmn:subProcess>
      <bpmn:subProcess id="expiry" triggeredByEvent="true">
        <bpmn:startEvent id="xs"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1.5S</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:startEvent>
        ${script('expire', '=true', 'expired')}<bpmn:endEvent id="xe"/>${chain(['xs', 'expire', 'xe'])}
      </bpmn:subProcess>`;
    await deploy(h.zbc, 'timer-esp.bpmn', bpmn('timer-esp', body));
    const result = run('timer-esp');
    const [work] = await jobs('cov-timer-work', 1);
    const reminders = await jobs('cov-timer-remind', 2);
    expect(reminders).toHaveLength(2);
    for (const r of reminders) await complete(r.key);
    // The interrupting event sub-process ends the instance: the task's job is gone.
    expect((await result).variables).toEqual({ expired: true });
    await expect(complete(work.key)).rejects.toThrow(/NOT_FOUND/);
  });

  it('fires a non-interrupting timer boundary cycle while the task waits', async () => {
    const body = `<bpmn:startEvent id="s"/>${serviceTask('review', 'cov-nib-review')}
      <bpmn:boundaryEvent id="every" attachedToRef="review" cancelActivity="false"><bpmn:timerEventDefinition><bpmn:timeCycle>R3/PT0.1S</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:boundaryEvent>
      ${serviceTask('nudge', 'cov-nib-nudge')}<bpmn:endEvent id="e1"/><bpmn:endEvent id="e2"/>
      ${chain(['s', 'review', 'e1'])}${chain(['every', 'nudge', 'e2'])}`;
    await deploy(h.zbc, 'nib.bpmn', bpmn('timer-boundary-cycle', body));
    const result = run('timer-boundary-cycle');
    const [review] = await jobs('cov-nib-review', 1);
    const nudges = await jobs('cov-nib-nudge', 3);
    expect(nudges).toHaveLength(3);
    for (const n of nudges) await complete(n.key);
    await complete(review.key, { reviewed: true });
    expect((await result).variables).toEqual({ reviewed: true });
  });

  it('runs signal event sub-processes and non-interrupting signal boundaries', async () => {
    const defs = `<bpmn:signal id="sigNote" name="cov-annotazione"/><bpmn:signal id="sigStop" name="cov-sospensione"/><bpmn:signal id="sigPing" name="cov-sollecito"/>`;
    const body = `<bpmn:startEvent id="s"/>${serviceTask('work', 'cov-sig-work')}
      <bpmn:boundaryEvent id="ping" attachedToRef="work" cancelActivity="false"><bpmn:signalEventDefinition signalRef="sigPing"/></bpmn:boundaryEvent>
      ${script('pinged', '=(if pings = null then 0 else pings) + 1', 'pings')}<bpmn:endEvent id="e"/><bpmn:endEvent id="pe"/>
      ${chain(['s', 'work', 'e'])}${chain(['ping', 'pinged', 'pe'])}
      <bpmn:subProcess id="noted" triggeredByEvent="true">
        <bpmn:startEvent id="ns" isInterrupting="false"><bpmn:signalEventDefinition signalRef="sigNote"/></bpmn:startEvent>
        ${script('note', '=true', 'noted')}<bpmn:endEvent id="ne"/>${chain(['ns', 'note', 'ne'])}
      </bpmn:subProcess>
      <bpmn:subProcess id="stopped" triggeredByEvent="true">
        <bpmn:startEvent id="ss"><bpmn:signalEventDefinition signalRef="sigStop"/></bpmn:startEvent>
        ${script('stop', '=true', 'suspended')}<bpmn:endEvent id="se"/>${chain(['ss', 'stop', 'se'])}
      </bpmn:subProcess>`;
    await deploy(h.zbc, 'sig-esp.bpmn', bpmn('signal-esp', body, defs));
    const result = run('signal-esp');
    const [work] = await jobs('cov-sig-work', 1);
    await broadcast('cov-sollecito');
    await broadcast('cov-sollecito');
    await broadcast('cov-annotazione', { by: 'dirigente' });
    // The task is still active after the non-interrupting events.
    await h.zbc.updateJobRetries({ jobKey: work.key, retries: 2 });
    await broadcast('cov-sospensione');
    expect((await result).variables).toEqual({
      pings: 2,
      noted: true,
      by: 'dirigente',
      suspended: true,
    });
    await expect(complete(work.key)).rejects.toThrow(/NOT_FOUND/);
  });

  it('catches a job error in an error event sub-process when the task was the only active element', async () => {
    const defs = `<bpmn:error id="errDoc" errorCode="DOC_MANCANTE"/>`;
    const body = `<bpmn:startEvent id="s"/>${serviceTask('check', 'cov-err-check')}<bpmn:endEvent id="e"/>${chain(['s', 'check', 'e'])}
      <bpmn:subProcess id="onError" triggeredByEvent="true">
        <bpmn:startEvent id="es"><bpmn:errorEventDefinition errorRef="errDoc"/></bpmn:startEvent>
        ${script('handle', '=true', 'handled')}<bpmn:endEvent id="ee"/>${chain(['es', 'handle', 'ee'])}
      </bpmn:subProcess>`;
    await deploy(h.zbc, 'err-esp.bpmn', bpmn('error-esp', body, defs));
    const result = run('error-esp');
    const [check] = await jobs('cov-err-check', 1);
    await h.zbc.throwError({
      jobKey: check.key,
      errorCode: 'DOC_MANCANTE',
      errorMessage: 'manca il DURC',
      variables: { missing: 'DURC' },
    } as never);
    expect((await result).variables).toEqual({ missing: 'DURC', handled: true });
  });

  it('catches escalations in event sub-processes and interrupting boundaries; an uncaught one passes', async () => {
    const defs = `<bpmn:escalation id="escLate" escalationCode="RITARDO"/><bpmn:escalation id="escStop" escalationCode="BLOCCO"/><bpmn:escalation id="escNone" escalationCode="NESSUNO"/>`;
    const body = `<bpmn:startEvent id="s"/>
      <bpmn:subProcess id="work">
        <bpmn:startEvent id="ws"/>
        <bpmn:intermediateThrowEvent id="late"><bpmn:escalationEventDefinition escalationRef="escLate"/></bpmn:intermediateThrowEvent>
        <bpmn:intermediateThrowEvent id="nobody"><bpmn:escalationEventDefinition escalationRef="escNone"/></bpmn:intermediateThrowEvent>
        <bpmn:endEvent id="block"><bpmn:escalationEventDefinition escalationRef="escStop"/></bpmn:endEvent>
        ${chain(['ws', 'late', 'nobody', 'block'])}
      </bpmn:subProcess>
      <bpmn:boundaryEvent id="blocked" attachedToRef="work"><bpmn:escalationEventDefinition escalationRef="escStop"/></bpmn:boundaryEvent>
      ${script('afterBlock', '=true', 'blocked')}<bpmn:endEvent id="e1"/><bpmn:endEvent id="e2"/>
      ${chain(['s', 'work', 'e1'])}${chain(['blocked', 'afterBlock', 'e2'])}
      <bpmn:subProcess id="onLate" triggeredByEvent="true">
        <bpmn:startEvent id="ls" isInterrupting="false"><bpmn:escalationEventDefinition escalationRef="escLate"/></bpmn:startEvent>
        ${script('log', '=true', 'lateNoticed')}<bpmn:endEvent id="le"/>${chain(['ls', 'log', 'le'])}
      </bpmn:subProcess>`;
    await deploy(h.zbc, 'esc-esp.bpmn', bpmn('escalation-esp', body, defs));
    expect((await run('escalation-esp')).variables).toEqual({ lateNoticed: true, blocked: true });
  });

  it('ends only its sub-process at a terminate end event inside it', async () => {
    const body = `<bpmn:startEvent id="s"/>
      <bpmn:subProcess id="sub">
        <bpmn:startEvent id="ss"/><bpmn:parallelGateway id="fork"/>
        ${serviceTask('slow', 'cov-term-slow')}<bpmn:endEvent id="stop"><bpmn:terminateEventDefinition/></bpmn:endEvent><bpmn:endEvent id="se"/>
        ${chain(['ss', 'fork'])}${flow('f1', 'fork', 'slow')}${flow('f2', 'fork', 'stop')}${chain(['slow', 'se'])}
      </bpmn:subProcess>
      ${script('after', '=true', 'continued')}<bpmn:endEvent id="e"/>${chain(['s', 'sub', 'after', 'e'])}`;
    await deploy(h.zbc, 'term-sub.bpmn', bpmn('terminate-subprocess', body));
    expect((await run('terminate-subprocess')).variables).toEqual({ continued: true });
    expect(await jobsNow('cov-term-slow')).toHaveLength(0);
  });

  it('refuses what Zeebe 8.5 does not execute, naming the element', async () => {
    const refused: [string, string, string, RegExp][] = [
      ['transaction', '<bpmn:transaction id="tx"/>', '', /'tx'.*Transaction.*not supported/],
      ['complex', '<bpmn:complexGateway id="cg"/>', '', /'cg'.*ComplexGateway.*not supported/],
      [
        'conditional',
        '<bpmn:intermediateCatchEvent id="cond"><bpmn:conditionalEventDefinition><bpmn:condition>=x</bpmn:condition></bpmn:conditionalEventDefinition></bpmn:intermediateCatchEvent>',
        '',
        /'cond'.*ConditionalEventDefinition.*not supported/,
      ],
      [
        'cancel',
        '<bpmn:endEvent id="cancelEnd"><bpmn:cancelEventDefinition/></bpmn:endEvent>',
        '',
        /'cancelEnd'.*CancelEventDefinition.*not supported/,
      ],
      [
        'multiple',
        '<bpmn:intermediateCatchEvent id="multi"><bpmn:messageEventDefinition messageRef="m"/><bpmn:signalEventDefinition signalRef="sg"/></bpmn:intermediateCatchEvent>',
        '<bpmn:message id="m" name="m"/><bpmn:signal id="sg" name="sg"/>',
        /'multi'.*multiple event definitions/,
      ],
      [
        'loop',
        '<bpmn:task id="looped"><bpmn:standardLoopCharacteristics/></bpmn:task>',
        '',
        /'looped'.*loop/,
      ],
      [
        'adhoc',
        '<bpmn:adHocSubProcess id="adhoc"/>',
        '',
        /'adhoc'.*AdHocSubProcess.*not supported/,
      ],
    ];
    for (const [name, element, defs, message] of refused) {
      const body = `<bpmn:startEvent id="s"/>${element}`;
      await expect(
        deploy(h.zbc, `${name}.bpmn`, bpmn(`refused-${name}`, body, defs)),
      ).rejects.toThrow(message);
    }
  });
});
