/**
 * When a join fires. Parallel: a token waits on every incoming flow. Inclusive: at
 * least one token arrived and no other token in the scope can still reach the gateway.
 */
import type { ExecutableElement, ExecutableProcess } from '../../../model/types';
import type { ElementInstance } from '../../../state/types';
import type { BpmnContext } from '../bpmn-context';

const reachCache = new WeakMap<ExecutableProcess, Map<string, boolean>>();

function canReach(model: ExecutableProcess, fromId: string, targetId: string): boolean {
  let cache = reachCache.get(model);
  if (!cache) reachCache.set(model, (cache = new Map()));
  const ck = `${fromId}>${targetId}`;
  const hit = cache.get(ck);
  if (hit !== undefined) return hit;
  const seen = new Set<string>();
  const stack = [fromId];
  let found = false;
  while (stack.length && !found) {
    const id = stack.pop()!;
    const el = model.elements.get(id);
    if (!el) continue;
    const next = [...el.outgoing.map((f) => model.elements.get(f)!.targetId!), ...el.boundaryIds];
    for (const n of next) {
      if (n === targetId) found = true;
      else if (!seen.has(n)) {
        seen.add(n);
        stack.push(n);
      }
    }
  }
  cache.set(ck, found);
  return found;
}

export function joinSatisfied(
  ctx: BpmnContext,
  scope: ElementInstance,
  gateway: ExecutableElement,
): boolean {
  const taken = scope.takenFlows?.[gateway.id] ?? {};
  if (gateway.type === 'PARALLEL_GATEWAY')
    return gateway.incoming.every((f) => (taken[f] ?? 0) > 0);
  if (Object.keys(taken).length === 0) return false;
  const model = ctx.model(scope);
  for (const child of ctx.state.childrenOf(scope.key)) {
    if (child.state === 'TERMINATING') continue;
    if (canReach(model, child.elementId, gateway.id)) return false;
  }
  for (const [otherId, flows] of Object.entries(scope.takenFlows ?? {})) {
    if (otherId === gateway.id || Object.keys(flows).length === 0) continue;
    if (canReach(model, otherId, gateway.id)) return false;
  }
  return true;
}

/** An inclusive join may fire when the last token that could reach it disappears. */
export function activateReadyInclusiveJoins(ctx: BpmnContext, scope: ElementInstance): void {
  if (!scope.takenFlows || scope.state !== 'ACTIVATED') return;
  const model = ctx.model(scope);
  for (const gatewayId of Object.keys(scope.takenFlows)) {
    const gw = model.elements.get(gatewayId);
    if (gw?.type === 'INCLUSIVE_GATEWAY' && joinSatisfied(ctx, scope, gw)) {
      ctx.lifecycle.activate(scope, gw);
    }
  }
}
