/** FEEL reference, "Range functions": one block per function, its documented examples. */
import { examples } from './support';

describe('before()', () => {
  examples([
    ['before(1, 10)', true],
    ['before(10, 1)', false],
    ['before([1..5], 10)', true],
    ['before(1, [2..5])', true],
    ['before([1..5], [6..10])', true],
    ['before([1..5),[5..10])', true],
  ]);
});

describe('after()', () => {
  examples([
    ['after(10, 1)', true],
    ['after(1, 10)', false],
    ['after([1..5], 10)', false],
    ['after(12, [2..5])', true],
    ['after([6..10], [1..5])', true],
    ['after([5..10], [1..5))', true],
  ]);
});

describe('meets()', () => {
  examples([
    ['meets([1..5], [5..10])', true],
    ['meets([1..3], [4..6])', false],
    ['meets([1..3], [3..5])', true],
    ['meets([1..5], (5..8])', false],
  ]);
});

describe('met by()', () => {
  examples([
    ['met by([5..10], [1..5])', true],
    ['met by([3..4], [1..2])', false],
    ['met by([3..5], [1..3])', true],
    ['met by((5..8], [1..5))', false],
    ['met by([5..10], [1..5))', false],
  ]);
});

describe('overlaps()', () => {
  examples([
    ['overlaps([5..10], [1..6])', true],
    ['overlaps((3..7], [1..4])', true],
    ['overlaps([1..3], (3..6])', false],
    ['overlaps((5..8], [1..5))', false],
    ['overlaps([4..10], [1..5))', true],
  ]);
});

describe('overlaps before()', () => {
  examples([
    ['overlaps before([1..5], [4..10])', true],
    ['overlaps before([3..4], [1..2])', false],
    ['overlaps before([1..3], (3..5])', false],
    ['overlaps before([1..5), (3..8])', true],
    ['overlaps before([1..5), [5..10])', false],
  ]);
});

describe('overlaps after()', () => {
  examples([
    ['overlaps after([4..10], [1..5])', true],
    ['overlaps after([3..4], [1..2])', false],
    ['overlaps after([3..5], [1..3))', false],
    ['overlaps after((5..8], [1..5))', false],
    ['overlaps after([4..10], [1..5))', true],
  ]);
});

describe('finishes()', () => {
  examples([
    ['finishes(5, [1..5])', true],
    ['finishes(10, [1..7])', false],
    ['finishes([3..5], [1..5])', true],
    ['finishes((1..5], [1..5))', false],
    ['finishes([5..10], [1..10))', false],
  ]);
});

describe('finished by()', () => {
  examples([
    ['finished by([5..10], 10)', true],
    ['finished by([3..4], 2)', false],
    ['finished by([1..5], [3..5])', true],
    ['finished by((5..8], [1..5))', false],
    ['finished by([5..10], (1..10))', false],
  ]);
});

describe('includes()', () => {
  examples([
    ['includes([5..10], 6)', true],
    ['includes([3..4], 5)', false],
    ['includes([1..10], [4..6])', true],
    ['includes((5..8], [1..5))', false],
    ['includes([1..10], [1..5))', true],
  ]);
});

describe('during()', () => {
  examples([
    ['during(5, [1..10])', true],
    ['during(12, [1..10])', false],
    ['during(1, (1..10])', false],
    ['during([4..6], [1..10))', true],
    ['during((1..5], (1..10])', true],
  ]);
});

describe('starts()', () => {
  examples([
    ['starts(1, [1..5])', true],
    ['starts(1, (1..8])', false],
    ['starts((1..5], [1..5])', false],
    ['starts([1..10], [1..5])', false],
    ['starts((1..5), (1..10))', true],
  ]);
});

describe('started by()', () => {
  examples([
    ['started by([1..10], 1)', true],
    ['started by((1..10], 1)', false],
    ['started by([1..10], [1..5])', true],
    ['started by((1..10], [1..5))', false],
    ['started by([1..10], [1..10))', true],
  ]);
});

describe('coincides()', () => {
  examples([
    ['coincides(5, 5)', true],
    ['coincides(3, 4)', false],
    ['coincides([1..5], [1..5])', true],
    ['coincides((1..5], [1..5))', false],
    ['coincides([1..5], [2..6])', false],
  ]);
});
