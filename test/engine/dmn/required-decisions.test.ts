import { evaluateDecision, parseDmn, type ParsedDrg } from '../../../src/engine/dmn';
import { parseFixture } from './dmn-fixtures';

// summary requires amount_band and amount_net; amount_band requires amount_net;
// amount_net requires vat_rate. All but amount_band are literal expressions, whose
// results dependent decisions read by their variable names (vatRate, amountNet).
let drg: ParsedDrg;
beforeAll(async () => {
  drg = await parseFixture('required-decisions.dmn');
});

describe('decision requirements graph', () => {
  it('parses the DRG with its decisions and their requirements', () => {
    expect(drg.id).toBe('Definitions_required');
    expect(drg.name).toBe('Required decisions');
    expect(drg.namespace).toBe('http://camunda.org/schema/1.0/dmn');
    expect(drg.decisions.map((d) => [d.id, d.type, d.requiredDecisionIds])).toEqual([
      ['vat_rate', 'LITERAL_EXPRESSION', []],
      ['amount_net', 'LITERAL_EXPRESSION', ['vat_rate']],
      ['amount_band', 'DECISION_TABLE', ['amount_net']],
      ['summary', 'LITERAL_EXPRESSION', ['amount_band', 'amount_net']],
    ]);
  });

  it('evaluates required decisions first, each once, the requested decision last', () => {
    const result = evaluateDecision(drg, 'summary', { grossAmount: 1220 });
    expect(result.failedDecisionId).toBeUndefined();
    expect(result.evaluatedDecisions.map((d) => d.decisionId)).toEqual([
      'vat_rate',
      'amount_net',
      'amount_band',
      'summary',
    ]);
  });

  it("binds each required decision's output under its result name, three levels deep", () => {
    const result = evaluateDecision(drg, 'summary', { grossAmount: 1220 });
    expect(result.output).toEqual({ band: 'large', net: 1000, decidedOn: '2026-11-26' });
    const band = result.evaluatedDecisions.find((d) => d.decisionId === 'amount_band');
    expect(band?.evaluatedInputs).toEqual([
      { inputId: 'amount_band_in_net', inputName: 'Amount net', inputValue: 1000 },
    ]);
    expect(evaluateDecision(drg, 'summary', { grossAmount: 122 }).output).toMatchObject({
      band: 'small',
    });
  });

  it('evaluates only what the requested decision requires', () => {
    const result = evaluateDecision(drg, 'amount_net', { grossAmount: 244 });
    expect(result.output).toBe(200);
    expect(result.evaluatedDecisions.map((d) => d.decisionId)).toEqual(['vat_rate', 'amount_net']);
  });
});

describe('result names of required decisions', () => {
  const dmn = (
    requiredLogic: string,
    dependentText: string,
  ) => `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="names" name="names" namespace="http://test">
  <decision id="rate_decision" name="Rate">${requiredLogic}</decision>
  <decision id="total" name="Total">
    <informationRequirement id="ir"><requiredDecision href="#rate_decision" /></informationRequirement>
    <variable name="total" />
    <literalExpression><text>${dependentText}</text></literalExpression>
  </decision>
</definitions>`;

  it('a literal expression result is visible under its variable name, not under its id', async () => {
    const literal =
      '<variable name="rate" /><literalExpression><text>0.22</text></literalExpression>';
    const byName = await parseDmn(dmn(literal, 'rate * 100'), 'names.dmn');
    expect(evaluateDecision(byName, 'total', {}).output).toBe(22);
    const byId = await parseDmn(dmn(literal, 'rate_decision'), 'names.dmn');
    expect(evaluateDecision(byId, 'total', {}).output).toBeNull();
  });

  it('a literal expression without a variable is visible under its id', async () => {
    const literal = '<literalExpression><text>0.22</text></literalExpression>';
    const drg = await parseDmn(dmn(literal, 'rate_decision * 100'), 'names.dmn');
    expect(evaluateDecision(drg, 'total', {}).output).toBe(22);
  });

  it('a decision table result is visible under the decision id', async () => {
    const table = `<decisionTable hitPolicy="FIRST">
      <input id="i"><inputExpression><text>amount</text></inputExpression></input>
      <output id="o" name="rate" />
      <rule id="r1"><inputEntry><text>&lt; 1000</text></inputEntry><outputEntry><text>0.1</text></outputEntry></rule>
      <rule id="r2"><inputEntry><text>-</text></inputEntry><outputEntry><text>0.22</text></outputEntry></rule>
    </decisionTable>`;
    const drg = await parseDmn(dmn(table, 'rate_decision * 100'), 'names.dmn');
    expect(evaluateDecision(drg, 'total', { amount: 5000 }).output).toBe(22);
    expect(evaluateDecision(drg, 'total', { amount: 10 }).output).toBe(10);
  });
});

describe('literal expression decisions', () => {
  it('output the value of the expression', () => {
    const result = evaluateDecision(drg, 'vat_rate', {});
    expect(result.output).toBe(0.22);
    expect(result.evaluatedDecisions).toEqual([
      {
        decisionId: 'vat_rate',
        decisionName: 'VAT rate',
        decisionType: 'LITERAL_EXPRESSION',
        output: 0.22,
        matchedRules: [],
        evaluatedInputs: [],
      },
    ]);
  });

  it('turn FEEL dates in the output into ISO strings, so the output is JSON', () => {
    const { output } = evaluateDecision(drg, 'summary', { grossAmount: 1220 });
    expect(JSON.parse(JSON.stringify(output))).toEqual(output);
    expect((output as { decidedOn: unknown }).decidedOn).toBe('2026-11-26');
  });
});

describe('unknown decisions', () => {
  it('throw an error naming the decision id', () => {
    expect(() => evaluateDecision(drg, 'no_such_decision', {})).toThrow(/no_such_decision/);
  });
});
