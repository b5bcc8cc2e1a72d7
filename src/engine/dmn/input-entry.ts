/**
 * Input entries (unary tests) of decision table rules.
 *
 * Compiled once at parse time into a small plan, so that evaluation can skip FEEL for
 * '-' and literal lists, and compare numbers and strings natively. The plan also
 * enforces FEEL's typing for comparisons: feelin's ranges compare values of different
 * types (`"abc" >= 100` is true there), whereas in FEEL an input that is not comparable
 * with the test's endpoints yields null — the rule does not match.
 */
import { compileExpression, evaluateCompiled } from './compiled-expression';
import { evaluateFeelExpression, evaluateFeelUnaryTest } from './feel-calls';
import {
  childrenOf,
  evaluateFeelText,
  feelTypeOf,
  literalValueOf,
  parseFeel,
  type FeelNode,
  type FeelType,
} from '../feel';
import type {
  CompiledEndpoint,
  CompiledInputEntry,
  ComparisonOperator,
  ComparisonPart,
  PlainPart,
} from './types';

const INTERVAL_PUNCTUATION = new Set(['[', ']', '(', ')', '..']);
const ORDERING_OPERATORS = new Set<string>(['<', '<=', '>', '>=']);

function textOf(source: string, node: FeelNode): string {
  return source.slice(node.from, node.to);
}

function containsVariable(node: FeelNode): boolean {
  if (node.name === 'VariableName' || node.name === 'FunctionInvocation') return true;
  return childrenOf(node).some(containsVariable);
}

const constantTypes = new Map<string, FeelType | undefined>();

/** FEEL type of a variable-free expression, memoised; undefined when it is null or fails. */
function constantTypeOf(text: string): FeelType | undefined {
  if (!constantTypes.has(text)) {
    let type: FeelType | undefined;
    try {
      type = feelTypeOf(evaluateFeelText(text, 'expression', {}).value);
    } catch {
      type = undefined; // left to evaluation time, where the error names the rule
    }
    if (constantTypes.size >= 1000) constantTypes.clear();
    constantTypes.set(text, type === 'null' ? undefined : type);
  }
  return constantTypes.get(text);
}

function compileEndpoint(source: string, node: FeelNode): CompiledEndpoint {
  const text = textOf(source, node);
  const expression = compileExpression(text);
  if (expression.constant !== undefined && expression.constant !== null) {
    return { ...expression, staticType: feelTypeOf(expression.constant) };
  }
  if (expression.path === undefined && !containsVariable(node)) {
    // A temporal literal such as date("2026-01-01"): its type never changes.
    const type = constantTypeOf(text);
    if (type !== undefined) return { ...expression, staticType: type };
  }
  return expression;
}

function containsInputVariable(node: FeelNode): boolean {
  return node.name === '?' || childrenOf(node).some(containsInputVariable);
}

function compilePart(source: string, node: FeelNode): ComparisonPart | PlainPart {
  const text = textOf(source, node);
  if (containsInputVariable(node)) return { kind: 'plain', text, usesInput: true };
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

/** The value of a test that is a lone string, number or boolean literal. */
function literalTestValue(source: string, node: FeelNode): string | number | boolean | undefined {
  const only = childrenOf(node);
  if (only.length !== 1) return undefined;
  const value = literalValueOf(only[0], source);
  return value === null ? undefined : value;
}

/** Builds the evaluation plan of one input entry; the text must already be valid FEEL. */
export function compileInputEntry(rawText: string): CompiledInputEntry {
  const text = rawText.trim();
  if (text === '' || text === '-') return { kind: 'any', text };
  const top = parseFeel(text, 'unary tests').topNode;
  const children = childrenOf(top);
  const negated = children[0]?.name === 'not';
  const standalone = !containsVariable(top);
  const tests = children.find((c) => c.name === 'PositiveUnaryTests');
  if (!tests) {
    return { kind: 'tests', text, negated: false, standalone, parts: [{ kind: 'plain', text }] };
  }
  const partNodes = childrenOf(tests).filter((c) => c.name === 'PositiveUnaryTest');
  const literals = partNodes.map((n) => literalTestValue(text, n));
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
 * A test written as an expression over '?'. Its boolean value decides; null (a null or
 * incomparable input) means no match. feelin's unaryTest would instead compare the input
 * with that null, so a null input would match `? < 5000`.
 */
function evaluateInputExpression(
  part: PlainPart,
  context: Record<string, unknown>,
  where: string,
): boolean | null {
  const value = evaluateFeelExpression(part.text, context, where);
  if (typeof value === 'boolean') return value;
  if (value === null || value === undefined) return null;
  return evaluateFeelUnaryTest(part.text, context, where); // a value: compared with ?
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
  if (entry.parts.every((p) => p.kind === 'plain' && !p.usesInput)) {
    return evaluateFeelUnaryTest(entry.text, scope, where) === true;
  }
  let undecided = false;
  for (const part of entry.parts) {
    const result =
      part.kind === 'comparison'
        ? evaluateComparison(part, input, inputType, scope, where)
        : part.usesInput
          ? evaluateInputExpression(part, scope, where)
          : evaluateFeelUnaryTest(part.text, scope, where);
    if (result === true) return !entry.negated;
    if (result === null) undecided = true;
  }
  return entry.negated && !undecided;
}
