/**
 * FEEL expressions pre-analysed at parse time. feelin parses the text on every call
 * (its parse depends on the context's variable names), so the two shapes that make up
 * most decision tables skip it: literals are evaluated once, and a lone variable name
 * is a context lookup. Everything else goes to feelin.
 */
import { evaluate, parseExpression } from 'feelin';
import { evaluateFeelExpression } from './feel-evaluation';
import type { CompiledExpression } from './types';

type SyntaxNode = ReturnType<typeof parseExpression>['topNode'];

const LITERAL_NODES = new Set(['StringLiteral', 'NumericLiteral', 'BooleanLiteral', 'null']);

function onlyChild(node: SyntaxNode): SyntaxNode | null {
  const child = node.firstChild;
  return child && !child.nextSibling ? child : null;
}

/** Analyses a syntactically valid expression ('' is the null literal). */
export function compileExpression(rawText: string): CompiledExpression {
  const text = rawText.trim();
  if (text === '') return { text, constant: null };
  const root = onlyChild(parseExpression(text, {}, undefined).topNode);
  if (root && LITERAL_NODES.has(root.name)) {
    const value = evaluate(text).value;
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) {
      return { text, constant: value as string | number | boolean | null };
    }
  }
  if (root?.name === 'VariableName') {
    const identifier = onlyChild(root);
    if (identifier?.name === 'Identifier' && /^[A-Za-z_][\w]*$/.test(text)) {
      return { text, variable: text };
    }
  }
  return { text };
}

export function evaluateCompiled(
  expression: CompiledExpression,
  context: Record<string, unknown>,
  what: string,
): unknown {
  if (expression.constant !== undefined) return expression.constant;
  if (expression.variable !== undefined) {
    // Own properties only: a variable named like an Object.prototype member is absent.
    return Object.prototype.hasOwnProperty.call(context, expression.variable)
      ? (context[expression.variable] ?? null)
      : null;
  }
  return evaluateFeelExpression(expression.text, context, what);
}
