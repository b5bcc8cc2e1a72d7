/**
 * Gateways. Exclusive: first true condition, else the default flow, else an incident.
 * Inclusive: every true condition (join waits until no token can reach it any more).
 * Parallel: all flows (join waits for a token on every incoming flow). Event-based:
 * waits for the first of its events (subscriptions opened by the lifecycle).
 */
import { evaluateBoolean } from '../../../feel';
import type { ExecutableElement } from '../../../model/types';
import type { ElementInstance } from '../../../state/types';
import type { BpmnContext } from '../bpmn-context';
import type { ElementProcessor } from '../element-processor';
import { joinSatisfied } from './join';

/** A joining gateway (several incoming flows) is activated once its join is satisfied. */
function joinReady(ctx: BpmnContext, scope: ElementInstance, el: ExecutableElement): boolean {
  return el.incoming.length < 2 || joinSatisfied(ctx, scope, el);
}

const leaf = {
  onTerminate(ctx: BpmnContext, inst: ElementInstance) {
    ctx.lifecycle.finishTermination(inst);
  },
};

function chooseFlows(
  ctx: BpmnContext,
  inst: ElementInstance,
  el: ExecutableElement,
  all: boolean,
): string[] | undefined {
  if (
    el.outgoing.length <= 1 &&
    !el.outgoing.some((f) => ctx.model(inst).elements.get(f)!.condition)
  ) {
    return el.outgoing;
  }
  const vars = ctx.state.visibleVariables(inst.key);
  const chosen: string[] = [];
  try {
    for (const flowId of el.outgoing) {
      if (flowId === el.defaultFlowId) continue;
      const flow = ctx.model(inst).elements.get(flowId)!;
      if (!flow.condition || evaluateBoolean(flow.condition, vars)) {
        chosen.push(flowId);
        if (!all) break;
      }
    }
  } catch (err) {
    ctx.incidents.raise(inst, 'CONDITION_ERROR', (err as Error).message);
    return undefined;
  }
  if (chosen.length === 0 && el.defaultFlowId) chosen.push(el.defaultFlowId);
  if (chosen.length === 0) {
    ctx.incidents.raise(
      inst,
      'CONDITION_ERROR',
      `Expected at least one condition to evaluate to true, or to have a default flow`,
    );
    return undefined;
  }
  return chosen;
}

export const exclusiveGatewayProcessor: ElementProcessor = {
  ...leaf,
  onActivate(ctx, inst, el) {
    const flows = chooseFlows(ctx, inst, el, false);
    if (flows) ctx.lifecycle.activateAndComplete(inst, { flows });
  },
};

export const inclusiveGatewayProcessor: ElementProcessor = {
  ...leaf,
  onActivate(ctx, inst, el) {
    const flows = chooseFlows(ctx, inst, el, true);
    if (flows) ctx.lifecycle.activateAndComplete(inst, { flows });
  },
  acceptsToken: joinReady,
};

export const parallelGatewayProcessor: ElementProcessor = {
  ...leaf,
  onActivate(ctx, inst) {
    ctx.lifecycle.activateAndComplete(inst);
  },
  acceptsToken: joinReady,
};

export const eventBasedGatewayProcessor: ElementProcessor = {
  ...leaf,
  onActivate(ctx, inst) {
    ctx.lifecycle.markActivated(inst);
  },
};
