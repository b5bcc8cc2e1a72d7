/**
 * Process instance migration as Zeebe 8.5 documents it ("Process instance migration":
 * embedded sub-processes, jobs that keep their properties, limitations; the gateway's
 * MigrateProcessInstance RPC and its error list), through the gateway with the product's
 * client. Every refusal is checked for its gRPC code and for a message naming the element
 * (or key) at fault, and a refused command changes nothing.
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
import { isEvent, ofInstance, waitForRecord } from '../support/engine-log';

type Deployed = { deployments: { process?: { processDefinitionKey: string } }[] };

describe('process instance migration: sub-processes and the RPC’s error codes', () => {
  let h: EngineHarness;
  beforeAll(async () => {
    h = await startEngineHarness();
  });
  afterAll(() => h.stop());

  const deployed = async (name: string, processId: string, body: string, defs = '') =>
    ((await deploy(h.zbc, name, bpmn(processId, body, defs))) as Deployed).deployments[0].process!
      .processDefinitionKey;

  const migrate = (
    processInstanceKey: string,
    targetProcessDefinitionKey: string,
    mappingInstructions: { sourceElementId: string; targetElementId: string }[],
  ) =>
    h.zbc.migrateProcessInstance({
      processInstanceKey,
      migrationPlan: { targetProcessDefinitionKey, mappingInstructions },
    } as never);

  /** The call is refused with the gRPC code, its message naming every fragment. */
  async function refused(call: Promise<unknown>, code: string, ...fragments: string[]) {
    const err = (await call.then(
      () => undefined,
      (e: unknown) => e,
    )) as Error | undefined;
    expect(err).toBeDefined();
    expect(err!.message).toContain(code);
    for (const fragment of fragments) expect(err!.message).toContain(fragment);
  }

  const subProcess = (id: string, innerId: string, type: string) =>
    `<bpmn:subProcess id="${id}"><bpmn:startEvent id="${id}_s"/>${serviceTask(innerId, type)}<bpmn:endEvent id="${id}_e"/>${chain([`${id}_s`, innerId, `${id}_e`])}</bpmn:subProcess>`;

  it('migrates an embedded sub-process and its task: the job keeps its type, the instance goes on in the target', async () => {
    await deployed(
      'mc-sub.bpmn',
      'mc-sub',
      `<bpmn:startEvent id="s"/>${subProcess('review', 'check', 'mc-check')}<bpmn:endEvent id="e"/>${chain(['s', 'review', 'e'])}`,
    );
    const target = await deployed(
      'mc-sub-v2.bpmn',
      'mc-sub-v2',
      `<bpmn:startEvent id="s"/>${subProcess('audit', 'verify', 'mc-verify')}${serviceTask('after', 'mc-after')}<bpmn:endEvent id="e"/>${chain(['s', 'audit', 'after', 'e'])}`,
    );
    const pi = await h.zbc.createProcessInstance({
      bpmnProcessId: 'mc-sub',
      variables: { pratica: 'P1' },
    } as never);
    const [job] = await activate(h.zbc, 'mc-check');
    await migrate(pi.processInstanceKey, target, [
      { sourceElementId: 'review', targetElementId: 'audit' },
      { sourceElementId: 'check', targetElementId: 'verify' },
    ]);
    // The job is not recreated: same key and type, now belonging to the target element.
    await h.zbc.failJob({ jobKey: job.key, retries: 1, errorMessage: 'again' } as never);
    const [again] = await activate(h.zbc, 'mc-check');
    expect(again.key).toBe(job.key);
    expect(again.elementId).toBe('verify');
    expect(again.bpmnProcessId).toBe('mc-sub-v2');
    expect((again as { processDefinitionKey?: string }).processDefinitionKey).toBe(target);
    expect(again.variables).toEqual({ pratica: 'P1' });
    await h.zbc.completeJob({ jobKey: again.key, variables: {} } as never);
    const [after] = await activate(h.zbc, 'mc-after');
    expect(after.processInstanceKey).toBe(pi.processInstanceKey);
    await h.zbc.completeJob({ jobKey: after.key, variables: {} } as never);
    await waitForRecord(
      h.engine,
      (r) =>
        isEvent(r, 'PROCESS_INSTANCE', 'ELEMENT_COMPLETED') &&
        ofInstance(r, pi.processInstanceKey) &&
        (r.value as { elementId?: string }).elementId === 'mc-sub-v2',
      'the migrated instance completed in the target process',
    );
  });

  it('corrects a mistake: an instance stuck on an incident migrates, and the retry uses the target’s mapping', async () => {
    const task = (source: string) =>
      `<bpmn:startEvent id="s"/><bpmn:serviceTask id="check"><bpmn:extensionElements><zeebe:taskDefinition type="mc-fixed"/><zeebe:ioMapping><zeebe:input source="${source}" target="approved"/></zeebe:ioMapping></bpmn:extensionElements></bpmn:serviceTask><bpmn:endEvent id="e"/>${chain(['s', 'check', 'e'])}`;
    // The mistake: the string variable is used as a boolean (the assertion fails).
    await deployed('mc-bug.bpmn', 'mc-bug', task('=assert(answer, answer = true)'));
    const fixed = await deployed('mc-bug.bpmn', 'mc-bug', task('=answer = &quot;yes&quot;'));
    const pi = (
      await h.zbc.createProcessInstance({
        bpmnProcessId: 'mc-bug',
        version: 1,
        variables: { answer: 'yes' },
      } as never)
    ).processInstanceKey;
    const incident = await waitForRecord(
      h.engine,
      (r) => isEvent(r, 'INCIDENT', 'CREATED') && ofInstance(r, pi),
      'the input mapping incident',
    );
    await migrate(pi, fixed, [{ sourceElementId: 'check', targetElementId: 'check' }]);
    await h.zbc.resolveIncident({ incidentKey: String(incident.key) });
    const [job] = await activate(h.zbc, 'mc-fixed');
    expect(job.processInstanceKey).toBe(pi);
    expect(job.variables).toMatchObject({ approved: true });
    expect((job as { processDefinitionKey?: string }).processDefinitionKey).toBe(fixed);
    await h.zbc.completeJob({ jobKey: job.key, variables: {} } as never);
  });

  it('migrates a user task: its job keeps type and headers', async () => {
    const userTask = (id: string, assignee: string) =>
      `<bpmn:startEvent id="s"/><bpmn:userTask id="${id}"><bpmn:extensionElements><zeebe:assignmentDefinition assignee="${assignee}"/></bpmn:extensionElements></bpmn:userTask><bpmn:endEvent id="e"/>${chain(['s', id, 'e'])}`;
    await deployed('mc-ut.bpmn', 'mc-ut', userTask('fill', 'm.rossi'));
    const target = await deployed('mc-ut2.bpmn', 'mc-ut2', userTask('complete', 'l.bianchi'));
    const pi = (
      await h.zbc.createProcessInstance({ bpmnProcessId: 'mc-ut', variables: {} } as never)
    ).processInstanceKey;
    const [job] = await activate(h.zbc, 'io.camunda.zeebe:userTask');
    await migrate(pi, target, [{ sourceElementId: 'fill', targetElementId: 'complete' }]);
    await h.zbc.failJob({ jobKey: job.key, retries: 1, errorMessage: 'again' } as never);
    const [again] = await activate(h.zbc, 'io.camunda.zeebe:userTask');
    expect(again.key).toBe(job.key);
    expect(again.elementId).toBe('complete');
    // Not re-evaluated: the assignee stays the one of the source element.
    expect(again.customHeaders).toEqual(job.customHeaders);
    expect(JSON.stringify(again.customHeaders)).toContain('m.rossi');
    await h.zbc.completeJob({ jobKey: again.key, variables: {} } as never);
  });

  it('refuses as the RPC documents, naming what is wrong, and changes nothing', async () => {
    const source = `<bpmn:startEvent id="s"/>${serviceTask('work', 'mc-work')}<bpmn:endEvent id="e"/>${chain(['s', 'work', 'e'])}`;
    await deployed('mc.bpmn', 'mc', source);
    const pi = (await h.zbc.createProcessInstance({ bpmnProcessId: 'mc', variables: {} } as never))
      .processInstanceKey;
    const [job] = await activate(h.zbc, 'mc-work');
    const same = await deployed(
      'mc-same.bpmn',
      'mc-same',
      source.replace('"e"/>', '"e"/><bpmn:task id="spare"/>'),
    );
    const userTask = await deployed(
      'mc-user.bpmn',
      'mc-user',
      `<bpmn:startEvent id="s"/><bpmn:userTask id="work"/><bpmn:endEvent id="e"/>${chain(['s', 'work', 'e'])}`,
    );
    const nested = await deployed(
      'mc-nested.bpmn',
      'mc-nested',
      `<bpmn:startEvent id="s"/>${subProcess('box', 'work', 'mc-work')}<bpmn:endEvent id="e"/>${chain(['s', 'box', 'e'])}`,
    );
    const withEventSubProcess = await deployed(
      'mc-esp.bpmn',
      'mc-esp',
      `${source}<bpmn:subProcess id="onSignal" triggeredByEvent="true"><bpmn:startEvent id="sigStart" isInterrupting="false"><bpmn:signalEventDefinition signalRef="sig"/></bpmn:startEvent><bpmn:endEvent id="sigEnd"/>${chain(['sigStart', 'sigEnd'])}</bpmn:subProcess>`,
      '<bpmn:signal id="sig" name="mc-signal"/>',
    );
    const cases: [string, () => Promise<unknown>, string, ...string[]][] = [
      [
        'unknown instance',
        () => migrate('2251799813699999', same, []),
        'NOT_FOUND',
        '2251799813699999',
      ],
      [
        'unknown target',
        () => migrate(pi, '2251799813699998', []),
        'NOT_FOUND',
        '2251799813699998',
      ],
      [
        'unknown source element',
        () => migrate(pi, same, [{ sourceElementId: 'ghost', targetElementId: 'work' }]),
        'INVALID_ARGUMENT',
        "'ghost'",
      ],
      [
        'unknown target element',
        () => migrate(pi, same, [{ sourceElementId: 'work', targetElementId: 'ghost' }]),
        'INVALID_ARGUMENT',
        "'ghost'",
      ],
      [
        'a source element mapped twice',
        () =>
          migrate(pi, same, [
            { sourceElementId: 'work', targetElementId: 'work' },
            { sourceElementId: 'work', targetElementId: 'spare' },
          ]),
        'INVALID_ARGUMENT',
        "'work'",
      ],
      [
        'an active element without mapping',
        () => migrate(pi, same, []),
        'FAILED_PRECONDITION',
        "'work'",
      ],
      [
        'a changed element type',
        () => migrate(pi, userTask, [{ sourceElementId: 'work', targetElementId: 'work' }]),
        'FAILED_PRECONDITION',
        "'work'",
        'SERVICE_TASK',
        'USER_TASK',
      ],
      [
        'an element nested in a new sub-process',
        () => migrate(pi, nested, [{ sourceElementId: 'work', targetElementId: 'work' }]),
        'FAILED_PRECONDITION',
        "'work'",
        'flow scope',
      ],
      [
        'a target with an event sub-process',
        () =>
          migrate(pi, withEventSubProcess, [{ sourceElementId: 'work', targetElementId: 'work' }]),
        'FAILED_PRECONDITION',
        'event sub-process',
      ],
    ];
    for (const [what, call, code, ...fragments] of cases) {
      try {
        await refused(call(), code, ...fragments);
      } catch (err) {
        throw new Error(`${what}: ${(err as Error).message}`);
      }
    }
    // Nothing changed: the job still belongs to the source process, and a valid plan works.
    await h.zbc.failJob({ jobKey: job.key, retries: 1, errorMessage: 'again' } as never);
    const [again] = await activate(h.zbc, 'mc-work');
    expect(again.bpmnProcessId).toBe('mc');
    await migrate(pi, same, [{ sourceElementId: 'work', targetElementId: 'work' }]);
    await h.zbc.completeJob({ jobKey: again.key, variables: {} } as never);
    // A completed instance is not found any more.
    await refused(
      migrate(pi, same, [{ sourceElementId: 'work', targetElementId: 'work' }]),
      'NOT_FOUND',
      pi,
    );
  });

  it('refuses an element no longer nested in its sub-process, and an unsupported element type', async () => {
    await deployed(
      'mc-in.bpmn',
      'mc-in',
      `<bpmn:startEvent id="s"/>${subProcess('box', 'inside', 'mc-inside')}<bpmn:endEvent id="e"/>${chain(['s', 'box', 'e'])}`,
    );
    const flat = await deployed(
      'mc-flat.bpmn',
      'mc-flat',
      `<bpmn:startEvent id="s"/>${subProcess('box', 'other', 'mc-other')}${serviceTask('inside', 'mc-inside')}<bpmn:endEvent id="e"/>${chain(['s', 'box', 'inside', 'e'])}`,
    );
    const pi = (
      await h.zbc.createProcessInstance({ bpmnProcessId: 'mc-in', variables: {} } as never)
    ).processInstanceKey;
    await activate(h.zbc, 'mc-inside');
    await refused(
      migrate(pi, flat, [
        { sourceElementId: 'box', targetElementId: 'box' },
        { sourceElementId: 'inside', targetElementId: 'inside' },
      ]),
      'FAILED_PRECONDITION',
      "'inside'",
      'flow scope',
    );
    await h.zbc.cancelProcessInstance(pi);
    const defs = `<bpmn:message id="m" name="mc-reply"><bpmn:extensionElements><zeebe:subscription correlationKey="=id"/></bpmn:extensionElements></bpmn:message>`;
    const waiting = `<bpmn:startEvent id="s"/><bpmn:receiveTask id="reply" messageRef="m"/><bpmn:endEvent id="e"/>${chain(['s', 'reply', 'e'])}`;
    await deployed('mc-wait.bpmn', 'mc-wait', waiting, defs);
    const waitingV2 = await deployed('mc-wait2.bpmn', 'mc-wait2', waiting, defs);
    const w = (
      await h.zbc.createProcessInstance({
        bpmnProcessId: 'mc-wait',
        variables: { id: 'W1' },
      } as never)
    ).processInstanceKey;
    await refused(
      migrate(w, waitingV2, [{ sourceElementId: 'reply', targetElementId: 'reply' }]),
      'FAILED_PRECONDITION',
      "'reply'",
      'RECEIVE_TASK',
    );
    await h.zbc.cancelProcessInstance(w);
  });
});
