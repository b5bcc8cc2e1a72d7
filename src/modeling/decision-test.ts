/**
 * The "prova" panel of the decision editor: evaluates a deployed decision of the
 * province with sample inputs through the Zeebe client's EvaluateDecision (the engine
 * answering is the one the province runs on) and reports the matched rules.
 */
import { ValidationError } from '../errors';
import type { Deployer } from './deploy';
import { PERMISSION_MODELS_EDIT, requireModelPermission, type ModelActor } from './repository';

export interface DecisionTestResult {
  decisionId: string;
  decisionName: string;
  decisionVersion: number;
  output: unknown;
  /** Every decision evaluated (required decisions first), with its matched rules. */
  evaluated: {
    decisionId: string;
    decisionName: string;
    inputs: { id: string; name: string; value: unknown }[];
    matchedRules: {
      ruleId: string;
      ruleIndex: number;
      outputs: { id: string; name: string; value: unknown }[];
    }[];
    output: unknown;
  }[];
  failure?: { decisionId: string; message: string };
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined || text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export async function testDecision(
  deployer: Deployer,
  actor: ModelActor,
  decisionId: string,
  variables: Record<string, unknown>,
): Promise<DecisionTestResult> {
  requireModelPermission(actor, PERMISSION_MODELS_EDIT);
  if (!variables || typeof variables !== 'object' || Array.isArray(variables)) {
    throw new ValidationError('variables must be an object', [
      {
        field: 'variables',
        message: 'variables: must be a JSON object',
        key: 'modeling.decision.variablesInvalid',
      },
    ]);
  }
  let response;
  try {
    response = await deployer.zeebe.evaluateDecision({
      decisionId,
      variables: variables as never,
      tenantId: actor.tenantId,
    });
  } catch (err) {
    const reason = (err as { details?: string }).details ?? (err as Error).message;
    throw new ValidationError(`the decision could not be evaluated: ${reason}`, [
      {
        field: 'decisionId',
        message: `decisionId: ${reason}`,
        key: 'modeling.decision.failed',
        params: { reason },
      },
    ]);
  }
  return {
    decisionId: response.decisionId,
    decisionName: response.decisionName,
    decisionVersion: response.decisionVersion,
    output: parseJson(response.decisionOutput),
    evaluated: (response.evaluatedDecisions ?? []).map((d) => ({
      decisionId: d.decisionId,
      decisionName: d.decisionName,
      inputs: (d.evaluatedInputs ?? []).map((i) => ({
        id: i.inputId,
        name: i.inputName,
        value: parseJson(i.inputValue),
      })),
      matchedRules: (d.matchedRules ?? []).map((r) => ({
        ruleId: r.ruleId,
        ruleIndex: r.ruleIndex,
        outputs: (r.evaluatedOutputs ?? []).map((o) => ({
          id: o.outputId,
          name: o.outputName,
          value: parseJson(o.outputValue),
        })),
      })),
      output: parseJson(d.decisionOutput),
    })),
    failure: response.failedDecisionId
      ? { decisionId: response.failedDecisionId, message: response.failureMessage }
      : undefined,
  };
}
