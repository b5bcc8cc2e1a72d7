import { evaluateDecision, type ParsedDrg } from '../../../src/engine/dmn';
import { parseFixture } from './dmn-fixtures';

// category: UNIQUE with overlapping rules (< 20, >= 10); fee requires category.
let drg: ParsedDrg;
beforeAll(async () => {
  drg = await parseFixture('evaluation-failures.dmn');
});

describe('evaluation failures', () => {
  it('come back as failedDecisionId and failureMessage, never as a throw', () => {
    const result = evaluateDecision(drg, 'category', { amount: 15 });
    expect(result).toMatchObject({ output: null, failedDecisionId: 'category' });
    expect(result.failureMessage).toMatch(/category.*UNIQUE/);
  });

  it('in a required decision stop the evaluation there and name that decision', () => {
    const result = evaluateDecision(drg, 'fee', { amount: 15 });
    expect(result.output).toBeNull();
    expect(result.failedDecisionId).toBe('category');
    expect(result.evaluatedDecisions.map((d) => d.decisionId)).toEqual(['category']);
    expect(result.evaluatedDecisions[0].evaluatedInputs).toEqual([
      { inputId: 'category_in_amount', inputName: 'Amount', inputValue: 15 },
    ]);
  });

  it('do not happen when the same chain has a unique match', () => {
    const result = evaluateDecision(drg, 'fee', { amount: 25 });
    expect(result.failedDecisionId).toBeUndefined();
    expect(result.output).toBe(2);
  });

  it('include FEEL errors, with the expression in the message', () => {
    const result = evaluateDecision(drg, 'in_range', { limit: 'ten' });
    expect(result.failedDecisionId).toBe('in_range');
    expect(result.failureMessage).toContain('5 in [1..limit]');
    expect(evaluateDecision(drg, 'in_range', { limit: 10 }).output).toBe(true);
  });

  it('include aggregating outputs that are not numbers', () => {
    const result = evaluateDecision(drg, 'sum_of_labels', { amount: 1, label: 'x' });
    expect(result.failedDecisionId).toBe('sum_of_labels');
    expect(result.failureMessage).toContain('SUM');
    expect(evaluateDecision(drg, 'sum_of_labels', { amount: 1, label: 4 }).output).toBe(4);
  });

  it('do not include missing variables: like Zeebe, they evaluate to null', () => {
    const result = evaluateDecision(drg, 'category', {});
    expect(result.failedDecisionId).toBeUndefined();
    expect(result.output).toBeNull();
  });
});
