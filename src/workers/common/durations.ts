/** ISO 8601 durations (as in engine-config and Zeebe timers) applied to dates. */

const DURATION =
  /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

export function parseDuration(text: string): {
  years: number;
  months: number;
  days: number;
  ms: number;
} {
  const m = DURATION.exec(text);
  if (!m || text === 'P' || text.endsWith('T'))
    throw new Error(`Invalid ISO 8601 duration "${text}"`);
  const n = (i: number) => (m[i] ? Number(m[i]) : 0);
  return {
    years: n(1),
    months: n(2),
    days: n(3) * 7 + n(4),
    ms: (n(5) * 3600 + n(6) * 60 + n(7)) * 1000,
  };
}

export function addDuration(date: Date, duration: string, sign: 1 | -1 = 1): Date {
  const d = parseDuration(duration);
  const out = new Date(date.getTime());
  out.setUTCFullYear(out.getUTCFullYear() + sign * d.years);
  out.setUTCMonth(out.getUTCMonth() + sign * d.months);
  out.setUTCDate(out.getUTCDate() + sign * d.days);
  return new Date(out.getTime() + sign * d.ms);
}

export function daysBetween(from: Date, to: Date): number {
  return Math.round(((to.getTime() - from.getTime()) / 86_400_000) * 100) / 100;
}
