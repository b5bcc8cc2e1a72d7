/**
 * Calls into feelin. feelin reports most problems as null plus warnings (as Zeebe's
 * FEEL engine does); what it throws becomes a DecisionEvaluationFailure naming the
 * expression, which the DRG evaluation reports as the decision's failure.
 */
import { evaluate, unaryTest } from 'feelin';
import { DecisionEvaluationFailure } from './errors';

function failure(what: string, text: string, error: unknown): DecisionEvaluationFailure {
  const reason = error instanceof Error ? error.message : String(error);
  return new DecisionEvaluationFailure(`failed to evaluate ${what} '${text}': ${reason}`);
}

export function evaluateFeelExpression(
  text: string,
  context: Record<string, unknown>,
  what: string,
): unknown {
  try {
    return evaluate(text, context).value;
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
    const { value } = unaryTest(text, context);
    return typeof value === 'boolean' ? value : null;
  } catch (error) {
    throw failure(what, text, error);
  }
}
