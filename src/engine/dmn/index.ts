/**
 * The DMN decision engine of the built-in engine: parse and validate DMN (dmn-moddle),
 * evaluate decisions with the engine's FEEL module (../feel) the way Zeebe does. Imports
 * nothing else from the engine or the product.
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
