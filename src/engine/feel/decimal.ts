/**
 * FEEL numbers are decimals (Zeebe: BigDecimal, 34 significant digits). feelin computes
 * with JavaScript doubles, so 0.1 + 0.2 would be 0.30000000000000004 and 1.1 * 3
 * 3.3000000000000003. Arithmetic and the numeric built-ins therefore compute with
 * decimal.js on the shortest decimal form of each operand and hand back the nearest
 * double: amounts such as 1234.56 * 1.22 come out as the decimal result.
 */
import Decimal from 'decimal.js';

export const FeelDecimal = Decimal.clone({
  precision: 34,
  rounding: Decimal.ROUND_HALF_EVEN,
  toExpNeg: -40,
  toExpPos: 40,
});
export type FeelDecimal = InstanceType<typeof FeelDecimal>;

export function decimal(value: number | string): FeelDecimal {
  return new FeelDecimal(value);
}

/** The double nearest to a decimal result; null for non-finite results (FEEL has none). */
export function toNumber(value: FeelDecimal): number | null {
  const n = value.toNumber();
  if (!Number.isFinite(n)) return null;
  return Object.is(n, -0) ? 0 : n;
}

export function isFeelNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

export function add(a: number, b: number): number | null {
  return toNumber(decimal(a).plus(b));
}

export function subtract(a: number, b: number): number | null {
  return toNumber(decimal(a).minus(b));
}

export function multiply(a: number, b: number): number | null {
  return toNumber(decimal(a).times(b));
}

/** Division; null when dividing by zero, as in Zeebe. */
export function divide(a: number, b: number): number | null {
  if (b === 0) return null;
  return toNumber(decimal(a).dividedBy(b));
}

export function power(a: number, b: number): number | null {
  const result = decimal(a).pow(b);
  return result.isNaN() ? null : toNumber(result);
}

/** The rounding modes of decimal(n, scale, mode) as Java's RoundingMode names them. */
export const ROUNDING_MODES: Readonly<Record<string, Decimal.Rounding>> = {
  UP: Decimal.ROUND_UP,
  DOWN: Decimal.ROUND_DOWN,
  CEILING: Decimal.ROUND_CEIL,
  FLOOR: Decimal.ROUND_FLOOR,
  HALF_UP: Decimal.ROUND_HALF_UP,
  HALF_DOWN: Decimal.ROUND_HALF_DOWN,
  HALF_EVEN: Decimal.ROUND_HALF_EVEN,
};

/** Rounds to `scale` digits after the point (negative scales round to tens, hundreds ...). */
export function roundAt(n: number, scale: number, mode: Decimal.Rounding): number | null {
  if (!Number.isInteger(scale)) return null;
  const d = decimal(n);
  if (scale >= 0) return toNumber(d.toDecimalPlaces(scale, mode));
  const factor = decimal(10).pow(-scale);
  return toNumber(d.dividedBy(factor).toDecimalPlaces(0, mode).times(factor));
}
