import path from 'node:path';
import { DateTime } from 'luxon';
import {
  calendarForProvince,
  CalendarConfigError,
  createWorkingCalendar,
  deadlineState,
} from '../../../src/calendar';
import { loadProductConfig } from '../../../src/config';

const rome = (iso: string) => DateTime.fromISO(iso, { zone: 'Europe/Rome' });

describe('Italian working days (date-holidays + luxon, Europe/Rome)', () => {
  const calendar = createWorkingCalendar();

  test('3 working days from Thursday 30 April 2026 is Wednesday 6 May 2026 (1 May is a holiday)', () => {
    const due = calendar.addWorkingDays(rome('2026-04-30T10:15'), 3);
    expect(due.toISODate()).toBe('2026-05-06');
    expect(due.weekdayLong).toBe('Wednesday');
  });

  test('1 working day from Friday 3 April 2026 is Tuesday 7 April 2026 (Easter Monday)', () => {
    expect(calendar.addWorkingDays(rome('2026-04-03T16:00'), 1).toISODate()).toBe('2026-04-07');
    expect(calendar.closedBecause('2026-04-06')).toMatch(/Angelo/);
  });

  test('1 working day from Friday 1 October 2027 is Tuesday 5 October 2027 (4 October, from 2026)', () => {
    expect(calendar.addWorkingDays(rome('2027-10-01T09:00'), 1).toISODate()).toBe('2027-10-05');
    expect(calendar.closedBecause('2027-10-04')).toMatch(/Francesco/);
    // Before L. 151/2025 took effect, 4 October was an ordinary day.
    expect(calendar.isWorkingDay('2024-10-04')).toBe(true);
  });

  test('the day is the day in Rome, whatever the zone of the input', () => {
    // 23:30 UTC on Thursday 30 April is already Friday 1 May (a holiday) in Rome.
    const lateUtc = new Date('2026-04-30T23:30:00Z');
    expect(calendar.isWorkingDay(lateUtc)).toBe(false);
    expect(calendar.addWorkingDays(lateUtc, 1).toISODate()).toBe('2026-05-04');
  });

  test('dueAt is the end of the due day in Rome; 0 working days is today', () => {
    const due = calendar.dueAt('2026-04-30', 3);
    expect(DateTime.fromJSDate(due).setZone('Europe/Rome').toISO()).toBe(
      '2026-05-06T23:59:59.999+02:00',
    );
    expect(calendar.addWorkingDays('2026-05-04', 0).toISODate()).toBe('2026-05-04');
  });

  test('working days between two days, negative when the second is past', () => {
    expect(calendar.workingDaysBetween('2026-04-30', '2026-05-06')).toBe(3);
    expect(calendar.workingDaysBetween('2026-05-06', '2026-04-30')).toBe(-3);
    expect(calendar.workingDaysBetween('2026-05-06', '2026-05-06')).toBe(0);
  });

  test('province closure days: a patron day every year, a single day once', () => {
    const c = createWorkingCalendar({ closureDays: ['07-23', '2026-12-24'] });
    expect(c.isWorkingDay('2026-07-23')).toBe(false);
    expect(c.isWorkingDay('2027-07-23')).toBe(false);
    expect(c.isWorkingDay('2026-12-24')).toBe(false);
    expect(c.isWorkingDay('2027-12-24')).toBe(true);
    expect(c.addWorkingDays('2026-07-22', 1).toISODate()).toBe('2026-07-24');
    expect(() => createWorkingCalendar({ closureDays: ['23 luglio'] })).toThrow(
      CalendarConfigError,
    );
    expect(() => createWorkingCalendar({ closureDays: ['02-30'] })).toThrow(/not a day/);
  });

  test('the demo provinces read their closure days from engine-config', () => {
    const config = loadProductConfig(path.resolve(__dirname, '../../../engine-config'));
    const ravenna = calendarForProvince(config.provinces.get('039')!);
    expect(ravenna.isWorkingDay('2026-07-23')).toBe(false); // Sant'Apollinare
    const prato = calendarForProvince(config.provinces.get('100')!);
    expect(prato.isWorkingDay('2026-07-23')).toBe(true);
  });

  test('traffic light: green, yellow within the warning days, red once past', () => {
    const due = calendar.dueAt('2026-04-30', 3); // Wed 6 May, end of day
    expect(deadlineState(calendar, due, new Date('2026-04-30T08:00:00Z')).light).toBe('green');
    expect(deadlineState(calendar, due, new Date('2026-05-04T08:00:00Z'))).toEqual({
      light: 'yellow',
      workingDaysLeft: 2,
    });
    expect(deadlineState(calendar, due, new Date('2026-05-07T08:00:00Z'))).toEqual({
      light: 'red',
      workingDaysLeft: -1,
    });
    expect(deadlineState(calendar, undefined, new Date()).light).toBe('none');
  });
});
