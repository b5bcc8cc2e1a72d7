/** FEEL reference, "Boolean functions": not, is defined, get or else, assert. */
import { evaluateExpression, FeelFailure } from '../../../src/engine/feel';
import { examples } from './support';

describe('not()', () => {
  examples([
    ['not(true)', false],
    ['not(null)', null],
  ]);
});

describe('is defined()', () => {
  examples([
    ['is defined(1)', true],
    ['is defined(null)', false],
    ['is defined(x)', false],
    ['is defined(x.y)', false],
    ['is defined(x.y)', false, { x: { z: 1 } }],
    ['is defined(x.y)', true, { x: { y: 'present' } }],
  ]);
});

describe('get or else()', () => {
  examples([
    ['get or else("this", "default")', 'this'],
    ['get or else(null, "default")', 'default'],
    ['get or else(null, null)', null],
    ['get or else(a, "prio-99")', 'prio-99'],
  ]);
});

describe('assert()', () => {
  examples([
    ['assert(x, x != null)', 'value', { x: 'value' }],
    ['assert(x, x >= 0)', 4, { x: 4 }],
    ['assert(x, x != null, "\'x\' should not be null")', 'value', { x: 'value' }],
    ['assert(x, x >= 0, "\'x\' should be positive")', 4, { x: 4 }],
  ]);

  function failure(expression: string, variables: Record<string, unknown>): FeelFailure {
    try {
      evaluateExpression(expression, variables);
    } catch (error) {
      return error as FeelFailure;
    }
    throw new Error(`${expression} did not fail`);
  }

  it('fails the evaluation when the condition is not met (x is null or missing)', () => {
    for (const variables of [{ x: null }, {}]) {
      const error = failure('assert(x, x != null)', variables);
      expect(error).toBeInstanceOf(FeelFailure);
      expect(error.kind).toBe('assertion');
      expect(error.message).toContain('The condition is not fulfilled');
    }
  });

  it('fails with the given cause', () => {
    const error = failure('assert(x, x >= 0, "\'x\' should be positive")', { x: -1 });
    expect(error.kind).toBe('assertion');
    expect(error.message).toContain("'x' should be positive");
  });
});
