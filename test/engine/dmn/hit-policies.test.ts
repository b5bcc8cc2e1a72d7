import { evaluateDecision, type ParsedDrg } from '../../../src/engine/dmn';
import { parseFixture } from './dmn-fixtures';

// Every table in the fixture has rules `>= 10`, `>= 20`, `>= 30` on `score` (unless noted),
// so score 5 matches nothing, 15 one rule, 25 two rules and 35 three rules.
let drg: ParsedDrg;
beforeAll(async () => {
  drg = await parseFixture('hit-policies.dmn');
});

function run(decisionId: string, score: number) {
  return evaluateDecision(drg, decisionId, { score });
}

function matchedRuleIds(decisionId: string, score: number): string[] {
  const result = run(decisionId, score);
  return result.evaluatedDecisions[0].matchedRules.map((r) => r.ruleId);
}

describe('UNIQUE', () => {
  it('returns the output of the only matching rule', () => {
    expect(run('unique', 5).output).toBe('low');
    expect(run('unique', 25).output).toBe('high');
  });

  it('returns null when no rule matches', () => {
    // The rules cover every number; a missing score matches none of them.
    const result = evaluateDecision(drg, 'unique', {});
    expect(result.output).toBeNull();
    expect(result.failedDecisionId).toBeUndefined();
    expect(result.evaluatedDecisions[0].matchedRules).toEqual([]);
  });

  it('fails naming the rules when several match, without throwing', () => {
    const result = run('unique', 15);
    expect(result.output).toBeNull();
    expect(result.failedDecisionId).toBe('unique');
    expect(result.failureMessage).toContain('UNIQUE');
    expect(result.failureMessage).toContain("'unique_u2' (#2)");
    expect(result.failureMessage).toContain("'unique_u3' (#3)");
    expect(result.evaluatedDecisions[0].matchedRules.map((r) => r.ruleIndex)).toEqual([2, 3]);
  });

  it('is the default hit policy', () => {
    expect(drg.decisions.find((d) => d.id === 'unique_default')?.decisionTable?.hitPolicy).toBe(
      'UNIQUE',
    );
    expect(run('unique_default', 15).output).toBe('high');
  });
});

describe('FIRST', () => {
  it('returns the first matching rule in table order and reports only that rule', () => {
    expect(run('first', 35).output).toBe('A');
    expect(matchedRuleIds('first', 35)).toEqual(['first_r1']);
  });

  it('returns null when no rule matches', () => {
    expect(run('first', 5).output).toBeNull();
    expect(matchedRuleIds('first', 5)).toEqual([]);
  });
});

describe('PRIORITY', () => {
  it('returns the match whose output comes first in the output values list', () => {
    // rules: >=10 "low", >=20 "high", >=30 "medium"; priority "high","medium","low"
    expect(run('priority', 15).output).toBe('low');
    expect(run('priority', 35).output).toBe('high');
    expect(matchedRuleIds('priority', 35)).toEqual(['priority_r2']);
  });

  it('returns null when no rule matches', () => {
    expect(run('priority', 5).output).toBeNull();
  });
});

describe('ANY', () => {
  it('returns the shared output when all matching rules agree', () => {
    expect(run('any', 25).output).toBe('ok');
    expect(matchedRuleIds('any', 25)).toEqual(['any_r1', 'any_r2']);
  });

  it('fails when matching rules disagree', () => {
    const result = run('any', 35);
    expect(result.output).toBeNull();
    expect(result.failedDecisionId).toBe('any');
    expect(result.failureMessage).toContain('ANY');
    expect(result.failureMessage).toContain("'any_r3' (#3)");
  });

  it('returns null when no rule matches', () => {
    expect(run('any', 5).output).toBeNull();
  });
});

describe('COLLECT', () => {
  it('returns the outputs of all matching rules as a list, in rule order', () => {
    expect(run('collect', 35).output).toEqual([10, 20, 30]);
    expect(run('collect', 15).output).toEqual([10]);
  });

  it('returns an empty list when no rule matches', () => {
    expect(run('collect', 5).output).toEqual([]);
  });

  it.each([
    ['collect_sum', 35, 60],
    ['collect_sum', 15, 10],
    ['collect_min', 35, 10],
    ['collect_max', 35, 30],
    ['collect_max', 25, 20],
    ['collect_count', 35, 3],
    ['collect_count', 25, 2],
  ])('%s with score %d gives %d', (decisionId, score, expected) => {
    expect(run(decisionId, score).output).toBe(expected);
  });

  it('aggregates with no match to null (SUM, MIN, MAX) or 0 (COUNT)', () => {
    expect(run('collect_sum', 5).output).toBeNull();
    expect(run('collect_min', 5).output).toBeNull();
    expect(run('collect_max', 5).output).toBeNull();
    expect(run('collect_count', 5).output).toBe(0);
  });

  it('reports every matching rule behind an aggregate', () => {
    expect(matchedRuleIds('collect_sum', 25)).toEqual(['collect_sum_r1', 'collect_sum_r2']);
  });
});

describe('RULE ORDER', () => {
  it('returns all matches as a list in rule order', () => {
    expect(run('rule_order', 35).output).toEqual(['A', 'B', 'C']);
  });

  it('returns an empty list when no rule matches', () => {
    expect(run('rule_order', 5).output).toEqual([]);
  });
});

describe('OUTPUT ORDER', () => {
  it('returns all matches sorted by output value priority', () => {
    expect(run('output_order', 35).output).toEqual(['high', 'medium', 'low']);
    expect(matchedRuleIds('output_order', 25)).toEqual(['output_order_r2', 'output_order_r1']);
  });

  it('returns an empty list when no rule matches', () => {
    expect(run('output_order', 5).output).toEqual([]);
  });
});
