/**
 * Deploy-time check of timer definitions that are literal values (not `=` FEEL
 * expressions, which can only be checked when they are evaluated): the value must be
 * what the scheduler can run (src/time rules), and a cycle must not flood the engine.
 */
import { parseDuration } from '../../time';
import { isCronExpression } from '../scheduler/cron-cycles';
import { parseCycle, scheduleTimer } from '../scheduler/timer-dates';

/** A cycle that repeats for ever must wait at least this long between repetitions. */
export const MIN_UNBOUNDED_CYCLE_INTERVAL_MS = 1000;

export type TimerKind = 'date' | 'duration' | 'cycle';

/** Undefined when the literal timer value is valid; otherwise what is wrong with it. */
export function timerDefinitionProblem(kind: TimerKind, text: string): string | undefined {
  const value = text.trim();
  try {
    scheduleTimer(kind, value, Date.now());
    if (kind === 'duration' && parseDuration(value).toMillis() < 0) {
      return `timeDuration '${value}' is negative`;
    }
    return kind === 'cycle' ? cycleProblem(value) : undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

function cycleProblem(value: string): string | undefined {
  // A cron cycle that scheduleTimer accepted fires at most once a second: nothing to bound.
  if (isCronExpression(value)) return undefined;
  const cycle = parseCycle(value);
  // Calendar units count in their casual length (a month = 30 days): enough for a bound.
  const intervalMs = parseDuration(cycle.interval).toMillis();
  if (!(intervalMs > 0)) {
    return `timeCycle '${value}' has an interval of zero or less: it would fire without pause`;
  }
  if (cycle.repetitions === 0) return `timeCycle '${value}' repeats zero times`;
  if (cycle.repetitions < 0 && intervalMs < MIN_UNBOUNDED_CYCLE_INTERVAL_MS) {
    return `timeCycle '${value}' repeats for ever with an interval under ${MIN_UNBOUNDED_CYCLE_INTERVAL_MS} ms`;
  }
  return undefined;
}
