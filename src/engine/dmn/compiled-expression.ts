/**
 * FEEL expressions pre-analysed at parse time. feelin parses the text on every call
 * (its parse depends on the context's variable names), so the shapes that make up most
 * decision tables skip it: literals are evaluated once, and a variable name or a path
 * such as `thresholds.euWorks` is a lookup in the context. Everything else goes to feelin.
 */
import { evaluateFeelExpression } from './feel-calls';
import { childrenOf, literalValueOf, parseFeel, type FeelNode } from '../feel';
import type { CompiledExpression } from './types';

const PATH_NODES = new Set(['PathExpression', 'VariableName', 'PathName', 'Identifier', '.']);
const SIMPLE_PATH = /^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$/;

function onlyChild(node: FeelNode): FeelNode | null {
  const child = node.firstChild;
  return child && !child.nextSibling ? child : null;
}

function isPlainPath(node: FeelNode): boolean {
  return PATH_NODES.has(node.name) && childrenOf(node).every(isPlainPath);
}

/** Analyses a syntactically valid expression ('' is the null literal). */
export function compileExpression(rawText: string): CompiledExpression {
  const text = rawText.trim();
  if (text === '') return { text, constant: null };
  const root = onlyChild(parseFeel(text, 'expression').topNode);
  if (!root) return { text };
  const constant = literalValueOf(root, text);
  if (constant !== undefined) return { text, constant };
  if (SIMPLE_PATH.test(text) && isPlainPath(root)) return { text, path: text.split('.') };
  return { text };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** Looks a path up in JSON data; undefined when only FEEL can tell (lists, temporal values). */
function lookUp(path: string[], context: Record<string, unknown>): unknown {
  let current: unknown = context;
  for (const name of path) {
    if (current === null || current === undefined) return null;
    if (!isPlainObject(current)) return typeof current === 'object' ? undefined : null;
    // Own properties only: a variable named like an Object.prototype member is absent.
    current = Object.prototype.hasOwnProperty.call(current, name) ? current[name] : null;
  }
  return current ?? null;
}

export function evaluateCompiled(
  expression: CompiledExpression,
  context: Record<string, unknown>,
  what: string,
): unknown {
  if (expression.constant !== undefined) return expression.constant;
  if (expression.path !== undefined) {
    const value = lookUp(expression.path, context);
    if (value !== undefined) return value;
  }
  return evaluateFeelExpression(expression.text, context, what);
}
