/**
 * Variable scopes as Zeebe documents them: local variables live on an element
 * instance; "propagating" a variable updates it in the nearest scope that has it, or
 * creates it in the process instance scope. Input mappings create local variables;
 * output mappings propagate from the flow scope.
 */
import { evaluateFeel, FeelFailure } from '../../../feel';
import type { ExecutableElement, Mapping } from '../../../model/types';
import type { ElementInstance } from '../../../state/types';
import type { BpmnContext } from '../bpmn-context';

export class VariableBehavior {
  constructor(private readonly ctx: BpmnContext) {}

  /** Creates or updates one variable in exactly this scope. */
  setLocal(scope: ElementInstance, name: string, value: unknown): void {
    const json = JSON.stringify(value ?? null);
    const vars = this.ctx.state.variables.get(scope.key);
    const exists = vars?.has(name) ?? false;
    if (exists && JSON.stringify(vars!.get(name) ?? null) === json) return;
    this.ctx.batch.event('VARIABLE', exists ? 'UPDATED' : 'CREATED', this.ctx.batch.nextKey(), {
      name,
      value: json,
      scopeKey: scope.key,
      processInstanceKey: scope.processInstanceKey,
      processDefinitionKey: scope.processDefinitionKey,
      bpmnProcessId: scope.bpmnProcessId,
      tenantId: scope.tenantId,
    });
  }

  mergeLocal(scope: ElementInstance, vars: Record<string, unknown>): void {
    for (const [name, value] of Object.entries(vars)) this.setLocal(scope, name, value);
  }

  /** Sets each variable where it is defined (nearest scope first), else in the process scope. */
  propagate(from: ElementInstance, vars: Record<string, unknown>): void {
    const chain: ElementInstance[] = [];
    for (let cur: ElementInstance | undefined = from; cur;) {
      chain.push(cur);
      if (cur.type === 'PROCESS') break;
      cur = this.ctx.instance(cur.flowScopeKey);
    }
    const root = chain[chain.length - 1];
    for (const [name, value] of Object.entries(vars)) {
      const target = chain.find((s) => this.ctx.state.hasLocal(s.key, name)) ?? root;
      this.setLocal(target, name, value);
    }
  }

  /** Variables that arrive with a job completion, message, signal or child process. */
  setEventVariables(
    inst: ElementInstance,
    el: ExecutableElement,
    vars: Record<string, unknown>,
  ): void {
    if (Object.keys(vars).length === 0) return;
    if (el.outputMappings.length > 0) this.mergeLocal(inst, vars);
    else this.propagate(inst, vars);
  }

  applyInputMappings(inst: ElementInstance, el: ExecutableElement): boolean {
    if (el.inputMappings.length === 0) return true;
    try {
      // The element's own scope: it already holds the local variables set at activation
      // (a multi-instance inner instance's input element and loopCounter), which input
      // mappings may read, as in Zeebe (e.g. source "=item.id" on each inner instance).
      const context = this.ctx.state.visibleVariables(inst.key);
      const result = evaluateMappings(el.inputMappings, context, {});
      this.mergeLocal(inst, result);
      return true;
    } catch (err) {
      this.ctx.incidents.raise(inst, 'IO_MAPPING_ERROR', (err as Error).message);
      return false;
    }
  }

  applyOutputMappings(inst: ElementInstance, el: ExecutableElement): boolean {
    if (el.outputMappings.length === 0) return true;
    const scope = this.ctx.instance(inst.flowScopeKey);
    if (!scope) return true;
    try {
      const context = this.ctx.state.visibleVariables(inst.key);
      const base = this.ctx.state.visibleVariables(scope.key);
      const result = evaluateMappings(el.outputMappings, context, base);
      this.propagate(scope, result);
      return true;
    } catch (err) {
      this.ctx.incidents.raise(inst, 'IO_MAPPING_ERROR', (err as Error).message);
      return false;
    }
  }
}

/**
 * Evaluates mappings into a document. A nested target ("a.b") merges into the
 * existing object (from earlier mappings, else from `base`).
 */
export function evaluateMappings(
  mappings: Mapping[],
  context: Record<string, unknown>,
  base: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const m of mappings) {
    const source = m.source.trim().startsWith('=') ? m.source : `=${m.source}`;
    let value: unknown;
    try {
      value = evaluateFeel(source, context);
    } catch (err) {
      throw new FeelFailure(`failed to evaluate mapping '${m.target}': ${(err as Error).message}`);
    }
    const path = m.target.split('.');
    if (path.length === 1) {
      out[m.target] = value;
      continue;
    }
    const head = path[0];
    const existing = head in out ? out[head] : base[head];
    const root: Record<string, unknown> =
      existing && typeof existing === 'object' && !Array.isArray(existing)
        ? structuredClone(existing as Record<string, unknown>)
        : {};
    let cur = root;
    for (let i = 1; i < path.length - 1; i++) {
      const next = cur[path[i]];
      cur = cur[path[i]] =
        next && typeof next === 'object' && !Array.isArray(next)
          ? (next as Record<string, unknown>)
          : {};
    }
    cur[path[path.length - 1]] = value;
    out[head] = root;
  }
  return out;
}
