import { evaluateDecision, parseDmn } from '../../../src/engine/dmn';
import { readFixture } from './dmn-fixtures';

const DMN13 = 'https://www.omg.org/spec/DMN/20191111/MODEL/';

/** A one-decision DRG around the given decision table body. */
function tableXml(attributes: string, body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="${DMN13}" id="Definitions_edge" namespace="http://camunda.org/schema/1.0/dmn">
  <decision id="edge">
    <decisionTable id="edge_table" ${attributes}>
${body}
    </decisionTable>
  </decision>
</definitions>`;
}

describe('edge cases', () => {
  it('names a DRG and a decision without a name after their ids', async () => {
    const drg = await parseDmn(
      tableXml(
        '',
        '<output id="o" name="x" /><rule id="r"><outputEntry id="oe"><text>1</text></outputEntry></rule>',
      ),
      'edge.dmn',
    );
    expect(drg.name).toBe('Definitions_edge');
    expect(drg.decisions[0].name).toBe('edge');
  });

  it('matches every rule of a table without inputs', async () => {
    const drg = await parseDmn(
      tableXml(
        'hitPolicy="COLLECT"',
        `<output id="o" name="x" />
         <rule id="r1"><outputEntry id="oe1"><text>"a"</text></outputEntry></rule>
         <rule id="r2"><outputEntry id="oe2"><text>"b"</text></outputEntry></rule>`,
      ),
      'edge.dmn',
    );
    expect(evaluateDecision(drg, 'edge', {}).output).toEqual(['a', 'b']);
  });

  it('gives outputs missing from the PRIORITY list the lowest priority', async () => {
    const drg = await parseDmn(
      tableXml(
        'hitPolicy="PRIORITY"',
        `<output id="o" name="x"><outputValues id="ov"><text>"gold","silver"</text></outputValues></output>
         <rule id="r1"><outputEntry id="oe1"><text>"bronze"</text></outputEntry></rule>
         <rule id="r2"><outputEntry id="oe2"><text>"silver"</text></outputEntry></rule>`,
      ),
      'edge.dmn',
    );
    expect(evaluateDecision(drg, 'edge', {}).output).toBe('silver');
  });

  it('keeps rule order under PRIORITY and OUTPUT ORDER when no output values are given', async () => {
    const rules = `<output id="o" name="x" />
         <rule id="r1"><outputEntry id="oe1"><text>"b"</text></outputEntry></rule>
         <rule id="r2"><outputEntry id="oe2"><text>"a"</text></outputEntry></rule>`;
    const priority = await parseDmn(tableXml('hitPolicy="PRIORITY"', rules), 'edge.dmn');
    const ordered = await parseDmn(tableXml('hitPolicy="OUTPUT ORDER"', rules), 'edge.dmn');
    expect(evaluateDecision(priority, 'edge', {}).output).toBe('b');
    expect(evaluateDecision(ordered, 'edge', {}).output).toEqual(['b', 'a']);
  });

  it('takes MIN and MAX of text outputs, and skips null outputs in SUM', async () => {
    const rules = (agg: string, a: string, b: string) =>
      tableXml(
        `hitPolicy="COLLECT" aggregation="${agg}"`,
        `<output id="o" name="x" />
         <rule id="r1"><outputEntry id="oe1"><text>${a}</text></outputEntry></rule>
         <rule id="r2"><outputEntry id="oe2"><text>${b}</text></outputEntry></rule>`,
      );
    const min = await parseDmn(rules('MIN', '"beta"', '"alpha"'), 'edge.dmn');
    const sum = await parseDmn(rules('SUM', '5', ''), 'edge.dmn');
    expect(evaluateDecision(min, 'edge', {}).output).toBe('alpha');
    expect(evaluateDecision(sum, 'edge', {}).output).toBe(5);
  });

  it('accepts a byte order mark before the XML declaration', async () => {
    const drg = await parseDmn(`\uFEFF${readFixture('dish-dmn11.dmn')}`, 'bom.dmn');
    expect(evaluateDecision(drg, 'dish', { season: 'Winter' }).output).toBe('Roastbeef');
  });

  it('rejects two outputs with the same name', async () => {
    const xml = tableXml(
      '',
      `<output id="o1" name="x" /><output id="o2" name="x" />
       <rule id="r"><outputEntry id="oe1"><text>1</text></outputEntry><outputEntry id="oe2"><text>2</text></outputEntry></rule>`,
    );
    await expect(parseDmn(xml, 'edge.dmn')).rejects.toThrow(
      "Invalid DMN resource 'edge.dmn', element 'o2': duplicate output name 'x'",
    );
  });

  it('binds the input value as ? in input entries and reads nested input expressions', async () => {
    const drg = await parseDmn(
      tableXml(
        'hitPolicy="FIRST"',
        `<input id="i" label="Comune"><inputExpression id="ie"><text>request.comune.population</text></inputExpression></input>
         <output id="o" name="size" />
         <rule id="r1"><inputEntry id="e1"><text>? &lt; 5000</text></inputEntry><outputEntry id="oe1"><text>"piccolo"</text></outputEntry></rule>
         <rule id="r2"><inputEntry id="e2"><text>-</text></inputEntry><outputEntry id="oe2"><text>"grande"</text></outputEntry></rule>`,
      ),
      'edge.dmn',
    );
    const small = { request: { comune: { population: 1200 } } };
    expect(evaluateDecision(drg, 'edge', small).output).toBe('piccolo');
    expect(evaluateDecision(drg, 'edge', { request: {} }).output).toBe('grande');
  });

  it('compares with thresholds nested in a context variable: < limits.max', async () => {
    const drg = await parseDmn(
      tableXml(
        'hitPolicy="FIRST"',
        `<input id="i" label="Amount"><inputExpression id="ie"><text>amount</text></inputExpression></input>
         <output id="o" name="band" />
         <rule id="r1"><inputEntry id="e1"><text>&lt; limits.max</text></inputEntry><outputEntry id="oe1"><text>"within"</text></outputEntry></rule>
         <rule id="r2"><inputEntry id="e2"><text>-</text></inputEntry><outputEntry id="oe2"><text>"over or unknown"</text></outputEntry></rule>`,
      ),
      'edge.dmn',
    );
    expect(evaluateDecision(drg, 'edge', { amount: 5, limits: { max: 10 } }).output).toBe('within');
    expect(evaluateDecision(drg, 'edge', { amount: 50, limits: { max: 10 } }).output).toBe(
      'over or unknown',
    );
    expect(evaluateDecision(drg, 'edge', { amount: 5, limits: [] }).output).toBe('over or unknown');
    expect(evaluateDecision(drg, 'edge', { amount: 5 }).output).toBe('over or unknown');
  });
});
