/**
 * Signal broadcast: every signal subscription of the tenant (catch events, boundaries,
 * event sub-processes) and every signal start event of the latest process versions.
 */
import { evaluateString } from '../../../feel';
import type { ExecutableElement } from '../../../model/types';
import type { BpmnContext } from '../bpmn-context';

/** A signal start event's name; an expression is evaluated without variables (as at deploy). */
function startSignalName(start: ExecutableElement): string | undefined {
  try {
    return evaluateString(start.signal?.name ?? '', {});
  } catch {
    return undefined;
  }
}

export function broadcastSignal(
  ctx: BpmnContext,
  tenantId: string,
  signalName: string,
  variables: Record<string, unknown>,
): number {
  const key = ctx.batch.nextKey();
  ctx.batch.event('SIGNAL', 'BROADCASTED', key, { signalName, variables, tenantId });
  const subs = ctx.state.signalsByName.get(`${tenantId}\u0000${signalName}`);
  for (const subKey of [...(subs ?? [])]) {
    const sub = ctx.state.signalSubscriptions.get(subKey);
    if (!sub) continue;
    const owner = ctx.instance(sub.elementInstanceKey);
    if (owner) ctx.triggers.trigger(owner, sub.catchElementId, variables);
  }
  for (const def of ctx.state.latestProcesses(tenantId)) {
    const model = ctx.models.model(def.key);
    if (!model) continue;
    for (const startId of model.eventStartIds) {
      const start = model.elements.get(startId)!;
      if (start.eventType === 'SIGNAL' && startSignalName(start) === signalName) {
        ctx.lifecycle.startProcessAt(def, startId, variables);
      }
    }
  }
  return key;
}
