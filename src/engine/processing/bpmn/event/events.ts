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
import { throwCompensation } from '../behavior/compensation';
import { evaluateString } from '../../../feel';

/**
 * Signal names, error and escalation codes of throw events may be FEEL expressions,
 * evaluated when the event is reached; a failure raises an EXTRACT_VALUE_ERROR incident.
 */
function evaluateOrIncident(
  ctx: BpmnContext,
  inst: ElementInstance,
  text: string,
): string | undefined {
  try {
    return evaluateString(text, ctx.state.visibleVariables(inst.key));
  } catch (err) {
    ctx.incidents.raise(inst, 'EXTRACT_VALUE_ERROR', (err as Error).message);
    return undefined;
  }
}

function localVariables(ctx: BpmnContext, inst: ElementInstance): Record<string, unknown> {
  return Object.fromEntries(ctx.state.variables.get(inst.key) ?? []);
}

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
  onActivate(ctx, inst, el, { trigger }) {
    if (el.eventType === 'LINK' || trigger) {
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
    case 'SIGNAL': {
      const name = evaluateOrIncident(ctx, inst, el.signal!.name);
      if (name === undefined) return;
      ctx.lifecycle.markActivated(inst);
      // A signal throw event passes its local variables (from its input mappings) along.
      broadcastSignal(ctx, inst.tenantId, name, localVariables(ctx, inst));
      ctx.lifecycle.complete(inst);
      return;
    }
    case 'ESCALATION': {
      const code = evaluateOrIncident(ctx, inst, el.escalationCode!);
      if (code === undefined) return;
      ctx.lifecycle.markActivated(inst);
      const interrupted = ctx.errors.throwEscalation(inst, code);
      if (!interrupted && ctx.instance(inst.key)?.state === 'ACTIVATED')
        ctx.lifecycle.complete(inst);
      return;
    }
    case 'ERROR': {
      const code = evaluateOrIncident(ctx, inst, el.errorCode!);
      if (code === undefined) return;
      if (!ctx.errors.findCatcher(inst, 'ERROR', code)) {
        ctx.incidents.raise(
          inst,
          'UNHANDLED_ERROR_EVENT',
          `Expected to throw an error event with the code '${code}', but it was not caught. No error events are available in the scope.`,
        );
        return;
      }
      ctx.lifecycle.markActivated(inst);
      ctx.errors.throwError(inst, code);
      return;
    }
    case 'COMPENSATION':
      ctx.lifecycle.markActivated(inst);
      // The event waits until every handler it invoked has completed.
      if (!throwCompensation(ctx, inst, el)) ctx.lifecycle.complete(inst);
      return;
    case 'TERMINATE': {
      ctx.lifecycle.markActivated(inst);
      // The scope then completes even with tokens waiting at joins (see flow-container).
      const scope = ctx.instance(inst.flowScopeKey)!;
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
      ctx.lifecycle.activate(scope, target);
      ctx.lifecycle.complete(inst, { flows: [] });
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
