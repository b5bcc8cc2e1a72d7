/**
 * Evaluates a decision of a DRG: its required decisions first (depth-first, each
 * once), each one's output bound in the context under its result name, as Zeebe does: a
 * decision table's id, a literal expression's variable name. Failures never throw: they come back as failedDecisionId/failureMessage
 * for the engine to raise an incident. Only an unknown decision id throws.
 */
import { evaluationOrder } from './drg-graph';
import { toJsonValue } from '../feel';
import { evaluateLiteralExpression } from './literal-expression';
import { evaluateDecisionTable } from './table-evaluation';
import type { DecisionEvaluation, EvaluatedDecision, ParsedDecision, ParsedDrg } from './types';

interface DrgIndex {
  decisions: Map<string, ParsedDecision>;
  requirements: Map<string, string[]>;
}

const indexes = new WeakMap<ParsedDrg, DrgIndex>();

function indexOf(drg: ParsedDrg): DrgIndex {
  let index = indexes.get(drg);
  if (!index) {
    index = {
      decisions: new Map(drg.decisions.map((d) => [d.id, d])),
      requirements: new Map(drg.decisions.map((d) => [d.id, d.requiredDecisionIds])),
    };
    indexes.set(drg, index);
  }
  return index;
}

function evaluateOne(
  decision: ParsedDecision,
  context: Record<string, unknown>,
  report: EvaluatedDecision,
): unknown {
  if (decision.decisionTable) {
    return evaluateDecisionTable(decision.decisionTable, context, report);
  }
  return evaluateLiteralExpression(
    decision.literalExpression ?? { text: '', constant: null },
    context,
  );
}

export function evaluateDecision(
  drg: ParsedDrg,
  decisionId: string,
  context: Record<string, unknown>,
): DecisionEvaluation {
  const index = indexOf(drg);
  if (!index.decisions.has(decisionId)) {
    throw new Error(
      `no decision with id '${decisionId}' in decision requirements '${drg.id}' (resource '${drg.resourceName}')`,
    );
  }
  const rawOutputs = new Map<string, unknown>();
  const evaluatedDecisions: EvaluatedDecision[] = [];
  for (const id of evaluationOrder(decisionId, index.requirements)) {
    const decision = index.decisions.get(id) as ParsedDecision;
    const scope: Record<string, unknown> = { ...context };
    for (const required of decision.requiredDecisionIds) {
      const requiredDecision = index.decisions.get(required) as ParsedDecision;
      scope[requiredDecision.resultName] = rawOutputs.get(required);
    }
    const report: EvaluatedDecision = {
      decisionId: decision.id,
      decisionName: decision.name,
      decisionType: decision.type,
      output: null,
      matchedRules: [],
      evaluatedInputs: [],
    };
    evaluatedDecisions.push(report);
    try {
      const raw = evaluateOne(decision, scope, report);
      rawOutputs.set(id, raw);
      report.output = toJsonValue(raw);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return {
        output: null,
        evaluatedDecisions,
        failedDecisionId: id,
        failureMessage: `failed to evaluate decision '${id}': ${reason}`,
      };
    }
  }
  return { output: evaluatedDecisions[evaluatedDecisions.length - 1].output, evaluatedDecisions };
}
