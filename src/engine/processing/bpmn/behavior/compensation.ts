/**
 * Compensation as Zeebe 8.5 documents it ("Compensation events", "Compensation handler"):
 * a completed activity with a compensation boundary event leaves a compensation
 * subscription in its flow scope; a compensation throw event invokes the handlers of the
 * completed activities of its scope (or of the one activity it names), all at once, newest
 * first, descending into completed sub-processes, and waits until every invoked handler
 * has completed. Active or terminated activities are never compensated; a terminated scope
 * takes its subscriptions with it; a child process's subscriptions end with it.
 *
 * A handler of an activity inside a completed sub-process runs as a child of the active
 * scope that threw the compensation (the sub-process itself is gone).
 */
import type { ExecutableElement } from '../../../model/types';
import type { CompensationSubscription, ElementInstance } from '../../../state/types';
import type { BpmnContext } from '../bpmn-context';
import { isInnerInstance } from './lifecycle';

const VALUE_TYPE = 'COMPENSATION_SUBSCRIPTION';

function write(ctx: BpmnContext, intent: string, sub: CompensationSubscription): void {
  const { key, ...value } = sub;
  ctx.batch.event(VALUE_TYPE, intent, key, value);
}

/**
 * Before `inst` is written as completed: remember it for compensation when it has a
 * compensation boundary event, and when it is a sub-process (or multi-instance) that
 * holds subscriptions of its own, so a later compensation can descend into it.
 */
export function rememberCompletedActivity(
  ctx: BpmnContext,
  inst: ElementInstance,
  el: ExecutableElement,
): void {
  if (inst.type === 'PROCESS') return;
  const scope = ctx.instance(inst.flowScopeKey);
  if (!scope) return;
  const subs = ctx.state.compensation;
  // A compensation handler is not compensated again.
  if (subs.ofHandler(inst.key)) return;
  const base = {
    tenantId: inst.tenantId,
    processInstanceKey: inst.processInstanceKey,
    processDefinitionKey: inst.processDefinitionKey,
    compensableActivityId: inst.elementId,
    compensableActivityScopeKey: scope.key,
    compensableActivityInstanceKey: inst.key,
    throwEventId: '',
    throwEventInstanceKey: -1,
    compensationHandlerInstanceKey: -1,
  };
  if (subs.hasInScope(inst.key)) {
    write(ctx, 'CREATED', { key: ctx.batch.nextKey(), ...base, compensationHandlerId: '' });
  }
  // Boundary events belong to the multi-instance body, not to its inner instances.
  if (el.compensationBoundaryId && !isInnerInstance(inst, scope)) {
    const boundary = ctx.model(inst).elements.get(el.compensationBoundaryId);
    write(ctx, 'CREATED', {
      key: ctx.batch.nextKey(),
      ...base,
      compensationHandlerId: boundary?.compensationHandlerId ?? '',
    });
  }
}

/** After `inst` completed: a finished handler may let its throw event continue. */
export function handlerCompleted(ctx: BpmnContext, inst: ElementInstance): void {
  const sub = ctx.state.compensation.ofHandler(inst.key);
  if (!sub) return;
  write(ctx, 'COMPLETED', sub);
  continueThrowEventIfDone(ctx, sub.throwEventInstanceKey);
}

/**
 * After `inst` was terminated: a terminated scope cannot be compensated any more (its
 * subscriptions go), an interrupted handler is not re-activated, and a process instance
 * that ends takes all of its subscriptions with it.
 */
export function activityTerminated(ctx: BpmnContext, inst: ElementInstance): void {
  const subs = ctx.state.compensation;
  if (inst.type === 'PROCESS') {
    processInstanceEnded(ctx, inst);
    return;
  }
  const handled = subs.ofHandler(inst.key);
  if (handled) {
    write(ctx, 'DELETED', handled);
    continueThrowEventIfDone(ctx, handled.throwEventInstanceKey);
  }
  deleteInScope(ctx, inst.key);
}

export function processInstanceEnded(ctx: BpmnContext, pi: ElementInstance): void {
  for (const sub of ctx.state.compensation.ofProcessInstance(pi.key)) write(ctx, 'DELETED', sub);
}

function deleteInScope(ctx: BpmnContext, scopeKey: number): void {
  for (const sub of ctx.state.compensation.inScope(scopeKey)) {
    write(ctx, 'DELETED', sub);
    deleteInScope(ctx, sub.compensableActivityInstanceKey);
  }
}

function continueThrowEventIfDone(ctx: BpmnContext, throwEventInstanceKey: number): void {
  if (ctx.state.compensation.triggeredBy(throwEventInstanceKey).length > 0) return;
  const thrower = ctx.instance(throwEventInstanceKey);
  if (thrower?.state === 'ACTIVATED') ctx.lifecycle.complete(thrower);
}

interface Invocation {
  sub: CompensationSubscription;
  handler: ExecutableElement;
  /** The active scope the handler runs in. */
  scope: ElementInstance;
}

/**
 * A compensation throw event was reached (and marked activated): invokes the handlers.
 * Returns true if it must wait for them, false if there was nothing to compensate.
 */
export function throwCompensation(
  ctx: BpmnContext,
  thrower: ElementInstance,
  el: ExecutableElement,
): boolean {
  const flowScope = ctx.instance(thrower.flowScopeKey);
  if (!flowScope) return false;
  // From an event sub-process, compensation also covers the scope around it.
  const scopes = [flowScope];
  if (flowScope.type === 'EVENT_SUB_PROCESS') {
    const outer = ctx.instance(flowScope.flowScopeKey);
    if (outer) scopes.push(outer);
  }
  const model = ctx.model(thrower);
  const invocations: Invocation[] = [];
  const consumedScopes: CompensationSubscription[] = [];
  // A completed sub-process left a handler-less subscription: its activities' handlers run
  // too (and those of a sub-process that has its own compensation boundary event).
  const collect = (scope: ElementInstance, scopeKey: number, activityRef?: string) => {
    // Newest first: the reverse of the order the activities completed in.
    const subs = ctx.state.compensation
      .inScope(scopeKey)
      .filter((s) => s.throwEventInstanceKey < 0)
      .filter((s) => !activityRef || s.compensableActivityId === activityRef)
      .reverse();
    const nested: CompensationSubscription[] = [];
    for (const sub of subs) {
      if (!sub.compensationHandlerId) {
        consumedScopes.push(sub);
        nested.push(sub);
        continue;
      }
      const handler = model.elements.get(sub.compensationHandlerId);
      if (handler) invocations.push({ sub, handler, scope });
    }
    for (const sub of nested) collect(scope, sub.compensableActivityInstanceKey);
  };
  for (const scope of scopes) collect(scope, scope.key, el.compensation?.activityRef);

  for (const sub of consumedScopes) write(ctx, 'DELETED', sub);
  for (const { sub, handler, scope } of invocations) {
    const handlerKey = ctx.batch.nextKey();
    write(ctx, 'TRIGGERED', {
      ...sub,
      throwEventId: thrower.elementId,
      throwEventInstanceKey: thrower.key,
      compensationHandlerInstanceKey: handlerKey,
    });
    ctx.lifecycle.activate(scope, handler, { key: handlerKey });
  }
  return invocations.length > 0;
}
