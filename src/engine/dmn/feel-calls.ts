/**
 * The DMN engine's calls into the engine's FEEL module: what cannot be evaluated
 * becomes a DecisionEvaluationFailure naming the expression, which the DRG evaluation
 * reports as the decision's failure. A null result (with warnings) is a value here.
 */
import { evaluateFeelText, FeelFailure } from '../feel';
import { DecisionEvaluationFailure } from './errors';

function failure(what: string, text: string, error: unknown): DecisionEvaluationFailure {
  const reason =
    error instanceof FeelFailure
      ? error.reason
      : error instanceof Error
        ? error.message
        : String(error);
  return new DecisionEvaluationFailure(`failed to evaluate ${what} '${text}': ${reason}`);
}

export function evaluateFeelExpression(
  text: string,
  context: Record<string, unknown>,
  what: string,
): unknown {
  try {
    return evaluateFeelText(text, 'expression', context).value;
  } catch (error) {
    throw failure(what, text, error);
  }
}

/** true, false, or null when the test cannot decide (null input, incomparable values). */
export function evaluateFeelUnaryTest(
  text: string,
  context: Record<string, unknown>,
  what: string,
): boolean | null {
  try {
    const { value } = evaluateFeelText(text, 'unary tests', context);
    return typeof value === 'boolean' ? value : null;
  } catch (error) {
    throw failure(what, text, error);
  }
}
