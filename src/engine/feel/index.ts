/**
 * The engine's one FEEL module, used by BPMN expression slots, DMN decisions and
 * deploy-time checks. FEEL is evaluated by feelin, with the engine's extensions where
 * Zeebe's FEEL differs (see README "FEEL"): extra and corrected built-in functions,
 * decimal arithmetic, zone-aware temporal arithmetic, and bounds on size and work.
 */
export {
  evaluateBoolean,
  evaluateExpression,
  evaluateExpressionOrStatic,
  evaluateFeel,
  evaluateString,
  expressionBody,
  feelSyntaxError,
  isExpression,
  type FeelContext,
  type FeelEvaluation,
} from './expression-slots';
export {
  assertEvaluable,
  evaluateFeelText,
  FeelFailure,
  type FailureKind,
  type FeelValueResult,
} from './evaluate';
export { withFeelClock, type EvaluationOptions, type FeelWarning } from './frame';
export { FEEL_LIMITS, FeelLimitExceeded, type FeelLimits } from './limits';
export {
  analyseFeelSyntax,
  childrenOf,
  findFeelSyntaxError,
  literalValueOf,
  parseFeel,
  type FeelNode,
  type FeelSyntaxKind,
  type FeelTree,
  type LiteralValue,
} from './syntax';
export { describeType, feelTypeOf, jsonEquals, toJsonValue, type FeelType } from './values';
