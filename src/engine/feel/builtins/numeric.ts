/**
 * Numeric functions computed on decimals (decimal.js), so rounding happens on the
 * decimal value: round half up(1.005, 2) is 1.01 here, 1 with doubles. Absolute values
 * of durations, and random number(), which feelin lacks.
 */
import { randomInt } from 'node:crypto';
import Decimal from 'decimal.js';
import { FeelDuration } from 'feelin';
import { decimal, isFeelNumber, roundAt, ROUNDING_MODES, toNumber } from '../decimal';
import { warn } from '../frame';
import { feelFunction } from '../function-values';
import { negateDuration } from '../temporal';

function rounding(name: string, mode: Decimal.Rounding) {
  return feelFunction(['n', 'scale'], (n: unknown, scale: unknown) => {
    const places = scale === undefined || scale === null ? 0 : scale;
    if (!isFeelNumber(n) || !isFeelNumber(places)) {
      return warn('INVALID_ARGUMENTS', `${name} needs a number and an optional scale`);
    }
    return roundAt(n, places, mode);
  });
}

export const NUMERIC_FUNCTIONS = {
  decimal: feelFunction(['n', 'scale', 'mode'], (n: unknown, scale: unknown, mode: unknown) => {
    if (!isFeelNumber(n) || !isFeelNumber(scale)) {
      return warn('INVALID_ARGUMENTS', 'decimal needs a number and a scale');
    }
    const name = typeof mode === 'string' ? mode.toUpperCase() : 'HALF_EVEN';
    const rounding = ROUNDING_MODES[name];
    if (rounding === undefined)
      return warn('INVALID_ARGUMENTS', `unknown rounding mode '${String(mode)}'`);
    return roundAt(n, scale, rounding);
  }),
  floor: rounding('floor', Decimal.ROUND_FLOOR),
  ceiling: rounding('ceiling', Decimal.ROUND_CEIL),
  'round up': rounding('round up', Decimal.ROUND_UP),
  'round down': rounding('round down', Decimal.ROUND_DOWN),
  'round half up': rounding('round half up', Decimal.ROUND_HALF_UP),
  'round half down': rounding('round half down', Decimal.ROUND_HALF_DOWN),
  // The result has the sign of the divisor: modulo(-12, 5) = 3.
  modulo: feelFunction(['dividend', 'divisor'], (dividend: unknown, divisor: unknown) => {
    if (!isFeelNumber(dividend) || !isFeelNumber(divisor) || divisor === 0) {
      return warn('INVALID_ARGUMENTS', 'modulo needs two numbers and a divisor other than zero');
    }
    const a = decimal(dividend);
    return toNumber(a.minus(decimal(divisor).times(a.dividedBy(divisor).floor())));
  }),
  sqrt: feelFunction(['number'], (n: unknown) =>
    isFeelNumber(n) && n >= 0
      ? toNumber(decimal(n).sqrt())
      : warn('INVALID_ARGUMENTS', 'sqrt needs a number that is not negative'),
  ),
  abs: feelFunction(['n'], (n: unknown) => {
    if (isFeelNumber(n)) return Math.abs(n);
    if (n instanceof FeelDuration) return n.toString().startsWith('-') ? negateDuration(n) : n;
    return warn('INVALID_ARGUMENTS', 'abs needs a number or a duration');
  }),
  'random number': feelFunction([], () => randomInt(0, 2 ** 47) / 2 ** 47),
};
