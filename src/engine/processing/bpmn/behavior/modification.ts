/**
 * Where process instance modification activates an element ("Process instance
 * modification", "Activate a nested element"): always in an existing instance of its flow
 * scope; if the flow scope has no active instance, new instances of the missing flow
 * scopes are created first (outermost first) in the nearest active ancestor, or in the
 * ancestor the instruction names. A flow scope with several active instances, or one that
 * cannot be created (a multi-instance sub-process), makes the instruction invalid.
 *
 * Variable instructions name the activated element or one of its flow scopes (the process
 * by its id, or no id: the process instance). Their variables are set before the scope
 * they belong to opens its event subscriptions, so a created sub-process's boundary event
 * can correlate on a variable the instruction gives it.
 */
import { EngineError } from '../../../api';
import { PROCESS_SCOPE, type ExecutableElement } from '../../../model/types';
import type { ElementInstance } from '../../../state/types';
import type { BpmnContext } from '../bpmn-context';

export interface ActivationTarget {
  el: ExecutableElement;
  /** The active instance the missing flow scopes and then the element are created in. */
  ancestor: ElementInstance;
  /** Flow scopes without an active instance, outermost first. */
  missingScopes: ExecutableElement[];
}

const invalid = (message: string) => new EngineError('INVALID_ARGUMENT', message);

function scopeIdOf(inst: ElementInstance): string {
  return inst.type === 'PROCESS' ? PROCESS_SCOPE : inst.elementId;
}

/** The model's key of a flow scope (the process is kept under PROCESS_SCOPE, not its id). */
function modelIdOf(el: ExecutableElement): string {
  return el.type === 'PROCESS' ? PROCESS_SCOPE : el.id;
}

/** The flow scopes of `el`, innermost first, ending with the process. */
export function flowScopeChain(ctx: BpmnContext, pi: ElementInstance, el: ExecutableElement) {
  const model = ctx.model(pi);
  const chain: ExecutableElement[] = [];
  for (let id = el.flowScopeId; id; id = model.elements.get(id)?.flowScopeId) {
    const scope = model.elements.get(id);
    if (!scope) break;
    chain.push(scope);
    if (id === PROCESS_SCOPE) break;
  }
  return chain;
}

function activeInstancesOf(ctx: BpmnContext, pi: ElementInstance, scope: ExecutableElement) {
  if (scope.type === 'PROCESS') return [pi];
  const out: ElementInstance[] = [];
  const visit = (inst: ElementInstance) => {
    for (const child of ctx.state.childrenOf(inst.key)) {
      if (child.state === 'TERMINATING') continue;
      if (child.elementId === scope.id && child.type !== 'MULTI_INSTANCE_BODY') out.push(child);
      visit(child);
    }
  };
  visit(pi);
  return out;
}

/** Validates an activate instruction (before anything is written) and says where it goes. */
export function findActivationTarget(
  ctx: BpmnContext,
  pi: ElementInstance,
  el: ExecutableElement,
  ancestorKey: number | undefined,
): ActivationTarget {
  const chain = flowScopeChain(ctx, pi, el);
  let ancestor: ElementInstance | undefined;
  let depth: number;
  if (ancestorKey !== undefined) {
    ancestor = ctx.instance(ancestorKey);
    depth = ancestor ? chain.findIndex((s) => modelIdOf(s) === scopeIdOf(ancestor!)) : -1;
    if (
      !ancestor ||
      ancestor.processInstanceKey !== pi.key ||
      ancestor.state !== 'ACTIVATED' ||
      ancestor.type === 'MULTI_INSTANCE_BODY' ||
      depth < 0
    ) {
      throw invalid(
        `activate instruction: element instance '${ancestorKey}' is not an active flow scope of '${el.id}' in process instance '${pi.key}'`,
      );
    }
  } else {
    depth = 0;
    for (; depth < chain.length; depth++) {
      const found = activeInstancesOf(ctx, pi, chain[depth]);
      if (found.length > 1) {
        throw invalid(
          `activate instruction: the flow scope '${chain[depth].id}' of '${el.id}' has more than one active instance; give ancestorElementInstanceKey`,
        );
      }
      if (found.length === 1) {
        ancestor = found[0];
        break;
      }
    }
    if (!ancestor) throw invalid(`activate instruction: no active flow scope for '${el.id}'`);
  }
  const missingScopes = chain.slice(0, depth).reverse();
  for (const scope of missingScopes) {
    if (scope.multiInstance) {
      throw invalid(
        `activate instruction: the flow scope '${scope.id}' of '${el.id}' is a multi-instance sub-process and can't be created`,
      );
    }
  }
  return { el, ancestor, missingScopes };
}

export interface ScopedVariables {
  /** The element id the variables are local to; PROCESS_SCOPE = the process instance. */
  scopeId: string;
  variables: Record<string, unknown>;
}

/** Validates the variable instructions of an activate instruction (before anything is written). */
export function checkVariableScopes(
  ctx: BpmnContext,
  pi: ElementInstance,
  el: ExecutableElement,
  instructions: { scopeId?: string; variables: Record<string, unknown> }[],
): ScopedVariables[] {
  const model = ctx.model(pi);
  const allowed = new Set([el.id, ...flowScopeChain(ctx, pi, el).map(modelIdOf)]);
  return instructions.map((v) => {
    const scopeId = !v.scopeId || v.scopeId === pi.bpmnProcessId ? PROCESS_SCOPE : v.scopeId;
    if (scopeId !== PROCESS_SCOPE && !model.elements.has(scopeId)) {
      throw invalid(
        `variable instruction: process '${pi.bpmnProcessId}' has no element '${v.scopeId}' to create variables in`,
      );
    }
    if (!allowed.has(scopeId)) {
      throw invalid(
        `variable instruction: '${v.scopeId}' is neither the activated element '${el.id}' nor one of its flow scopes`,
      );
    }
    return { scopeId, variables: v.variables };
  });
}

/**
 * Carries out a validated activate instruction: variables of existing scopes first, then the
 * missing flow scopes (outermost first, each with its variables before its subscriptions),
 * then the element itself with its local variables (before its input mappings).
 */
export function activateWithVariables(
  ctx: BpmnContext,
  target: ActivationTarget,
  variables: ScopedVariables[],
): void {
  const localTo = (id: string) => {
    const merged: Record<string, unknown> = {};
    for (const v of variables) if (v.scopeId === id) Object.assign(merged, v.variables);
    return Object.keys(merged).length ? merged : undefined;
  };
  for (let inst: ElementInstance | undefined = target.ancestor; inst;) {
    const vars = localTo(scopeIdOf(inst));
    if (vars) ctx.variables.mergeLocal(inst, vars);
    if (inst.type === 'PROCESS') break;
    inst = ctx.instance(inst.flowScopeKey);
  }
  let scope = target.ancestor;
  for (const el of target.missingScopes) {
    scope = ctx.lifecycle.activateFlowScope(scope, el, localTo(el.id));
  }
  const own = localTo(target.el.id);
  ctx.lifecycle.activate(scope, target.el, own ? { localVariables: own } : {});
}
