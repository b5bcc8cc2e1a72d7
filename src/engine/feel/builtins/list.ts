/**
 * List functions of Zeebe's FEEL that feelin lacks (duplicate values, is empty,
 * partition) and the aggregates that must add decimals (sum, product, mean).
 */
import { decimal, isFeelNumber, toNumber, type FeelDecimal } from '../decimal';
import { warn } from '../frame';
import { feelFunction } from '../function-values';
import { compareFeelValues, feelEquals } from '../ordering';
import { feelTypeOf, toJsonValue } from '../values';

/** A key under which FEEL-equal values of the kinds found in lists coincide. */
function equalityKey(value: unknown): string {
  return `${feelTypeOf(value)}:${JSON.stringify(toJsonValue(value))}`;
}

/** `f(list)` or `f(a, b, c)`: the elements either way. */
function elementsOf(args: unknown[]): unknown[] {
  return args.length === 1 && Array.isArray(args[0]) ? (args[0] as unknown[]) : args;
}

function numbers(name: string, args: unknown[]): number[] | null {
  const items = elementsOf(args);
  if (!items.every(isFeelNumber)) {
    return warn(
      'INVALID_ARGUMENTS',
      `${name} needs a list of numbers, got '${JSON.stringify(toJsonValue(items))}'`,
    );
  }
  return items as number[];
}

function aggregate(
  name: string,
  combine: (total: FeelDecimal, n: number) => FeelDecimal,
  finish: (total: FeelDecimal, count: number) => FeelDecimal = (t) => t,
) {
  return feelFunction(['...list'], (...args: unknown[]) => {
    const items = numbers(name, args);
    if (!items || items.length === 0) return null;
    const [first, ...rest] = items;
    return toNumber(finish(rest.reduce(combine, decimal(first)), items.length));
  });
}

/** min / max of comparable values of one type (numbers, strings, dates, durations, ...). */
function extreme(name: string, wanted: 1 | -1) {
  return feelFunction(['...list'], (...args: unknown[]) => {
    const items = elementsOf(args);
    if (items.length === 0) return null;
    let best = items[0];
    for (const item of items.slice(1)) {
      const order = compareFeelValues(item, best);
      if (order === null) {
        return warn('INVALID_ARGUMENTS', `${name} needs comparable values of one type`);
      }
      if (order === wanted) best = item;
    }
    if (compareFeelValues(best, best) === null) {
      return warn('INVALID_ARGUMENTS', `${name} needs comparable values of one type`);
    }
    return best;
  });
}

export const LIST_FUNCTIONS = {
  // FEEL equality: dates, contexts and lists compare by value
  'list contains': feelFunction(['list', 'element'], (list: unknown, element: unknown) =>
    Array.isArray(list)
      ? list.some((item) => feelEquals(item, element))
      : warn('INVALID_ARGUMENTS', 'list contains needs a list'),
  ),
  'index of': feelFunction(['list', 'match'], (list: unknown, match: unknown) =>
    Array.isArray(list)
      ? list.flatMap((item, i) => (feelEquals(item, match) ? [i + 1] : []))
      : warn('INVALID_ARGUMENTS', 'index of needs a list'),
  ),
  min: extreme('min', -1),
  max: extreme('max', 1),
  'duplicate values': feelFunction(['list'], (list: unknown) => {
    if (!Array.isArray(list)) return warn('INVALID_ARGUMENTS', 'duplicate values needs a list');
    // In the order of their first occurrence: duplicate values([1,2,3,2,1]) = [1,2].
    const counts = new Map<string, { item: unknown; count: number }>();
    for (const item of list) {
      const key = equalityKey(item);
      const entry = counts.get(key);
      if (entry) entry.count += 1;
      else counts.set(key, { item, count: 1 });
    }
    return [...counts.values()].filter((e) => e.count > 1).map((e) => e.item);
  }),
  'is empty': feelFunction(['list'], (list: unknown) =>
    Array.isArray(list) ? list.length === 0 : warn('INVALID_ARGUMENTS', 'is empty needs a list'),
  ),
  partition: feelFunction(['list', 'size'], (list: unknown, size: unknown) => {
    if (!Array.isArray(list) || !isFeelNumber(size) || !Number.isInteger(size) || size <= 0) {
      return warn('INVALID_ARGUMENTS', 'partition needs a list and a size greater than zero');
    }
    const parts: unknown[][] = [];
    for (let i = 0; i < list.length; i += size) parts.push(list.slice(i, i + size));
    return parts;
  }),
  sum: aggregate('sum', (total, n) => total.plus(n)),
  product: aggregate('product', (total, n) => total.times(n)),
  mean: aggregate(
    'mean',
    (total, n) => total.plus(n),
    (total, count) => total.dividedBy(count),
  ),
};
