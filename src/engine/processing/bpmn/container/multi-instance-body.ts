/**
 * Multi-instance body: one inner instance per item of inputCollection (in parallel or
 * one after the other), each with inputElement and loopCounter as local variables;
 * collects outputElement into outputCollection; stops early on completionCondition.
 */
import { describeType, evaluateBoolean, evaluateFeel } from '../../../feel';
import type { ExecutableElement } from '../../../model/types';
import type { ElementInstance } from '../../../state/types';
import type { BpmnContext } from '../bpmn-context';
import type { ChildCompletionNote, ElementProcessor } from '../element-processor';

/**
 * How many inner instances one multi-instance activity may have (issue 9): a parallel
 * body activates all of them in one step, a sequential one walks its collection at every
 * step. Beyond it the body gets an incident naming the element and the limit.
 */
export const MAX_MULTI_INSTANCE_ITEMS = { parallel: 1000, sequential: 10_000 };

function checkItemCount(el: ExecutableElement, items: unknown[]): void {
  const kind = el.multiInstance!.sequential ? 'sequential' : 'parallel';
  const max = MAX_MULTI_INSTANCE_ITEMS[kind];
  if (items.length > max) {
    throw new Error(
      `Expected the inputCollection of the multi-instance activity '${el.id}' to have at most ${max} items (the limit for ${kind} multi-instance), but it has ${items.length}`,
    );
  }
}

function inputCollection(
  ctx: BpmnContext,
  body: ElementInstance,
  el: ExecutableElement,
): unknown[] {
  const mi = el.multiInstance!;
  const value = evaluateFeel(mi.inputCollection, ctx.state.visibleVariables(body.key));
  if (!Array.isArray(value)) {
    throw new Error(
      `Expected result of the expression '${mi.inputCollection.replace(/^\s*=/, '')}' to be 'ARRAY', but was '${describeType(value)}'.`,
    );
  }
  return value;
}

function activateInner(
  ctx: BpmnContext,
  body: ElementInstance,
  el: ExecutableElement,
  items: unknown[],
  index: number,
) {
  const mi = el.multiInstance!;
  const locals: Record<string, unknown> = { loopCounter: index + 1 };
  // The output element is local to each instance (Zeebe creates it as null), so one
  // instance never sees another's result and an instance that sets none yields null.
  const output = outputVariableOf(mi.outputElement);
  if (output && mi.outputCollection) locals[output] = null;
  if (mi.inputElement) locals[mi.inputElement] = items[index] ?? null;
  ctx.lifecycle.activate(body, el, { localVariables: locals });
}

/**
 * The variable an outputElement expression reads when it only accesses a variable or a
 * nested property of one (e.g. "= result" or "= result.amount"), else undefined.
 */
export function outputVariableOf(outputElement: string | undefined): string | undefined {
  if (!outputElement) return undefined;
  const body = outputElement.trim().replace(/^=/, '').trim();
  const path = /^([A-Za-z_][A-Za-z0-9_]*)(\.[A-Za-z_][A-Za-z0-9_]*)*$/.exec(body);
  return path?.[1];
}

export const multiInstanceBodyProcessor: ElementProcessor = {
  onActivate(ctx, body, el) {
    let items: unknown[];
    try {
      items = inputCollection(ctx, body, el);
      checkItemCount(el, items);
    } catch (err) {
      ctx.incidents.raise(body, 'EXTRACT_VALUE_ERROR', (err as Error).message);
      return;
    }
    const mi = el.multiInstance!;
    if (mi.outputCollection) {
      ctx.variables.setLocal(
        body,
        mi.outputCollection,
        items.map(() => null),
      );
    }
    ctx.lifecycle.markActivated(body);
    if (items.length === 0) {
      ctx.lifecycle.complete(body);
      return;
    }
    if (mi.sequential) activateInner(ctx, body, el, items, 0);
    else items.forEach((_, i) => activateInner(ctx, body, el, items, i));
  },

  onComplete(ctx, body, el) {
    const mi = el.multiInstance!;
    if (mi.outputCollection) {
      const scope = ctx.instance(body.flowScopeKey);
      const value = ctx.state.getLocal(body.key, mi.outputCollection);
      if (scope) ctx.variables.propagate(scope, { [mi.outputCollection]: value ?? [] });
    }
    return true;
  },

  onTerminate(ctx, body) {
    if (ctx.lifecycle.terminateChildren(body)) ctx.lifecycle.finishTermination(body);
  },

  onChildCompleting(ctx, body, inner, el) {
    return innerInstanceCompleting(ctx, inner, body, el);
  },

  onChildCompleted(ctx, body, _inner, note) {
    if (body.state !== 'ACTIVATED') return;
    const el = ctx.element(body);
    if (note.completeScope) {
      ctx.lifecycle.terminateChildren(body);
    } else if (el.multiInstance!.sequential && body.childCount === 0) {
      let items: unknown[];
      try {
        items = inputCollection(ctx, body, el);
      } catch (err) {
        ctx.incidents.raise(body, 'EXTRACT_VALUE_ERROR', (err as Error).message);
        return;
      }
      if (body.loop!.started < items.length) {
        activateInner(ctx, body, el, items, body.loop!.started);
        return;
      }
    }
    if (body.childCount === 0) ctx.lifecycle.complete(body);
  },

  onChildTerminated(ctx, body) {
    if (body.state === 'TERMINATING' && body.childCount === 0)
      ctx.lifecycle.finishTermination(body);
  },
};

/**
 * Runs when an inner instance completes (after its output mappings, before it is
 * removed): collects outputElement and checks the completion condition.
 */
function innerInstanceCompleting(
  ctx: BpmnContext,
  inner: ElementInstance,
  body: ElementInstance,
  el: ExecutableElement,
): false | ChildCompletionNote {
  const mi = el.multiInstance!;
  try {
    const vars = ctx.state.visibleVariables(inner.key);
    if (mi.outputCollection && mi.outputElement) {
      const value = evaluateFeel(mi.outputElement, vars);
      const index = Number(ctx.state.getLocal(inner.key, 'loopCounter')) - 1;
      const current = ctx.state.getLocal(body.key, mi.outputCollection);
      const list = Array.isArray(current) ? [...current] : [];
      list[index] = value;
      ctx.variables.setLocal(body, mi.outputCollection, list);
    }
    if (mi.completionCondition) {
      const loop = body.loop!;
      const completed = loop.completed + 1;
      const active = body.childCount - 1;
      const met = evaluateBoolean(mi.completionCondition, {
        ...vars,
        numberOfInstances: loop.started,
        numberOfActiveInstances: active,
        numberOfCompletedInstances: completed,
        numberOfTerminatedInstances: 0,
      });
      if (met) return { completeScope: true };
    }
    return {};
  } catch (err) {
    ctx.incidents.raise(inner, 'EXTRACT_VALUE_ERROR', (err as Error).message);
    return false;
  }
}
