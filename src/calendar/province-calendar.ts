/**
 * The office calendar of a province: national holidays plus the closure days it lists
 * in engine-config (`calendar.closureDays`, e.g. the patron saint of the chief town).
 * One calendar per province, built once.
 */
import type { ProvinceConfig } from '../config';
import { createWorkingCalendar, type WorkingCalendar } from './working-calendar';

export interface CalendarSettings {
  closureDays?: string[];
  /** Yellow light when at most this many working days are left (default 2). */
  warnWorkingDays?: number;
}

const cache = new WeakMap<ProvinceConfig, WorkingCalendar>();

export function calendarSettings(province: ProvinceConfig): CalendarSettings {
  return (province.settings.calendar ?? {}) as CalendarSettings;
}

export function calendarForProvince(province: ProvinceConfig): WorkingCalendar {
  let calendar = cache.get(province);
  if (!calendar) {
    calendar = createWorkingCalendar({ closureDays: calendarSettings(province).closureDays });
    cache.set(province, calendar);
  }
  return calendar;
}
