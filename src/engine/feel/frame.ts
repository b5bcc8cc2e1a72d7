/**
 * The evaluation in progress: its work budget, its clock and the warnings of the
 * engine's own functions. feelin evaluates synchronously and offers no hook of its own,
 * so the rewritten expression (rewrite.ts) calls guard functions at every iteration
 * source, range and user-defined function call; they charge steps here and throw
 * FeelLimitExceeded past the limits, which unwinds feelin at once (it does not catch
 * errors thrown by context functions).
 */
import { FEEL_LIMITS, FeelLimitExceeded, type FeelLimits } from './limits';

export interface FeelWarning {
  type: string;
  message: string;
}

export interface EvaluationOptions {
  /**
   * Current time in epoch milliseconds for now() and today(); default: the clock set by
   * withFeelClock, else Date.now.
   */
  clock?: () => number;
  /** Limits for this evaluation; default FEEL_LIMITS. */
  limits?: FeelLimits;
}

interface Frame {
  steps: number;
  deadline: number;
  limits: FeelLimits;
  clock: () => number;
  warnings: FeelWarning[];
}

const running: Frame[] = [];
const clocks: (() => number)[] = [];

/**
 * Runs `work` (synchronous) with `clock` as the default clock of the evaluations in it:
 * the engine runs each command with its own timestamp, so now() is the command's time
 * (deterministic, and the engine's controllable clock in tests).
 */
export function withFeelClock<T>(clock: () => number, work: () => T): T {
  clocks.push(clock);
  try {
    return work();
  } finally {
    clocks.pop();
  }
}

/**
 * Runs `work` as one evaluation. A nested call (a built-in evaluating FEEL) joins the
 * evaluation already running, so it shares its budget and warnings.
 */
export function withEvaluationFrame<T>(
  options: EvaluationOptions,
  work: (warnings: FeelWarning[]) => T,
): T {
  const outer = running[running.length - 1];
  if (outer) return work(outer.warnings);
  const limits = options.limits ?? FEEL_LIMITS;
  const frame: Frame = {
    steps: 0,
    deadline: performance.now() + limits.maxEvaluationMillis,
    limits,
    clock: options.clock ?? clocks[clocks.length - 1] ?? Date.now,
    warnings: [],
  };
  running.push(frame);
  try {
    return work(frame.warnings);
  } finally {
    running.pop();
  }
}

/** Charges `steps` to the running evaluation (a no-op outside one). */
export function charge(steps: number): void {
  const frame = running[running.length - 1];
  if (!frame) return;
  frame.steps += steps;
  if (frame.steps > frame.limits.maxEvaluationSteps) {
    throw new FeelLimitExceeded(
      `the evaluation needs more than ${frame.limits.maxEvaluationSteps} steps (iterations, range elements, function calls), the limit for one expression`,
      'maxEvaluationSteps',
    );
  }
  if (performance.now() > frame.deadline) {
    throw new FeelLimitExceeded(
      `the evaluation took longer than ${frame.limits.maxEvaluationMillis} ms, the limit for one expression`,
      'maxEvaluationMillis',
    );
  }
}

/** Records why one of the engine's functions returned null (shown in incident messages). */
export function warn(type: string, message: string): null {
  running[running.length - 1]?.warnings.push({ type, message });
  return null;
}

/** The evaluation's clock, in epoch milliseconds. */
export function currentTime(): number {
  return (running[running.length - 1]?.clock ?? Date.now)();
}
