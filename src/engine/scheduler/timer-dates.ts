/**
 * ISO-8601 timer values as Zeebe accepts them: durations (P1DT2H), repeating cycles
 * (R5/PT10S, R/PT1M, R3/2025-01-01T00:00:00Z/PT1H) and dates. Durations with years
 * or months are applied in calendar terms (UTC).
 */

const DURATION =
  /^(-)?P(?:(\d+(?:[.,]\d+)?)Y)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)W)?(?:(\d+(?:[.,]\d+)?)D)?(?:T(?:(\d+(?:[.,]\d+)?)H)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/;

export interface Duration {
  years: number;
  months: number;
  ms: number;
}

export function parseDuration(text: string): Duration {
  const m = DURATION.exec(text.trim());
  if (!m || text.trim() === 'P' || text.trim().endsWith('T')) {
    throw new Error(`'${text}' is not a valid ISO-8601 duration`);
  }
  const n = (i: number) => (m[i] ? Number(m[i].replace(',', '.')) : 0);
  const sign = m[1] ? -1 : 1;
  const ms =
    ((n(4) * 7 + n(5)) * 86_400_000 + n(6) * 3_600_000 + n(7) * 60_000 + n(8) * 1000) * sign;
  return { years: n(2) * sign, months: n(3) * sign, ms };
}

export function addDuration(from: number, d: Duration): number {
  let t = from;
  if (d.years || d.months) {
    const date = new Date(t);
    date.setUTCMonth(date.getUTCMonth() + d.months + d.years * 12);
    t = date.getTime();
  }
  return t + d.ms;
}

export function parseDate(text: string): number {
  const t = Date.parse(text.trim());
  if (Number.isNaN(t)) throw new Error(`'${text}' is not a valid ISO-8601 date`);
  return t;
}

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
    return { repetitions, interval: parts[2], start: parseDate(parts[1]) };
  }
  parseDuration(parts[1]);
  return { repetitions, interval: parts[1] };
}

/** First due date of a cycle, counted from `now` (or from its explicit start). */
export function firstCycleDue(cycle: Cycle, now: number): number {
  if (cycle.start !== undefined) {
    const t = cycle.start;
    const d = parseDuration(cycle.interval);
    // A start in the past: fire at the start, as Zeebe does for the first repetition.
    if (t < now && addDuration(t, d) <= t) return now;
    return t;
  }
  return addDuration(now, parseDuration(cycle.interval));
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
  if (kind === 'date') return { dueDate: parseDate(text), repetitions: 1 };
  if (kind === 'duration') {
    return { dueDate: addDuration(now, parseDuration(text)), repetitions: 1 };
  }
  const cycle = parseCycle(text);
  return {
    dueDate: firstCycleDue(cycle, now),
    repetitions: cycle.repetitions,
    interval: cycle.interval,
  };
}
