/**
 * Hostile input, family "FEEL": a 200,000-term expression in any expression slot is
 * refused at deploy with INVALID_ARGUMENT naming the element and the limit; an expression that would iterate 20,000,000 times becomes an incident on its
 * element (or a failed EvaluateDecision) instead of stalling the engine. In every case
 * the innocent province's instance, started alongside, completes.
 */
import * as grpc from '@grpc/grpc-js';
import { bpmn, chain, flow } from '../support/bpmn-xml';
import { eventually, incidents } from '../engine/support';
import { expectRefused, startHostileHarness, type HostileHarness } from './support/hostile-harness';

const HUGE = Array(200_000).fill('1').join('+'); // 200,000 terms, 400 KB
const ENDLESS = 'count(for i in 1..20000000 return i)';

let h: HostileHarness;
beforeAll(async () => {
  h = await startHostileHarness();
});
afterAll(async () => {
  await h?.close();
});

function deploy(name: string, xml: string) {
  return h.raw.call('DeployResource', {
    resources: [{ name, content: Buffer.from(xml) }],
    tenantId: 'hostile',
  });
}

const ext = (inner: string) => `<bpmn:extensionElements>${inner}</bpmn:extensionElements>`;
const task = (id: string, inner: string, type = 'work') =>
  `<bpmn:serviceTask id="${id}">${ext(`<zeebe:taskDefinition type="${type}"/>${inner}`)}</bpmn:serviceTask>`;
const around = (id: string, element: string, extra = '') =>
  bpmn(
    `p_${id}`,
    `<bpmn:startEvent id="s"/>${element}<bpmn:endEvent id="e"/>${chain(['s', id, 'e'])}`,
    extra,
  );

/** One model per expression slot, with the huge expression in that slot of element `id`. */
const SLOTS: Record<string, (e: string) => string> = {
  assignee: (e) =>
    around(
      'slot_assignee',
      `<bpmn:userTask id="slot_assignee">${ext(`<zeebe:assignmentDefinition assignee="=${e}"/>`)}</bpmn:userTask>`,
    ),
  'candidate groups': (e) =>
    around(
      'slot_groups',
      `<bpmn:userTask id="slot_groups">${ext(`<zeebe:assignmentDefinition candidateGroups="=${e}"/>`)}</bpmn:userTask>`,
    ),
  timer: (e) =>
    around(
      'slot_timer',
      `<bpmn:intermediateCatchEvent id="slot_timer"><bpmn:timerEventDefinition><bpmn:timeDuration>=${e}</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>`,
    ),
  'task type': (e) => around('slot_type', task('slot_type', '', `=${e}`)),
  retries: (e) =>
    around(
      'slot_retries',
      `<bpmn:serviceTask id="slot_retries">${ext(`<zeebe:taskDefinition type="w" retries="=${e}"/>`)}</bpmn:serviceTask>`,
    ),
  condition: (e) =>
    bpmn(
      'p_condition',
      `<bpmn:startEvent id="s"/><bpmn:exclusiveGateway id="g" default="slot_default"/><bpmn:endEvent id="e1"/><bpmn:endEvent id="e2"/>` +
        flow('f0', 's', 'g') +
        flow('slot_condition', 'g', 'e1', `=${e} &gt; 1`) +
        flow('slot_default', 'g', 'e2'),
    ),
  'input mapping': (e) =>
    around(
      'slot_mapping',
      task(
        'slot_mapping',
        `<zeebe:ioMapping><zeebe:input source="=${e}" target="x"/></zeebe:ioMapping>`,
      ),
    ),
  'output mapping': (e) =>
    around(
      'slot_output',
      task(
        'slot_output',
        `<zeebe:ioMapping><zeebe:output source="=${e}" target="x"/></zeebe:ioMapping>`,
      ),
    ),
  'message name': (e) =>
    around(
      'slot_message',
      `<bpmn:receiveTask id="slot_message" messageRef="m"/>`,
      `<bpmn:message id="m" name="=${e}">${ext('<zeebe:subscription correlationKey="=key"/>')}</bpmn:message>`,
    ),
  'correlation key': (e) =>
    around(
      'slot_key',
      `<bpmn:receiveTask id="slot_key" messageRef="m"/>`,
      `<bpmn:message id="m" name="pratica">${ext(`<zeebe:subscription correlationKey="=${e}"/>`)}</bpmn:message>`,
    ),
  'multi-instance': (e) =>
    around(
      'slot_multi',
      `<bpmn:serviceTask id="slot_multi">${ext('<zeebe:taskDefinition type="w"/>')}<bpmn:multiInstanceLoopCharacteristics>${ext(
        `<zeebe:loopCharacteristics inputCollection="=${e}" inputElement="item"/>`,
      )}</bpmn:multiInstanceLoopCharacteristics></bpmn:serviceTask>`,
    ),
  'called decision': (e) =>
    around(
      'slot_decision',
      `<bpmn:businessRuleTask id="slot_decision">${ext(`<zeebe:calledDecision decisionId="=${e}" resultVariable="r"/>`)}</bpmn:businessRuleTask>`,
    ),
};

const ELEMENT_OF: Record<string, string> = {
  assignee: 'slot_assignee',
  'candidate groups': 'slot_groups',
  timer: 'slot_timer',
  'task type': 'slot_type',
  retries: 'slot_retries',
  condition: 'slot_condition',
  'input mapping': 'slot_mapping',
  'output mapping': 'slot_output',
  'message name': 'slot_message',
  'correlation key': 'slot_key',
  'multi-instance': 'slot_multi',
  'called decision': 'slot_decision',
};

describe('a 200,000-term expression is refused at deploy', () => {
  for (const [slot, model] of Object.entries(SLOTS)) {
    it(`in the ${slot}: INVALID_ARGUMENT naming the element and the limit`, async () => {
      await expectRefused(h, () => deploy(`${slot}.bpmn`, model(HUGE)), {
        code: grpc.status.INVALID_ARGUMENT,
        mentions: [`'${ELEMENT_OF[slot]}'`, /more than the limit of 4096 characters/],
      });
    });
  }

  it('does not echo the expression whole', async () => {
    const refusal = (await deploy('echo.bpmn', SLOTS.condition(HUGE)).catch(
      (e) => e,
    )) as grpc.ServiceError;
    expect(refusal.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(refusal.details.length).toBeLessThan(2000);
  });

  it('the same models with a small expression deploy', async () => {
    for (const [slot, model] of Object.entries(SLOTS)) {
      await expect(deploy(`${slot}-ok.bpmn`, model('&quot;a&quot;'))).resolves.toBeDefined();
    }
  });

  it('in a DMN decision: INVALID_ARGUMENT naming the decision and the limit', async () => {
    const dmn = decision('huge', HUGE);
    await expectRefused(h, () => deploy('huge.dmn', dmn), {
      code: grpc.status.INVALID_ARGUMENT,
      mentions: ['huge_decision', /more than the limit of 4096 characters/],
    });
  });

  it('refuses a calledDecision id that is not valid FEEL', async () => {
    await expectRefused(h, () => deploy('bad-decision.bpmn', SLOTS['called decision']('1 +')), {
      code: grpc.status.INVALID_ARGUMENT,
      mentions: ["'slot_decision'", 'invalid FEEL expression'],
    });
  });
});

/** A DRG with one literal expression decision `<name>_decision`. */
function decision(name: string, text: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="${name}_drg" name="${name}" namespace="http://test">
  <decision id="${name}_decision" name="${name}"><variable name="${name}_decision"/><literalExpression><text>${text}</text></literalExpression></decision>
</definitions>`;
}

describe('an expression that would iterate 20,000,000 times', () => {
  it('in an input mapping becomes an incident on its element; other instances go on', async () => {
    const mapping = `<zeebe:ioMapping><zeebe:input source="=${ENDLESS}" target="n"/></zeebe:ioMapping>`;
    await deploy('endless.bpmn', around('endless_task', task('endless_task', mapping)));
    const [created] = await Promise.all([
      h.raw.call('CreateProcessInstance', {
        bpmnProcessId: 'p_endless_task',
        version: -1,
        tenantId: 'hostile',
      }),
      h.innocentInstance(),
    ]);
    const key = String(created.processInstanceKey);
    const [incident] = await eventually(async () => {
      const open = await incidents(h.running.engine, key);
      return open.length > 0 ? open : undefined;
    });
    expect(incident.value).toMatchObject({
      errorType: 'IO_MAPPING_ERROR',
      elementId: 'endless_task',
    });
    expect(String(incident.value.errorMessage)).toMatch(/more than 100000 steps/);
  });

  it('in a decision is a failed evaluation with a clear message; other instances go on', async () => {
    await deploy('endless.dmn', decision('endless', ENDLESS));
    const [response] = await Promise.all([
      h.raw.call('EvaluateDecision', {
        decisionId: 'endless_decision',
        variables: '{}',
        tenantId: 'hostile',
      }),
      h.innocentInstance(),
    ]);
    // Stopped by the step bound (not by running to the end): the message says so.
    expect(response.failedDecisionId).toBe('endless_decision');
    expect(String(response.failureMessage)).toMatch(/more than 100000 steps/);
  });
});
