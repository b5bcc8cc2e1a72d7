/** FEEL reference, "Temporal functions": one block per function, its documented examples. */
import { evaluateExpression } from '../../../src/engine/feel';
import { date, duration, examples } from './support';

// 2020-07-31T14:27:30 in Rome (the engine's zone), as in the documented example of now()
const CLOCK = Date.parse('2020-07-31T12:27:30Z');

describe('now()', () => {
  it('returns the evaluation clock as a date and time in the engine zone', () => {
    const result = evaluateExpression('now()', {}, { clock: () => CLOCK });
    expect(result.type).toBe('date time');
    expect(result.value).toBe('2020-07-31T14:27:30+02:00[Europe/Rome]');
  });

  it('reads the real clock by default', () => {
    const before = Date.now();
    const text = evaluateExpression('now()', {}).value as string;
    const at = Date.parse(text.replace(/\[.*\]$/, ''));
    expect(at).toBeGreaterThanOrEqual(before - 1000);
    expect(at).toBeLessThanOrEqual(Date.now() + 1000);
  });
});

describe('today()', () => {
  it('returns the date of the evaluation clock in the engine zone', () => {
    const result = evaluateExpression('today()', {}, { clock: () => CLOCK });
    expect(result).toMatchObject({ type: 'date', value: '2020-07-31' });
    // 23:30 UTC on the 31st is already August 1st in Rome
    const lateEvening = Date.parse('2020-07-31T23:30:00Z');
    expect(evaluateExpression('today()', {}, { clock: () => lateEvening }).value).toBe(
      '2020-08-01',
    );
  });
});

describe('day of week()', () => {
  examples([
    ['day of week(date("2019-09-17"))', 'Tuesday'],
    ['day of week(date and time("2019-09-17T10:00:00"))', 'Tuesday'],
  ]);
});

describe('day of year()', () => {
  examples([['day of year(date("2019-09-17"))', 260]]);
});

describe('week of year()', () => {
  examples([['week of year(date("2019-09-17"))', 38]]);
});

describe('month of year()', () => {
  examples([['month of year(date("2019-09-17"))', 'September']]);
});

describe('abs()', () => {
  examples([
    ['abs(duration("-PT5H"))', duration('PT5H')],
    ['abs(duration("PT5H"))', duration('PT5H')],
    ['abs(duration("-P2M"))', duration('P2M')],
  ]);
});

describe('last day of month()', () => {
  examples([
    ['last day of month(date("2022-10-01"))', date('2022-10-31')],
    ['last day of month(date and time("2022-10-16T12:00:00"))', date('2022-10-31')],
    ['last day of month(date("2024-02-10"))', date('2024-02-29')],
  ]);
});
