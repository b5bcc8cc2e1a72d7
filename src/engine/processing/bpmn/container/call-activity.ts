/**
 * Call activity: starts the latest version of the called process (id may be FEEL) in
 * the same tenant, passing variables down; completes with the child's variables.
 */
import { evaluateString } from '../../../feel';
import { PROCESS_SCOPE } from '../../../model/types';
import type { ElementProcessor } from '../element-processor';

export const callActivityProcessor: ElementProcessor = {
  onActivate(ctx, inst, el) {
    const called = el.calledElement!;
    let processId: string;
    try {
      processId = evaluateString(called.processId, ctx.state.visibleVariables(inst.key));
    } catch (err) {
      ctx.incidents.raise(inst, 'EXTRACT_VALUE_ERROR', (err as Error).message);
      return;
    }
    const def = ctx.state.latestProcess(inst.tenantId, processId);
    if (!def) {
      ctx.incidents.raise(
        inst,
        'CALLED_ELEMENT_ERROR',
        `Expected process with BPMN process id '${processId}' to be deployed, but not found.`,
      );
      return;
    }
    const model = ctx.models.model(def.key)!;
    if (!model.elements.get(PROCESS_SCOPE)?.noneStartId) {
      ctx.incidents.raise(
        inst,
        'CALLED_ELEMENT_ERROR',
        `Expected process with BPMN process id '${processId}' to have a none start event, but not found.`,
      );
      return;
    }
    ctx.lifecycle.markActivated(inst);
    const vars = called.propagateAllParentVariables
      ? ctx.state.visibleVariables(inst.key)
      : Object.fromEntries(ctx.state.variables.get(inst.key) ?? []);
    const child = ctx.lifecycle.activateProcess(def, { parent: inst });
    ctx.variables.mergeLocal(child, vars);
  },

  onTerminate(ctx, inst) {
    const child = inst.calledChildKey ? ctx.instance(inst.calledChildKey) : undefined;
    if (child) ctx.lifecycle.terminate(child);
    else ctx.lifecycle.finishTermination(inst);
  },
};
