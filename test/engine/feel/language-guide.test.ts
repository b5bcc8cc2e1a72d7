/**
 * FEEL reference, language guide pages (data types, variables, control flow, boolean,
 * numeric, string, list and context expressions, functions, error handling): their
 * documented examples.
 */
import { evaluateFeelText } from '../../../src/engine/feel';
import { date, dateTime, duration, examples, time, value } from './support';

describe('data types', () => {
  examples([
    ['null', null],
    ['1', 1],
    ['2.3', 2.3],
    ['.4', 0.4],
    ['-5', -5],
    ['"valid"', 'valid'],
    ['"a\\"b"', 'a"b'],
    ['"\\u269D"', '\u269D'],
    ['true', true],
    ['false', false],
    ['date("2017-03-10")', date('2017-03-10')],
    ['@"2017-03-10"', date('2017-03-10')],
    ['time("11:45:30")', time('11:45:30')],
    ['time("13:30")', time('13:30:00')],
    ['time("11:45:30+02:00")', time('11:45:30+02:00')],
    ['time("10:31:10@Europe/Paris")', time('10:31:10@Europe/Paris')],
    ['@"11:45:30"', time('11:45:30')],
    ['@"13:30"', time('13:30:00')],
    ['@"11:45:30+02:00"', time('11:45:30+02:00')],
    ['@"10:31:10@Europe/Paris"', time('10:31:10@Europe/Paris')],
    ['date and time("2015-09-18T10:31:10")', dateTime('2015-09-18T10:31:10')],
    ['date and time("2015-09-18T10:31:10Z")', dateTime('2015-09-18T10:31:10Z')],
    ['date and time("2015-09-18T10:31:10+01:00")', dateTime('2015-09-18T10:31:10+01:00')],
    [
      'date and time("2015-09-18T10:31:10@Europe/Paris")',
      dateTime('2015-09-18T10:31:10+02:00[Europe/Paris]'),
    ],
    [
      'date and time("2015-09-18T10:31:10+02:00[Europe/Paris]")',
      dateTime('2015-09-18T10:31:10+02:00[Europe/Paris]'),
    ],
    ['@"2015-09-18T10:31:10"', dateTime('2015-09-18T10:31:10')],
    ['@"2015-09-18T10:31:10Z"', dateTime('2015-09-18T10:31:10Z')],
    ['@"2015-09-18T10:31:10+01:00"', dateTime('2015-09-18T10:31:10+01:00')],
    ['@"2015-09-18T10:31:10@Europe/Paris"', dateTime('2015-09-18T10:31:10+02:00[Europe/Paris]')],
    [
      '@"2015-09-18T10:31:10+02:00[Europe/Paris]"',
      dateTime('2015-09-18T10:31:10+02:00[Europe/Paris]'),
    ],
    ['duration("P4D")', duration('P4D')],
    ['duration("PT2H")', duration('PT2H')],
    ['duration("PT30M")', duration('PT30M')],
    ['duration("P1DT6H")', duration('P1DT6H')],
    ['@"P4D"', duration('P4D')],
    ['@"P1DT6H"', duration('P1DT6H')],
    ['duration("P2Y")', duration('P2Y')],
    ['duration("P6M")', duration('P6M')],
    ['duration("P1Y6M")', duration('P1Y6M')],
    ['@"P1Y6M"', duration('P1Y6M')],
    ['[]', []],
    ['[1,2,3]', [1, 2, 3]],
    ['["a","b"]', ['a', 'b']],
    ['[["list"], "of", [["lists"]]]', [['list'], 'of', [['lists']]]],
    ['{}', {}],
    ['{a:1}', { a: 1 }],
    ['{b: 2, c: "valid"}', { b: 2, c: 'valid' }],
    ['{nested: {d: 3}}', { nested: { d: 3 } }],
    ['{"a": 1}', { a: 1 }],
    ['{"b": 2, "c": "valid"}', { b: 2, c: 'valid' }],
    // an invalid calendar date is null
    ['@"2024-06-31"', null],
  ]);
});

describe('variables', () => {
  examples([
    ['a + b', 3, { a: 1, b: 2 }],
    ['a.b', 'x', { a: { b: 'x' } }],
    ['missing', null],
    ['a != null and a.b > 10', true, { a: { b: 11 } }],
    ['a != null and a.b > 10', false, {}],
    ['`first name`', 'Ada', { 'first name': 'Ada' }],
    ['`tracking-id`', 'T-1', { 'tracking-id': 'T-1' }],
    ['order.`total price`', 10, { order: { 'total price': 10 } }],
  ]);
});

describe('control flow', () => {
  examples([
    ['if 5 < 10  then "low" else "high"', 'low'],
    ['if 12 < 10 then "low" else "high"', 'high'],
    ['if null then "low" else "high"', 'high'],
    ['for x in [1,2,3] return x * 2', [2, 4, 6]],
    ['for x in [1,2], y in [3,4] return x * y', [3, 4, 6, 8]],
    [
      'for i in 1..10 return if (i <= 2) then 1 else partial[-1] + partial[-2]',
      [1, 1, 2, 3, 5, 8, 13, 21, 34, 55],
    ],
    [
      'for x in ["a","b","c"] return {value: x, index: count(partial) + 1}',
      [
        { value: 'a', index: 1 },
        { value: 'b', index: 2 },
        { value: 'c', index: 3 },
      ],
    ],
    ['for x in 0..8 return 2 ** x', [1, 2, 4, 8, 16, 32, 64, 128, 256]],
    ['for x in 3..1 return 2 * x', [6, 4, 2]],
  ]);
});

describe('boolean expressions', () => {
  examples([
    ['5 = 5', true],
    ['5 != 5', false],
    ['date("2020-04-05") < date("2020-04-06")', true],
    ['time("08:00:00") <= time("08:00:00")', true],
    ['duration("P1D") > duration("P5D")', false],
    ['duration("P1Y") >= duration("P6M")', true],
    ['5 between 3 and 7', true],
    ['date("2020-04-06") between date("2020-04-05") and date("2020-04-09")', true],
    ['null = null', true],
    ['"foo" = null', false],
    ['{x: null}.x = null', true],
    ['{}.y = null', true],
    ['is defined({}.y)', false],
    ['true and true', true],
    ['true and false', false],
    ['true and null', null],
    ['true and "otherwise"', null],
    ['false and null', false],
    ['false and "otherwise"', false],
    ['true or false', true],
    ['false or false', false],
    ['true or null', true],
    ['true or "otherwise"', true],
    ['false or null', null],
    ['false or "otherwise"', null],
    ['1 instance of number', true],
    ['1 instance of string', false],
    ['1 instance of Any', true],
    ['null instance of Any', false],
    ['duration("P3M") instance of years and months duration', true],
    ['duration("PT4H") instance of days and time duration', true],
    ['5 in (3..7)', true],
    ['date("2021-06-04") in [date("2021-05-01")..date("2021-05-31")]', false],
    ['5 in (3,5,7)', true],
    ['5 in [2,4,6,8]', false],
  ]);
});

describe('numeric expressions', () => {
  examples([
    ['01', 1],
    ['-0002', -2],
    ['2 + 3', 5],
    ['5 - 3', 2],
    ['5 * 3', 15],
    ['6 / 2', 3],
    ['2 ** 3', 8],
    // numbers are decimals, as in Zeebe
    ['0.1 + 0.2', 0.3],
    ['0.3 - 0.1', 0.2],
    ['1.1 * 3', 3.3],
    ['1234.56 * 1.22', 1506.1632],
    ['1 / 3', 0.3333333333333333],
    ['10 / 0', null],
    ['(0.1 + 0.2) * 10 = 3', true],
  ]);
});

describe('string expressions', () => {
  examples([
    ['"valid"', 'valid'],
    ['"foo" + "bar"', 'foobar'],
    ['"order-" + string(123)', 'order-123'],
  ]);
});

describe('list expressions', () => {
  examples([
    ['[1,2,3,4]', [1, 2, 3, 4]],
    [
      '[[1,2], [3,4], [5,6]]',
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
    ],
    ['[1,2,3,4][1]', 1],
    ['[1,2,3,4][2]', 2],
    ['[1,2,3,4][4]', 4],
    ['[1,2,3,4][5]', null],
    ['[1,2,3,4][0]', null],
    ['[1,2,3,4][-1]', 4],
    ['[1,2,3,4][-2]', 3],
    ['[1,2,3,4][-5]', null],
    ['[1,2,3,4][item > 2]', [3, 4]],
    ['[1,2,3,4][item > 10]', []],
    ['[1,2,3,4][even(item)]', [2, 4]],
    ['some x in [1,2,3] satisfies x > 2', true],
    ['some x in [1,2,3] satisfies x > 5', false],
    ['some x in [1,2,3] satisfies even(x)', true],
    ['some x in [1,2], y in [2,3] satisfies x < y', true],
    ['every x in [1,2,3] satisfies x >= 1', true],
    ['every x in [1,2,3] satisfies x >= 2', false],
    ['every x in [1,2,3] satisfies even(x)', false],
    ['every x in [1,2], y in [2,3] satisfies x < y', false],
    // an index given by a variable, and a filter by an entry of the elements
    ['xs[i]', 'b', { xs: ['a', 'b', 'c'], i: 2 }],
    [
      'tasks[done].id',
      [2],
      {
        tasks: [
          { id: 1, done: false },
          { id: 2, done: true },
        ],
      },
    ],
    ['xs[count(xs)]', 'c', { xs: ['a', 'b', 'c'] }],
    [
      'data.attribute.packaging[unit = "Palette"][1]',
      { unit: 'Palette', size: 2 },
      {
        data: {
          attribute: {
            packaging: [
              { unit: 'Box', size: 1 },
              { unit: 'Palette', size: 2 },
            ],
          },
        },
      },
    ],
  ]);

  const invoices = [
    { id: 1, person: 'A', amount: 10 },
    { id: 2, person: 'A', amount: 20 },
    { id: 3, person: 'A', amount: 30 },
    { id: 4, person: 'A', amount: 40 },
    { id: 5, person: 'B', amount: 15 },
    { id: 6, person: 'B', amount: 25 },
  ];
  examples([
    [
      'for p in distinct values(invoices.person) return invoices[person = p]',
      [invoices.slice(0, 4), invoices.slice(4)],
      { invoices },
    ],
    [
      `{
   ids: union(x.files.id,y.files.id),
   getById: function (files,fileId) get or else(files[id=fileId][1], {}),
   merge: for id in ids return context merge(getById(x.files, id), getById(y.files, id))
 }.merge`,
      [
        { id: 1, content: 'a2' },
        { id: 2, content: 'b' },
        { id: 3, content: 'c' },
      ],
      {
        x: {
          files: [
            { id: 1, content: 'a' },
            { id: 2, content: 'b' },
          ],
        },
        y: {
          files: [
            { id: 1, content: 'a2' },
            { id: 3, content: 'c' },
          ],
        },
      },
    ],
  ]);
});

describe('context expressions', () => {
  examples([
    ['{ a: 1, b: 2 }', { a: 1, b: 2 }],
    ['{ "a": 1, "b": 2 }', { a: 1, b: 2 }],
    ['{ a: 2, b: a * 2 }', { a: 2, b: 4 }],
    ['{ a: 1, b: { c: 2 } }', { a: 1, b: { c: 2 } }],
    ['{ a: 2 }.a', 2],
    ['{ a: { b: 3 } }.a', { b: 3 }],
    ['{ a: { b: 3 } }.a.b', 3],
    // the documentation shows the single match; a filter always returns a list
    ['[ { a: "p1", b: 5 }, { a: "p2", b: 10 } ][b > 7]', [{ a: 'p2', b: 10 }]],
    ['[ { a: "p1", b: 5 }, { a: "p2", b: 10 } ].a', ['p1', 'p2']],
  ]);
});

describe('functions', () => {
  examples([
    ['contains("me@camunda.com", ".com")', true],
    ['contains(string: "me@camunda.com", match: ".de")', false],
    ['unknownFunction(1)', null],
    ['{ add: function(a, b) a + b }.add(1, 2)', 3],
    [
      '{ age: function(birthday) (date("2024-05-01") - birthday).days }.age(date("2024-04-01"))',
      30,
    ],
  ]);
});

describe('error handling', () => {
  examples([
    ['a.b > 10', null],
    // null propagates through operators and functions
    ['1 + null', null],
    ['null - 1', null],
    ['null > 5', null],
    ['"a" + 1', null],
    ['upper case(null)', null],
    ['count(null)', null],
    ['a.b.c', null, { a: { b: null } }],
    ['date("not a date")', null],
    ['[{a: 1}, {b: 2}].a', [1, null]],
    ['[{a: 1}, {b: 2}][a < 10]', [{ a: 1 }]],
    ['get or else(a, "prio-99")', 'prio-99'],
  ]);
});

describe('unary tests', () => {
  const test = (text: string, input: unknown) =>
    evaluateFeelText(text, 'unary tests', { '?': input }).value;
  const cases: [string, unknown, boolean][] = [
    ['"valid"', 'valid', true],
    ['< 10', 5, true],
    ['<= date("2020-04-06")', { type: 'date', text: '2020-04-06' }, true],
    ['> time("08:00:00")', { type: 'time', text: '09:00:00' }, true],
    ['>= duration("P5D")', { type: 'duration', text: 'P6D' }, true],
    ['(2..5)', 2, false],
    [']2..5[', 3, true],
    ['[2..5]', 5, true],
    ['(2..5]', 5, true],
    ['2, 3, 4', 3, true],
    ['< 10, > 50', 20, false],
    ['not("valid")', 'invalid', true],
    ['not(2, 3)', 3, false],
    ['contains(?, "good")', 'very good', true],
    ['ends with(?, "@camunda.com")', 'me@camunda.com', true],
    ['-', 'anything', true],
  ];
  for (const [text, input, expected] of cases) {
    it(`${text} with ${JSON.stringify(input)} → ${expected}`, () => {
      const temporal = input as { type?: string; text?: string };
      const inputValue =
        temporal && typeof temporal === 'object' && temporal.type
          ? value(`${temporal.type}("${temporal.text}")`)
          : input;
      // temporal inputs are passed as FEEL values, as the DMN engine does
      const feelInput =
        temporal && typeof temporal === 'object' && temporal.type
          ? evaluateFeelText(`${temporal.type}("${temporal.text}")`, 'expression', {}).value
          : inputValue;
      expect(test(text, feelInput)).toBe(expected);
    });
  }
});
