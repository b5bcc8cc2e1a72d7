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

/** A terminate end event ends its scope even with tokens waiting at joins. */
function isTerminateEnd(ctx: BpmnContext, child: ElementInstance): boolean {
  return child.type === 'END_EVENT' && ctx.element(child).eventType === 'TERMINATE';
}

export const flowContainerProcessor: ElementProcessor = {
  onActivate(ctx, inst, el, { start }) {
    ctx.lifecycle.markActivated(inst);
    const model = ctx.model(inst);
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

  onTerminate(ctx, inst) {
    if (ctx.lifecycle.terminateChildren(inst)) ctx.lifecycle.finishTermination(inst);
  },

  onChildCompleted(ctx, scope, child) {
    activateReadyInclusiveJoins(ctx, scope);
    if (scope.state !== 'ACTIVATED' || scope.childCount > 0) return;
    if (hasWaitingTokens(scope) && !isTerminateEnd(ctx, child)) return;
    ctx.lifecycle.complete(scope);
  },

  onChildTerminated(ctx, scope) {
    if (scope.state === 'TERMINATING') {
      if (scope.childCount === 0) ctx.lifecycle.finishTermination(scope);
      return;
    }
    // The last active instance inside an active scope was terminated (process instance
    // modification): the scope is terminated too, as Zeebe documents.
    if (scope.state === 'ACTIVATED' && scope.childCount === 0) {
      ctx.lifecycle.terminate(scope);
    }
  },
};

export type { ExecutableElement };
