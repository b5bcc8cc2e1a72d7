/**
 * Zeebe timer values: a date (timeDate), a duration (timeDuration) or a repeating cycle
 * (timeCycle: R5/PT10S, R/PT1M, R3/2025-01-01T00:00:00Z/PT1H, or a cron expression, see
 * cron-cycles.ts). Durations and dates follow
 * the one set of ISO-8601 rules in src/time (luxon, calendar units in Europe/Rome).
 */
import { addDuration, parseDateTime, parseDuration } from '../../time';
import { isCronExpression, nextCronDue } from './cron-cycles';

export interface Cycle {
  /** -1 = infinite. */
  repetitions: number;
  interval: string;
  start?: number;
}

export function parseCycle(text: string): Cycle {
  const parts = text.trim().split('/');
  const rep = /^R(\d*)$/.exec(parts[0] ?? '');
  if (!rep || parts.length < 2 || parts.length > 3) {
    throw new Error(`'${text}' is not a valid ISO-8601 repeating interval (e.g. R5/PT10S)`);
  }
  const repetitions = rep[1] === '' ? -1 : Number(rep[1]);
  if (parts.length === 3) {
    parseDuration(parts[2]);
    return { repetitions, interval: parts[2], start: parseDateTime(parts[1]) };
  }
  parseDuration(parts[1]);
  return { repetitions, interval: parts[1] };
}

/** First due date of a cycle, counted from `now` (or from its explicit start). */
export function firstCycleDue(cycle: Cycle, now: number): number {
  if (cycle.start !== undefined) {
    const t = cycle.start;
    // A start in the past: fire at the start, as Zeebe does for the first repetition.
    if (t < now && addDuration(t, cycle.interval) <= t) return now;
    return t;
  }
  return addDuration(now, cycle.interval);
}

/** The due date after `previous` of a cycle with this interval, never in the past. */
export function nextCycleDue(previous: number, interval: string, now: number): number {
  if (isCronExpression(interval)) return nextCronDue(interval, Math.max(previous, now));
  const due = addDuration(previous, interval);
  return due <= now ? addDuration(now, interval) : due;
}

export interface TimerSchedule {
  dueDate: number;
  repetitions: number;
  interval?: string;
}

/** Resolves a timer definition's (already evaluated) text into its first due date. */
export function scheduleTimer(
  kind: 'date' | 'duration' | 'cycle',
  text: string,
  now: number,
): TimerSchedule {
  if (kind === 'date') return { dueDate: parseDateTime(text), repetitions: 1 };
  if (kind === 'duration') return { dueDate: addDuration(now, text), repetitions: 1 };
  // A cron cycle repeats until its subscription is closed; the expression is its interval.
  if (isCronExpression(text)) {
    return { dueDate: nextCronDue(text, now), repetitions: -1, interval: text.trim() };
  }
  const cycle = parseCycle(text);
  return {
    dueDate: firstCycleDue(cycle, now),
    repetitions: cycle.repetitions,
    interval: cycle.interval,
  };
}
