/**
 * Italian working days: Monday to Friday, less the national holidays (date-holidays,
 * which knows Easter Monday and 4 October from 2026, L. 151/2025) and the closure days
 * a province lists in engine-config (`calendar.closureDays`: a patron saint's day
 * "MM-DD" every year, or a single "YYYY-MM-DD"). Days are Europe/Rome days (luxon).
 *
 * Counting follows art. 155 c.p.c.: the first day is not counted, so "3 working days
 * from Thursday 30 April 2026" is Wednesday 6 May 2026 (1 May is a holiday).
 */
import Holidays from 'date-holidays';
import { DateTime } from 'luxon';

export const ROME = 'Europe/Rome';

export interface WorkingCalendarOptions {
  /** "MM-DD" (every year) or "YYYY-MM-DD" (once): the province's own closure days. */
  closureDays?: string[];
  /** IANA zone of the office; Europe/Rome unless told otherwise. */
  zone?: string;
}

export interface WorkingCalendar {
  readonly zone: string;
  /** Whether the (zone-local) day of `at` is a working day. */
  isWorkingDay(at: DateLike): boolean;
  /** Why a day is not a working day ("Festa del lavoro", "sabato", "chiusura"), or undefined. */
  closedBecause(at: DateLike): string | undefined;
  /** The day `days` working days after the day of `from` (the first day is not counted). */
  addWorkingDays(from: DateLike, days: number): DateTime;
  /** End of that day (23:59:59.999 local): the moment a task due that day becomes late. */
  dueAt(from: DateLike, days: number): Date;
  /**
   * Working days from the day of `from` to the day of `to`: positive when `to` is later,
   * 0 on the same day, negative when `to` is already past.
   */
  workingDaysBetween(from: DateLike, to: DateLike): number;
}

export type DateLike = Date | DateTime | string;

/** Pairs of days whose working-day count is remembered (a few days of lists). */
const MAX_REMEMBERED = 20_000;

const CLOSURE = /^(\d{4}-)?(\d{2})-(\d{2})$/;

export class CalendarConfigError extends Error {}

function toDay(value: DateLike, zone: string): DateTime {
  const dt =
    value instanceof DateTime
      ? value
      : value instanceof Date
        ? DateTime.fromJSDate(value)
        : /^\d{4}-\d{2}-\d{2}$/.test(value)
          ? DateTime.fromISO(value, { zone })
          : DateTime.fromISO(value);
  if (!dt.isValid) throw new RangeError(`Not a valid date: ${String(value)}`);
  return dt.setZone(zone).startOf('day');
}

export function createWorkingCalendar(opts: WorkingCalendarOptions = {}): WorkingCalendar {
  const zone = opts.zone ?? ROME;
  const holidays = new Holidays('IT', { timezone: zone });
  const everyYear = new Set<string>();
  const once = new Set<string>();
  for (const raw of opts.closureDays ?? []) {
    const m = CLOSURE.exec(raw);
    if (!m || !DateTime.fromISO(`${m[1] ?? '2024-'}${m[2]}-${m[3]}`).isValid) {
      throw new CalendarConfigError(
        `calendar.closureDays: "${raw}" is not a day ("MM-DD" every year or "YYYY-MM-DD")`,
      );
    }
    (m[1] ? once : everyYear).add(m[1] ? raw : `${m[2]}-${m[3]}`);
  }
  // date-holidays computes a year at a time; keep each year's public holidays.
  const byYear = new Map<number, Map<string, string>>();
  const publicHolidays = (year: number): Map<string, string> => {
    let days = byYear.get(year);
    if (!days) {
      days = new Map();
      for (const h of holidays.getHolidays(year)) {
        if (h.type === 'public') days.set(h.date.slice(0, 10), h.name);
      }
      byYear.set(year, days);
    }
    return days;
  };

  const closedBecause = (at: DateLike): string | undefined => {
    const day = toDay(at, zone);
    const iso = day.toISODate()!;
    const holiday = publicHolidays(day.year).get(iso);
    if (holiday) return holiday;
    if (day.weekday === 6) return 'sabato';
    if (day.weekday === 7) return 'domenica';
    if (once.has(iso) || everyYear.has(iso.slice(5))) return 'chiusura degli uffici';
    return undefined;
  };

  const between = new Map<string, number>();
  const remember = (key: string, value: number) => {
    if (between.size >= MAX_REMEMBERED) between.clear();
    between.set(key, value);
  };

  const calendar: WorkingCalendar = {
    zone,
    closedBecause,
    isWorkingDay: (at) => closedBecause(at) === undefined,
    addWorkingDays(from, days) {
      if (!Number.isInteger(days) || days < 0) {
        throw new RangeError(`Working days must be a whole number >= 0, got ${days}`);
      }
      let day = toDay(from, zone);
      let left = days;
      while (left > 0) {
        day = day.plus({ days: 1 });
        if (calendar.isWorkingDay(day)) left--;
      }
      return day;
    },
    dueAt(from, days) {
      return calendar.addWorkingDays(from, days).endOf('day').toJSDate();
    },
    workingDaysBetween(from, to) {
      // Every row of a task list asks this from the same now to a handful of due moments
      // (the end of a day): remembered per pair of moments, then per pair of days, as a
      // page of 50 rows cost ~1,000 luxon steps.
      const exact =
        from instanceof Date && to instanceof Date
          ? `${from.getTime()}>${to.getTime()}`
          : undefined;
      const remembered = exact === undefined ? undefined : between.get(exact);
      if (remembered !== undefined) return remembered;
      const a = toDay(from, zone);
      const b = toDay(to, zone);
      const key = `${a.toMillis()}:${b.toMillis()}`;
      const known = between.get(key);
      if (known !== undefined) {
        if (exact !== undefined) remember(exact, known);
        return known;
      }
      const sign = b < a ? -1 : 1;
      const end = sign > 0 ? b : a;
      let day = sign > 0 ? a : b;
      let count = 0;
      while (day < end) {
        day = day.plus({ days: 1 });
        if (calendar.isWorkingDay(day)) count++;
      }
      remember(key, sign * count);
      if (exact !== undefined) remember(exact, sign * count);
      return sign * count;
    },
  };
  return calendar;
}
