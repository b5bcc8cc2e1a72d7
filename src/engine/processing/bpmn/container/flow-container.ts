/**
 * Process, embedded sub-process and event sub-process: activate their start event
 * (or the event / instruction that started them), complete when no child is active
 * and no token waits at a join, terminate all children when terminated.
 */
import type { ExecutableElement } from '../../../model/types';
import type { ElementInstance } from '../../../state/types';
import type { BpmnContext } from '../bpmn-context';
import type { ElementProcessor } from '../element-processor';
import { activateReadyInclusiveJoins } from '../gateway/join';

function hasWaitingTokens(scope: ElementInstance): boolean {
  return !!scope.takenFlows && Object.keys(scope.takenFlows).length > 0;
}

export const flowContainerProcessor: ElementProcessor = {
  onActivate(ctx, inst, el) {
    ctx.lifecycle.markActivated(inst);
    const model = ctx.model(inst);
    const start = ctx.pendingStart.get(inst.key);
    ctx.pendingStart.delete(inst.key);
    if (start?.elementIds) {
      for (const id of start.elementIds) ctx.lifecycle.activate(inst, model.elements.get(id)!);
      return;
    }
    const startId = start?.startId ?? el.noneStartId ?? el.startEventId;
    if (!startId) return;
    ctx.lifecycle.activate(inst, model.elements.get(startId)!, {
      trigger: start?.variables ?? undefined,
    });
  },

  onComplete(ctx, inst) {
    if (inst.type === 'PROCESS') ctx.captureProcessResult(inst);
    return true;
  },

  onTerminate(ctx, inst) {
    if (ctx.lifecycle.terminateChildren(inst)) ctx.lifecycle.finishTermination(inst);
  },

  onChildCompleted(ctx, scope) {
    if (runPendingInterrupt(ctx, scope)) return;
    activateReadyInclusiveJoins(ctx, scope);
    if (scope.state !== 'ACTIVATED' || scope.childCount > 0) return;
    if (hasWaitingTokens(scope) && !ctx.forceComplete.has(scope.key)) return;
    ctx.lifecycle.complete(scope);
  },

  onChildTerminated(ctx, scope) {
    if (scope.state === 'TERMINATING') {
      if (scope.childCount === 0) ctx.lifecycle.finishTermination(scope);
      return;
    }
    if (runPendingInterrupt(ctx, scope)) return;
    if (
      scope.state === 'ACTIVATED' &&
      scope.childCount === 0 &&
      !ctx.forceComplete.has(scope.key)
    ) {
      if (!hasWaitingTokens(scope)) ctx.lifecycle.complete(scope);
    }
  },
};

function runPendingInterrupt(ctx: BpmnContext, scope: ElementInstance): boolean {
  const pending = ctx.afterChildrenTerminated.get(scope.key);
  if (!pending || scope.childCount > 0) return !!pending;
  ctx.afterChildrenTerminated.delete(scope.key);
  pending();
  return true;
}

export type { ExecutableElement };
