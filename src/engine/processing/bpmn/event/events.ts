/**
 * Start, end, intermediate catch/throw and boundary events. Catch events wait for
 * their subscription (opened by the lifecycle) unless an event already triggered
 * them; throw events signal, escalate, throw errors, link or run a job.
 */
import type { ElementInstance } from '../../../state/types';
import type { ExecutableElement } from '../../../model/types';
import type { BpmnContext } from '../bpmn-context';
import type { ElementProcessor } from '../element-processor';
import { broadcastSignal } from '../behavior/signals';

const leaf = {
  onTerminate(ctx: BpmnContext, inst: ElementInstance) {
    ctx.lifecycle.finishTermination(inst);
  },
};

export const startEventProcessor: ElementProcessor = {
  ...leaf,
  onActivate(ctx, inst) {
    ctx.lifecycle.activateAndComplete(inst);
  },
};

export const boundaryEventProcessor: ElementProcessor = startEventProcessor;

export const intermediateCatchEventProcessor: ElementProcessor = {
  ...leaf,
  onActivate(ctx, inst, el) {
    if (el.eventType === 'LINK' || ctx.triggerVariables.has(inst.key)) {
      ctx.lifecycle.activateAndComplete(inst);
    } else {
      ctx.lifecycle.markActivated(inst);
    }
  },
};

/** Shared by end events and intermediate throw events. */
function throwEvent(ctx: BpmnContext, inst: ElementInstance, el: ExecutableElement): void {
  switch (el.eventType) {
    case 'MESSAGE':
      if (ctx.jobs.create(inst, el)) ctx.lifecycle.markActivated(inst);
      return;
    case 'SIGNAL':
      ctx.lifecycle.markActivated(inst);
      broadcastSignal(ctx, inst.tenantId, el.signal!.name, {});
      ctx.lifecycle.complete(inst);
      return;
    case 'ESCALATION': {
      ctx.lifecycle.markActivated(inst);
      const interrupted = ctx.errors.throwEscalation(inst, el.escalationCode!);
      if (!interrupted && ctx.instance(inst.key)?.state === 'ACTIVATED')
        ctx.lifecycle.complete(inst);
      return;
    }
    case 'ERROR': {
      if (!ctx.errors.findCatcher(inst, 'ERROR', el.errorCode!)) {
        ctx.incidents.raise(
          inst,
          'UNHANDLED_ERROR_EVENT',
          `Expected to throw an error event with the code '${el.errorCode}', but it was not caught. No error events are available in the scope.`,
        );
        return;
      }
      ctx.lifecycle.markActivated(inst);
      ctx.errors.throwError(inst, el.errorCode!);
      return;
    }
    case 'TERMINATE': {
      ctx.lifecycle.markActivated(inst);
      const scope = ctx.instance(inst.flowScopeKey)!;
      ctx.forceComplete.add(scope.key);
      for (const sibling of ctx.state.childrenOf(scope.key)) {
        if (sibling.key !== inst.key) ctx.lifecycle.terminate(sibling);
      }
      ctx.lifecycle.complete(inst);
      return;
    }
    case 'LINK': {
      ctx.lifecycle.markActivated(inst);
      const scope = ctx.instance(inst.flowScopeKey)!;
      const model = ctx.model(inst);
      const target = [...model.elements.values()].find(
        (c) =>
          c.type === 'INTERMEDIATE_CATCH_EVENT' &&
          c.eventType === 'LINK' &&
          c.linkName === el.linkName &&
          c.flowScopeId === el.flowScopeId,
      )!;
      ctx.chosenFlows.set(inst.key, []);
      ctx.lifecycle.activate(scope, target);
      ctx.lifecycle.complete(inst);
      return;
    }
    default:
      ctx.lifecycle.activateAndComplete(inst);
  }
}

export const endEventProcessor: ElementProcessor = { ...leaf, onActivate: throwEvent };
export const intermediateThrowEventProcessor: ElementProcessor = {
  ...leaf,
  onActivate: throwEvent,
};
