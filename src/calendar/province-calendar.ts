/**
 * The office calendar of a province: national holidays plus the closure days it lists
 * in its settings (`calendar.closureDays`, e.g. the patron saint of the chief town).
 * Calendars are built once per list of closure days.
 */
import type { ProvinceConfig, Settings } from '../config';
import { createWorkingCalendar, type WorkingCalendar } from './working-calendar';

export interface CalendarSettings {
  closureDays?: string[];
  /** Yellow light when at most this many working days are left (default 2). */
  warnWorkingDays?: number;
}

const cache = new Map<string, WorkingCalendar>();

export function calendarSettings(
  province: ProvinceConfig | { settings: Settings },
): CalendarSettings {
  return (province.settings.calendar ?? {}) as CalendarSettings;
}

export function calendarForProvince(
  province: ProvinceConfig | { settings: Settings },
): WorkingCalendar {
  const closureDays = calendarSettings(province).closureDays ?? [];
  const key = JSON.stringify(closureDays);
  let calendar = cache.get(key);
  if (!calendar) {
    calendar = createWorkingCalendar({ closureDays });
    cache.set(key, calendar);
  }
  return calendar;
}
