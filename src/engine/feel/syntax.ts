/**
 * Parsing FEEL with feelin's own grammar (lezer-feel, Camunda dialect: backtick names),
 * memoised, and the checks every expression passes before it is deployed or evaluated:
 * size limits first (so that a huge text is refused before any parse work), then syntax.
 *
 * The parse context names the engine's extra built-in functions, because lezer-feel
 * recognises names with spaces (`get or else`, `duplicate values`) only when it knows
 * them. Variable names never contain spaces in Zeebe, so the parse of a text does not
 * depend on the variables and can be cached.
 */
import { parseExpression, parseUnaryTests } from 'feelin';
import { EXTENSION_FUNCTION_NAMES } from './builtins/names';
import { FEEL_LIMITS, FeelLimitExceeded, type FeelLimits } from './limits';

export type FeelSyntaxKind = 'expression' | 'unary tests';
export type FeelTree = ReturnType<typeof parseExpression>;
export type FeelNode = FeelTree['topNode'];

export const FEEL_DIALECT = 'camunda';

const parseContext: Record<string, unknown> = Object.fromEntries(
  EXTENSION_FUNCTION_NAMES.map((name) => [name, true]),
);
const trees = new Map<string, FeelTree>();
const measures = new Map<string, FeelSyntaxMeasure>();
// Bounded in entries and in text: a deploy of many distinct large expressions must not
// keep them all (memory is about proportional to the text parsed).
const MAX_CACHED_TREES = 5000;
const MAX_CACHED_CHARACTERS = 2_000_000;
let cachedCharacters = 0;

function remember<T>(cache: Map<string, T>, key: string, value: T): void {
  if (cache.size >= MAX_CACHED_TREES || cachedCharacters > MAX_CACHED_CHARACTERS) {
    trees.clear();
    measures.clear();
    cachedCharacters = 0;
  }
  cache.set(key, value);
  cachedCharacters += key.length;
}

/** The syntax tree of a text that is within the size limit (see checkFeelText). */
export function parseFeel(text: string, kind: FeelSyntaxKind): FeelTree {
  const key = `${kind}\u0000${text}`;
  let tree = trees.get(key);
  if (!tree) {
    tree =
      kind === 'expression'
        ? parseExpression(text, parseContext, FEEL_DIALECT)
        : parseUnaryTests(text, parseContext, FEEL_DIALECT);
    remember(trees, key, tree);
  }
  return tree;
}

export function childrenOf(node: FeelNode): FeelNode[] {
  const children: FeelNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) children.push(child);
  return children;
}

function kindLabel(kind: FeelSyntaxKind): string {
  return kind === 'expression' ? 'FEEL expression' : 'FEEL unary tests';
}

function shorten(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Throws FeelLimitExceeded when the text is longer than the limit (before any parse). */
export function checkFeelLength(
  text: string,
  kind: FeelSyntaxKind,
  limits: FeelLimits = FEEL_LIMITS,
): void {
  if (text.length > limits.maxExpressionLength) {
    throw new FeelLimitExceeded(
      `${kindLabel(kind)} '${shorten(text)}' is ${text.length} characters long, more than the limit of ${limits.maxExpressionLength} characters`,
      'maxExpressionLength',
    );
  }
}

export interface FeelSyntaxMeasure {
  tree: FeelTree;
  nodes: number;
  /** Depth of the syntax tree. */
  nesting: number;
  /** Description of the first syntax error, if any. */
  error?: string;
}

/** Parses a text (already within the length limit) and measures it; memoised. */
export function measureFeel(text: string, kind: FeelSyntaxKind): FeelSyntaxMeasure {
  const key = `${kind}\u0000${text}`;
  const known = measures.get(key);
  if (known) return known;
  const tree = parseFeel(text, kind);
  let nodes = 0;
  let depth = 0;
  let maxDepth = 0;
  let errorAt: number | undefined;
  tree.iterate({
    enter(node) {
      nodes += 1;
      depth += 1;
      if (depth > maxDepth) maxDepth = depth;
      if (errorAt === undefined && node.type.isError) errorAt = node.from;
    },
    leave() {
      depth -= 1;
    },
  });
  const measure: FeelSyntaxMeasure = { tree, nodes, nesting: maxDepth };
  if (errorAt !== undefined) {
    const near = text.slice(errorAt, errorAt + 20);
    measure.error =
      near === ''
        ? `${kindLabel(kind)} '${shorten(text)}' is incomplete (syntax error at its end)`
        : `${kindLabel(kind)} '${shorten(text)}' has a syntax error at position ${errorAt + 1} (near '${near}')`;
  }
  remember(measures, key, measure);
  return measure;
}

/** Throws FeelLimitExceeded when a measured text has too many nodes or is nested too deeply. */
export function checkFeelShape(
  text: string,
  kind: FeelSyntaxKind,
  measure: FeelSyntaxMeasure,
  limits: FeelLimits = FEEL_LIMITS,
): void {
  if (measure.nodes > limits.maxSyntaxNodes) {
    throw new FeelLimitExceeded(
      `${kindLabel(kind)} '${shorten(text)}' has ${measure.nodes} syntax nodes, more than the limit of ${limits.maxSyntaxNodes}`,
      'maxSyntaxNodes',
    );
  }
  if (measure.nesting > limits.maxNestingDepth) {
    throw new FeelLimitExceeded(
      `${kindLabel(kind)} '${shorten(text)}' is nested ${measure.nesting} levels deep, more than the limit of ${limits.maxNestingDepth}`,
      'maxNestingDepth',
    );
  }
}

/**
 * Checks a text against the limits (length before parsing) and parses it. Throws
 * FeelLimitExceeded beyond the limits; a syntax error is reported in the result.
 */
export function analyseFeelSyntax(
  text: string,
  kind: FeelSyntaxKind,
  limits: FeelLimits = FEEL_LIMITS,
): FeelSyntaxMeasure {
  checkFeelLength(text, kind, limits);
  const measure = measureFeel(text, kind);
  checkFeelShape(text, kind, measure, limits);
  return measure;
}

/**
 * The problem of a text as a deploy-time message, or undefined when it is valid FEEL
 * within the limits. Empty texts are a problem: callers decide where they are allowed.
 */
export function findFeelSyntaxError(
  text: string,
  kind: FeelSyntaxKind,
  limits: FeelLimits = FEEL_LIMITS,
): string | undefined {
  if (text.trim() === '') return `empty ${kindLabel(kind)}`;
  try {
    return analyseFeelSyntax(text, kind, limits).error;
  } catch (error) {
    if (error instanceof FeelLimitExceeded) return error.message;
    throw error;
  }
}

export type LiteralValue = string | number | boolean | null;

/** A string literal whose escapes JSON shares with FEEL; undefined for FEEL-only escapes. */
function jsonStringLiteral(text: string): string | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined; // e.g. \' : left to feelin
  }
}

/** The value of a string, number, boolean or null literal node; undefined for anything else
 * (and for literals only feelin can read). */
export function literalValueOf(node: FeelNode, source: string): LiteralValue | undefined {
  const text = source.slice(node.from, node.to);
  switch (node.name) {
    case 'null':
      return null;
    case 'BooleanLiteral':
      return text === 'true';
    case 'NumericLiteral': {
      if (!/^-?(\d+(\.\d*)?|\.\d+)$/.test(text)) return undefined;
      const value = Number(text);
      return Number.isFinite(value) ? value : undefined;
    }
    case 'StringLiteral':
      return jsonStringLiteral(text);
    default:
      return undefined;
  }
}
