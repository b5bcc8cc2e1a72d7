/**
 * Where process instance modification activates an element ("Process instance
 * modification", "Activate a nested element"): always in an existing instance of its flow
 * scope; if the flow scope has no active instance, new instances of the missing flow
 * scopes are created first (outermost first) in the nearest active ancestor, or in the
 * ancestor the instruction names. A flow scope with several active instances, or one that
 * cannot be created (a multi-instance sub-process), makes the instruction invalid.
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
    depth = ancestor ? chain.findIndex((s) => s.id === scopeIdOf(ancestor!)) : -1;
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

/** Creates the missing flow scopes; returns the instance to activate the element in. */
export function createFlowScopes(ctx: BpmnContext, target: ActivationTarget): ElementInstance {
  let scope = target.ancestor;
  for (const el of target.missingScopes) scope = ctx.lifecycle.activateFlowScope(scope, el);
  return scope;
}
