/**
 * Process instance modification and migration as Zeebe 8.5 documents them ("Process
 * instance modification", "Process instance migration" and the gateway's error codes),
 * through the gateway with the product's client.
 */
import { DEFAULT_TENANT_ID } from '../../src/engine';
import { getProcessInstance } from '../../src/engine/history';
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

type Deployed = { deployments: { process?: { processDefinitionKey: string } }[] };
const definitionKey = (d: unknown) => (d as Deployed).deployments[0].process!.processDefinitionKey;

describe('process instance modification and migration', () => {
  let h: EngineHarness;
  beforeAll(async () => {
    h = await startEngineHarness();
  });
  afterAll(() => h.stop());

  const jobsNow = (type: string) =>
    h.zbc.activateJobs({
      type,
      worker: 'conformance',
      maxJobsToActivate: 10,
      timeout: 30_000,
      requestTimeout: -1,
    } as never);

  /** Polls the history until `check` holds for the instance's details. */
  async function historyOf(
    processInstanceKey: string,
    check: (d: NonNullable<Awaited<ReturnType<typeof getProcessInstance>>>) => boolean,
  ) {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const d = await getProcessInstance(h.db.connection, processInstanceKey, {
        tenantIds: [DEFAULT_TENANT_ID],
      });
      if (d && check(d)) return d;
      if (Date.now() > deadline) throw new Error(`history of ${processInstanceKey} never matched`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  describe('modification ("Activate a nested element")', () => {
    beforeAll(async () => {
      const defs = `<bpmn:message id="msgWithdraw" name="mod-withdraw"><bpmn:extensionElements><zeebe:subscription correlationKey="=caseId"/></bpmn:extensionElements></bpmn:message>`;
      const body = `<bpmn:startEvent id="s"/>${serviceTask('intake', 'mod-intake')}
        <bpmn:subProcess id="review">
          <bpmn:extensionElements><zeebe:ioMapping><zeebe:input source="=&quot;from-input&quot;" target="marker"/></zeebe:ioMapping></bpmn:extensionElements>
          <bpmn:startEvent id="rs"/>${serviceTask('first', 'mod-first')}
          <bpmn:subProcess id="inner"><bpmn:startEvent id="is"/>${serviceTask('deep', 'mod-deep')}<bpmn:endEvent id="ie"/>${chain(['is', 'deep', 'ie'])}</bpmn:subProcess>
          <bpmn:endEvent id="re"/>${chain(['rs', 'first', 'inner', 're'])}
        </bpmn:subProcess>
        <bpmn:boundaryEvent id="withdrawn" attachedToRef="review"><bpmn:messageEventDefinition messageRef="msgWithdraw"/></bpmn:boundaryEvent>
        ${serviceTask('archive', 'mod-archive')}${serviceTask('after', 'mod-after')}
        <bpmn:endEvent id="e1"/><bpmn:endEvent id="e2"/>
        ${chain(['s', 'intake', 'review', 'after', 'e1'])}${chain(['withdrawn', 'archive', 'e2'])}`;
      await deploy(h.zbc, 'mod.bpmn', bpmn('mod-nested', body, defs));
    });

    it('creates the missing flow scopes (with their boundary events, without start event or input mappings)', async () => {
      const pi = await h.zbc.createProcessInstance({
        bpmnProcessId: 'mod-nested',
        variables: { caseId: 'M1' },
      } as never);
      const [intake] = await activate(h.zbc, 'mod-intake');
      await h.zbc.modifyProcessInstance({
        processInstanceKey: pi.processInstanceKey,
        activateInstructions: [
          {
            elementId: 'deep',
            ancestorElementInstanceKey: '-1',
            variableInstructions: [{ scopeId: 'inner', variables: { level: 'inner' } }],
          },
        ],
        terminateInstructions: [{ elementInstanceKey: intake.elementInstanceKey }],
      } as never);
      const [deep] = await activate(h.zbc, 'mod-deep');
      expect(deep.variables).toEqual({ caseId: 'M1', level: 'inner' });
      // The created sub-process ran neither its start event nor its input mappings.
      expect(await jobsNow('mod-first')).toHaveLength(0);
      const details = await historyOf(pi.processInstanceKey, (d) =>
        d.elementInstances.some((e) => e.elementId === 'deep'),
      );
      const ids = details.elementInstances.map((e) => e.elementId);
      expect(ids).toEqual(expect.arrayContaining(['review', 'inner', 'deep']));
      expect(ids).not.toContain('rs');
      // The boundary event of the created sub-process is subscribed.
      await h.zbc.publishMessage({
        name: 'mod-withdraw',
        correlationKey: 'M1',
        variables: {},
        timeToLive: 0,
      } as never);
      const [archive] = await activate(h.zbc, 'mod-archive');
      await h.zbc.completeJob({ jobKey: archive.key, variables: {} } as never);
      await historyOf(pi.processInstanceKey, (d) => d.instance.state === 'COMPLETED');
    });

    it('activates in the one active instance of the flow scope, and continues from there', async () => {
      const pi = await h.zbc.createProcessInstance({
        bpmnProcessId: 'mod-nested',
        variables: { caseId: 'M2' },
      } as never);
      await h.zbc.completeJob({
        jobKey: (await activate(h.zbc, 'mod-intake'))[0].key,
        variables: {},
      } as never);
      const [first] = await activate(h.zbc, 'mod-first');
      await h.zbc.modifyProcessInstance({
        processInstanceKey: pi.processInstanceKey,
        activateInstructions: [
          { elementId: 'inner', ancestorElementInstanceKey: '-1', variableInstructions: [] },
        ],
        terminateInstructions: [{ elementInstanceKey: first.elementInstanceKey }],
      } as never);
      const [deep] = await activate(h.zbc, 'mod-deep');
      // Activated normally: the sub-process "review" is the existing one (input mapping ran).
      expect(deep.variables).toMatchObject({ marker: 'from-input' });
      await h.zbc.completeJob({ jobKey: deep.key, variables: {} } as never);
      const [after] = await activate(h.zbc, 'mod-after');
      await h.zbc.completeJob({ jobKey: after.key, variables: {} } as never);
      const done = await historyOf(pi.processInstanceKey, (d) => d.instance.state === 'COMPLETED');
      expect(done.elementInstances.filter((e) => e.elementId === 'review')).toHaveLength(1);
    });

    it('terminates a scope whose last active instance is terminated, up to the process instance', async () => {
      const pi = await h.zbc.createProcessInstance({
        bpmnProcessId: 'mod-nested',
        variables: { caseId: 'M3' },
      } as never);
      await h.zbc.completeJob({
        jobKey: (await activate(h.zbc, 'mod-intake'))[0].key,
        variables: {},
      } as never);
      const [first] = await activate(h.zbc, 'mod-first');
      await h.zbc.modifyProcessInstance({
        processInstanceKey: pi.processInstanceKey,
        activateInstructions: [],
        terminateInstructions: [{ elementInstanceKey: first.elementInstanceKey }],
      } as never);
      const done = await historyOf(pi.processInstanceKey, (d) => d.instance.state === 'TERMINATED');
      expect(done.elementInstances.find((e) => e.elementId === 'review')?.state).toBe('TERMINATED');
      expect(await jobsNow('mod-after')).toHaveLength(0);
    });

    it('rejects invalid instructions with INVALID_ARGUMENT and changes nothing', async () => {
      const pi = await h.zbc.createProcessInstance({
        bpmnProcessId: 'mod-nested',
        variables: { caseId: 'M4' },
      } as never);
      const [intake] = await activate(h.zbc, 'mod-intake');
      const modify = (instructions: Record<string, unknown>) =>
        h.zbc.modifyProcessInstance({
          processInstanceKey: pi.processInstanceKey,
          activateInstructions: [],
          terminateInstructions: [],
          ...instructions,
        } as never);
      await expect(
        modify({
          activateInstructions: [
            { elementId: 'nope', ancestorElementInstanceKey: '-1', variableInstructions: [] },
          ],
        }),
      ).rejects.toThrow(/INVALID_ARGUMENT/);
      await expect(
        modify({
          activateInstructions: [
            {
              elementId: 'first',
              ancestorElementInstanceKey: '-1',
              variableInstructions: [{ scopeId: 'archive', variables: { x: 1 } }],
            },
          ],
        }),
      ).rejects.toThrow(/INVALID_ARGUMENT/);
      await expect(
        modify({
          activateInstructions: [
            { elementId: 'first', ancestorElementInstanceKey: '-1', variableInstructions: [] },
          ],
          terminateInstructions: [{ elementInstanceKey: '2251799813699999' }],
        }),
      ).rejects.toThrow(/INVALID_ARGUMENT/);
      // Two instances of the flow scope: the engine cannot choose.
      await modify({
        activateInstructions: [
          { elementId: 'review', ancestorElementInstanceKey: '-1', variableInstructions: [] },
        ],
      });
      await modify({
        activateInstructions: [
          { elementId: 'review', ancestorElementInstanceKey: '-1', variableInstructions: [] },
        ],
      });
      await expect(
        modify({
          activateInstructions: [
            { elementId: 'first', ancestorElementInstanceKey: '-1', variableInstructions: [] },
          ],
        }),
      ).rejects.toThrow(/INVALID_ARGUMENT/);
      // Nothing of the rejected commands was applied.
      expect(await jobsNow('mod-deep')).toHaveLength(0);
      expect((await jobsNow('mod-first')).length).toBe(2);
      await h.zbc.completeJob({ jobKey: intake.key, variables: {} } as never);
      await h.zbc.cancelProcessInstance(pi.processInstanceKey);
    });
  });

  describe('migration (gateway error codes)', () => {
    const v1 = (extra = '') =>
      bpmn(
        'mig',
        `<bpmn:startEvent id="s"/>${serviceTask('work', 'mig-work')}${extra}<bpmn:endEvent id="e"/>${chain(['s', 'work', 'e'])}`,
      );

    it('migrates a mapped service task, keeps its job and opens the target’s message boundary', async () => {
      await deploy(h.zbc, 'mig.bpmn', v1());
      const pi = await h.zbc.createProcessInstance({
        bpmnProcessId: 'mig',
        variables: { caseId: 'G1' },
      } as never);
      const [job] = await activate(h.zbc, 'mig-work');
      const defs = `<bpmn:message id="msgStop" name="mig-stop"><bpmn:extensionElements><zeebe:subscription correlationKey="=caseId"/></bpmn:extensionElements></bpmn:message>`;
      const target = definitionKey(
        await deploy(
          h.zbc,
          'mig2.bpmn',
          bpmn(
            'mig-target',
            `<bpmn:startEvent id="s"/>${serviceTask('task', 'mig-other-type')}
             <bpmn:boundaryEvent id="stop" attachedToRef="task"><bpmn:messageEventDefinition messageRef="msgStop"/></bpmn:boundaryEvent>
             ${serviceTask('stopped', 'mig-stopped')}<bpmn:endEvent id="e"/><bpmn:endEvent id="e2"/>
             ${chain(['s', 'task', 'e'])}${chain(['stop', 'stopped', 'e2'])}`,
            defs,
          ),
        ),
      );
      await h.zbc.migrateProcessInstance({
        processInstanceKey: pi.processInstanceKey,
        migrationPlan: {
          targetProcessDefinitionKey: target,
          mappingInstructions: [{ sourceElementId: 'work', targetElementId: 'task' }],
        },
      } as never);
      await h.zbc.publishMessage({
        name: 'mig-stop',
        correlationKey: 'G1',
        variables: {},
        timeToLive: 0,
      } as never);
      const [stopped] = await activate(h.zbc, 'mig-stopped');
      expect((stopped as { processDefinitionKey?: string }).processDefinitionKey).toBe(target);
      // The old job was terminated with its element, keeping its type until then.
      await expect(h.zbc.completeJob({ jobKey: job.key, variables: {} } as never)).rejects.toThrow(
        /NOT_FOUND/,
      );
      await h.zbc.completeJob({ jobKey: stopped.key, variables: {} } as never);
      await historyOf(pi.processInstanceKey, (d) => d.instance.state === 'COMPLETED');
    });

    it('answers NOT_FOUND, INVALID_ARGUMENT and FAILED_PRECONDITION as the gateway docs say', async () => {
      await deploy(h.zbc, 'mig.bpmn', v1());
      const pi = await h.zbc.createProcessInstance({
        bpmnProcessId: 'mig',
        variables: {},
      } as never);
      await activate(h.zbc, 'mig-work');
      const sameShape = definitionKey(
        await deploy(h.zbc, 'mig.bpmn', v1('<bpmn:task id="extra"/>')),
      );
      const userTask = definitionKey(
        await deploy(
          h.zbc,
          'mig-user.bpmn',
          bpmn(
            'mig-user',
            `<bpmn:startEvent id="s"/><bpmn:userTask id="work"/><bpmn:endEvent id="e"/>${chain(['s', 'work', 'e'])}`,
          ),
        ),
      );
      const migrate = (targetProcessDefinitionKey: string, mappingInstructions: unknown[]) =>
        h.zbc.migrateProcessInstance({
          processInstanceKey: pi.processInstanceKey,
          migrationPlan: { targetProcessDefinitionKey, mappingInstructions },
        } as never);
      await expect(migrate('2251799813699999', [])).rejects.toThrow(/NOT_FOUND/);
      await expect(
        migrate(sameShape, [{ sourceElementId: 'missing', targetElementId: 'work' }]),
      ).rejects.toThrow(/INVALID_ARGUMENT/);
      await expect(
        migrate(sameShape, [{ sourceElementId: 'work', targetElementId: 'missing' }]),
      ).rejects.toThrow(/INVALID_ARGUMENT/);
      await expect(
        migrate(sameShape, [
          { sourceElementId: 'work', targetElementId: 'work' },
          { sourceElementId: 'work', targetElementId: 'extra' },
        ]),
      ).rejects.toThrow(/INVALID_ARGUMENT/);
      // An active element without a mapping.
      await expect(migrate(sameShape, [])).rejects.toThrow(/FAILED_PRECONDITION/);
      // A mapping that changes the element type.
      await expect(
        migrate(userTask, [{ sourceElementId: 'work', targetElementId: 'work' }]),
      ).rejects.toThrow(/FAILED_PRECONDITION/);
      await expect(
        migrate(sameShape, [{ sourceElementId: 'work', targetElementId: 'extra' }]),
      ).rejects.toThrow(/FAILED_PRECONDITION/);
      // The instance is unchanged and still migrates with a valid plan.
      await migrate(sameShape, [{ sourceElementId: 'work', targetElementId: 'work' }]);
      await h.zbc.cancelProcessInstance(pi.processInstanceKey);
    });

    it('refuses to migrate a child process instance or an element with a timer boundary', async () => {
      await deploy(h.zbc, 'mig-child.bpmn', v1());
      await deploy(
        h.zbc,
        'mig-parent.bpmn',
        bpmn(
          'mig-parent',
          `<bpmn:startEvent id="s"/><bpmn:callActivity id="call"><bpmn:extensionElements><zeebe:calledElement processId="mig"/></bpmn:extensionElements></bpmn:callActivity><bpmn:endEvent id="e"/>${chain(['s', 'call', 'e'])}`,
        ),
      );
      const parent = await h.zbc.createProcessInstance({
        bpmnProcessId: 'mig-parent',
        variables: {},
      } as never);
      const [childJob] = await activate(h.zbc, 'mig-work');
      const timerTarget = definitionKey(
        await deploy(
          h.zbc,
          'mig-timer.bpmn',
          bpmn(
            'mig-timer',
            `<bpmn:startEvent id="s"/>${serviceTask('work', 'mig-work')}
             <bpmn:boundaryEvent id="late" attachedToRef="work"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
             <bpmn:endEvent id="e"/><bpmn:endEvent id="e2"/>${chain(['s', 'work', 'e'])}${flow('f', 'late', 'e2')}`,
          ),
        ),
      );
      const plan = {
        targetProcessDefinitionKey: timerTarget,
        mappingInstructions: [{ sourceElementId: 'work', targetElementId: 'work' }],
      };
      await expect(
        h.zbc.migrateProcessInstance({
          processInstanceKey: childJob.processInstanceKey,
          migrationPlan: plan,
        } as never),
      ).rejects.toThrow(/FAILED_PRECONDITION/);
      const root = await h.zbc.createProcessInstance({
        bpmnProcessId: 'mig',
        variables: {},
      } as never);
      await expect(
        h.zbc.migrateProcessInstance({
          processInstanceKey: root.processInstanceKey,
          migrationPlan: plan,
        } as never),
      ).rejects.toThrow(/FAILED_PRECONDITION/);
      await h.zbc.cancelProcessInstance(parent.processInstanceKey);
      await h.zbc.cancelProcessInstance(root.processInstanceKey);
    });
  });
});
