/**
 * Bounds on FEEL work, so that one expression can never stall the engine for everyone
 * else. Zeebe has no such limits; ours are far above what real models use (the longest
 * expression in processes/ is under 100 characters) and are documented in the README.
 *
 * - Size: checked before parsing (deploy and evaluation), so a 200,000-term expression
 *   is refused in microseconds instead of parsed for seconds.
 * - Evaluation: every iteration (for, some, every, filter), every element of an
 *   enumerated range and every call of a user-defined function is a step; the steps
 *   and the elapsed time of one evaluation are bounded.
 */

export interface FeelLimits {
  /** Longest accepted expression or unary-tests text, in characters. */
  maxExpressionLength: number;
  /** Most syntax nodes of one expression (names, literals, operators, ...). */
  maxSyntaxNodes: number;
  /** Deepest syntax tree of one expression (nested parentheses, lists, contexts, calls). */
  maxNestingDepth: number;
  /** Most evaluation steps (iterations, range elements, function calls) of one evaluation. */
  maxEvaluationSteps: number;
  /** Longest time one evaluation may take, in milliseconds. */
  maxEvaluationMillis: number;
}

export const FEEL_LIMITS: Readonly<FeelLimits> = Object.freeze({
  maxExpressionLength: 4096,
  maxSyntaxNodes: 1500,
  maxNestingDepth: 100,
  maxEvaluationSteps: 100_000,
  maxEvaluationMillis: 1000,
});

/** An expression refused because it exceeds one of the limits; the message names the limit. */
export class FeelLimitExceeded extends Error {
  constructor(
    message: string,
    readonly limit: keyof FeelLimits,
  ) {
    super(message);
    this.name = 'FeelLimitExceeded';
  }
}
