/**
 * Zeebe's documented data semantics, checked end to end through the gateway with the
 * product's client: variable propagation, input/output mappings, scripts, result
 * variables and fetchVariables.
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

describe('variables and mappings (docs: "Variables", "Variable mappings")', () => {
  let h: EngineHarness;
  beforeAll(async () => {
    h = await startEngineHarness();
  });
  afterAll(() => h.stop());

  it('propagates job variables to the process instance when the task has no output mappings', async () => {
    await deploy(
      h.zbc,
      'propagate.bpmn',
      bpmn(
        'propagate',
        `<bpmn:startEvent id="start"/>${serviceTask('task', 'propagate-work')}<bpmn:endEvent id="end"/>${chain(['start', 'task', 'end'])}`,
      ),
    );
    const result = h.zbc.createProcessInstanceWithResult({
      bpmnProcessId: 'propagate',
      variables: { orderId: 'A-1' },
      requestTimeout: 20_000,
    });
    const [job] = await activate(h.zbc, 'propagate-work');
    expect(job.variables).toMatchObject({ orderId: 'A-1' });
    await h.zbc.completeJob({ jobKey: job.key, variables: { approved: true, amount: 90000.5 } });
    const done = await result;
    expect(done.variables).toEqual({ orderId: 'A-1', approved: true, amount: 90000.5 });
  });

  it('keeps input-mapped variables local and propagates only output mappings', async () => {
    const io = `<zeebe:ioMapping>
        <zeebe:input source="=order.amount * 2" target="doubled"/>
        <zeebe:input source="=order.customer.name" target="customer.name"/>
        <zeebe:output source="=score + 1" target="result.score"/>
      </zeebe:ioMapping>`;
    await deploy(
      h.zbc,
      'mappings.bpmn',
      bpmn(
        'mappings',
        `<bpmn:startEvent id="start"/>${serviceTask('task', 'mapping-work', io)}<bpmn:endEvent id="end"/>${chain(['start', 'task', 'end'])}`,
      ),
    );
    const result = h.zbc.createProcessInstanceWithResult({
      bpmnProcessId: 'mappings',
      variables: { order: { amount: 21, customer: { name: 'Comune di Faenza' } } },
      requestTimeout: 20_000,
    });
    const [job] = await activate(h.zbc, 'mapping-work');
    expect(job.variables).toMatchObject({ doubled: 42, customer: { name: 'Comune di Faenza' } });
    await h.zbc.completeJob({ jobKey: job.key, variables: { score: 9, scratch: 'local only' } });
    const done = await result;
    expect(done.variables).toEqual({
      order: { amount: 21, customer: { name: 'Comune di Faenza' } },
      result: { score: 10 },
    });
  });

  it('returns only the requested variables with fetchVariables', async () => {
    await deploy(
      h.zbc,
      'fetch.bpmn',
      bpmn(
        'fetch',
        `<bpmn:startEvent id="start"/><bpmn:endEvent id="end"/>${chain(['start', 'end'])}`,
      ),
    );
    const done = await h.zbc.createProcessInstanceWithResult({
      bpmnProcessId: 'fetch',
      variables: { a: 1, b: 2, c: 3 },
      fetchVariables: ['a', 'c'],
      requestTimeout: 20_000,
    });
    expect(done.variables).toEqual({ a: 1, c: 3 });
  });

  it('evaluates a FEEL script task into its result variable', async () => {
    const script = `<bpmn:scriptTask id="script"><bpmn:extensionElements><zeebe:script expression="=sum(amounts) * (1 - rebate)" resultVariable="net"/></bpmn:extensionElements></bpmn:scriptTask>`;
    await deploy(
      h.zbc,
      'script.bpmn',
      bpmn(
        'script-proc',
        `<bpmn:startEvent id="start"/>${script}<bpmn:endEvent id="end"/>${chain(['start', 'script', 'end'])}`,
      ),
    );
    const done = await h.zbc.createProcessInstanceWithResult({
      bpmnProcessId: 'script-proc',
      variables: { amounts: [100, 200, 300], rebate: 0.1 },
      requestTimeout: 20_000,
    });
    expect(done.variables.net).toBeCloseTo(540);
  });

  it('sets local variables on an element instance without touching the process scope', async () => {
    await deploy(
      h.zbc,
      'setvars.bpmn',
      bpmn(
        'setvars',
        `<bpmn:startEvent id="start"/>${serviceTask('task', 'setvars-work')}<bpmn:endEvent id="end"/>${chain(['start', 'task', 'end'])}`,
      ),
    );
    const result = h.zbc.createProcessInstanceWithResult({
      bpmnProcessId: 'setvars',
      variables: { x: 1 },
      requestTimeout: 20_000,
    });
    const [job] = await activate(h.zbc, 'setvars-work');
    await h.zbc.setVariables({
      elementInstanceKey: job.elementInstanceKey,
      variables: { onlyHere: true },
      local: true,
    });
    await h.zbc.setVariables({
      elementInstanceKey: job.processInstanceKey,
      variables: { x: 2 },
      local: false,
    });
    await h.zbc.completeJob({ jobKey: job.key, variables: {} });
    const done = await result;
    expect(done.variables).toEqual({ x: 2 });
  });

  it('rejects variables that are not a JSON object', async () => {
    await expect(
      h.engine.createProcessInstance({ bpmnProcessId: 'fetch', variables: [1, 2] as never }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
