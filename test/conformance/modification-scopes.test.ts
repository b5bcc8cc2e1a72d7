/**
 * Process instance modification: where an activated element goes and where the variables
 * of its instruction land ("Process instance modification"; the gateway's
 * ModifyProcessInstance RPC and its error list), through the gateway with the product's
 * client. An element inside sub-processes without an active instance gets new instances of
 * its missing flow scopes (here two levels); `ancestorElementInstanceKey` selects the
 * instance to create in, and a key of a higher scope creates a new flow scope instance even
 * when one is active. Variables without a scope id are global, with one they are local to
 * that element (the activated element or one of its flow scopes) and are set before that
 * scope opens its subscriptions.
 */
import { DEFAULT_TENANT_ID } from '../../src/engine';
import { getProcessInstance } from '../../src/engine/history';
import {
  activate,
  bpmn,
  chain,
  deploy,
  serviceTask,
  startEngineHarness,
  type EngineHarness,
} from '../support/engine-harness';
import { waitFor } from '../support/wait-for';

type Details = NonNullable<Awaited<ReturnType<typeof getProcessInstance>>>;

describe('process instance modification: flow scopes, ancestors and variables', () => {
  let h: EngineHarness;
  beforeAll(async () => {
    h = await startEngineHarness();
    const defs = `<bpmn:message id="msgWithdraw" name="scopes-withdraw"><bpmn:extensionElements><zeebe:subscription correlationKey="=reviewCase"/></bpmn:extensionElements></bpmn:message>`;
    const body = `<bpmn:startEvent id="s"/>${serviceTask('intake', 'scopes-intake')}
      <bpmn:subProcess id="review">
        <bpmn:startEvent id="rs"/>${serviceTask('first', 'scopes-first')}
        <bpmn:subProcess id="inner"><bpmn:startEvent id="is"/>${serviceTask('deep', 'scopes-deep')}<bpmn:endEvent id="ie"/>${chain(['is', 'deep', 'ie'])}</bpmn:subProcess>
        <bpmn:endEvent id="re"/>${chain(['rs', 'first', 'inner', 're'])}
      </bpmn:subProcess>
      <bpmn:boundaryEvent id="withdrawn" attachedToRef="review"><bpmn:messageEventDefinition messageRef="msgWithdraw"/></bpmn:boundaryEvent>
      ${serviceTask('archive', 'scopes-archive')}${serviceTask('after', 'scopes-after')}
      <bpmn:subProcess id="perComune">
        <bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=[1,2]" inputElement="n"/></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics>
        <bpmn:startEvent id="ps"/>${serviceTask('notify', 'scopes-notify')}<bpmn:endEvent id="pe"/>${chain(['ps', 'notify', 'pe'])}
      </bpmn:subProcess>
      <bpmn:endEvent id="e1"/><bpmn:endEvent id="e2"/>
      ${chain(['s', 'intake', 'review', 'after', 'perComune', 'e1'])}${chain(['withdrawn', 'archive', 'e2'])}`;
    await deploy(h.zbc, 'scopes.bpmn', bpmn('scopes', body, defs));
    await deploy(
      h.zbc,
      'scopes-parent.bpmn',
      bpmn(
        'scopes-parent',
        `<bpmn:startEvent id="s"/><bpmn:callActivity id="call"><bpmn:extensionElements><zeebe:calledElement processId="scopes-child"/></bpmn:extensionElements></bpmn:callActivity><bpmn:endEvent id="e"/>${chain(['s', 'call', 'e'])}`,
      ),
    );
    await deploy(
      h.zbc,
      'scopes-child.bpmn',
      bpmn(
        'scopes-child',
        `<bpmn:startEvent id="s"/>${serviceTask('childWork', 'scopes-child-work')}<bpmn:endEvent id="e"/>${chain(['s', 'childWork', 'e'])}`,
      ),
    );
  });
  afterAll(() => h.stop());

  const start = async (variables: Record<string, unknown>) =>
    (await h.zbc.createProcessInstance({ bpmnProcessId: 'scopes', variables } as never))
      .processInstanceKey;

  const modify = (processInstanceKey: string, instructions: Record<string, unknown>) =>
    h.zbc.modifyProcessInstance({
      processInstanceKey,
      activateInstructions: [],
      terminateInstructions: [],
      ...instructions,
    } as never);

  /** Polls the history until `check` holds for the instance's details. */
  async function historyOf(processInstanceKey: string, check: (d: Details) => boolean) {
    return waitFor(
      `history of ${processInstanceKey} matching`,
      async () => {
        const d = await getProcessInstance(h.db.connection, processInstanceKey, {
          tenantIds: [DEFAULT_TENANT_ID],
        });
        return d && check(d) ? d : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 50 },
    );
  }
  const active = (d: Details, elementId: string) =>
    d.elementInstances.filter((e) => e.elementId === elementId && e.state === 'ACTIVE');

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

  it('creates two missing flow scopes and places each variable instruction in its scope', async () => {
    const pi = await start({ caseId: 'S1', reviewCase: 'R-S1' });
    const [intake] = await activate(h.zbc, 'scopes-intake');
    await modify(pi, {
      activateInstructions: [
        {
          elementId: 'deep',
          ancestorElementInstanceKey: '-1',
          variableInstructions: [
            { variables: { decidedBy: 'operator' } },
            { scopeId: 'review', variables: { level: 'review', reviewNote: 'r' } },
            { scopeId: 'inner', variables: { level: 'inner' } },
            { scopeId: 'deep', variables: { own: true } },
          ],
        },
      ],
      terminateInstructions: [{ elementInstanceKey: intake.elementInstanceKey }],
    });
    const [deep] = await activate(h.zbc, 'scopes-deep');
    // The innermost value of `level` hides the outer one; everything is visible to `deep`.
    expect(deep.variables).toEqual({
      caseId: 'S1',
      reviewCase: 'R-S1',
      decidedBy: 'operator',
      level: 'inner',
      reviewNote: 'r',
      own: true,
    });
    // The history is written asynchronously: wait until it shows everything read below.
    const d = await historyOf(
      pi,
      (x) =>
        x.variables.length === 7 &&
        active(x, 'review').length === 1 &&
        active(x, 'inner').length === 1,
    );
    const [review] = active(d, 'review');
    const [inner] = active(d, 'inner');
    expect(inner.flowScopeKey).toBe(review.key);
    const scopeOf = (name: string, value: unknown) =>
      d.variables.find((v) => v.name === name && JSON.parse(v.value) === value)?.scopeKey;
    expect(scopeOf('decidedBy', 'operator')).toBe(pi);
    expect(scopeOf('level', 'review')).toBe(review.key);
    expect(scopeOf('reviewNote', 'r')).toBe(review.key);
    expect(scopeOf('level', 'inner')).toBe(inner.key);
    expect(scopeOf('own', true)).toBe(deep.elementInstanceKey);
    // Once the created scopes complete, only the global variable stays.
    await h.zbc.completeJob({ jobKey: deep.key, variables: {} } as never);
    const [after] = await activate(h.zbc, 'scopes-after');
    expect(after.processInstanceKey).toBe(pi);
    expect(after.variables).toEqual({ caseId: 'S1', reviewCase: 'R-S1', decidedBy: 'operator' });
    await h.zbc.cancelProcessInstance(pi);
  });

  it('sets a created scope’s variables before its boundary event subscribes', async () => {
    const pi = await start({ caseId: 'S2' });
    const [intake] = await activate(h.zbc, 'scopes-intake');
    // The message boundary of `review` correlates on `reviewCase`, which only the
    // instruction gives (local to the created sub-process).
    await modify(pi, {
      activateInstructions: [
        {
          elementId: 'first',
          ancestorElementInstanceKey: '-1',
          variableInstructions: [{ scopeId: 'review', variables: { reviewCase: 'R-S2' } }],
        },
      ],
      terminateInstructions: [{ elementInstanceKey: intake.elementInstanceKey }],
    });
    const [first] = await activate(h.zbc, 'scopes-first');
    expect(first.processInstanceKey).toBe(pi);
    await h.zbc.publishMessage({
      name: 'scopes-withdraw',
      correlationKey: 'R-S2',
      variables: {},
      timeToLive: 0,
    } as never);
    const [archive] = await activate(h.zbc, 'scopes-archive');
    expect(archive.processInstanceKey).toBe(pi);
    expect(archive.variables).toEqual({ caseId: 'S2' });
    await h.zbc.completeJob({ jobKey: archive.key, variables: {} } as never);
    const done = await historyOf(
      pi,
      (x) =>
        x.instance.state === 'COMPLETED' &&
        x.elementInstances.some((e) => e.elementId === 'archive' && e.state === 'COMPLETED'),
    );
    expect(done.elementInstances.find((e) => e.elementId === 'review')?.state).toBe('TERMINATED');
    expect(done.incidents).toHaveLength(0);
  });

  it('selects the ancestor: a higher scope gets a new flow scope instance, a given one is used', async () => {
    const pi = await start({ caseId: 'S3', reviewCase: 'R-S3' });
    await h.zbc.completeJob({
      jobKey: (await activate(h.zbc, 'scopes-intake'))[0].key,
      variables: {},
    } as never);
    const [first] = await activate(h.zbc, 'scopes-first');
    const before = await historyOf(
      pi,
      (x) => active(x, 'first').length === 1 && active(x, 'review').length === 1,
    );
    const [original] = active(before, 'review');
    // The process instance as ancestor: a second `review` although one is active.
    await modify(pi, {
      activateInstructions: [
        { elementId: 'first', ancestorElementInstanceKey: pi, variableInstructions: [] },
      ],
    });
    const [second] = await activate(h.zbc, 'scopes-first');
    expect(second.elementInstanceKey).not.toBe(first.elementInstanceKey);
    const two = await historyOf(
      pi,
      (x) => active(x, 'review').length === 2 && active(x, 'first').length === 2,
    );
    const added = active(two, 'review').find((r) => r.key !== original.key)!;
    const firsts = active(two, 'first');
    expect(firsts.find((f) => f.key === first.elementInstanceKey)?.flowScopeKey).toBe(original.key);
    expect(firsts.find((f) => f.key === second.elementInstanceKey)?.flowScopeKey).toBe(added.key);
    // Two instances of the flow scope: -1 cannot choose; a key naming one of them can.
    await refused(
      modify(pi, {
        activateInstructions: [
          { elementId: 'deep', ancestorElementInstanceKey: '-1', variableInstructions: [] },
        ],
      }),
      'INVALID_ARGUMENT',
      "'review'",
      'more than one active instance',
    );
    await modify(pi, {
      activateInstructions: [
        {
          elementId: 'deep',
          ancestorElementInstanceKey: original.key,
          variableInstructions: [{ scopeId: 'review', variables: { chosen: true } }],
        },
      ],
    });
    const [deep] = await activate(h.zbc, 'scopes-deep');
    expect(deep.variables).toMatchObject({ chosen: true });
    const three = await historyOf(
      pi,
      (x) => active(x, 'inner').length === 1 && x.variables.some((v) => v.name === 'chosen'),
    );
    expect(active(three, 'inner')[0].flowScopeKey).toBe(original.key);
    expect(three.variables.find((v) => v.name === 'chosen')?.scopeKey).toBe(original.key);
    // An ancestor that is not a flow scope of the element, or belongs to another instance.
    const other = await start({ caseId: 'S3b' });
    for (const key of [first.elementInstanceKey, other]) {
      await refused(
        modify(pi, {
          activateInstructions: [
            { elementId: 'deep', ancestorElementInstanceKey: key, variableInstructions: [] },
          ],
        }),
        'INVALID_ARGUMENT',
        `'${key}'`,
        "'deep'",
      );
    }
    await h.zbc.cancelProcessInstance(other);
    await h.zbc.cancelProcessInstance(pi);
  });

  it('refuses what the ModifyProcessInstance errors list, naming the element, and changes nothing', async () => {
    await refused(modify('2251799813699999', {}), 'NOT_FOUND', '2251799813699999');
    const pi = await start({ caseId: 'S4' });
    const [intake] = await activate(h.zbc, 'scopes-intake');
    const activateFirst = (variableInstructions: unknown[]) =>
      modify(pi, {
        activateInstructions: [
          { elementId: 'first', ancestorElementInstanceKey: '-1', variableInstructions },
        ],
      });
    // The process has no such element.
    await refused(
      modify(pi, {
        activateInstructions: [
          { elementId: 'nowhere', ancestorElementInstanceKey: '-1', variableInstructions: [] },
        ],
      }),
      'INVALID_ARGUMENT',
      "'nowhere'",
    );
    // A flow scope that cannot be created: a multi-instance sub-process.
    await refused(
      modify(pi, {
        activateInstructions: [
          { elementId: 'notify', ancestorElementInstanceKey: '-1', variableInstructions: [] },
        ],
      }),
      'INVALID_ARGUMENT',
      "'perComune'",
      'multi-instance',
    );
    // Variable instructions: an unknown scope id, an element outside the flow scopes.
    await refused(
      activateFirst([{ scopeId: 'nowhere', variables: { x: 1 } }]),
      'INVALID_ARGUMENT',
      "'nowhere'",
    );
    await refused(
      activateFirst([{ scopeId: 'inner', variables: { x: 1 } }]),
      'INVALID_ARGUMENT',
      "'inner'",
      "'first'",
    );
    // A terminate instruction for an element instance that is not active.
    await refused(
      modify(pi, { terminateInstructions: [{ elementInstanceKey: '2251799813699998' }] }),
      'INVALID_ARGUMENT',
      '2251799813699998',
    );
    // Nothing was applied: the instance still waits at `intake` only.
    const d = await historyOf(
      pi,
      (x) => active(x, 'intake').length === 1 && x.variables.some((v) => v.name === 'caseId'),
    );
    expect(d.elementInstances.map((e) => e.elementId)).not.toContain('review');
    expect(d.variables.map((v) => v.name)).toEqual(['caseId']);
    // A finished instance is not found any more.
    await h.zbc.cancelProcessInstance(pi);
    await refused(
      modify(pi, { terminateInstructions: [{ elementInstanceKey: intake.elementInstanceKey }] }),
      'NOT_FOUND',
      pi,
    );
    // Terminating every element instance of a called instance is refused.
    const parent = await h.zbc.createProcessInstance({
      bpmnProcessId: 'scopes-parent',
      variables: {},
    } as never);
    const [childJob] = await activate(h.zbc, 'scopes-child-work');
    await refused(
      modify(childJob.processInstanceKey, {
        terminateInstructions: [{ elementInstanceKey: childJob.elementInstanceKey }],
      }),
      'INVALID_ARGUMENT',
      'call activity',
    );
    await h.zbc.cancelProcessInstance(parent.processInstanceKey);
  });
});
