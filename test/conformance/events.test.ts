/**
 * Messages, timers, signals, errors and incidents as Zeebe documents them, end to end
 * through the gateway with the product's client.
 */
import { DEFAULT_TENANT_ID } from '../../src/engine';
import { getProcessInstance, searchIncidents } from '../../src/engine/history';
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
import {
  isEvent,
  messageSubscriptionOpened,
  ofInstance,
  waitForRecord,
} from '../support/engine-log';
import { waitFor } from '../support/wait-for';

const MESSAGE_DEFS = `<bpmn:message id="msgResult" name="evaluation-result"><bpmn:extensionElements><zeebe:subscription correlationKey="=applicationId"/></bpmn:extensionElements></bpmn:message>`;

function waitForIncident(h: EngineHarness, processInstanceKey: string, timeoutMs = 10_000) {
  return waitFor(
    `an active incident of instance ${processInstanceKey}`,
    async () =>
      (
        await searchIncidents(h.db.connection, {
          tenantIds: [DEFAULT_TENANT_ID],
          processInstanceKey,
          state: 'ACTIVE',
        })
      ).items[0],
    { timeoutMs, intervalMs: 50 },
  );
}

describe('events (docs: "Messages", "Timer events", "Error events", "Incidents", "Signals")', () => {
  let h: EngineHarness;
  beforeAll(async () => {
    h = await startEngineHarness();
    const catchBody = `
      <bpmn:startEvent id="start"/>
      <bpmn:intermediateCatchEvent id="wait"><bpmn:messageEventDefinition messageRef="msgResult"/></bpmn:intermediateCatchEvent>
      <bpmn:endEvent id="end"/>
      ${chain(['start', 'wait', 'end'])}`;
    await deploy(h.zbc, 'catch.bpmn', bpmn('await-result', catchBody, MESSAGE_DEFS));
  });
  afterAll(() => h.stop());

  it('correlates a message by correlation key and merges its variables', async () => {
    const result = h.zbc.createProcessInstanceWithResult({
      bpmnProcessId: 'await-result',
      variables: { applicationId: 'APP-1' },
      requestTimeout: 20_000,
    });
    await waitForRecord(
      h.engine,
      messageSubscriptionOpened('APP-1'),
      'the instance waits for APP-1',
    );
    await h.zbc.publishMessage({
      name: 'evaluation-result',
      correlationKey: 'APP-2',
      variables: { funded: false },
      timeToLive: 0,
    } as never);
    await h.zbc.publishMessage({
      name: 'evaluation-result',
      correlationKey: 'APP-1',
      variables: { funded: true },
      timeToLive: 0,
    } as never);
    expect((await result).variables).toEqual({ applicationId: 'APP-1', funded: true });
  });

  it('buffers a message for its time to live and correlates it when the instance arrives', async () => {
    await h.zbc.publishMessage({
      name: 'evaluation-result',
      correlationKey: 'APP-3',
      variables: { score: 87 },
      timeToLive: 60_000,
    } as never);
    const done = await h.zbc.createProcessInstanceWithResult({
      bpmnProcessId: 'await-result',
      variables: { applicationId: 'APP-3' },
      requestTimeout: 20_000,
    });
    expect(done.variables).toEqual({ applicationId: 'APP-3', score: 87 });
  });

  it('rejects a second message with the same id while the first is buffered', async () => {
    const msg = {
      name: 'evaluation-result',
      correlationKey: 'APP-DUP',
      messageId: 'm-dup-1',
      timeToLive: 60_000,
      variables: {},
    };
    await h.zbc.publishMessage(msg as never);
    await expect(h.zbc.publishMessage(msg as never)).rejects.toThrow(/ALREADY_EXISTS|already/i);
  });

  it('does not correlate a message published with no time to live before the instance waits', async () => {
    await h.zbc.publishMessage({
      name: 'evaluation-result',
      correlationKey: 'APP-LATE',
      variables: {},
      timeToLive: 0,
    } as never);
    const created = await h.zbc.createProcessInstance({
      bpmnProcessId: 'await-result',
      variables: { applicationId: 'APP-LATE' },
    });
    // Positive signal first: the instance waits at 'wait' (its subscription is open).
    await waitForRecord(
      h.engine,
      messageSubscriptionOpened('APP-LATE'),
      'the instance waits for APP-LATE',
    );
    // A buffered message would have been correlated in the same step: nothing was.
    const correlated = (await h.engine.readLog()).filter(
      (r) =>
        isEvent(r, 'PROCESS_MESSAGE_SUBSCRIPTION', 'CORRELATED') &&
        ofInstance(r, created.processInstanceKey),
    );
    expect(correlated).toEqual([]);
    const details = await waitFor('the instance in history', () =>
      getProcessInstance(h.db.connection, created.processInstanceKey, {
        tenantIds: [DEFAULT_TENANT_ID],
      }),
    );
    expect(details.instance.state).toBe('ACTIVE');
    await h.zbc.cancelProcessInstance(created.processInstanceKey);
  });

  it('starts an instance from a message start event', async () => {
    const defs = `<bpmn:message id="msgInterest" name="expression-of-interest"/>`;
    const body = `<bpmn:startEvent id="start"><bpmn:messageEventDefinition messageRef="msgInterest"/></bpmn:startEvent>${serviceTask('t', 'interest-work')}<bpmn:endEvent id="end"/>${chain(['start', 't', 'end'])}`;
    await deploy(h.zbc, 'msgstart.bpmn', bpmn('interest', body, defs));
    await h.zbc.publishMessage({
      name: 'expression-of-interest',
      correlationKey: '039010',
      variables: { comune: '039010' },
      timeToLive: 0,
    } as never);
    const [job] = await activate(h.zbc, 'interest-work');
    expect(job.bpmnProcessId).toBe('interest');
    expect(job.variables).toEqual({ comune: '039010' });
    await h.zbc.completeJob({ jobKey: job.key, variables: {} });
  });

  it('interrupts a task with a timer boundary event and follows its flow', async () => {
    const body = `
      <bpmn:startEvent id="start"/>
      ${serviceTask('slow', 'timer-slow')}
      <bpmn:boundaryEvent id="timeout" attachedToRef="slow"><bpmn:timerEventDefinition><bpmn:timeDuration>PT0.3S</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
      <bpmn:scriptTask id="escalate"><bpmn:extensionElements><zeebe:script expression="=true" resultVariable="escalated"/></bpmn:extensionElements></bpmn:scriptTask>
      <bpmn:endEvent id="end"/><bpmn:endEvent id="end2"/>
      ${chain(['start', 'slow', 'end'])}${chain(['timeout', 'escalate', 'end2'])}`;
    await deploy(h.zbc, 'timerb.bpmn', bpmn('timer-boundary', body));
    const result = h.zbc.createProcessInstanceWithResult({
      bpmnProcessId: 'timer-boundary',
      variables: {},
      requestTimeout: 20_000,
    });
    const [job] = await activate(h.zbc, 'timer-slow');
    expect((await result).variables).toEqual({ escalated: true });
    await expect(h.zbc.completeJob({ jobKey: job.key, variables: {} })).rejects.toThrow(
      /NOT_FOUND|not found/i,
    );
  });

  it('lets an event-based gateway take the timer when no message arrives', async () => {
    const body = `
      <bpmn:startEvent id="start"/>
      <bpmn:eventBasedGateway id="gw"/>
      <bpmn:intermediateCatchEvent id="gotResult"><bpmn:messageEventDefinition messageRef="msgResult"/></bpmn:intermediateCatchEvent>
      <bpmn:intermediateCatchEvent id="timedOut"><bpmn:timerEventDefinition><bpmn:timeDuration>PT0.3S</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
      <bpmn:scriptTask id="markTimeout"><bpmn:extensionElements><zeebe:script expression="=&quot;timeout&quot;" resultVariable="outcome"/></bpmn:extensionElements></bpmn:scriptTask>
      <bpmn:endEvent id="e1"/><bpmn:endEvent id="e2"/>
      ${chain(['start', 'gw'])}${flow('g1', 'gw', 'gotResult')}${flow('g2', 'gw', 'timedOut')}${chain(['gotResult', 'e1'])}${chain(['timedOut', 'markTimeout', 'e2'])}`;
    await deploy(h.zbc, 'ebg.bpmn', bpmn('event-gateway', body, MESSAGE_DEFS));
    const done = await h.zbc.createProcessInstanceWithResult({
      bpmnProcessId: 'event-gateway',
      variables: { applicationId: 'APP-T' },
      requestTimeout: 20_000,
    });
    expect(done.variables).toEqual({ applicationId: 'APP-T', outcome: 'timeout' });
  });

  it('catches a thrown BPMN error at the matching error boundary event', async () => {
    const defs = `<bpmn:error id="errDeserted" errorCode="GARA_DESERTA"/><bpmn:error id="errOther" errorCode="ALTRO"/>`;
    const body = `
      <bpmn:startEvent id="start"/>
      ${serviceTask('tender', 'error-tender')}
      <bpmn:boundaryEvent id="deserted" attachedToRef="tender"><bpmn:errorEventDefinition errorRef="errDeserted"/></bpmn:boundaryEvent>
      <bpmn:boundaryEvent id="other" attachedToRef="tender"><bpmn:errorEventDefinition errorRef="errOther"/></bpmn:boundaryEvent>
      <bpmn:scriptTask id="markDeserted"><bpmn:extensionElements><zeebe:script expression="=&quot;deserta&quot;" resultVariable="outcome"/></bpmn:extensionElements></bpmn:scriptTask>
      <bpmn:endEvent id="e1"/><bpmn:endEvent id="e2"/><bpmn:endEvent id="e3"/>
      ${chain(['start', 'tender', 'e1'])}${chain(['deserted', 'markDeserted', 'e2'])}${chain(['other', 'e3'])}`;
    await deploy(h.zbc, 'error.bpmn', bpmn('error-catch', body, defs));
    const result = h.zbc.createProcessInstanceWithResult({
      bpmnProcessId: 'error-catch',
      variables: {},
      requestTimeout: 20_000,
    });
    const [job] = await activate(h.zbc, 'error-tender');
    await h.zbc.throwError({
      jobKey: job.key,
      errorCode: 'GARA_DESERTA',
      errorMessage: 'nessuna offerta',
      variables: { offers: 0 },
    } as never);
    expect((await result).variables).toEqual({ offers: 0, outcome: 'deserta' });
  });

  it('raises an incident for an unhandled error, and for a job out of retries until retries are restored', async () => {
    await deploy(
      h.zbc,
      'incident.bpmn',
      bpmn(
        'incident',
        `<bpmn:startEvent id="s"/>${serviceTask('t', 'incident-work')}<bpmn:endEvent id="e"/>${chain(['s', 't', 'e'])}`,
      ),
    );

    const unhandled = await h.zbc.createProcessInstance({
      bpmnProcessId: 'incident',
      variables: {},
    });
    const [j1] = await activate(h.zbc, 'incident-work');
    await h.zbc.throwError({
      jobKey: j1.key,
      errorCode: 'NOBODY_CATCHES',
      errorMessage: 'x',
    } as never);
    const inc1 = await waitForIncident(h, unhandled.processInstanceKey);
    expect(inc1.errorType).toBe('UNHANDLED_ERROR_EVENT');
    await h.zbc.cancelProcessInstance(unhandled.processInstanceKey);

    const created = await h.zbc.createProcessInstance({ bpmnProcessId: 'incident', variables: {} });
    const [job] = await activate(h.zbc, 'incident-work');
    await h.zbc.failJob({
      jobKey: job.key,
      retries: 0,
      errorMessage: 'servizio ANAC non raggiungibile',
      retryBackOff: 0,
    });
    const incident = await waitForIncident(h, created.processInstanceKey);
    expect(incident.errorType).toBe('JOB_NO_RETRIES');
    expect(incident.errorMessage).toContain('servizio ANAC non raggiungibile');
    const none = await h.zbc.activateJobs({
      type: 'incident-work',
      worker: 't',
      maxJobsToActivate: 5,
      timeout: 10_000,
      requestTimeout: -1,
    } as never);
    expect(none).toHaveLength(0);

    await h.zbc.updateJobRetries({ jobKey: job.key, retries: 2 });
    await h.zbc.resolveIncident({ incidentKey: String(incident.key) });
    const [again] = await activate(h.zbc, 'incident-work');
    expect(again.key).toBe(job.key);
    expect(again.retries).toBe(2);
    await h.zbc.completeJob({ jobKey: again.key, variables: {} });
  });

  it('retries a failed job after its back-off', async () => {
    await deploy(
      h.zbc,
      'backoff.bpmn',
      bpmn(
        'backoff',
        `<bpmn:startEvent id="s"/>${serviceTask('t', 'backoff-work')}<bpmn:endEvent id="e"/>${chain(['s', 't', 'e'])}`,
      ),
    );
    await h.zbc.createProcessInstance({ bpmnProcessId: 'backoff', variables: {} });
    const [job] = await activate(h.zbc, 'backoff-work');
    await h.zbc.failJob({
      jobKey: job.key,
      retries: 2,
      errorMessage: 'temporaneo',
      retryBackOff: 500,
    });
    const immediately = await h.zbc.activateJobs({
      type: 'backoff-work',
      worker: 't',
      maxJobsToActivate: 1,
      timeout: 10_000,
      requestTimeout: -1,
    } as never);
    expect(immediately).toHaveLength(0);
    const [later] = await activate(h.zbc, 'backoff-work');
    expect(later.key).toBe(job.key);
    expect(later.retries).toBe(2);
    await h.zbc.completeJob({ jobKey: later.key, variables: {} });
  });

  it('makes a timed-out job activatable again', async () => {
    await deploy(
      h.zbc,
      'jobtimeout.bpmn',
      bpmn(
        'job-timeout',
        `<bpmn:startEvent id="s"/>${serviceTask('t', 'timeout-work')}<bpmn:endEvent id="e"/>${chain(['s', 't', 'e'])}`,
      ),
    );
    await h.zbc.createProcessInstance({ bpmnProcessId: 'job-timeout', variables: {} });
    const [first] = await activate(h.zbc, 'timeout-work', 1, { timeout: 300 });
    const [second] = await activate(h.zbc, 'timeout-work', 1);
    expect(second.key).toBe(first.key);
    await h.zbc.completeJob({ jobKey: second.key, variables: {} });
  });

  it('starts every process with a matching signal start event on broadcast', async () => {
    const defs = `<bpmn:signal id="sigCall" name="nuovo-bando"/>`;
    const body = `<bpmn:startEvent id="start"><bpmn:signalEventDefinition signalRef="sigCall"/></bpmn:startEvent>${serviceTask('t', 'signal-work')}<bpmn:endEvent id="end"/>${chain(['start', 't', 'end'])}`;
    await deploy(h.zbc, 'signal.bpmn', bpmn('signal-start', body, defs));
    await h.zbc.broadcastSignal({
      signalName: 'nuovo-bando',
      variables: { callId: 'LIFE-2026' },
    } as never);
    const [job] = await activate(h.zbc, 'signal-work');
    expect(job.variables).toEqual({ callId: 'LIFE-2026' });
    await h.zbc.completeJob({ jobKey: job.key, variables: {} });
  });

  it('runs a non-interrupting message event sub-process beside the main flow', async () => {
    const defs = `<bpmn:message id="msgReminder" name="reminder"><bpmn:extensionElements><zeebe:subscription correlationKey="=requestId"/></bpmn:extensionElements></bpmn:message>`;
    const body = `
      <bpmn:startEvent id="start"/>${serviceTask('main', 'esp-main')}<bpmn:endEvent id="end"/>${chain(['start', 'main', 'end'])}
      <bpmn:subProcess id="onReminder" triggeredByEvent="true">
        <bpmn:startEvent id="remStart" isInterrupting="false"><bpmn:messageEventDefinition messageRef="msgReminder"/></bpmn:startEvent>
        ${serviceTask('notify', 'esp-notify')}
        <bpmn:endEvent id="remEnd"/>
        ${chain(['remStart', 'notify', 'remEnd'])}
      </bpmn:subProcess>`;
    await deploy(h.zbc, 'esp.bpmn', bpmn('event-subprocess', body, defs));
    const result = h.zbc.createProcessInstanceWithResult({
      bpmnProcessId: 'event-subprocess',
      variables: { requestId: 'DR-1' },
      requestTimeout: 20_000,
    });
    const [main] = await activate(h.zbc, 'esp-main');
    await h.zbc.publishMessage({
      name: 'reminder',
      correlationKey: 'DR-1',
      variables: { reminded: true },
      timeToLive: 0,
    } as never);
    const [notify] = await activate(h.zbc, 'esp-notify');
    await h.zbc.completeJob({ jobKey: notify.key, variables: {} });
    await h.zbc.completeJob({ jobKey: main.key, variables: { delivered: true } });
    expect((await result).variables).toMatchObject({
      requestId: 'DR-1',
      reminded: true,
      delivered: true,
    });
  });
});
