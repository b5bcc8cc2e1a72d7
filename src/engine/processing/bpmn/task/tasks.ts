/**
 * Tasks. Job-worker tasks (service, send, user, and script / business rule tasks
 * without an inline definition) create a job and wait for it; script tasks evaluate
 * FEEL; business rule tasks evaluate a decision; receive tasks wait for a message;
 * manual and undefined tasks pass straight through.
 */
import { evaluateFeel } from '../../../feel';
import type { ElementInstance } from '../../../state/types';
import type { BpmnContext } from '../bpmn-context';
import type { ElementProcessor } from '../element-processor';

const leaf = {
  onTerminate(ctx: BpmnContext, inst: ElementInstance) {
    ctx.lifecycle.finishTermination(inst);
  },
};

export const jobWorkerTaskProcessor: ElementProcessor = {
  ...leaf,
  onActivate(ctx, inst, el) {
    if (ctx.jobs.create(inst, el)) ctx.lifecycle.markActivated(inst);
  },
};

export const scriptTaskProcessor: ElementProcessor = {
  ...leaf,
  onActivate(ctx, inst, el, activation) {
    if (!el.script) return jobWorkerTaskProcessor.onActivate(ctx, inst, el, activation);
    let value: unknown;
    try {
      value = evaluateFeel(el.script.expression, ctx.state.visibleVariables(inst.key));
    } catch (err) {
      ctx.incidents.raise(inst, 'EXTRACT_VALUE_ERROR', (err as Error).message);
      return;
    }
    ctx.lifecycle.markActivated(inst);
    ctx.variables.setEventVariables(inst, el, { [el.script.resultVariable]: value });
    ctx.lifecycle.complete(inst);
  },
};

export const businessRuleTaskProcessor: ElementProcessor = {
  ...leaf,
  onActivate(ctx, inst, el, activation) {
    if (!el.calledDecision) return jobWorkerTaskProcessor.onActivate(ctx, inst, el, activation);
    const result = ctx.decisions.evaluate(inst, el.calledDecision.decisionId);
    if (!result) return;
    ctx.lifecycle.markActivated(inst);
    ctx.variables.setEventVariables(inst, el, {
      [el.calledDecision.resultVariable]: result.output,
    });
    ctx.lifecycle.complete(inst);
  },
};

export const receiveTaskProcessor: ElementProcessor = {
  ...leaf,
  onActivate(ctx, inst, _el, { trigger }) {
    if (trigger) ctx.lifecycle.activateAndComplete(inst);
    else ctx.lifecycle.markActivated(inst);
  },
};

export const passThroughTaskProcessor: ElementProcessor = {
  ...leaf,
  onActivate(ctx, inst) {
    ctx.lifecycle.activateAndComplete(inst);
  },
};
