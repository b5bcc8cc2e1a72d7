/**
 * Work a command postponed because it used up its step budget (BpmnContext.drain), as
 * Zeebe runs such work: ordinary commands that interleave with everybody else's and that
 * a cancellation stops. The steps left are stored (PROCESS_INSTANCE_BATCH POSTPONED, part
 * of state and snapshots, so a restart continues them); a later internal command takes
 * them up (CONTINUE / CONTINUED). A chain that runs MAX_STEPS_WITHOUT_END steps without
 * coming to an end — a loop without a wait state — stops with an incident on each element
 * it was about to continue; resolving the incident continues it for as many steps again.
 */
import type { PostponedWork } from '../../state/types';
import type { BpmnContext } from '../bpmn/bpmn-context';
import type { Step } from '../bpmn/steps';

/** Steps one chain of postponed work may run before its elements get an incident (default). */
export const MAX_STEPS_WITHOUT_END = 100_000;

/**
 * Stores the steps a command left; returns the key of the postponed work, or undefined
 * when nothing is left to continue (the chain was stopped by incidents).
 */
export function postpone(
  ctx: BpmnContext,
  steps: Step[],
  chainSteps: number,
  maxSteps = MAX_STEPS_WITHOUT_END,
): number | undefined {
  let left = steps;
  let chain = chainSteps;
  if (chainSteps >= maxSteps) {
    left = raiseLoopIncidents(ctx, steps, chainSteps);
    chain = 0;
    if (left.length === 0) return undefined;
  }
  const instances = new Set<number>();
  for (const step of left) {
    if (step.kind === 'activate' || step.kind === 'complete') {
      const pi = ctx.instance(step.key)?.processInstanceKey;
      if (pi !== undefined) instances.add(pi);
    }
  }
  const key = ctx.batch.nextKey();
  ctx.batch.event('PROCESS_INSTANCE_BATCH', 'POSTPONED', key, {
    steps: left as unknown as PostponedWork['steps'],
    chainSteps: chain,
    processInstanceKeys: [...instances],
  });
  return key;
}

/** Continues postponed work (an internal command); stale steps are skipped by the steps. */
export function continuePostponed(ctx: BpmnContext, key: number): void {
  const work = ctx.state.postponed.get(key);
  if (!work) return;
  ctx.batch.command('PROCESS_INSTANCE_BATCH', 'CONTINUE', key, {});
  ctx.batch.event('PROCESS_INSTANCE_BATCH', 'CONTINUED', key, {
    chainSteps: work.chainSteps,
    processInstanceKeys: work.processInstanceKeys,
  });
  ctx.chainSteps = work.chainSteps;
  for (const step of work.steps as unknown as Step[]) ctx.enqueue(step);
}

/**
 * The element instances the looping steps would continue get an incident (they stay
 * ACTIVATING or COMPLETING, as with any incident, and resolving it continues them); steps
 * that are not about an element (a buffered message to correlate) stay postponed.
 */
function raiseLoopIncidents(ctx: BpmnContext, steps: Step[], ran: number): Step[] {
  const rest: Step[] = [];
  const raised = new Set<number>();
  for (const step of steps) {
    if (step.kind !== 'activate' && step.kind !== 'complete') {
      rest.push(step);
      continue;
    }
    const inst = ctx.instance(step.key);
    const waiting = step.kind === 'activate' ? 'ACTIVATING' : 'COMPLETING';
    if (!inst || inst.state !== waiting || raised.has(inst.key)) continue;
    raised.add(inst.key);
    ctx.incidents.raise(
      inst,
      'UNKNOWN',
      `The process instance ran ${ran} steps without reaching a wait state; element '${inst.elementId}' was stopped here (a loop without a wait state in the model?). Resolve the incident to continue.`,
    );
  }
  return rest;
}
