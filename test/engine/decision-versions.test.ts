/**
 * Issue 8, defect 2: EvaluateDecision by decisionKey evaluates the version the key names,
 * not the latest one (also its required decisions come from that version's DRG).
 */
import { startTestEngine, type TestEngine } from './support';

const drg = (output: string) => `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="drg_fee" name="Fee" namespace="http://camunda.org/schema/1.0/dmn">
  <decision id="base" name="Base">
    <literalExpression id="le"><text>"${output}"</text></literalExpression>
  </decision>
  <decision id="fee" name="Fee">
    <informationRequirement id="ir"><requiredDecision href="#base" /></informationRequirement>
    <decisionTable id="dt" hitPolicy="FIRST">
      <input id="in1" label="Base"><inputExpression id="ie1" typeRef="string"><text>base</text></inputExpression></input>
      <output id="out1" name="fee" typeRef="string" />
      <rule id="r1"><inputEntry id="e1"><text>-</text></inputEntry><outputEntry id="o1"><text>base + " fee"</text></outputEntry></rule>
    </decisionTable>
  </decision>
</definitions>`;

describe('EvaluateDecision by key', () => {
  let t: TestEngine;
  beforeAll(async () => {
    t = await startTestEngine();
  });
  afterAll(() => t.close());

  it('evaluates the version the key names, with that version’s required decisions', async () => {
    const v1 = await t.engine.deployResource({
      resources: [{ name: 'fee.dmn', content: drg('v1') }],
    });
    await t.engine.deployResource({ resources: [{ name: 'fee.dmn', content: drg('v2') }] });
    const feeV1 = v1.deployments.find((d) => 'decision' in d && d.decision.dmnDecisionId === 'fee');
    const key = feeV1 && 'decision' in feeV1 ? feeV1.decision.decisionKey : '';

    const byKey = await t.engine.evaluateDecision({ decisionKey: key });
    expect(JSON.parse(byKey.decisionOutput)).toBe('v1 fee');
    expect(byKey).toMatchObject({ decisionKey: key, decisionVersion: 1 });
    const base = byKey.evaluatedDecisions.find((d) => d.decisionId === 'base');
    expect(base).toMatchObject({ decisionVersion: 1, decisionOutput: '"v1"' });

    const latest = await t.engine.evaluateDecision({ decisionId: 'fee' });
    expect(JSON.parse(latest.decisionOutput)).toBe('v2 fee');
    expect(latest.decisionVersion).toBe(2);
  });
});
