import { DmnValidationError, parseDmn } from '../../../src/engine/dmn';
import { readFixture } from './dmn-fixtures';

async function rejection(fixture: string): Promise<DmnValidationError> {
  const error = await parseDmn(readFixture(`invalid/${fixture}`), fixture).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DmnValidationError);
  return error as DmnValidationError;
}

describe('parseDmn rejects unsafe or oversized XML', () => {
  it('refuses DOCTYPE and entity declarations (no XXE, no entity expansion)', async () => {
    const error = await rejection('doctype-entity.dmn');
    expect(error.message).toBe(
      "Invalid DMN resource 'doctype-entity.dmn': DOCTYPE declarations are not allowed (no DTDs, no entities)",
    );
  });

  it('refuses an ENTITY declaration even without a DOCTYPE', async () => {
    const xml = readFixture('procurement-procedure.dmn').replace(
      '<definitions',
      '<!ENTITY x "y"><definitions',
    );
    await expect(parseDmn(xml, 'entity.dmn')).rejects.toThrow(
      "Invalid DMN resource 'entity.dmn': ENTITY declarations are not allowed",
    );
  });

  it('refuses resources above the size limit (4 MiB by default, configurable)', async () => {
    const xml = readFixture('procurement-procedure.dmn');
    await expect(parseDmn(xml, 'small-limit.dmn', { maxBytes: 1000 })).rejects.toThrow(
      /'small-limit.dmn': resource is \d+ bytes, above the limit of 1000 bytes/,
    );
    const huge = xml.replace(
      '</definitions>',
      `<!--${'x'.repeat(4 * 1024 * 1024)}--></definitions>`,
    );
    await expect(parseDmn(huge, 'huge.dmn')).rejects.toThrow(/above the limit of 4194304 bytes/);
  });
});

describe('parseDmn rejects invalid models with a DmnValidationError', () => {
  it.each([
    ['unparsable.dmn', undefined, /^unparsable XML: .*closing tag mismatch/],
    ['not-dmn.dmn', undefined, /^unparsable XML: .*unexpected element <bpmn:definitions>/],
    ['no-decisions.dmn', 'Definitions_invalid', /^the model contains no decision$/],
    ['decision-without-id.dmn', 'Definitions_invalid', /^a decision named 'x' has no id$/],
    ['duplicate-decision-ids.dmn', 'same', /^duplicate id/],
    [
      'no-decision-logic.dmn',
      'empty_decision',
      /^decision has no decision table or literal expression$/,
    ],
    ['table-without-output.dmn', 'dt_check', /^decision table has no output$/],
    [
      'input-entry-count.dmn',
      'check_rule1',
      /^rule has 1 input entries but the table has 2 inputs$/,
    ],
    [
      'output-entry-count.dmn',
      'check_rule1',
      /^rule has 0 output entries but the table has 1 outputs$/,
    ],
    ['invalid-hit-policy.dmn', 'dt_check', /^invalid hit policy 'SOMETIMES'/],
    [
      'aggregation-without-collect.dmn',
      'dt_check',
      /^aggregation SUM is only allowed with hit policy COLLECT, not FIRST$/,
    ],
    [
      'aggregation-several-outputs.dmn',
      'dt_check',
      /^aggregation MAX needs exactly one output column$/,
    ],
    [
      'output-without-name.dmn',
      'check_output2',
      /^an output of a table with several outputs needs a name$/,
    ],
    ['unknown-required-decision.dmn', 'total', /^requires unknown decision 'base'$/],
    ['required-decision-cycle.dmn', 'a', /^required decisions form a cycle: a -> b -> c -> a$/],
    [
      'bad-input-expression.dmn',
      'check_input1',
      /^input expression: FEEL expression 'amount \+' is incomplete/,
    ],
    [
      'bad-input-entry.dmn',
      'check_rule1',
      /^input entry 1: FEEL unary tests '\[1\.\.' is incomplete/,
    ],
    [
      'bad-output-entry.dmn',
      'check_rule1',
      /^output entry 1: FEEL expression '"low' has a syntax error at position 1/,
    ],
    [
      'bad-literal-expression.dmn',
      'le_total',
      /^literal expression: FEEL expression 'if amount > 10 then "big"' is incomplete/,
    ],
    ['empty-literal-expression.dmn', 'le_total', /^literal expression: empty FEEL expression$/],
  ])('%s', async (fixture, elementId, problem) => {
    const error = await rejection(fixture);
    expect(error.resourceName).toBe(fixture);
    expect(error.elementId).toBe(elementId);
    expect(error.problem).toMatch(problem);
    const where = elementId === undefined ? '' : `, element '${elementId}'`;
    expect(error.message).toBe(`Invalid DMN resource '${fixture}'${where}: ${error.problem}`);
  });
});
