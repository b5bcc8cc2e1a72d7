/**
 * The bounds on FEEL work (src/engine/feel/limits.ts): size and shape are checked
 * before any evaluation, and one evaluation is bounded in steps and time. Whatever the
 * expression, the answer is a FeelFailure that names the limit, not a stall.
 */
import {
  evaluateExpression,
  evaluateFeelText,
  FEEL_LIMITS,
  FeelFailure,
  findFeelSyntaxError,
} from '../../../src/engine/feel';

function failureOf(work: () => unknown): FeelFailure {
  try {
    work();
  } catch (error) {
    if (error instanceof FeelFailure) return error;
    throw error;
  }
  throw new Error('expected a FeelFailure');
}

describe('size and shape, before evaluation', () => {
  it('refuses a 200,000-term expression without parsing it', () => {
    const huge = Array(200_000).fill('1').join('+');
    const started = performance.now();
    const problem = findFeelSyntaxError(huge, 'expression');
    expect(performance.now() - started).toBeLessThan(100);
    expect(problem).toMatch(/is 399999 characters long, more than the limit of 4096 characters/);
    expect(problem!.length).toBeLessThan(200);
  });

  it('refuses an expression with too many syntax nodes', () => {
    const many = Array(600).fill('a').join('+'); // 1,199 characters
    expect(findFeelSyntaxError(many, 'expression')).toMatch(
      new RegExp(`syntax nodes, more than the limit of ${FEEL_LIMITS.maxSyntaxNodes}`),
    );
  });

  it('refuses an expression nested too deeply', () => {
    const deep = '['.repeat(120) + ']'.repeat(120);
    expect(findFeelSyntaxError(deep, 'expression')).toMatch(
      new RegExp(`levels deep, more than the limit of ${FEEL_LIMITS.maxNestingDepth}`),
    );
    expect(findFeelSyntaxError('['.repeat(20) + ']'.repeat(20), 'expression')).toBeUndefined();
  });

  it('accepts what real models use', () => {
    expect(
      findFeelSyntaxError(
        '{call: call, relevance: matchResult.relevance, notify: matchResult.notify}',
        'expression',
      ),
    ).toBeUndefined();
    expect(
      findFeelSyntaxError('[thresholds.directAwardWorks..thresholds.euWorks[', 'unary tests'),
    ).toBeUndefined();
  });

  it('evaluation refuses what deploy refuses', () => {
    const huge = Array(5000).fill('1').join('+');
    expect(failureOf(() => evaluateExpression(huge, {})).kind).toBe('limit');
  });
});

describe('one evaluation is bounded', () => {
  it('stops a loop over 20,000,000 numbers before enumerating them', () => {
    const started = performance.now();
    const failure = failureOf(() => evaluateExpression('count(for i in 1..20000000 return i)', {}));
    expect(performance.now() - started).toBeLessThan(500);
    expect(failure.kind).toBe('limit');
    expect(failure.message).toMatch(
      /count\(for i in 1\.\.20000000 return i\).*more than 100000 steps.*the limit for one expression/,
    );
  });

  // Small step limits keep these fast; the default limit counts the same way.
  const limits = { ...FEEL_LIMITS, maxEvaluationSteps: 2000, maxEvaluationMillis: 60_000 };
  const xs = Array.from({ length: 60 }, (_, i) => i);

  it.each([
    ['nested loops', 'count(for i in xs, j in xs return i)'],
    ['nested quantifiers', 'some i in xs, j in xs satisfies i + j < 0'],
    ['a quantifier in a quantifier', 'every i in xs satisfies every j in xs satisfies j >= 0'],
    ['a filter in a loop', 'count(for x in xs return xs[item > x])'],
    ['ranges in a loop', 'count(for x in xs return count(for y in 1..x * 2 return y))'],
  ])('counts %s: 60 × 60 steps are over a limit of 2000', (_, expression) => {
    const failure = failureOf(() => evaluateExpression(expression, { xs }, { limits }));
    expect(failure.kind).toBe('limit');
    expect(failure.message).toMatch(/more than 2000 steps/);
    // and within the limit the same expressions evaluate
    const small = xs.slice(0, 30);
    expect(() => evaluateExpression(expression, { xs: small }, { limits })).not.toThrow();
  });

  it('counts calls of user-defined functions', () => {
    const expression = '{f: function(x) x + 1, r: for i in 1..n return f(f(i))}.r';
    expect(failureOf(() => evaluateExpression(expression, { n: 700 }, { limits })).message).toMatch(
      /more than 2000 steps/,
    );
    expect(evaluateExpression(expression, { n: 600 }, { limits }).value).toHaveLength(600);
  });

  it('stops an evaluation that runs out of time', () => {
    const xs = Array.from({ length: 3000 }, (_, i) => `item ${i}`);
    const failure = failureOf(() =>
      evaluateExpression(
        'for i in 1..5000 return count(distinct values(xs))',
        { xs },
        {
          limits: { ...FEEL_LIMITS, maxEvaluationMillis: 50 },
        },
      ),
    );
    expect(failure.kind).toBe('limit');
    expect(failure.message).toMatch(/took longer than 50 ms/);
  });

  it('reads only the variables the expression names (feelin would copy all of them per iteration)', () => {
    const data: Record<string, unknown> = {};
    for (let i = 0; i < 10_000; i++) data[`v${i}`] = i;
    const read = new Set<string>();
    let enumerated = false;
    const variables = new Proxy(data, {
      get(target, key) {
        if (typeof key === 'string') read.add(key);
        return target[key as string];
      },
      ownKeys(target) {
        enumerated = true;
        return Reflect.ownKeys(target);
      },
    });
    expect(evaluateExpression('count(for i in 1..500 return i + v1)', variables).value).toBe(500);
    expect(enumerated).toBe(false);
    expect([...read]).toEqual(['v1']);
  });

  it('leaves work within the step limit alone', () => {
    // the time limit relaxed: this machine may be busy; the steps decide here
    const patient = { ...FEEL_LIMITS, maxEvaluationMillis: 60_000 };
    expect(
      evaluateExpression('count(for i in 1..90000 return i)', {}, { limits: patient }).value,
    ).toBe(90000);
    expect(evaluateFeelText('[1..100000]', 'unary tests', { '?': 42 }).value).toBe(true);
  });
});
