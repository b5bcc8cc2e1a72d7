import { evaluateDecision, type ParsedDrg } from '../../../src/engine/dmn';
import { parseFixture } from './dmn-fixtures';

// D.Lgs. 36/2023 art. 14 and 50; the thresholds are process variables (engine-config),
// never hard-coded in the table.
const thresholds = {
  worksDirectAwardThreshold: 150_000,
  worksNegotiated10Threshold: 1_000_000,
  worksEuThreshold: 5_404_000,
  servicesDirectAwardThreshold: 140_000,
  servicesEuThreshold: 216_000,
};

let drg: ParsedDrg;
beforeAll(async () => {
  drg = await parseFixture('procurement-procedure.dmn');
});

function procedureFor(contractType: string, amountNetOfVat: number) {
  const result = evaluateDecision(drg, 'procurement_procedure', {
    ...thresholds,
    contractType,
    amountNetOfVat,
  });
  expect(result.failureMessage).toBeUndefined();
  return result.output;
}

const direct = { procedure: 'affidamento diretto', minOperators: null };
const negotiated5 = { procedure: 'procedura negoziata', minOperators: 5 };
const negotiated10 = { procedure: 'procedura negoziata', minOperators: 10 };
const open = { procedure: 'procedura aperta', minOperators: null };

describe('procurement procedure decision (SUA)', () => {
  it.each([
    [0, direct],
    [149_999.99, direct],
    [150_000, negotiated5],
    [999_999.99, negotiated5],
    [1_000_000, negotiated10],
    [5_403_999.99, negotiated10],
    [5_404_000, open],
    [20_000_000, open],
  ])('works of %d EUR net of VAT', (amount, expected) => {
    expect(procedureFor('works', amount)).toEqual(expected);
  });

  it.each([
    ['services', 139_999.99, direct],
    ['services', 140_000, negotiated5],
    ['supplies', 215_999.99, negotiated5],
    ['supplies', 216_000, open],
    ['services', 1_000_000, open],
  ])('%s of %d EUR net of VAT', (type, amount, expected) => {
    expect(procedureFor(type, amount)).toEqual(expected);
  });

  it('follows thresholds given as input: a province update needs no new table', () => {
    const result = evaluateDecision(drg, 'procurement_procedure', {
      ...thresholds,
      servicesEuThreshold: 221_000,
      contractType: 'services',
      amountNetOfVat: 218_000,
    });
    expect(result.output).toEqual(negotiated5);
  });

  it('gives null for a contract type the table does not cover', () => {
    expect(procedureFor('concessions', 100)).toBeNull();
  });

  it('reports the matched rule for the audit trail', () => {
    const result = evaluateDecision(drg, 'procurement_procedure', {
      ...thresholds,
      contractType: 'works',
      amountNetOfVat: 400_000,
    });
    const [evaluated] = result.evaluatedDecisions;
    expect(evaluated.decisionName).toBe('Scelta della procedura di affidamento');
    expect(evaluated.matchedRules).toEqual([
      expect.objectContaining({ ruleId: 'works_negotiated_5', ruleIndex: 2 }),
    ]);
    expect(evaluated.evaluatedInputs).toEqual([
      { inputId: 'procurement_procedure_in_type', inputName: 'Contract type', inputValue: 'works' },
      {
        inputId: 'procurement_procedure_in_amount',
        inputName: 'Amount net of VAT',
        inputValue: 400_000,
      },
    ]);
  });
});
