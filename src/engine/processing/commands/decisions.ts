/**
 * Decisions: EvaluateDecision (by key: the version the key names; by id: the latest
 * version in the tenant) and the evaluation a business rule task asks for (the latest
 * version). Both write DECISION_EVALUATION EVALUATED or FAILED.
 */
import {
  DEFAULT_TENANT_ID,
  EngineError,
  type CallContext,
  type EvaluateDecisionRequest,
  type EvaluateDecisionResponse,
  type EvaluatedDecision,
} from '../../api';
import { evaluateDecision, type ParsedDrg } from '../../dmn';
import type { EngineState } from '../../state/engine-state';
import type { DeployedDecision } from '../../state/types';
import type { DecisionProvider, DecisionResult } from '../bpmn/behavior/decisions';
import type { BpmnContext } from '../bpmn/bpmn-context';
import { checkVariables, parseKey, requireTenantAccess } from './command-context';

export interface DrgLookup {
  drg(decisionRequirementsKey: number): ParsedDrg | undefined;
}

/** Evaluates one deployed decision (a fixed version) with its own DRG. */
export function evaluateDeployedDecision(
  state: EngineState,
  drgs: DrgLookup,
  decision: DeployedDecision,
  vars: Record<string, unknown>,
): DecisionResult | undefined {
  const drg = drgs.drg(decision.decisionRequirementsKey);
  if (!drg) return undefined;
  const result = evaluateDecision(drg, decision.decisionId, vars);
  const { tenantId } = decision;
  // The decisions a DRG version holds were deployed with it: that is their version.
  const sameDrg = new Map<string, DeployedDecision>();
  for (const d of state.decisions.values()) {
    if (d.decisionRequirementsKey === decision.decisionRequirementsKey)
      sameDrg.set(d.decisionId, d);
  }
  return {
    ok: !result.failureMessage,
    output: result.output,
    failureMessage: result.failureMessage,
    record: {
      decisionKey: decision.key,
      decisionId: decision.decisionId,
      decisionName: decision.decisionName,
      decisionVersion: decision.version,
      decisionRequirementsId: decision.decisionRequirementsId,
      decisionRequirementsKey: decision.decisionRequirementsKey,
      decisionOutput: JSON.stringify(result.output ?? null),
      evaluatedDecisions: result.evaluatedDecisions.map((d) => ({
        ...d,
        decisionKey: sameDrg.get(d.decisionId)?.key ?? -1,
        decisionOutput: JSON.stringify(d.output ?? null),
        decisionVersion: sameDrg.get(d.decisionId)?.version ?? decision.version,
        tenantId,
      })),
      failedDecisionId: result.failedDecisionId ?? '',
      evaluationFailureMessage: result.failureMessage ?? '',
      variables: {},
      tenantId,
    },
  };
}

/** What a business rule task evaluates: the latest version of the decision in the tenant. */
export function latestDecisionProvider(
  state: () => EngineState,
  drgs: DrgLookup,
): DecisionProvider {
  return {
    evaluateLatestDecision(tenantId, decisionId, vars) {
      const decision = state().latestDecision(tenantId, decisionId);
      return decision ? evaluateDeployedDecision(state(), drgs, decision, vars) : undefined;
    },
  };
}

function findDecision(
  ctx: BpmnContext,
  req: EvaluateDecisionRequest,
  call: CallContext | undefined,
): DeployedDecision | undefined {
  if (req.decisionKey && req.decisionKey !== '0') {
    const decision = ctx.state.decisions.get(parseKey(req.decisionKey, 'decisionKey'));
    const allowed = call?.authorizedTenants;
    if (!decision || (allowed && !allowed.includes(decision.tenantId))) return undefined;
    // A key of another tenant than the one asked for does not exist for the caller.
    return req.tenantId && req.tenantId !== decision.tenantId ? undefined : decision;
  }
  if (!req.decisionId) {
    throw new EngineError('INVALID_ARGUMENT', 'decisionKey or decisionId is required');
  }
  const tenantId = req.tenantId || DEFAULT_TENANT_ID;
  requireTenantAccess(tenantId, call);
  return ctx.state.latestDecision(tenantId, req.decisionId);
}

type EvaluatedRecord = {
  decisionId: string;
  decisionName: string;
  decisionType: string;
  decisionKey: number;
  decisionVersion: number;
  decisionOutput: string;
  matchedRules: {
    ruleId: string;
    ruleIndex: number;
    evaluatedOutputs: { outputId: string; outputName: string; outputValue: unknown }[];
  }[];
  evaluatedInputs: { inputId: string; inputName: string; inputValue: unknown }[];
};

export function evaluateDecisionCommand(
  ctx: BpmnContext,
  drgs: DrgLookup,
  req: EvaluateDecisionRequest,
  call?: CallContext,
): EvaluateDecisionResponse {
  const decision = findDecision(ctx, req, call);
  const vars = checkVariables(req.variables);
  const result = decision && evaluateDeployedDecision(ctx.state, drgs, decision, vars);
  if (!decision || !result) {
    throw new EngineError(
      'NOT_FOUND',
      `Expected to evaluate decision '${req.decisionId ?? req.decisionKey}', but no decision found`,
    );
  }
  const key = ctx.batch.nextKey();
  ctx.batch.event('DECISION_EVALUATION', result.ok ? 'EVALUATED' : 'FAILED', key, result.record);
  const evaluated = result.record.evaluatedDecisions as EvaluatedRecord[];
  return {
    decisionKey: String(decision.key),
    decisionId: decision.decisionId,
    decisionName: decision.decisionName,
    decisionVersion: decision.version,
    decisionRequirementsId: decision.decisionRequirementsId,
    decisionRequirementsKey: String(decision.decisionRequirementsKey),
    decisionOutput: String(result.record.decisionOutput),
    evaluatedDecisions: evaluated.map((d): EvaluatedDecision => ({
      decisionKey: d.decisionKey > 0 ? String(d.decisionKey) : '',
      decisionId: d.decisionId,
      decisionName: d.decisionName,
      decisionVersion: d.decisionVersion,
      decisionType: d.decisionType,
      decisionOutput: d.decisionOutput,
      matchedRules: d.matchedRules.map((m) => ({
        ruleId: m.ruleId,
        ruleIndex: m.ruleIndex,
        evaluatedOutputs: m.evaluatedOutputs.map((o) => ({
          ...o,
          outputValue: JSON.stringify(o.outputValue ?? null),
        })),
      })),
      evaluatedInputs: d.evaluatedInputs.map((i) => ({
        ...i,
        inputValue: JSON.stringify(i.inputValue ?? null),
      })),
      tenantId: decision.tenantId,
    })),
    failedDecisionId: result.record.failedDecisionId as string,
    failureMessage: result.failureMessage ?? '',
    tenantId: decision.tenantId,
    decisionInstanceKey: String(key),
  };
}
