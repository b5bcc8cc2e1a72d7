/**
 * The traffic light of a deadline, counted in working days on the office calendar:
 * red once the due moment has passed, yellow when at most `warnWorkingDays` working
 * days are left, green otherwise; none without a due date.
 */
import type { WorkingCalendar } from './working-calendar';

export type TrafficLight = 'green' | 'yellow' | 'red' | 'none';

export interface DeadlineState {
  light: TrafficLight;
  /** Working days from today to the due day (negative when late); undefined without a due date. */
  workingDaysLeft?: number;
}

export function deadlineState(
  calendar: WorkingCalendar,
  dueAt: Date | undefined | null,
  now: Date,
  warnWorkingDays = 2,
): DeadlineState {
  if (!dueAt) return { light: 'none' };
  const workingDaysLeft = calendar.workingDaysBetween(now, dueAt);
  if (now.getTime() > dueAt.getTime()) return { light: 'red', workingDaysLeft };
  if (workingDaysLeft <= warnWorkingDays) return { light: 'yellow', workingDaysLeft };
  return { light: 'green', workingDaysLeft };
}
