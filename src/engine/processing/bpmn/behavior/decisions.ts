/**
 * Business rule tasks with zeebe:calledDecision: evaluates the latest version of the
 * decision in the tenant (DMN helper's evaluateDecision) and writes DECISION_EVALUATION.
 */
import { evaluateString } from '../../../feel';
import type { ElementInstance } from '../../../state/types';
import type { BpmnContext } from '../bpmn-context';

export interface DecisionResult {
  ok: boolean;
  output?: unknown;
  failureMessage?: string;
  /** The DECISION_EVALUATION EVALUATED / FAILED record value. */
  record: Record<string, unknown>;
}

export interface DecisionProvider {
  /** Evaluates the latest decision `decisionId` of the tenant; undefined if none is deployed. */
  evaluateLatestDecision(
    tenantId: string,
    decisionId: string,
    variables: Record<string, unknown>,
  ): DecisionResult | undefined;
}

export class DecisionBehavior {
  constructor(
    private readonly ctx: BpmnContext,
    private readonly provider: DecisionProvider,
  ) {}

  /** Returns the output, or undefined after raising an incident. */
  evaluate(inst: ElementInstance, decisionIdOrExpression: string): { output: unknown } | undefined {
    const vars = this.ctx.state.visibleVariables(inst.key);
    let decisionId: string;
    try {
      decisionId = evaluateString(decisionIdOrExpression, vars);
    } catch (error) {
      this.ctx.incidents.raise(inst, 'EXTRACT_VALUE_ERROR', (error as Error).message);
      return undefined;
    }
    const result = this.provider.evaluateLatestDecision(inst.tenantId, decisionId, vars);
    if (!result) {
      this.ctx.incidents.raise(
        inst,
        'DECISION_EVALUATION_ERROR',
        `Expected to evaluate decision '${decisionId}', but no decision found for id '${decisionId}'`,
      );
      return undefined;
    }
    const value = {
      ...result.record,
      processDefinitionKey: inst.processDefinitionKey,
      bpmnProcessId: inst.bpmnProcessId,
      processInstanceKey: inst.processInstanceKey,
      elementInstanceKey: inst.key,
      elementId: inst.elementId,
    };
    this.ctx.batch.event(
      'DECISION_EVALUATION',
      result.ok ? 'EVALUATED' : 'FAILED',
      this.ctx.batch.nextKey(),
      value,
    );
    if (!result.ok) {
      this.ctx.incidents.raise(
        inst,
        'DECISION_EVALUATION_ERROR',
        result.failureMessage ?? 'decision evaluation failed',
      );
      return undefined;
    }
    return { output: result.output };
  }
}
