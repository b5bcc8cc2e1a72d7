/** Literal expression decisions: the FEEL expression's value is the decision output. */
import { evaluateCompiled } from './compiled-expression';
import type { CompiledExpression } from './types';

export function evaluateLiteralExpression(
  expression: CompiledExpression,
  context: Record<string, unknown>,
): unknown {
  return evaluateCompiled(expression, context, 'literal expression');
}
