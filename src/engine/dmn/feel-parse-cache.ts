/**
 * feelin's parser, memoised. Validation and compilation look at the same texts, and
 * decision tables repeat entries ('-', "works", the same thresholds) a lot; parsing
 * each distinct text once keeps deploying large tables fast. Trees are immutable.
 */
import { evaluate, parseExpression, parseUnaryTests } from 'feelin';

export type FeelSyntaxKind = 'expression' | 'unary tests';
export type FeelTree = ReturnType<typeof parseExpression>;
export type FeelNode = FeelTree['topNode'];

const MAX_ENTRIES = 5000;
const trees = new Map<string, FeelTree>();

export function parseFeel(text: string, kind: FeelSyntaxKind): FeelTree {
  const key = `${kind}\u0000${text}`;
  let tree = trees.get(key);
  if (!tree) {
    tree =
      kind === 'expression'
        ? parseExpression(text, {}, undefined)
        : parseUnaryTests(text, {}, undefined);
    if (trees.size >= MAX_ENTRIES) trees.clear();
    trees.set(key, tree);
  }
  return tree;
}

export function childrenOf(node: FeelNode): FeelNode[] {
  const children: FeelNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) children.push(child);
  return children;
}

export type LiteralValue = string | number | boolean | null;

/**
 * The value of a string, number, boolean or null literal node; undefined for anything
 * else. Reads the common forms directly (JSON and FEEL agree on them) and asks feelin
 * only for the rest.
 */
export function literalValueOf(node: FeelNode, source: string): LiteralValue | undefined {
  const text = source.slice(node.from, node.to);
  switch (node.name) {
    case 'null':
      return null;
    case 'BooleanLiteral':
      return text === 'true';
    case 'NumericLiteral': {
      const value = /^-?(\d+(\.\d*)?|\.\d+)$/.test(text) ? Number(text) : evaluate(text).value;
      return typeof value === 'number' ? value : undefined;
    }
    case 'StringLiteral': {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        value = evaluate(text).value; // FEEL-only escapes such as \'
      }
      return typeof value === 'string' ? value : undefined;
    }
    default:
      return undefined;
  }
}
