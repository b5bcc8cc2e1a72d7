import { evaluateDecision, type ParsedDrg } from '../../../src/engine/dmn';
import { parseFixture } from './dmn-fixtures';

// One COLLECT table, one rule per input entry form; each rule outputs its own label.
// Inputs: n (number), category (string), flag (boolean), date(startDate) (date).
let drg: ParsedDrg;
beforeAll(async () => {
  drg = await parseFixture('input-entries.dmn');
});

function labels(context: Record<string, unknown>): string[] {
  const result = evaluateDecision(drg, 'entries', context);
  expect(result.failureMessage).toBeUndefined();
  return (result.output as string[]).filter((label) => label !== 'always');
}

describe('input entries', () => {
  it('match closed ranges including both ends: [1..10]', () => {
    expect(labels({ n: 1 })).toContain('range');
    expect(labels({ n: 10 })).toContain('range');
    expect(labels({ n: 10.5 })).not.toContain('range');
    expect(labels({ n: 0 })).not.toContain('range');
  });

  it('match open ranges excluding both ends: (10..20)', () => {
    expect(labels({ n: 10 })).not.toContain('open range');
    expect(labels({ n: 10.01 })).toContain('open range');
    expect(labels({ n: 20 })).not.toContain('open range');
  });

  it('match comparisons: >= 100', () => {
    expect(labels({ n: 100 })).toContain('at least 100');
    expect(labels({ n: 99.99 })).not.toContain('at least 100');
  });

  it('compare against variables of the context: < limit', () => {
    expect(labels({ n: 5, limit: 10 })).toContain('below limit');
    expect(labels({ n: 15, limit: 10 })).not.toContain('below limit');
    // a missing variable is null: not comparable, so no match (and no failure)
    expect(labels({ n: 5 })).not.toContain('below limit');
  });

  it('match lists of values and their negation: "a","b" and not("a","b")', () => {
    expect(labels({ category: 'b' })).toEqual(expect.arrayContaining(['a or b']));
    expect(labels({ category: 'b' })).not.toContain('neither a nor b');
    expect(labels({ category: 'c' })).toContain('neither a nor b');
    expect(labels({ category: 'c' })).not.toContain('a or b');
  });

  it('match strings exactly', () => {
    expect(labels({ category: 'works' })).toContain('works');
    expect(labels({ category: 'Works' })).not.toContain('works');
  });

  it('match booleans, and a null flag matches neither true nor false', () => {
    expect(labels({ flag: true })).toContain('flag set');
    expect(labels({ flag: false })).toContain('flag not set');
    const none = labels({ flag: null });
    expect(none).not.toContain('flag set');
    expect(none).not.toContain('flag not set');
  });

  it('match dates: >= date("2026-01-01") and date ranges', () => {
    expect(labels({ startDate: '2026-03-01' })).toEqual(
      expect.arrayContaining(['from 2026', 'first half 2026']),
    );
    expect(labels({ startDate: '2026-07-01' })).toContain('from 2026');
    expect(labels({ startDate: '2026-07-01' })).not.toContain('first half 2026');
    expect(labels({ startDate: '2025-12-31' })).not.toContain('from 2026');
  });

  it('report date input values as ISO strings', () => {
    const [evaluated] = evaluateDecision(drg, 'entries', {
      startDate: '2026-03-01',
    }).evaluatedDecisions;
    expect(evaluated.evaluatedInputs.map((i) => i.inputValue)).toEqual([
      null,
      null,
      null,
      '2026-03-01',
    ]);
  });

  it('match single numbers and lists of numbers: 42 and 1, 2, 3', () => {
    expect(labels({ n: 42 })).toContain('forty-two');
    expect(labels({ n: 2 })).toContain('one two three');
    expect(labels({ n: 4 })).not.toContain('one two three');
  });

  it('evaluate boolean expressions over ?: ? > 1000 and ? < 2000', () => {
    expect(labels({ n: 1500 })).toContain('between 1000 and 2000');
    expect(labels({ n: 2500 })).not.toContain('between 1000 and 2000');
    // a null input makes the expression null: no match
    expect(labels({})).not.toContain('between 1000 and 2000');
  });

  it('negate comparisons: not(>= 0)', () => {
    expect(labels({ n: -3 })).toContain('negative');
    expect(labels({ n: 0 })).not.toContain('negative');
  });

  it('match null with the null test only', () => {
    expect(labels({})).toContain('no number');
    expect(labels({ n: 0 })).not.toContain('no number');
  });

  it('treat empty and "-" entries as matching anything', () => {
    expect(evaluateDecision(drg, 'entries', {}).output).toContain('always');
  });

  it.each([['abc'], ['5'], [true], [{ amount: 5 }], [[5]]])(
    'never match numeric tests with a non-number input %j, and never fail',
    (n) => {
      const found = labels({ n, limit: 10 });
      for (const numeric of ['range', 'open range', 'at least 100', 'below limit', 'negative']) {
        expect(found).not.toContain(numeric);
      }
    },
  );

  it('yield no match, not a failure, for a text that is not a date', () => {
    expect(labels({ startDate: 'not a date' })).not.toContain('from 2026');
  });

  it('do not compare a date-like string with a date: FEEL types differ', () => {
    // Input expression `startDate` without date(): the value stays a string.
    const result = evaluateDecision(drg, 'raw_date', { startDate: '2026-03-01' });
    expect(result.output).toBe('not comparable');
  });
});
