/**
 * ISO-8601 durations and date-times, one set of rules for the whole code base (the
 * engine's timers and the workers' deadlines), on luxon. Calendar units (years, months,
 * weeks, days) are applied in the Europe/Rome zone, so "P1D" is the same wall-clock time
 * the next day, also across a daylight-saving change; hours, minutes and seconds are
 * exact amounts of time. A leaf room: it imports nothing from the product or the engine.
 */
import { DateTime, Duration } from 'luxon';

export const TIME_ZONE = 'Europe/Rome';

export class InvalidTimeValueError extends Error {
  override name = 'InvalidTimeValueError';
}

/**
 * Parses an ISO-8601 duration (PnYnMnWnDTnHnMnS, fractions allowed, an optional leading
 * '-' negates the whole duration). Refused: empty durations ('P', 'PT', a 'T' with no
 * time part), signs inside the duration, anything luxon cannot read.
 */
export function parseDuration(text: string): Duration {
  const t = text.trim();
  const body = t.startsWith('-') ? t.slice(1) : t;
  const d = /^P(?!T?$)(?!.*T$)[0-9.,YMWDTHS]*$/.test(body) ? Duration.fromISO(body) : undefined;
  if (!d?.isValid) throw new InvalidTimeValueError(`'${text}' is not a valid ISO-8601 duration`);
  return t.startsWith('-') ? d.negate() : d;
}

export function isDuration(text: string): boolean {
  try {
    parseDuration(text);
    return true;
  } catch {
    return false;
  }
}

/** `at` plus `sign` × the duration (epoch ms in, epoch ms out), calendar units in Europe/Rome. */
export function addDuration(at: number, duration: string | Duration, sign: 1 | -1 = 1): number {
  const d = typeof duration === 'string' ? parseDuration(duration) : duration;
  const start = DateTime.fromMillis(at, { zone: TIME_ZONE });
  return (sign === 1 ? start.plus(d) : start.minus(d)).toMillis();
}

/** The same on Date objects (the workers' deadlines). */
export function addDurationToDate(date: Date, duration: string, sign: 1 | -1 = 1): Date {
  return new Date(addDuration(date.getTime(), duration, sign));
}

/**
 * Parses an ISO-8601 date-time: with 'Z' or an offset, optionally followed by a zone id in
 * brackets ("2026-05-01T09:00:00+02:00[Europe/Rome]"); without either it is a local time in
 * Europe/Rome. A bare date is midnight in Europe/Rome.
 */
export function parseDateTime(text: string): number {
  const m = /^(.*?)(?:\[([^\]]+)\])?$/.exec(text.trim())!;
  const zone = m[2] ?? TIME_ZONE;
  const dt = DateTime.fromISO(m[1], { zone, setZone: true });
  if (!dt.isValid || (m[2] && !DateTime.local().setZone(m[2]).isValid)) {
    throw new InvalidTimeValueError(`'${text}' is not a valid ISO-8601 date-time`);
  }
  return dt.toMillis();
}

/** Whole and fractional days between two instants, rounded to hundredths. */
export function daysBetween(from: Date, to: Date): number {
  return Math.round(((to.getTime() - from.getTime()) / 86_400_000) * 100) / 100;
}
