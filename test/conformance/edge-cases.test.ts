/**
 * Edge cases of the gateway API that Zeebe documents: duplicate deployments, message
 * start events per correlation key, rejections for unknown keys and child instances.
 */
import {
  activate,
  bpmn,
  chain,
  deploy,
  serviceTask,
  startEngineHarness,
  type EngineHarness,
} from '../support/engine-harness';
import { isEvent } from '../support/engine-log';

describe('gateway edge cases', () => {
  let h: EngineHarness;
  beforeAll(async () => {
    h = await startEngineHarness();
  });
  afterAll(() => h.stop());

  it('returns the same process definition key when identical content is deployed again', async () => {
    const xml = bpmn('dup', `<bpmn:startEvent id="s"/><bpmn:endEvent id="e"/>${chain(['s', 'e'])}`);
    const first = await deploy(h.zbc, 'dup.bpmn', xml);
    const second = await deploy(h.zbc, 'dup.bpmn', xml);
    const key = (d: { deployments: unknown[] }) =>
      (d.deployments[0] as { process: { processDefinitionKey: string } }).process
        .processDefinitionKey;
    expect(key(second)).toBe(key(first));
  });

  it('starts at most one active instance per correlation key from a message start event', async () => {
    const defs = `<bpmn:message id="m" name="richiesta-dati"/>`;
    const body = `<bpmn:startEvent id="s"><bpmn:messageEventDefinition messageRef="m"/></bpmn:startEvent>${serviceTask('t', 'msgstart-work')}<bpmn:endEvent id="e"/>${chain(['s', 't', 'e'])}`;
    await deploy(h.zbc, 'once.bpmn', bpmn('once-per-key', body, defs));
    await h.zbc.publishMessage({
      name: 'richiesta-dati',
      correlationKey: 'K1',
      variables: { n: 1 },
      timeToLive: 60_000,
    } as never);
    await h.zbc.publishMessage({
      name: 'richiesta-dati',
      correlationKey: 'K1',
      variables: { n: 2 },
      timeToLive: 60_000,
    } as never);
    const first = await activate(h.zbc, 'msgstart-work', 10);
    // Both publications are durable and processed (they were acknowledged): had the second
    // started an instance, its job would already be activatable.
    const published = (await h.engine.readLog()).filter(
      (r) =>
        isEvent(r, 'MESSAGE', 'PUBLISHED') &&
        (r.value as { correlationKey?: string }).correlationKey === 'K1',
    );
    expect(published).toHaveLength(2);
    const more = await h.zbc.activateJobs({
      type: 'msgstart-work',
      worker: 't',
      maxJobsToActivate: 10,
      timeout: 10_000,
      requestTimeout: -1,
    } as never);
    expect(first.length + more.length).toBe(1);
    // When the first instance ends, the buffered message starts the next one.
    await h.zbc.completeJob({ jobKey: first[0].key, variables: {} });
    const [next] = await activate(h.zbc, 'msgstart-work', 10);
    expect(next.variables).toEqual({ n: 2 });
    await h.zbc.completeJob({ jobKey: next.key, variables: {} });
  });

  it('refuses to cancel a child instance directly', async () => {
    await deploy(
      h.zbc,
      'c.bpmn',
      bpmn(
        'edge-child',
        `<bpmn:startEvent id="s"/>${serviceTask('t', 'edge-child-work')}<bpmn:endEvent id="e"/>${chain(['s', 't', 'e'])}`,
      ),
    );
    const call = `<bpmn:callActivity id="call"><bpmn:extensionElements><zeebe:calledElement processId="edge-child"/></bpmn:extensionElements></bpmn:callActivity>`;
    await deploy(
      h.zbc,
      'p.bpmn',
      bpmn(
        'edge-parent',
        `<bpmn:startEvent id="s"/>${call}<bpmn:endEvent id="e"/>${chain(['s', 'call', 'e'])}`,
      ),
    );
    const parent = await h.zbc.createProcessInstance({
      bpmnProcessId: 'edge-parent',
      variables: {},
    });
    const [job] = await activate(h.zbc, 'edge-child-work');
    expect(job.processInstanceKey).not.toBe(parent.processInstanceKey);
    await expect(h.zbc.cancelProcessInstance(job.processInstanceKey)).rejects.toThrow(
      /FAILED_PRECONDITION|INVALID_ARGUMENT/,
    );
    await h.zbc.cancelProcessInstance(parent.processInstanceKey);
    await expect(h.zbc.completeJob({ jobKey: job.key, variables: {} })).rejects.toThrow(
      /NOT_FOUND/,
    );
  });

  it('answers NOT_FOUND for unknown incidents and element instances', async () => {
    await expect(h.zbc.resolveIncident({ incidentKey: '2251799813699999' })).rejects.toThrow(
      /NOT_FOUND/,
    );
    await expect(
      h.zbc.setVariables({ elementInstanceKey: '2251799813699999', variables: { a: 1 } } as never),
    ).rejects.toThrow(/NOT_FOUND/);
    await expect(
      h.zbc.updateJobRetries({ jobKey: '2251799813699999', retries: 3 }),
    ).rejects.toThrow(/NOT_FOUND/);
  });

  it('rejects invalid retries and empty job types as invalid arguments', async () => {
    await expect(
      h.zbc.activateJobs({
        type: '',
        worker: 't',
        maxJobsToActivate: 1,
        timeout: 1000,
        requestTimeout: -1,
      } as never),
    ).rejects.toThrow(/INVALID_ARGUMENT/);
    await deploy(
      h.zbc,
      'r.bpmn',
      bpmn(
        'edge-retries',
        `<bpmn:startEvent id="s"/>${serviceTask('t', 'edge-retries-work')}<bpmn:endEvent id="e"/>${chain(['s', 't', 'e'])}`,
      ),
    );
    await h.zbc.createProcessInstance({ bpmnProcessId: 'edge-retries', variables: {} });
    const [job] = await activate(h.zbc, 'edge-retries-work');
    await expect(h.zbc.updateJobRetries({ jobKey: job.key, retries: 0 })).rejects.toThrow(
      /INVALID_ARGUMENT/,
    );
  });
});
