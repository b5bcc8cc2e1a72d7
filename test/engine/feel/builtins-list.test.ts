/** FEEL reference, "List functions": one block per function, its documented examples. */
import { date, dateTime, duration, examples } from './support';

describe('list contains()', () => {
  examples([
    ['list contains([1,2,3], 2)', true],
    ['list contains([date("2020-01-01")], date("2020-01-01"))', true],
    ['list contains([{a: 1}], {a: 1})', true],
    ['list contains([1,2,3], "2")', false],
  ]);
});

describe('count()', () => {
  examples([['count([1,2,3])', 3]]);
});

describe('min()', () => {
  examples([
    ['min([1,2,3])', 1],
    ['min(1,2,3)', 1],
    // any comparable values of one type
    ['min(["b", "a"])', 'a'],
    ['min([date("2020-01-02"), date("2020-01-01")])', date('2020-01-01')],
    ['min([1, "a"])', null],
    ['min([])', null],
  ]);
});

describe('max()', () => {
  examples([
    ['max([1,2,3])', 3],
    ['max(1,2,3)', 3],
    ['max([duration("P1D"), duration("PT36H")])', duration('P1DT12H')],
    [
      'max([date and time("2020-01-01T10:00:00Z"), date and time("2020-01-01T11:00:00@Europe/Rome")])',
      dateTime('2020-01-01T10:00:00Z'),
    ],
  ]);
});

describe('sum()', () => {
  examples([
    ['sum([1,2,3])', 6],
    ['sum(1,2,3)', 6],
    // numbers are decimals: amounts add up exactly
    ['sum([0.1, 0.2, 0.3])', 0.6],
  ]);
});

describe('product()', () => {
  examples([
    ['product([2, 3, 4])', 24],
    ['product(2, 3, 4)', 24],
  ]);
});

describe('mean()', () => {
  examples([
    ['mean([1,2,3])', 2],
    ['mean(1,2,3)', 2],
  ]);
});

describe('median()', () => {
  examples([
    ['median(8, 2, 5, 3, 4)', 4],
    ['median([6, 1, 2, 3])', 2.5],
  ]);
});

describe('stddev()', () => {
  examples([
    ['stddev(2, 4, 7, 5)', 2.0816659994661326],
    ['stddev([2, 4, 7, 5])', 2.0816659994661326],
  ]);
});

describe('mode()', () => {
  examples([
    ['mode(6, 3, 9, 6, 6)', [6]],
    ['mode([6, 1, 9, 6, 1])', [1, 6]],
  ]);
});

describe('all()', () => {
  examples([
    ['all([true,false])', false],
    ['all(false,null,true)', false],
    ['all([])', true],
  ]);
});

describe('any()', () => {
  examples([
    ['any([false,true])', true],
    ['any(false,null,true)', true],
    ['any([])', false],
  ]);
});

describe('sublist()', () => {
  examples([
    ['sublist([1,2,3], 2)', [2, 3]],
    ['sublist([1,2,3], 1, 2)', [1, 2]],
  ]);
});

describe('append()', () => {
  examples([['append([1], 2, 3)', [1, 2, 3]]]);
});

describe('concatenate()', () => {
  examples([
    ['concatenate([1,2],[3])', [1, 2, 3]],
    ['concatenate([1],[2],[3])', [1, 2, 3]],
  ]);
});

describe('insert before()', () => {
  examples([['insert before([1,3],1,2)', [2, 1, 3]]]);
});

describe('remove()', () => {
  examples([['remove([1,2,3], 2)', [1, 3]]]);
});

describe('reverse()', () => {
  examples([['reverse([1,2,3])', [3, 2, 1]]]);
});

describe('index of()', () => {
  examples([
    ['index of([1,2,3,2],2)', [2, 4]],
    ['index of([{a: 1}, {a: 2}], {a: 2})', [2]],
  ]);
});

describe('union()', () => {
  examples([['union([1,2],[2,3])', [1, 2, 3]]]);
});

describe('distinct values()', () => {
  examples([['distinct values([1,2,3,2,1])', [1, 2, 3]]]);
});

describe('duplicate values()', () => {
  examples([['duplicate values([1,2,3,2,1])', [1, 2]]]);
});

describe('flatten()', () => {
  examples([['flatten([[1,2],[[3]], 4])', [1, 2, 3, 4]]]);
});

describe('sort()', () => {
  examples([['sort(list: [3,1,4,5,2], precedes: function(x,y) x < y)', [1, 2, 3, 4, 5]]]);
});

describe('string join()', () => {
  examples([
    ['string join(["a","b","c"])', 'abc'],
    ['string join(["a",null,"c"])', 'ac'],
    ['string join([])', ''],
    ['string join(["a"], "X")', 'a'],
    ['string join(["a","b","c"], ", ")', 'a, b, c'],
    ['string join(["a","b","c"], ", ", "[", "]")', '[a, b, c]'],
    // an item that is neither a string nor null makes the result null
    ['string join(["a", 1])', null],
  ]);
});

describe('is empty()', () => {
  examples([
    ['is empty([])', true],
    ['is empty([1,2,3])', false],
  ]);
});

describe('partition()', () => {
  examples([
    ['partition([1,2,3,4,5], 2)', [[1, 2], [3, 4], [5]]],
    ['partition([], 2)', []],
    ['partition([1,2], 0)', null],
  ]);
});
