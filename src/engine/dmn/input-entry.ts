/**
 * Input entries (unary tests) of decision table rules.
 *
 * Compiled once at parse time into a small plan, so that evaluation can skip FEEL for
 * '-' and literal lists, and compare numbers and strings natively. The plan also
 * enforces FEEL's typing for comparisons: feelin's ranges compare values of different
 * types (`"abc" >= 100` is true there), whereas in FEEL an input that is not comparable
 * with the test's endpoints yields null — the rule does not match.
 */
import { evaluate, parseUnaryTests } from 'feelin';
import { compileExpression, evaluateCompiled } from './compiled-expression';
import { evaluateFeelUnaryTest } from './feel-evaluation';
import { feelTypeOf, type FeelType } from './feel-values';
import type {
  CompiledEndpoint,
  CompiledInputEntry,
  ComparisonOperator,
  ComparisonPart,
  PlainPart,
} from './types';

type SyntaxNode = ReturnType<typeof parseUnaryTests>['topNode'];

const LITERAL_NODES = new Set(['StringLiteral', 'NumericLiteral', 'BooleanLiteral']);
const INTERVAL_PUNCTUATION = new Set(['[', ']', '(', ')', '..']);
const ORDERING_OPERATORS = new Set<string>(['<', '<=', '>', '>=']);

function childrenOf(node: SyntaxNode): SyntaxNode[] {
  const children: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) children.push(child);
  return children;
}

function textOf(source: string, node: SyntaxNode): string {
  return source.slice(node.from, node.to);
}

function containsVariable(node: SyntaxNode): boolean {
  if (node.name === 'VariableName' || node.name === 'FunctionInvocation') return true;
  return childrenOf(node).some(containsVariable);
}

function compileEndpoint(source: string, node: SyntaxNode): CompiledEndpoint {
  const text = textOf(source, node);
  const expression = compileExpression(text);
  if (expression.constant !== undefined && expression.constant !== null) {
    return { ...expression, staticType: feelTypeOf(expression.constant) };
  }
  if (expression.variable === undefined && !containsVariable(node)) {
    // A temporal literal such as date("2026-01-01"): its type never changes.
    try {
      const type = feelTypeOf(evaluate(text).value);
      if (type !== 'null') return { ...expression, staticType: type };
    } catch {
      // Left to evaluation time, where the error is reported with the rule.
    }
  }
  return expression;
}

function compilePart(source: string, node: SyntaxNode): ComparisonPart | PlainPart {
  const text = textOf(source, node);
  const simple = node.firstChild;
  if (simple?.name !== 'SimplePositiveUnaryTest') return { kind: 'plain', text };
  const [first, second] = childrenOf(simple);
  if (first?.name === 'CompareOp' && second) {
    const operator = textOf(source, first);
    // Equality is defined across types (it is just false), so feelin can decide it.
    if (!ORDERING_OPERATORS.has(operator)) return { kind: 'plain', text };
    return {
      kind: 'comparison',
      text,
      operator: operator as ComparisonOperator,
      endpoints: [compileEndpoint(source, second)],
    };
  }
  if (first?.name === 'Interval') {
    const tokens = childrenOf(first);
    const open = textOf(source, tokens[0]);
    const close = textOf(source, tokens[tokens.length - 1]);
    const endpoints = tokens.filter((t) => !INTERVAL_PUNCTUATION.has(t.name));
    if (endpoints.length !== 2) return { kind: 'plain', text };
    return {
      kind: 'comparison',
      text,
      interval: { startIncluded: open === '[', endIncluded: close === ']' },
      endpoints: endpoints.map((e) => compileEndpoint(source, e)),
    };
  }
  return { kind: 'plain', text };
}

function literalValueOf(source: string, node: SyntaxNode): string | number | boolean | undefined {
  const only = childrenOf(node);
  if (only.length !== 1 || !LITERAL_NODES.has(only[0].name)) return undefined;
  const value = evaluate(textOf(source, only[0])).value;
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? value
    : undefined;
}

/** Builds the evaluation plan of one input entry; the text must already be valid FEEL. */
export function compileInputEntry(rawText: string): CompiledInputEntry {
  const text = rawText.trim();
  if (text === '' || text === '-') return { kind: 'any', text };
  const top = parseUnaryTests(text, {}, undefined).topNode;
  const children = childrenOf(top);
  const negated = children[0]?.name === 'not';
  const standalone = !containsVariable(top);
  const tests = children.find((c) => c.name === 'PositiveUnaryTests');
  if (!tests) {
    return { kind: 'tests', text, negated: false, standalone, parts: [{ kind: 'plain', text }] };
  }
  const partNodes = childrenOf(tests).filter((c) => c.name === 'PositiveUnaryTest');
  const literals = partNodes.map((n) => literalValueOf(text, n));
  if (literals.every((v) => v !== undefined)) {
    return { kind: 'literals', text, negated, values: literals as (string | number | boolean)[] };
  }
  const parts = partNodes.map((n) => compilePart(text, n));
  return { kind: 'tests', text, negated, standalone, parts };
}

function compare(operator: ComparisonOperator, a: number | string, b: number | string): boolean {
  switch (operator) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '=':
      return a === b;
    case '!=':
      return a !== b;
  }
}

/** Native comparison of a number or string with endpoint values of the same type. */
function compareNatively(
  part: ComparisonPart,
  input: number | string,
  endpoints: (number | string)[],
): boolean | undefined {
  const [start, end] = endpoints;
  if (part.operator) return compare(part.operator, input, start);
  if (!part.interval || start > end) return undefined; // descending ranges: FEEL decides
  const afterStart = part.interval.startIncluded ? input >= start : input > start;
  const beforeEnd = part.interval.endIncluded ? input <= end : input < end;
  return afterStart && beforeEnd;
}

function evaluateComparison(
  part: ComparisonPart,
  input: unknown,
  inputType: FeelType,
  context: Record<string, unknown>,
  where: string,
): boolean | null {
  if (inputType === 'null') return null;
  const values: unknown[] = [];
  for (const endpoint of part.endpoints) {
    if (endpoint.staticType !== undefined && endpoint.constant === undefined) {
      // Temporal literal: only its type is needed here, feelin compares the values.
      if (endpoint.staticType !== inputType) return null;
      values.push(undefined);
      continue;
    }
    const value = evaluateCompiled(endpoint, context, `endpoint of ${where}`);
    if (feelTypeOf(value) !== inputType) return null; // not comparable, or a null endpoint
    values.push(value);
  }
  if (
    (inputType === 'number' || inputType === 'string') &&
    values.every((v) => typeof v === inputType)
  ) {
    const native = compareNatively(part, input as number | string, values as (number | string)[]);
    if (native !== undefined) return native;
  }
  return evaluateFeelUnaryTest(part.text, context, where);
}

/**
 * Whether the input value satisfies the entry. `context` is the evaluation context
 * with the input value bound to '?'. Null (undecidable) counts as no match.
 */
export function matchInputEntry(
  entry: CompiledInputEntry,
  input: unknown,
  inputType: FeelType,
  context: Record<string, unknown>,
  where: string,
): boolean {
  switch (entry.kind) {
    case 'any':
      return true;
    case 'literals':
      // FEEL equality across types is false, so a plain membership test is exact.
      return entry.values.includes(input as string | number | boolean) !== entry.negated;
    case 'tests':
      break;
  }
  // feelin's parse slows down with the context's size; standalone tests need only '?'.
  const scope = entry.standalone ? { '?': input } : context;
  if (entry.parts.every((p) => p.kind === 'plain')) {
    return evaluateFeelUnaryTest(entry.text, scope, where) === true;
  }
  let undecided = false;
  for (const part of entry.parts) {
    const result =
      part.kind === 'comparison'
        ? evaluateComparison(part, input, inputType, scope, where)
        : evaluateFeelUnaryTest(part.text, scope, where);
    if (result === true) return !entry.negated;
    if (result === null) undecided = true;
  }
  return entry.negated && !undecided;
}
