import { evaluateDecision, parseDmn } from '../../../src/engine/dmn';

// A 100-rule table as analysts write them for fee schedules: a category and an amount band
// per rule. Built here rather than stored, to keep the fixture folder readable.
function feeScheduleXml(ruleCount: number): string {
  const rules = Array.from({ length: ruleCount }, (_, i) => {
    const category = i % 2 === 0 ? '"works","services"' : 'not("works","services")';
    return `      <rule id="fee_${i + 1}">
        <inputEntry id="fee_${i + 1}_category"><text>${category}</text></inputEntry>
        <inputEntry id="fee_${i + 1}_amount"><text>[${i * 1000}..${(i + 1) * 1000})</text></inputEntry>
        <inputEntry id="fee_${i + 1}_since"><text>&gt;= date("2026-01-01")</text></inputEntry>
        <outputEntry id="fee_${i + 1}_fee"><text>${i * 10}</text></outputEntry>
        <outputEntry id="fee_${i + 1}_due"><text>date("2026-12-31")</text></outputEntry>
      </rule>`;
  }).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="Definitions_fees" name="Fees" namespace="http://camunda.org/schema/1.0/dmn">
  <decision id="fee" name="Fee">
    <decisionTable id="fee_table" hitPolicy="FIRST">
      <input id="in_category" label="Category"><inputExpression id="ie_category" typeRef="string"><text>category</text></inputExpression></input>
      <input id="in_amount" label="Amount"><inputExpression id="ie_amount" typeRef="number"><text>amount</text></inputExpression></input>
      <input id="in_since" label="Request date"><inputExpression id="ie_since" typeRef="date"><text>date(requestDate)</text></inputExpression></input>
      <output id="out_fee" name="fee" typeRef="number" />
      <output id="out_due" name="due" typeRef="date" />
${rules}
    </decisionTable>
  </decision>
</definitions>`;
}

describe('a 100-rule decision table', () => {
  it('parses and finds the right rule among 100', async () => {
    const drg = await parseDmn(feeScheduleXml(100), 'fees.dmn');
    expect(drg.decisions[0].decisionTable?.rules).toHaveLength(100);
    const context = { category: 'supplies', amount: 97_500, requestDate: '2026-05-04' };
    const result = evaluateDecision(drg, 'fee', context);
    expect(result.output).toEqual({ fee: 970, due: '2026-12-31' });
    expect(result.evaluatedDecisions[0].matchedRules[0]).toMatchObject({
      ruleId: 'fee_98',
      ruleIndex: 98,
    });
  });

  it('matches no rule when a later input does not fit', async () => {
    const drg = await parseDmn(feeScheduleXml(100), 'fees.dmn');
    const context = { category: 'works', amount: 500, requestDate: '2025-05-04' };
    expect(evaluateDecision(drg, 'fee', context).output).toBeNull();
  });
});

describe('ParsedDrg', () => {
  it('is rebuilt identically from the same XML, and survives a JSON round trip', async () => {
    const xml = feeScheduleXml(10);
    const first = await parseDmn(xml, 'fees.dmn');
    const second = await parseDmn(xml, 'fees.dmn');
    expect(second).toEqual(first);
    const restored = JSON.parse(JSON.stringify(first));
    const context = { category: 'works', amount: 4_200, requestDate: '2026-02-01' };
    expect(evaluateDecision(restored, 'fee', context)).toEqual(
      evaluateDecision(first, 'fee', context),
    );
  });
});
