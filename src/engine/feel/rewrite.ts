/**
 * Rewrites a parsed FEEL text into the text feelin evaluates. feelin has no hooks of its
 * own, but it calls functions found in the evaluation context; the rewrite routes the
 * places where feelin needs help through such functions (guards.ts):
 *
 * - iteration sources (`for`/`some`/`every ... in e`, filtered lists) and ranges
 *   (`1..n`) are charged to the evaluation budget before feelin enumerates them;
 *   bodies of user-defined functions are charged per call;
 * - arithmetic (`+ - * / **`, unary minus) goes through decimal arithmetic, so that
 *   `0.1 + 0.2` is `0.3` as in Zeebe, where numbers are decimals;
 * - temporal literals and constructors go through the engine's own functions, which
 *   know zone ids in brackets and the timezone argument;
 * - filters whose condition is not a comparison (`[even(item)]`, `[active]`) are
 *   evaluated per element: feelin evaluates such conditions only once, without `item`.
 *
 * The rewrite also reports the names the text refers to, so that the evaluation context
 * holds only those variables and functions (feelin copies the whole context for every
 * iteration, which made a loop over a 10,000-variable context take minutes).
 */
import { childrenOf, type FeelNode } from './syntax';

/** Names of the guard functions the rewritten text calls (see guards.ts). */
export const GUARD = {
  iterate: '__feel_iterate',
  range: '__feel_range',
  step: '__feel_step',
  tick: '__feel_tick',
  isIndex: '__feel_is_index',
  add: '__feel_add',
  subtract: '__feel_subtract',
  multiply: '__feel_multiply',
  divide: '__feel_divide',
  power: '__feel_power',
  negate: '__feel_negate',
  at: '__feel_at',
} as const;

/** Temporal constructors the engine implements itself (rewritten to these names). */
export const CONSTRUCTOR_OVERRIDES: Readonly<Record<string, string>> = {
  'date and time': '__feel_date_and_time',
};

/**
 * Temporal constructors called by a plain name (`time(now())` where a local `time` is in
 * scope, parsed as a call of that local): they are the built-ins, as in Zeebe, where
 * functions and variables have separate names.
 */
export const BUILTIN_CALLS: Readonly<Record<string, string>> = {
  date: '__feel_builtin_date',
  time: '__feel_builtin_time',
  duration: '__feel_builtin_duration',
};

export interface RewrittenText {
  /** The text to give feelin. */
  source: string;
  /** Every name used as a variable (including function names and local names). */
  names: Set<string>;
  /** Names used in call position (`f(...)`): these refer to functions, not variables. */
  calledNames: Set<string>;
  /** Guard and override functions the rewritten text calls. */
  helpers: Set<string>;
}

const ARITH_GUARDS: Readonly<Record<string, string>> = {
  '+': GUARD.add,
  '-': GUARD.subtract,
  '*': GUARD.multiply,
  '/': GUARD.divide,
  '**': GUARD.power,
  '^': GUARD.power,
};

/** Condition nodes feelin evaluates per element with `item` bound (its 'test' types). */
const TEST_NODES = new Set([
  'Comparison',
  'Conjunction',
  'Disjunction',
  'InstanceOfExpression',
  'QuantifiedExpression',
  'SimplePositiveUnaryTest',
]);

/** A name as the context knows it: backticks removed, runs of spaces as one. */
function nameOf(text: string): string {
  return text.startsWith('`') && text.endsWith('`') ? text.slice(1, -1) : text.replace(/\s+/g, ' ');
}

function unwrapParentheses(node: FeelNode): FeelNode {
  let current = node;
  while (current.name === 'ParenthesizedExpression') {
    const inner = childrenOf(current).find((c) => c.name !== '(' && c.name !== ')');
    if (!inner) break;
    current = inner;
  }
  return current;
}

function someNode(node: FeelNode, test: (n: FeelNode) => boolean): boolean {
  if (test(node)) return true;
  for (let child = node.firstChild; child; child = child.nextSibling) {
    if (someNode(child, test)) return true;
  }
  return false;
}

class Rewriter {
  readonly names = new Set<string>();
  readonly calledNames = new Set<string>();
  readonly helpers = new Set<string>();
  /** Position of a `time(...)` call that is really `date and time(...)` (see below). */
  private dateAndTimeCall: number | undefined;

  constructor(private readonly source: string) {}

  text(node: FeelNode): string {
    return this.source.slice(node.from, node.to);
  }

  private use(helper: string): string {
    this.helpers.add(helper);
    return helper;
  }

  /** The node's text with its children rewritten; gaps (spaces, comments) kept. */
  private verbatim(node: FeelNode): string {
    let out = '';
    let at = node.from;
    for (let child = node.firstChild; child; child = child.nextSibling) {
      out += this.source.slice(at, child.from) + this.emit(child);
      at = child.to;
    }
    return out + this.source.slice(at, node.to);
  }

  emit(node: FeelNode): string {
    switch (node.name) {
      case 'VariableName':
        this.names.add(nameOf(this.text(node)));
        return this.verbatim(node);
      case 'FunctionInvocation':
        return this.invocation(node);
      case 'IterationContext':
        return this.iterationContext(node);
      case 'FilterExpression':
        return this.filter(node);
      case 'FunctionBody':
        return `${this.use(GUARD.step)}(${this.verbatim(node)})`;
      case 'ForExpression':
      case 'QuantifiedExpression':
        return this.loop(node);
      case 'ArithmeticExpression':
        return this.arithmetic(node);
      case 'DateTimeLiteral':
        return this.temporal(node);
      case 'Conjunction':
        return this.misreadDateAndTime(node) ?? this.verbatim(node);
      default:
        return this.verbatim(node);
    }
  }

  private invocation(node: FeelNode): string {
    const target = node.firstChild;
    if (target?.name !== 'VariableName') return this.verbatim(node);
    const name = nameOf(this.text(target));
    const misread = this.dateAndTimeCall === node.from;
    if (misread) this.dateAndTimeCall = undefined;
    const builtin = misread ? CONSTRUCTOR_OVERRIDES['date and time'] : BUILTIN_CALLS[name];
    if (!builtin) {
      this.calledNames.add(name);
      return this.verbatim(node);
    }
    let out = this.use(builtin);
    let at = target.to;
    for (let child = target.nextSibling; child; child = child.nextSibling) {
      out += this.source.slice(at, child.from) + this.emit(child);
      at = child.to;
    }
    return out + this.source.slice(at, node.to);
  }

  /** The body of `for ... return e` / `some ... satisfies e` checks the time at each element. */
  private loop(node: FeelNode): string {
    const body = node.lastChild;
    let out = '';
    let at = node.from;
    for (let child = node.firstChild; child; child = child.nextSibling) {
      const isBody = body !== null && child.from === body.from && child.to === body.to;
      const text = isBody ? `${this.use(GUARD.tick)}(${this.emit(child)})` : this.emit(child);
      out += this.source.slice(at, child.from) + text;
      at = child.to;
    }
    return out + this.source.slice(at, node.to);
  }

  private iterationContext(node: FeelNode): string {
    const parts = childrenOf(node);
    if (parts.length === 3 && parts[1].name === '..') {
      return `${this.use(GUARD.range)}(${this.emit(parts[0])}, ${this.emit(parts[2])})`;
    }
    return `${this.use(GUARD.iterate)}(${this.verbatim(node)})`;
  }

  private filter(node: FeelNode): string {
    const parts = childrenOf(node);
    const open = parts.findIndex((p) => p.name === '[');
    if (open !== 1 || parts.length !== 4) return this.verbatim(node);
    const target = this.emit(parts[0]);
    const conditionNode = parts[2];
    const condition = unwrapParentheses(conditionNode);
    const conditionText = this.emit(conditionNode);
    const iterate = this.use.bind(this, GUARD.iterate);
    if (condition.name === 'SimplePositiveUnaryTest')
      return `${iterate()}(${target})[${conditionText}]`;
    if (TEST_NODES.has(condition.name)) {
      // `true and c` keeps c's value and its per-element evaluation (a test type)
      return `${iterate()}(${target})[${this.use(GUARD.tick)}(true) and (${conditionText})]`;
    }
    if (
      ['NumericLiteral', 'BooleanLiteral', 'StringLiteral', 'null'].includes(condition.name) ||
      (condition.name === 'ArithmeticExpression' &&
        someNode(condition, (n) => n.name === 'NumericLiteral') &&
        !someNode(condition, (n) => n.name === 'VariableName'))
    ) {
      return `${target}[${conditionText}]`;
    }
    const mentionsItem = someNode(
      condition,
      (n) => n.name === 'VariableName' && this.text(n) === 'item',
    );
    const tick = this.use.bind(this, GUARD.tick);
    if (mentionsItem) return `${iterate()}(${target})[(${tick()}(${conditionText})) = true]`;
    if (someNode(condition, (n) => n.name === 'FilterExpression')) {
      return `${target}[${conditionText}]`; // left to feelin: no doubled nested filters
    }
    // A number selects by position; anything else filters element by element, with
    // the element's entries in scope (`tasks[done]`).
    const isIndex = this.use(GUARD.isIndex);
    return (
      `{__feel_t: ${target}, __feel_c: ${conditionText}, __feel_r: ` +
      `if ${isIndex}(__feel_c) then __feel_t[__feel_c] ` +
      `else ${iterate()}(__feel_t)[(${tick()}(${conditionText})) = true]}.__feel_r`
    );
  }

  private arithmetic(node: FeelNode): string {
    const parts = childrenOf(node);
    if (parts.length === 3 && parts[1].name === 'ArithOp') {
      const guard = ARITH_GUARDS[this.text(parts[1])];
      if (guard) {
        return `${this.use(guard)}(${this.emit(parts[0])}, ${this.emit(parts[2])})`;
      }
    }
    if (parts.length === 2 && parts[0].name === 'ArithOp' && this.text(parts[0]) === '-') {
      return `${this.use(GUARD.negate)}(${this.emit(parts[1])})`;
    }
    return this.verbatim(node);
  }

  /**
   * With local names `date` and `time` in scope (`{date: ..., time: ..., x: date and
   * time(date, time) - now()}`, a documented example), lezer-feel reads `date and time(...)`
   * as the conjunction `date and (time(...) ...)`; it is the built-in call.
   */
  private misreadDateAndTime(node: FeelNode): string | undefined {
    const [left, and, right] = childrenOf(node);
    if (left?.name !== 'VariableName' || this.text(left) !== 'date' || and?.name !== 'and') return;
    let call: FeelNode | null = right;
    while (call && call.name !== 'FunctionInvocation' && call.from === right.from)
      call = call.firstChild;
    const target = call?.name === 'FunctionInvocation' ? call.firstChild : null;
    if (!call || call.from !== right.from || target?.name !== 'VariableName') return;
    if (this.text(target) !== 'time') return;
    this.dateAndTimeCall = call.from;
    return this.emit(right);
  }

  private temporal(node: FeelNode): string {
    const parts = childrenOf(node);
    const first = parts[0];
    if (first?.name === 'AtLiteral') {
      const literal = childrenOf(first).find((c) => c.name === 'StringLiteral');
      if (literal) return `${this.use(GUARD.at)}(${this.text(literal)})`;
    }
    if (first?.name === 'DateTimeConstructor') {
      const name = this.text(first).replace(/\s+/g, ' ');
      const override = CONSTRUCTOR_OVERRIDES[name];
      if (override) {
        this.use(override);
        let out = override;
        let at = first.to;
        for (const child of parts.slice(1)) {
          out += this.source.slice(at, child.from) + this.emit(child);
          at = child.to;
        }
        return out + this.source.slice(at, node.to);
      }
    }
    return this.verbatim(node);
  }
}

/** Rewrites a syntactically valid text (its tree from syntax.ts). */
export function rewriteFeel(source: string, top: FeelNode): RewrittenText {
  const rewriter = new Rewriter(source);
  const rewritten = rewriter.emit(top);
  return {
    source: rewritten,
    names: rewriter.names,
    calledNames: rewriter.calledNames,
    helpers: rewriter.helpers,
  };
}
