/** FEEL reference, "Conversion functions": one block per function, its documented examples. */
import { date, dateTime, duration, examples, time } from './support';

describe('string()', () => {
  examples([
    ['string(1.1)', '1.1'],
    ['string(date("2012-12-25"))', '2012-12-25'],
    ['"order-" + string(123)', 'order-123'],
  ]);
});

describe('number()', () => {
  examples([
    ['number("1500.5")', 1500.5],
    ['number("1,500", ",")', 1500],
    ['number("1 500.5", " ", ".")', 1500.5],
    ['number("one")', null],
  ]);
});

describe('context()', () => {
  examples([['context([{"key":"a", "value":1}, {"key":"b", "value":2}])', { a: 1, b: 2 }]]);
});

describe('date()', () => {
  examples([
    ['date("2018-04-29")', date('2018-04-29')],
    ['date(date and time("2012-12-25T11:00:00"))', date('2012-12-25')],
    ['date(2012, 12, 25)', date('2012-12-25')],
    ['date("2024-06-31")', null],
    ['date(2024, 6, 31)', null],
  ]);
});

describe('time()', () => {
  examples([
    ['time("12:00:00")', time('12:00:00')],
    ['time(date and time("2012-12-25T11:00:00"))', time('11:00:00')],
    ['time(23, 59, 0)', time('23:59:00')],
    ['time(14, 30, 0, duration("PT1H"))', time('14:30:00+01:00')],
  ]);
});

describe('date and time()', () => {
  examples([
    ['date and time("2018-04-29T09:30:00")', dateTime('2018-04-29T09:30:00')],
    ['date and time("2018-04-29T09:30:00+02:00")', dateTime('2018-04-29T09:30:00+02:00')],
    [
      'date and time("2018-04-29T09:30:00@Europe/Berlin")',
      dateTime('2018-04-29T09:30:00+02:00[Europe/Berlin]'),
    ],
    [
      'date and time("2018-04-29T09:30:00+02:00[Europe/Berlin]")',
      dateTime('2018-04-29T09:30:00+02:00[Europe/Berlin]'),
    ],
    ['date and time("2024-06-31T10:00:00")', null],
    ['date and time(date("2012-12-24"),time("T23:59:00"))', dateTime('2012-12-24T23:59:00')],
    [
      'date and time(date and time("2012-12-25T11:00:00"),time("T23:59:00"))',
      dateTime('2012-12-25T23:59:00'),
    ],
    [
      'date and time(@"2020-07-31T14:27:30@Europe/Berlin", "America/Los_Angeles")',
      dateTime('2020-07-31T05:27:30-07:00[America/Los_Angeles]'),
    ],
    // a local date-time is taken in the engine's zone (Europe/Rome, +02:00 in summer)
    ['date and time(@"2020-07-31T14:27:30", "Z")', dateTime('2020-07-31T12:27:30Z')],
  ]);
});

describe('duration()', () => {
  examples([
    ['duration("P5D")', duration('P5D')],
    ['duration("P32Y")', duration('P32Y')],
  ]);
});

describe('years and months duration()', () => {
  examples([
    ['years and months duration(date("2011-12-22"), date("2013-08-24"))', duration('P1Y8M')],
  ]);
});

describe('from json()', () => {
  examples([
    ['from json("{\\"a\\": 1, \\"b\\": 2}")', { a: 1, b: 2 }],
    ['from json("true")', true],
    ['from json("\\"2023-06-14\\"")', '2023-06-14'],
    ['from json("{not json")', null],
  ]);
});

describe('to json()', () => {
  examples([
    ['to json({a: 1, b: 2})', '{"a":1,"b":2}'],
    ['to json(true)', 'true'],
    ['to json(@"2023-06-14")', '"2023-06-14"'],
    ['to json(@"2025-11-24T10:00:00@Europe/Berlin")', '"2025-11-24T10:00:00+01:00[Europe/Berlin]"'],
    ['to json(@"P3Y")', '"P3Y"'],
  ]);
});
