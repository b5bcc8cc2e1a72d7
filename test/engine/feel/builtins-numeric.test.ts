/** FEEL reference, "Numeric functions": one block per function, its documented examples. */
import { value, examples } from './support';

describe('decimal()', () => {
  examples([
    ['decimal(1/3, 2)', 0.33],
    ['decimal(1.5, 0)', 2],
    ['decimal(2.5, 0)', 2],
    ['decimal(2.5, 0, "half_up")', 3],
  ]);
});

describe('floor()', () => {
  examples([
    ['floor(1.5)', 1],
    ['floor(-1.5)', -2],
    ['floor(-1.56, 1)', -1.6],
  ]);
});

describe('ceiling()', () => {
  examples([
    ['ceiling(1.5)', 2],
    ['ceiling(-1.5)', -1],
    ['ceiling(-1.56, 1)', -1.5],
  ]);
});

describe('round up()', () => {
  examples([
    ['round up(5.5)', 6],
    ['round up(-5.5)', -6],
    ['round up(1.121, 2)', 1.13],
    ['round up(-1.126, 2)', -1.13],
  ]);
});

describe('round down()', () => {
  examples([
    ['round down(5.5, 0)', 5],
    ['round down (-5.5, 0)', -5],
    ['round down (1.121, 2)', 1.12],
    ['round down (-1.126, 2)', -1.12],
  ]);
});

describe('round half up()', () => {
  examples([
    ['round half up(5.5)', 6],
    ['round half up(-5.5)', -6],
    ['round half up(1.121, 2)', 1.12],
    ['round half up(-1.126, 2)', -1.13],
    // on the decimal value, not on its binary approximation (1.00499999...)
    ['round half up(1.005, 2)', 1.01],
  ]);
});

describe('round half down()', () => {
  examples([
    ['round half down (5.5)', 5],
    ['round half down (-5.5)', -5],
    ['round half down (1.121, 2)', 1.12],
    ['round half down (-1.126, 2)', -1.13],
  ]);
});

describe('abs()', () => {
  examples([
    ['abs(10)', 10],
    ['abs(-10)', 10],
  ]);
});

describe('modulo()', () => {
  examples([
    ['modulo(12, 5)', 2],
    ['modulo(-12,5)', 3],
    ['modulo(12,-5)', -3],
    ['modulo(-12,-5)', -2],
    ['modulo(10.1, 4.5)', 1.1],
    ['modulo(-10.1, 4.5)', 3.4],
    ['modulo(10.1, -4.5)', -3.4],
    ['modulo(-10.1, -4.5)', -1.1],
  ]);
});

describe('sqrt()', () => {
  examples([['sqrt(16)', 4]]);
});

describe('log()', () => {
  examples([['log(10)', 2.302585092994046]]);
});

describe('exp()', () => {
  examples([['exp(5)', 148.4131591025766]]);
});

describe('odd()', () => {
  examples([
    ['odd(5)', true],
    ['odd(2)', false],
  ]);
});

describe('even()', () => {
  examples([
    ['even(5)', false],
    ['even(2)', true],
  ]);
});

describe('random number()', () => {
  it('returns a number between 0 (included) and 1 (excluded), different each time', () => {
    const draws = Array.from({ length: 20 }, () => value('random number()') as number);
    for (const draw of draws) {
      expect(draw).toBeGreaterThanOrEqual(0);
      expect(draw).toBeLessThan(1);
    }
    expect(new Set(draws).size).toBeGreaterThan(1);
  });
});
