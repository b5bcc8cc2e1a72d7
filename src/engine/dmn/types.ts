/**
 * Public shapes of the DMN decision engine: what parseDmn returns and what
 * evaluateDecision reports (the shape Zeebe returns for EvaluateDecision and
 * business rule tasks, minus the keys and versions the engine adds).
 */

export type DecisionType = 'DECISION_TABLE' | 'LITERAL_EXPRESSION';

export type HitPolicy =
  'UNIQUE' | 'FIRST' | 'PRIORITY' | 'ANY' | 'COLLECT' | 'RULE ORDER' | 'OUTPUT ORDER';

export type Aggregation = 'SUM' | 'MIN' | 'MAX' | 'COUNT';

/** A comparison (`>= x`) or interval (`[a..b]`) test, whose endpoints must have the input's type. */
export interface ComparisonPart {
  kind: 'comparison';
  text: string;
  /** Set for `< x`, `<= x`, `> x`, `>= x`. */
  operator?: ComparisonOperator;
  /** Set for intervals `[a..b]`, `(a..b)`, `]a..b[`. */
  interval?: { startIncluded: boolean; endIncluded: boolean };
  endpoints: CompiledEndpoint[];
}

/** Ordering operators only: `= x` and `!= x` are defined across types, feelin decides them. */
export type ComparisonOperator = '<' | '<=' | '>' | '>=';

/** Any other positive unary test (literal, list member, function call, `? > x` expression). */
export interface PlainPart {
  kind: 'plain';
  text: string;
  /** Set when the test is an expression over '?' (`? < 5000`, `? > 1 and ? < 9`). */
  usesInput?: boolean;
}

/** A FEEL expression, with its value or variable name when known at parse time. */
export interface CompiledExpression {
  text: string;
  /** Present when the expression is a string, number, boolean or null literal. */
  constant?: string | number | boolean | null;
  /** Present when the expression is a variable name or a path (`a.b.c`) without spaces. */
  path?: string[];
}

export interface CompiledEndpoint extends CompiledExpression {
  /** FEEL type known at parse time (literals, temporal literals); undefined = evaluate. */
  staticType?: string;
}

/**
 * An input entry, pre-analysed once at parse time. `any` is '-' or empty. `literals`
 * is a list of string/number/boolean literals (`"a","b"`, `not(1, 2)`), matched by
 * equality without FEEL. `tests` is everything else; `standalone` tests reference no
 * variable, so they are evaluated with only '?' in their context.
 */
export type CompiledInputEntry =
  | { kind: 'any'; text: string }
  | { kind: 'literals'; text: string; negated: boolean; values: (string | number | boolean)[] }
  | {
      kind: 'tests';
      text: string;
      negated: boolean;
      standalone: boolean;
      parts: (ComparisonPart | PlainPart)[];
    };

export interface ParsedInput {
  id: string;
  /** The input's label, else its expression text. */
  name: string;
  expression: CompiledExpression;
  typeRef?: string;
}

export interface ParsedOutput {
  id: string;
  /** Key of the output in a multi-output result: the output's name, else label, else id. */
  name: string;
  typeRef?: string;
  /** Allowed values in priority order (for PRIORITY and OUTPUT ORDER), JSON values. */
  priorityValues?: unknown[];
}

export interface ParsedRule {
  id: string;
  /** 1-based position in the table. */
  index: number;
  inputEntries: CompiledInputEntry[];
  /** FEEL expressions; an empty entry is the null constant. */
  outputEntries: CompiledExpression[];
}

export interface ParsedDecisionTable {
  hitPolicy: HitPolicy;
  aggregation?: Aggregation;
  inputs: ParsedInput[];
  outputs: ParsedOutput[];
  rules: ParsedRule[];
}

export interface ParsedDecision {
  id: string;
  name: string;
  type: DecisionType;
  /**
   * The name under which dependent decisions see this decision's result: a literal
   * expression's variable name (its id when it has no variable), a table's id.
   */
  resultName: string;
  requiredDecisionIds: string[];
  /** Set when type is DECISION_TABLE. */
  decisionTable?: ParsedDecisionTable;
  /** Set when type is LITERAL_EXPRESSION: the FEEL expression. */
  literalExpression?: CompiledExpression;
}

export interface ParsedDrg {
  id: string;
  name: string;
  namespace?: string;
  resourceName: string;
  decisions: ParsedDecision[];
  /** Non-fatal parser warnings (e.g. unknown attributes). */
  warnings: string[];
}

export interface EvaluatedInput {
  inputId: string;
  inputName: string;
  inputValue: unknown;
}

export interface EvaluatedOutput {
  outputId: string;
  outputName: string;
  outputValue: unknown;
}

export interface MatchedRule {
  ruleId: string;
  /** 1-based. */
  ruleIndex: number;
  evaluatedOutputs: EvaluatedOutput[];
}

export interface EvaluatedDecision {
  decisionId: string;
  decisionName: string;
  decisionType: DecisionType;
  output: unknown;
  matchedRules: MatchedRule[];
  evaluatedInputs: EvaluatedInput[];
}

export interface DecisionEvaluation {
  /** JSON value: what Zeebe serialises as the decision output. null on failure. */
  output: unknown;
  /** Required decisions first (evaluation order), the requested decision last. */
  evaluatedDecisions: EvaluatedDecision[];
  failedDecisionId?: string;
  failureMessage?: string;
}

export interface ParseDmnOptions {
  /** Largest accepted resource, in bytes of UTF-8. Default 4 MiB. */
  maxBytes?: number;
}
