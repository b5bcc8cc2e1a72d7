/**
 * Conversion functions where Zeebe's FEEL differs from feelin: number() with one or two
 * arguments, string() of numbers without exponent, from json / to json, and years and
 * months duration (feelin keeps the remaining days: P1Y8M2D instead of P1Y8M).
 */
import { decimal, isFeelNumber } from '../decimal';
import { warn } from '../frame';
import { delegate, feelFunction } from '../function-values';
import { yearsAndMonthsBetween } from '../temporal';
import { toJsonValue } from '../values';

const GROUPING_SEPARATORS = new Set([' ', ',', '.']);
const DECIMAL_SEPARATORS = new Set(['.', ',']);
const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function parseNumber(from: unknown, grouping: unknown, decimalSeparator: unknown): unknown {
  if (typeof from !== 'string') return warn('INVALID_ARGUMENTS', 'number needs a string');
  const group = grouping ?? null;
  const point = decimalSeparator ?? null;
  if (group !== null && (typeof group !== 'string' || !GROUPING_SEPARATORS.has(group))) {
    return warn(
      'INVALID_ARGUMENTS',
      `'${String(group)}' is not a grouping separator (space, comma or period)`,
    );
  }
  if (point !== null && (typeof point !== 'string' || !DECIMAL_SEPARATORS.has(point))) {
    return warn(
      'INVALID_ARGUMENTS',
      `'${String(point)}' is not a decimal separator (period or comma)`,
    );
  }
  if (group !== null && group === point) {
    return warn('INVALID_ARGUMENTS', 'the grouping and decimal separators must differ');
  }
  let text = from.trim();
  if (group !== null) text = text.split(group).join('');
  if (point !== null && point !== '.') text = text.split(point).join('.');
  if (!NUMBER_TEXT.test(text)) return warn('INVALID_ARGUMENTS', `'${from}' is not a number`);
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

/** JSON values as FEEL values: everything maps directly (strings stay strings). */
function fromJson(value: unknown): unknown {
  if (typeof value !== 'string') return warn('INVALID_ARGUMENTS', 'from json needs a string');
  try {
    return JSON.parse(value) ?? null;
  } catch {
    return warn('INVALID_ARGUMENTS', `'${value.slice(0, 60)}' is not valid JSON`);
  }
}

export const CONVERSION_FUNCTIONS = {
  number: feelFunction(['from', 'grouping separator', 'decimal separator'], parseNumber),
  string: feelFunction(['from'], (from: unknown) => {
    if (from === null || from === undefined) return null;
    if (isFeelNumber(from)) return decimal(from).toFixed();
    return delegate('string(a)', [from]);
  }),
  'from json': feelFunction(['value'], fromJson),
  'to json': feelFunction(['value'], (value: unknown) => JSON.stringify(toJsonValue(value))),
  'years and months duration': feelFunction(['from', 'to'], yearsAndMonthsBetween),
};
