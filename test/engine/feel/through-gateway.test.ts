/**
 * FEEL as clients see it: expressions in script tasks, mappings and decisions, run
 * through the real gateway with @camunda8/sdk, results read from the instance's
 * variables and from EvaluateDecision.
 */
import {
  bpmn,
  chain,
  deploy,
  startEngineHarness,
  type EngineHarness,
} from '../../support/engine-harness';

let h: EngineHarness;
beforeAll(async () => {
  h = await startEngineHarness();
});
afterAll(() => h.stop());

const script = (id: string, expression: string, result: string) =>
  `<bpmn:scriptTask id="${id}"><bpmn:extensionElements><zeebe:script expression="${expression}" resultVariable="${result}"/></bpmn:extensionElements></bpmn:scriptTask>`;

async function run(id: string, scripts: [string, string][], variables: Record<string, unknown>) {
  const tasks = scripts.map(([expression, result], i) => script(`s${i}`, expression, result));
  const ids = ['start', ...scripts.map((_, i) => `s${i}`), 'end'];
  await deploy(
    h.zbc,
    `${id}.bpmn`,
    bpmn(
      id,
      `<bpmn:startEvent id="start"/>${tasks.join('')}<bpmn:endEvent id="end"/>${chain(ids)}`,
    ),
  );
  const done = await h.zbc.createProcessInstanceWithResult({
    bpmnProcessId: id,
    variables: variables as never,
    requestTimeout: 20_000,
  });
  return done.variables as Record<string, unknown>;
}

it('computes amounts as decimals and writes temporal results as ISO-8601 texts', async () => {
  const variables = await run(
    'feel_values',
    [
      ['=importo * 1.22', 'lordo'],
      ['=sum(righe.importo)', 'totale'],
      ['=date(scadenza) + duration(&quot;P30D&quot;)', 'proroga'],
      ['=date and time(date and time(firmato), &quot;Europe/Rome&quot;)', 'firmatoRoma'],
      ['=righe[even(item.n)].n', 'pari'],
      [
        '=string join(for r in righe return r.voce, &quot;, &quot;, &quot;[&quot;, &quot;]&quot;)',
        'voci',
      ],
    ],
    {
      importo: 1234.56,
      righe: [
        { n: 1, voce: 'a', importo: 0.1 },
        { n: 2, voce: 'b', importo: 0.2 },
      ],
      scadenza: '2026-01-31',
      firmato: '2026-01-31T09:00:00Z',
    },
  );
  expect(variables).toMatchObject({
    lordo: 1506.1632,
    totale: 0.3,
    proroga: '2026-03-02',
    firmatoRoma: '2026-01-31T10:00:00+01:00[Europe/Rome]',
    pari: [2],
    voci: '[a, b]',
  });
});

it('evaluates a DRG where a literal expression is required under its variable name', async () => {
  const dmn = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="fees" name="fees" namespace="http://test">
  <decision id="vat_rate" name="VAT rate"><variable name="vatRate"/><literalExpression><text>0.22</text></literalExpression></decision>
  <decision id="gross" name="Gross">
    <informationRequirement id="ir"><requiredDecision href="#vat_rate"/></informationRequirement>
    <variable name="gross"/>
    <literalExpression><text>net * (1 + vatRate)</text></literalExpression>
  </decision>
</definitions>`;
  await h.zbc.deployResource({ name: 'fees.dmn', decision: Buffer.from(dmn) } as never);
  const evaluated = await h.zbc.evaluateDecision({
    decisionId: 'gross',
    variables: { net: 1000.1 },
  } as never);
  expect(JSON.parse(evaluated.decisionOutput)).toBe(1220.122);
  expect(evaluated.evaluatedDecisions.map((d: { decisionId: string }) => d.decisionId)).toEqual([
    'vat_rate',
    'gross',
  ]);

  // a business rule task naming the decision with an expression
  const task = `<bpmn:businessRuleTask id="compute_fee"><bpmn:extensionElements><zeebe:calledDecision decisionId="=&quot;gr&quot; + &quot;oss&quot;" resultVariable="fee"/></bpmn:extensionElements></bpmn:businessRuleTask>`;
  await deploy(
    h.zbc,
    'fee.bpmn',
    bpmn(
      'fee',
      `<bpmn:startEvent id="start"/>${task}<bpmn:endEvent id="end"/>${chain(['start', 'compute_fee', 'end'])}`,
    ),
  );
  const done = await h.zbc.createProcessInstanceWithResult({
    bpmnProcessId: 'fee',
    variables: { net: 100 },
    requestTimeout: 20_000,
  });
  expect((done.variables as { fee: number }).fee).toBe(122);
});
