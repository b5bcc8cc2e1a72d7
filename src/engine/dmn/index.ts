/**
 * The DMN decision engine of the built-in engine: parse and validate DMN (dmn-moddle),
 * evaluate decisions with FEEL (feelin) the way Zeebe does. Self-contained: imports
 * nothing from the rest of the engine or the product.
 */
export { parseDmn } from './parse';
export { evaluateDecision } from './drg-evaluation';
export { DmnValidationError } from './errors';
export type {
  Aggregation,
  CompiledExpression,
  CompiledInputEntry,
  DecisionEvaluation,
  DecisionType,
  EvaluatedDecision,
  EvaluatedInput,
  EvaluatedOutput,
  HitPolicy,
  MatchedRule,
  ParseDmnOptions,
  ParsedDecision,
  ParsedDecisionTable,
  ParsedDrg,
  ParsedInput,
  ParsedOutput,
  ParsedRule,
} from './types';
