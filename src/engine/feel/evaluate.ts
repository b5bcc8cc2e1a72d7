/**
 * Evaluating FEEL: limits and syntax first, then the rewritten text (rewrite.ts) in a
 * context holding only the variables and functions the text names, under the
 * evaluation budget (frame.ts). Results are feelin's FEEL values; warnings say why
 * something evaluated to null. What cannot be evaluated at all (syntax, limits, a
 * failed assert(), an internal error) is a FeelFailure.
 */
import { evaluate, unaryTest } from 'feelin';
import { EXTENSION_FUNCTIONS, FeelAssertionError } from './builtins';
import { withEvaluationFrame, type EvaluationOptions, type FeelWarning } from './frame';
import { GUARD_FUNCTIONS } from './guards';
import { FEEL_LIMITS, FeelLimitExceeded } from './limits';
import { rewriteFeel } from './rewrite';
import {
  checkFeelLength,
  checkFeelShape,
  FEEL_DIALECT,
  measureFeel,
  type FeelSyntaxKind,
} from './syntax';

export type FailureKind = 'syntax' | 'limit' | 'assertion' | 'evaluation';

/** An expression that cannot be evaluated; `reason` is the message without the expression. */
export class FeelFailure extends Error {
  constructor(
    message: string,
    readonly kind: FailureKind = 'evaluation',
    readonly reason: string = message,
  ) {
    super(message);
    this.name = 'FeelFailure';
  }
}

export interface FeelValueResult {
  /** feelin's value (temporal values are feelin objects; see values.ts for JSON). */
  value: unknown;
  warnings: FeelWarning[];
}

// feelin's own built-ins (its builtins.d.ts): in call position these names are
// functions, so a variable of the same name must not hide them.
const FEELIN_BUILTINS = new Set(
  (
    'number,string,date,date and time,time,duration,years and months duration,now,today,not,' +
    'substring,string length,upper case,lower case,substring before,substring after,replace,' +
    'contains,matches,starts with,ends with,split,string join,list contains,list replace,count,' +
    'min,max,sum,mean,all,any,sublist,append,concatenate,insert before,remove,reverse,index of,' +
    'union,distinct values,flatten,product,median,stddev,mode,decimal,floor,ceiling,abs,' +
    'round up,round down,round half up,round half down,modulo,sqrt,log,exp,odd,even,is,before,' +
    'after,meets,met by,overlaps,overlaps before,overlaps after,finishes,finished by,includes,' +
    'during,starts,started by,coincides,day of year,day of week,month of year,week of year,' +
    'sort,get value,get entries,context,context merge,context put'
  ).split(','),
);

interface Prepared {
  source: string;
  /** Names to look up in the variables. */
  variableNames: string[];
  /** Functions (and guards) to put in the context, by name. */
  functionNames: string[];
}

const prepared = new Map<string, Prepared>();
const MAX_PREPARED = 5000;
const MAX_PREPARED_CHARACTERS = 4_000_000;
let preparedCharacters = 0;

function prepare(text: string, kind: FeelSyntaxKind): Prepared {
  const key = `${kind}\u0000${text}`;
  const known = prepared.get(key);
  if (known) return known;
  const measure = measureFeel(text, kind);
  if (measure.error) throw new FeelFailure(measure.error, 'syntax');
  const rewritten = rewriteFeel(text, measure.tree.topNode);
  const variableNames: string[] = [];
  const functionNames = [...rewritten.helpers];
  for (const name of rewritten.names) {
    const isFunction = name in EXTENSION_FUNCTIONS || FEELIN_BUILTINS.has(name);
    if (name in EXTENSION_FUNCTIONS) functionNames.push(name);
    // In call position a built-in's name is the function, never a variable.
    if (!(isFunction && rewritten.calledNames.has(name))) variableNames.push(name);
  }
  const result = { source: rewritten.source, variableNames, functionNames };
  if (prepared.size >= MAX_PREPARED || preparedCharacters > MAX_PREPARED_CHARACTERS) {
    prepared.clear();
    preparedCharacters = 0;
  }
  prepared.set(key, result);
  preparedCharacters += result.source.length;
  return result;
}

function contextFor(p: Prepared, variables: Record<string, unknown>) {
  const context: Record<string, unknown> = {};
  for (const name of p.functionNames) {
    context[name] = GUARD_FUNCTIONS[name] ?? EXTENSION_FUNCTIONS[name];
  }
  for (const name of p.variableNames) {
    if (Object.prototype.hasOwnProperty.call(variables, name)) context[name] = variables[name];
  }
  // `?` (the input value of unary tests) may also appear in expressions over it.
  if (Object.prototype.hasOwnProperty.call(variables, '?')) context['?'] = variables['?'];
  return context;
}

function failureOf(error: unknown, text: string, kind: FeelSyntaxKind): FeelFailure {
  if (error instanceof FeelFailure) return error;
  const what = kind === 'expression' ? 'expression' : 'unary tests';
  if (error instanceof FeelAssertionError) {
    return new FeelFailure(
      `Assertion failure on evaluate the ${what} '${text}': ${error.message}`,
      'assertion',
      error.message,
    );
  }
  if (error instanceof FeelLimitExceeded) {
    return new FeelFailure(
      `failed to evaluate ${what} '${text}': ${error.message}`,
      'limit',
      error.message,
    );
  }
  const reason =
    error instanceof RangeError
      ? 'the values are nested too deeply to evaluate'
      : error instanceof Error
        ? error.message
        : String(error);
  return new FeelFailure(`failed to evaluate ${what} '${text}': ${reason}`, 'evaluation', reason);
}

/** Throws FeelFailure ('syntax' or 'limit') unless the text can be evaluated. */
export function assertEvaluable(text: string, kind: FeelSyntaxKind, limits = FEEL_LIMITS): void {
  try {
    checkFeelLength(text, kind, limits);
    checkFeelShape(text, kind, measureFeel(text, kind), limits);
  } catch (error) {
    throw failureOf(error, text, kind);
  }
}

/**
 * Evaluates a FEEL text: an expression, or unary tests with the input value as the
 * variable `?`. Throws FeelFailure when it cannot be evaluated.
 */
export function evaluateFeelText(
  text: string,
  kind: FeelSyntaxKind,
  variables: Record<string, unknown>,
  options: EvaluationOptions = {},
): FeelValueResult {
  assertEvaluable(text, kind, options.limits);
  const p = prepare(text, kind);
  const context = contextFor(p, variables);
  return withEvaluationFrame(options, (ownWarnings) => {
    let result: { value: unknown; warnings: { type: string; message: string }[] };
    try {
      result =
        kind === 'expression'
          ? evaluate(p.source, context, FEEL_DIALECT)
          : unaryTest(p.source, context, FEEL_DIALECT);
    } catch (error) {
      throw failureOf(error, text, kind);
    }
    const warnings = [
      ...result.warnings.map((w) => ({ type: w.type, message: w.message })),
      ...ownWarnings,
    ];
    return { value: result.value ?? null, warnings };
  });
}
