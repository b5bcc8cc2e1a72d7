/** FEEL reference, "String functions": one block per function, its documented examples. */
import { value, examples } from './support';

describe('substring()', () => {
  examples([
    ['substring("foobar", 3)', 'obar'],
    ['substring("foobar", -2)', 'ar'],
    ['substring("foobar", 3, 3)', 'oba'],
    ['substring("foobar", -3, 2)', 'ba'],
    ['substring("foobar", 3, 10)', 'obar'],
  ]);
});

describe('string length()', () => {
  examples([['string length("foo")', 3]]);
});

describe('upper case()', () => {
  examples([['upper case("aBc4")', 'ABC4']]);
});

describe('lower case()', () => {
  examples([['lower case("aBc4")', 'abc4']]);
});

describe('substring before()', () => {
  examples([['substring before("foobar", "bar")', 'foo']]);
});

describe('substring after()', () => {
  examples([['substring after("foobar", "ob")', 'ar']]);
});

describe('contains()', () => {
  examples([
    ['contains("foobar", "of")', false],
    ['contains("me@camunda.com", ".com")', true],
    ['contains(string: "me@camunda.com", match: ".de")', false],
  ]);
});

describe('starts with()', () => {
  examples([['starts with("foobar", "fo")', true]]);
});

describe('ends with()', () => {
  examples([['ends with("foobar", "r")', true]]);
});

describe('matches()', () => {
  examples([
    ['matches("foobar", "^fo*bar")', true],
    ['matches("FooBar", "foo", "i")', true],
  ]);
});

describe('replace()', () => {
  examples([
    ['replace("abcd", "(ab)|(a)", "[1=$1][2=$2]")', '[1=ab][2=]cd'],
    ['replace("0123456789", "(\\d{3})(\\d{3})(\\d{4})", "($1) $2-$3")', '(012) 345-6789'],
    ['replace("How do you feel?", "Feel", "FEEL", "i")', 'How do you FEEL?'],
  ]);
});

describe('split()', () => {
  examples([
    ['split("John Doe", "\\s" )', ['John', 'Doe']],
    ['split("a;b;c;;", ";")', ['a', 'b', 'c', '', '']],
  ]);
});

describe('extract()', () => {
  examples([['extract("references are 1234, 1256, 1378", "12[0-9]*")', ['1234', '1256']]]);
});

describe('trim()', () => {
  examples([
    ['trim("  hello world  ")', 'hello world'],
    ['trim("hello   world ")', 'hello   world'],
  ]);
});

describe('uuid()', () => {
  it('returns a UUID of 36 characters, a new one each time', () => {
    const first = value('uuid()');
    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(value('uuid()')).not.toBe(first);
  });
});

describe('to base64()', () => {
  examples([['to base64("FEEL")', 'RkVFTA==']]);
});
