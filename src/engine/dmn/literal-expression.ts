/** Literal expression decisions: the FEEL expression's value is the decision output. */
import { evaluateFeelExpression } from './feel-evaluation';

export function evaluateLiteralExpression(
  expression: string,
  context: Record<string, unknown>,
): unknown {
  return evaluateFeelExpression(expression, context, 'literal expression');
}
