/** FEEL reference, "Temporal expressions": literals, arithmetic, properties and examples. */
import { evaluateExpression } from '../../../src/engine/feel';
import { date, dateTime, duration, examples, time } from './support';

describe('temporal literals', () => {
  examples([
    ['date("2020-04-06")', date('2020-04-06')],
    ['@"2020-04-06"', date('2020-04-06')],
    ['time("08:00:00")', time('08:00:00')],
    ['time("08:00:00+02:00")', time('08:00:00+02:00')],
    ['time("08:00:00@Europe/Berlin")', time('08:00:00@Europe/Berlin')],
    ['@"08:00:00"', time('08:00:00')],
    ['@"08:00:00+02:00"', time('08:00:00+02:00')],
    ['@"08:00:00@Europe/Berlin"', time('08:00:00@Europe/Berlin')],
    ['date and time("2020-04-06T08:00:00")', dateTime('2020-04-06T08:00:00')],
    ['date and time("2020-04-06T08:00:00+02:00")', dateTime('2020-04-06T08:00:00+02:00')],
    [
      'date and time("2020-04-06T08:00:00@Europe/Berlin")',
      dateTime('2020-04-06T08:00:00+02:00[Europe/Berlin]'),
    ],
    ['@"2020-04-06T08:00:00"', dateTime('2020-04-06T08:00:00')],
    ['@"2020-04-06T08:00:00+02:00"', dateTime('2020-04-06T08:00:00+02:00')],
    ['@"2020-04-06T08:00:00@Europe/Berlin"', dateTime('2020-04-06T08:00:00+02:00[Europe/Berlin]')],
    ['duration("P5D")', duration('P5D')],
    ['duration("PT6H")', duration('PT6H')],
    ['@"P5D"', duration('P5D')],
    ['@"PT6H"', duration('PT6H')],
    ['duration("P1Y6M")', duration('P1Y6M')],
    ['duration("P3M")', duration('P3M')],
    ['@"P1Y6M"', duration('P1Y6M')],
    ['@"P3M"', duration('P3M')],
    ['@"2024-06-31"', null],
  ]);
});

describe('addition', () => {
  examples([
    ['date("2020-04-06") + duration("P1D")', date('2020-04-07')],
    ['time("08:00:00") + duration("PT1H")', time('09:00:00')],
    ['date and time("2020-04-06T08:00:00") + duration("P7D")', dateTime('2020-04-13T08:00:00')],
    ['duration("P2D") + duration("P5D")', duration('P7D')],
    ['duration("P1D") + date("2020-04-06")', date('2020-04-07')],
    ['date("2020-01-31") + duration("P1M")', date('2020-02-29')],
    // a different type gives null
    ['date("2020-04-06") + 1', null],
  ]);
});

describe('subtraction', () => {
  examples([
    ['date("2020-04-06") - date("2020-04-01")', duration('P5D')],
    ['date("2020-04-06") - duration("P5D")', date('2020-04-01')],
    ['time("08:00:00") - time("06:00:00")', duration('PT2H')],
    ['time("08:00:00") - duration("PT2H")', time('06:00:00')],
    ['duration("P7D") - duration("P2D")', duration('P5D')],
    ['duration("P1Y") - duration("P3M")', duration('P9M')],
    // instants, not wall clocks: 14:27:30 in Berlin is 12:27:30 UTC
    ['@"2020-07-31T14:27:30@Europe/Berlin" - @"2020-07-31T12:27:30Z"', duration('PT0S')],
    // one value with a timezone and one without: null
    ['@"2020-07-31T14:27:30" - @"2020-07-31T12:27:30Z"', null],
  ]);
});

describe('multiplication', () => {
  examples([
    ['duration("P1D") * 5', duration('P5D')],
    ['duration("P1M") * 6', duration('P6M')],
    ['5 * duration("P1D")', duration('P5D')],
  ]);
});

describe('division', () => {
  examples([
    ['duration("P5D") / duration("P1D")', 5],
    ['duration("P5D") / 5', duration('P1D')],
    ['duration("P1Y") / duration("P1M")', 12],
    ['duration("P1Y") / 12', duration('P1M')],
  ]);
});

describe('properties', () => {
  examples([
    ['date("2020-04-06").year', 2020],
    ['date("2020-04-06").month', 4],
    ['date("2020-04-06").weekday', 1],
    ['time("08:00:00").hour', 8],
    ['date and time("2020-04-06T08:00:00+02:00").time offset', duration('PT2H')],
    ['date and time("2020-04-06T08:00:00@Europe/Berlin").timezone', 'Europe/Berlin'],
    ['duration("PT2H30M").hours', 2],
    ['duration("PT2H30M").minutes', 30],
    ['duration("P6M").months', 6],
  ]);
});

describe('examples', () => {
  // Tuesday 2021-04-20, 10:00 in Rome
  const clock = () => Date.parse('2021-04-20T08:00:00Z');
  const at = (expression: string, variables: Record<string, unknown> = {}) =>
    evaluateExpression(expression, variables, { clock }).value;

  it('compares a date with an offset', () => {
    expect(at('date1 < date2 + @"P6M"', { date1: '2021-01-01', date2: '2020-12-01' })).toBeNull();
    expect(
      at('date(date1) < date(date2) + @"P6M"', { date1: '2021-01-01', date2: '2020-12-01' }),
    ).toBe(true);
  });

  it('calculates an age', () => {
    expect(
      at('years and months duration(date(birthday), today()).years', { birthday: '1990-05-01' }),
    ).toBe(30);
  });

  it('checks for a weekend', () => {
    expect(at('day of week(today()) in ("Saturday","Sunday")')).toBe(false);
  });

  it('calculates the duration until next Tuesday at 08:00', () => {
    const expression = `(for x in 1..7
  return date and time(today(),@"08:00:00Z") + @"P1D" * x
)[day of week(item) = "Tuesday"][1] - now()`;
    expect(at(expression)).toBe('P7D');
  });

  it('calculates the duration until 09:00 in Berlin', () => {
    const expression = `{
  time: @"09:00:00@Europe/Berlin",
  date: if time(now()) < time then today() else today() + @"P1D",
  duration: date and time(date, time) - now()
}.duration`;
    expect(at(expression)).toBe('PT23H');
  });

  it('calculates the next weekday', () => {
    const expression = `(for x in 1..3
  return date and time(today(),@"00:00:00Z") + @"P1D" * x
)[not(day of week(item) in ("Saturday","Sunday"))][1]`;
    expect(at(expression)).toBe('2021-04-21T00:00:00Z');
  });

  it('changes the format of dates', () => {
    const expression = `for d in dates return {
  date: date(date and time(d)),
  day: string(date.day),
  month: substring(month of year(date), 1, 3),
  year: string(date.year),
  formatted: day + "-" + month + "-" + year
}.formatted`;
    expect(
      at(expression, { dates: ['2021-04-21T07:25:06.000Z', '2021-04-22T07:25:06.000Z'] }),
    ).toEqual(['21-Apr-2021', '22-Apr-2021']);
  });

  it('creates a Unix timestamp', () => {
    expect(at('(now() - @"1970-01-01T00:00Z") / @"PT1S" * 1000')).toBe(clock());
  });
});
