/**
 * A process instance: a flow container that, when it ends, answers a waiting
 * CreateProcessInstanceWithResult, hands its variables to its calling activity, and lets
 * the next buffered message start an instance for its correlation key.
 */
import type { ElementInstance } from '../../../state/types';
import type { BpmnContext } from '../bpmn-context';
import type { ElementProcessor } from '../element-processor';
import { flowContainerProcessor } from './flow-container';

/** A message-started instance ended: the next buffered message for its key may start one. */
function releaseMessageStart(ctx: BpmnContext, pi: ElementInstance): void {
  if (!pi.messageStartKey) return;
  const [tenantId, bpmnProcessId, correlationKey] = pi.messageStartKey.split('\u0000');
  ctx.enqueue({ kind: 'startBuffered', tenantId, bpmnProcessId, correlationKey });
}

export const processProcessor: ElementProcessor = {
  ...flowContainerProcessor,

  onComplete(ctx, inst) {
    // Captured now: the variables leave the state with the instance.
    if (inst.parentElementInstanceKey > 0 || ctx.hooks.hasResultWaiter(inst.key)) {
      return { variables: ctx.state.visibleVariables(inst.key) };
    }
    return true;
  },

  onCompleted(ctx, pi, _el, note) {
    releaseMessageStart(ctx, pi);
    const vars = note.variables ?? {};
    if (ctx.hooks.hasResultWaiter(pi.key)) {
      ctx.batch.event('PROCESS_INSTANCE_RESULT', 'COMPLETED', pi.key, {
        bpmnProcessId: pi.bpmnProcessId,
        processDefinitionKey: pi.processDefinitionKey,
        processInstanceKey: pi.key,
        version: pi.version,
        variables: vars,
        tenantId: pi.tenantId,
      });
      ctx.batch.afterCommit.push(() => ctx.hooks.resultReady(pi.key, vars));
    }
    if (pi.parentElementInstanceKey <= 0) return;
    const caller = ctx.instance(pi.parentElementInstanceKey);
    if (!caller || caller.state !== 'ACTIVATED') return;
    const el = ctx.element(caller);
    // Output mappings always see the child's variables (as locals of the call activity).
    if (el.calledElement?.propagateAllChildVariables || el.outputMappings.length > 0) {
      ctx.variables.setEventVariables(caller, el, vars);
    }
    ctx.lifecycle.complete(caller);
  },

  onTerminated(ctx, pi) {
    releaseMessageStart(ctx, pi);
    if (pi.parentElementInstanceKey <= 0) return;
    const caller = ctx.instance(pi.parentElementInstanceKey);
    if (caller?.state === 'TERMINATING') ctx.lifecycle.finishTermination(caller);
  },
};
