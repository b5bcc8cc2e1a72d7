/** Temporal functions on the evaluation's clock and the engine's zone (temporal.ts). */
import { feelFunction } from '../function-values';
import { CONSTRUCTOR_OVERRIDES } from '../rewrite';
import { dateAndTime, lastDayOfMonth, now, today } from '../temporal';

export const TEMPORAL_FUNCTIONS = {
  now: feelFunction([], now),
  today: feelFunction([], today),
  'last day of month': feelFunction(['date'], lastDayOfMonth),
  [CONSTRUCTOR_OVERRIDES['date and time']]: feelFunction(
    ['date', 'time', 'from', 'timezone'],
    dateAndTime,
  ),
};
