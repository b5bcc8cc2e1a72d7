/**
 * Issue 8, defect 1: every key-addressed command checks the tenant and the ownership of
 * every key it is given. The same model is deployed for two provinces (Ravenna 039,
 * Prato 100); a caller authorized for Ravenna only must not reach Prato's instance through
 * any key, and no key of one instance may steer another.
 */
import { EngineError, type CallContext } from '../../src/engine';
import {
  bpmn,
  chain,
  deploy,
  eventually,
  records,
  serviceTask,
  startTestEngine,
  trail,
  type TestEngine,
} from './support';

const RA: CallContext = { authorizedTenants: ['039'] };

const model = bpmn(
  'shared',
  `<bpmn:startEvent id="s" />
   <bpmn:subProcess id="sub">
     <bpmn:startEvent id="subStart" />
     ${serviceTask('inner', 'inner-work')}
     ${serviceTask('extra', 'extra-work')}
     <bpmn:endEvent id="subEnd" />
     ${chain(['subStart', 'inner', 'subEnd'])}
     <bpmn:sequenceFlow id="fx" sourceRef="extra" targetRef="subEnd" />
   </bpmn:subProcess>
   <bpmn:endEvent id="e" />
   ${chain(['s', 'sub', 'e'])}`,
);

const decision = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="drg_t" name="T" namespace="http://camunda.org/schema/1.0/dmn">
  <decision id="answer" name="Answer"><literalExpression id="le"><text>42</text></literalExpression></decision>
</definitions>`;

async function expectRefused(p: Promise<unknown>, code: string, message: RegExp): Promise<void> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(EngineError);
  expect(err).toMatchObject({ code });
  expect((err as Error).message).toMatch(message);
}

describe('tenant isolation of key-addressed commands', () => {
  let t: TestEngine;
  const keys = {} as Record<
    'defRa' | 'defPo' | 'piRa' | 'piRa2' | 'piPo' | 'subRa' | 'subRa2' | 'subPo' | 'jobPo',
    string
  > & { decisionPo: string; incidentPo: string; drgPo: string };

  async function subOf(pi: string): Promise<string> {
    const r = await eventually(async () =>
      (
        await records(t.engine, { valueType: 'PROCESS_INSTANCE', intent: 'ELEMENT_ACTIVATED' })
      ).find((x) => x.value.elementId === 'sub' && String(x.value.processInstanceKey) === pi),
    );
    return String(r.key);
  }

  beforeAll(async () => {
    t = await startTestEngine();
    const ra = await deploy(t.engine, 'shared.bpmn', model, '039');
    const po = await deploy(t.engine, 'shared.bpmn', model, '100');
    const procOf = (d: typeof ra) =>
      (d.deployments[0] as { process: { processDefinitionKey: string } }).process;
    keys.defRa = procOf(ra).processDefinitionKey;
    keys.defPo = procOf(po).processDefinitionKey;
    keys.piRa = (
      await t.engine.createProcessInstance({ bpmnProcessId: 'shared', tenantId: '039' })
    ).processInstanceKey;
    keys.piRa2 = (
      await t.engine.createProcessInstance({ bpmnProcessId: 'shared', tenantId: '039' })
    ).processInstanceKey;
    keys.piPo = (
      await t.engine.createProcessInstance({ bpmnProcessId: 'shared', tenantId: '100' })
    ).processInstanceKey;
    keys.subRa = await subOf(keys.piRa);
    keys.subRa2 = await subOf(keys.piRa2);
    keys.subPo = await subOf(keys.piPo);
    const jobs = await t.engine.activateJobs({
      type: 'inner-work',
      timeout: 600_000,
      maxJobsToActivate: 10,
      tenantIds: ['100'],
    });
    keys.jobPo = jobs[0].key;
    const dmn = await t.engine.deployResource({
      resources: [{ name: 't.dmn', content: decision }],
      tenantId: '100',
    });
    for (const d of dmn.deployments) {
      if ('decision' in d) keys.decisionPo = d.decision.decisionKey;
      if ('decisionRequirements' in d) keys.drgPo = d.decisionRequirements.decisionRequirementsKey;
    }
    // An incident in Prato's instance: a second job out of retries.
    const inc = await t.engine.createProcessInstance({ bpmnProcessId: 'shared', tenantId: '100' });
    const [job2] = (
      await t.engine.activateJobs({
        type: 'inner-work',
        timeout: 600_000,
        maxJobsToActivate: 10,
        tenantIds: ['100'],
      })
    ).filter((j) => j.processInstanceKey === inc.processInstanceKey);
    await t.engine.failJob({ jobKey: job2.key, retries: 0, errorMessage: 'down' });
    keys.incidentPo = String(
      (await eventually(async () => (await records(t.engine, { valueType: 'INCIDENT' }))[0])).key,
    );
  });
  afterAll(() => t.close());

  it('refuses to activate an element in an ancestor scope of another tenant’s instance', async () => {
    const before = await trail(t.engine, keys.piPo);
    await expectRefused(
      t.engine.modifyProcessInstance(
        {
          processInstanceKey: keys.piRa,
          activateInstructions: [{ elementId: 'extra', ancestorElementInstanceKey: keys.subPo }],
        },
        RA,
      ),
      'INVALID_ARGUMENT',
      new RegExp(
        `'${keys.subPo}' is not an active flow scope .* in process instance '${keys.piRa}'`,
      ),
    );
    expect(await trail(t.engine, keys.piPo)).toEqual(before);
    expect(t.engine.health().status).toBe('ok');
  });

  it('refuses an ancestor scope of another instance of the same tenant', async () => {
    const before = await trail(t.engine, keys.piRa2);
    await expectRefused(
      t.engine.modifyProcessInstance({
        processInstanceKey: keys.piRa,
        activateInstructions: [{ elementId: 'extra', ancestorElementInstanceKey: keys.subRa2 }],
      }),
      'INVALID_ARGUMENT',
      new RegExp(`'${keys.subRa2}' is not an active flow scope`),
    );
    expect(await trail(t.engine, keys.piRa2)).toEqual(before);
  });

  it('activates in the instance’s own ancestor scope', async () => {
    await t.engine.modifyProcessInstance({
      processInstanceKey: keys.piRa,
      activateInstructions: [{ elementId: 'extra', ancestorElementInstanceKey: keys.subRa }],
    });
    await eventually(async () =>
      (await trail(t.engine, keys.piRa)).includes('extra:ELEMENT_ACTIVATED'),
    );
  });

  it('refuses a terminate instruction for an element of another instance', async () => {
    await expectRefused(
      t.engine.modifyProcessInstance(
        {
          processInstanceKey: keys.piRa,
          terminateInstructions: [{ elementInstanceKey: keys.subPo }],
        },
        RA,
      ),
      'INVALID_ARGUMENT',
      new RegExp(`'${keys.subPo}'`),
    );
  });

  it('answers NOT_FOUND for every key of the other tenant', async () => {
    const notFound = /not found|no such|none found|no .* found/i;
    const calls: [string, () => Promise<unknown>][] = [
      ['cancel', () => t.engine.cancelProcessInstance({ processInstanceKey: keys.piPo }, RA)],
      [
        'set variables',
        () => t.engine.setVariables({ elementInstanceKey: keys.subPo, variables: { x: 1 } }, RA),
      ],
      [
        'modify',
        () =>
          t.engine.modifyProcessInstance(
            { processInstanceKey: keys.piPo, activateInstructions: [{ elementId: 'extra' }] },
            RA,
          ),
      ],
      [
        'migrate',
        () =>
          t.engine.migrateProcessInstance(
            {
              processInstanceKey: keys.piPo,
              migrationPlan: { targetProcessDefinitionKey: keys.defRa, mappingInstructions: [] },
            },
            RA,
          ),
      ],
      [
        'migrate to a definition of the other tenant',
        () =>
          t.engine.migrateProcessInstance(
            {
              processInstanceKey: keys.piRa,
              migrationPlan: { targetProcessDefinitionKey: keys.defPo, mappingInstructions: [] },
            },
            RA,
          ),
      ],
      ['complete job', () => t.engine.completeJob({ jobKey: keys.jobPo }, RA)],
      ['fail job', () => t.engine.failJob({ jobKey: keys.jobPo, retries: 1 }, RA)],
      ['throw error', () => t.engine.throwError({ jobKey: keys.jobPo, errorCode: 'x' }, RA)],
      ['update retries', () => t.engine.updateJobRetries({ jobKey: keys.jobPo, retries: 5 }, RA)],
      ['update timeout', () => t.engine.updateJobTimeout({ jobKey: keys.jobPo, timeout: 1 }, RA)],
      ['resolve incident', () => t.engine.resolveIncident({ incidentKey: keys.incidentPo }, RA)],
      ['delete process', () => t.engine.deleteResource({ resourceKey: keys.defPo }, RA)],
      [
        'delete decision requirements',
        () => t.engine.deleteResource({ resourceKey: keys.drgPo }, RA),
      ],
      ['evaluate decision', () => t.engine.evaluateDecision({ decisionKey: keys.decisionPo }, RA)],
      [
        'create instance by definition key',
        () => t.engine.createProcessInstance({ processDefinitionKey: keys.defPo }, RA),
      ],
    ];
    for (const [what, call] of calls) {
      const err = await call().then(
        () => new Error(`${what}: accepted`),
        (e: unknown) => e,
      );
      expect([what, err]).toEqual([what, expect.objectContaining({ code: 'NOT_FOUND' })]);
      expect([what, (err as Error).message]).toEqual([what, expect.stringMatching(notFound)]);
    }
    // Prato's job is still active and its worker can complete it.
    await t.engine.completeJob({ jobKey: keys.jobPo });
  });

  it('answers NOT_FOUND when a definition or decision key does not belong to the given tenant', async () => {
    await expectRefused(
      t.engine.createProcessInstance({ processDefinitionKey: keys.defPo, tenantId: '039' }),
      'NOT_FOUND',
      new RegExp(`'${keys.defPo}'`),
    );
    await expectRefused(
      t.engine.evaluateDecision({ decisionKey: keys.decisionPo, tenantId: '039' }),
      'NOT_FOUND',
      /no decision found/,
    );
  });
});
