/**
 * Element instance state transitions (ACTIVATING → ACTIVATED → COMPLETING → COMPLETED,
 * or → TERMINATING → TERMINATED) and taking sequence flows. Each transition writes the
 * PROCESS_INSTANCE event and hands over to the element's processor.
 */
import { elementOf, type BpmnElementType, type ExecutableElement } from '../../../model/types';
import type { DeployedProcess, ElementInstance } from '../../../state/types';
import type { BpmnContext } from '../bpmn-context';
import { processorFor } from '../registry';
import {
  activityTerminated,
  handlerCompleted,
  processInstanceEnded,
  rememberCompletedActivity,
} from './compensation';

export interface ActivationOptions {
  key?: number;
  /** Called process: the calling element instance. */
  parent?: ElementInstance;
  /** Local variables set right after ELEMENT_ACTIVATING (multi-instance input element, ...). */
  localVariables?: Record<string, unknown>;
  /** Variables of the event that triggered the element. */
  trigger?: Record<string, unknown>;
}

export function isInnerInstance(
  inst: ElementInstance,
  scope: ElementInstance | undefined,
): boolean {
  return scope?.type === 'MULTI_INSTANCE_BODY' && scope.elementId === inst.elementId;
}

export class Lifecycle {
  constructor(private readonly ctx: BpmnContext) {}

  private value(inst: ElementInstance, type: BpmnElementType = inst.type) {
    const el = elementOf(this.ctx.model(inst), { type, elementId: inst.elementId });
    return {
      bpmnProcessId: inst.bpmnProcessId,
      version: inst.version,
      processDefinitionKey: inst.processDefinitionKey,
      processInstanceKey: inst.processInstanceKey,
      elementId: inst.elementId,
      flowScopeKey: inst.flowScopeKey,
      bpmnElementType: type,
      bpmnEventType: el?.eventType ?? 'UNSPECIFIED',
      parentProcessInstanceKey: inst.parentProcessInstanceKey,
      parentElementInstanceKey: inst.parentElementInstanceKey,
      tenantId: inst.tenantId,
    };
  }

  private write(intent: string, inst: ElementInstance): void {
    this.ctx.batch.event('PROCESS_INSTANCE', intent, inst.key, this.value(inst));
  }

  /** Starts a process instance (root or called). */
  activateProcess(def: DeployedProcess, opts: ActivationOptions = {}): ElementInstance {
    const key = opts.key ?? this.ctx.batch.nextKey();
    this.ctx.batch.event('PROCESS_INSTANCE', 'ELEMENT_ACTIVATING', key, {
      bpmnProcessId: def.bpmnProcessId,
      version: def.version,
      processDefinitionKey: def.key,
      processInstanceKey: key,
      elementId: def.bpmnProcessId,
      flowScopeKey: -1,
      bpmnElementType: 'PROCESS',
      bpmnEventType: 'UNSPECIFIED',
      parentProcessInstanceKey: opts.parent?.processInstanceKey ?? -1,
      parentElementInstanceKey: opts.parent?.key ?? -1,
      tenantId: def.tenantId,
    });
    const inst = this.ctx.instance(key)!;
    this.afterActivating(inst, opts);
    return inst;
  }

  /** Writes ELEMENT_ACTIVATING for `el` inside `scope`; the rest of the activation is queued. */
  activate(
    scope: ElementInstance,
    el: ExecutableElement,
    opts: ActivationOptions = {},
  ): ElementInstance {
    const key = opts.key ?? this.ctx.batch.nextKey();
    const inner = scope.type === 'MULTI_INSTANCE_BODY' && scope.elementId === el.id;
    const type: BpmnElementType = el.multiInstance && !inner ? 'MULTI_INSTANCE_BODY' : el.type;
    this.ctx.batch.event('PROCESS_INSTANCE', 'ELEMENT_ACTIVATING', key, {
      bpmnProcessId: scope.bpmnProcessId,
      version: scope.version,
      processDefinitionKey: scope.processDefinitionKey,
      processInstanceKey: scope.processInstanceKey,
      elementId: el.id,
      flowScopeKey: scope.key,
      bpmnElementType: type,
      bpmnEventType: el.eventType,
      parentProcessInstanceKey: scope.parentProcessInstanceKey,
      parentElementInstanceKey: scope.parentElementInstanceKey,
      tenantId: scope.tenantId,
    });
    const inst = this.ctx.instance(key)!;
    const targetKey = `${scope.key}:${el.id}`;
    const trigger = this.ctx.triggerByTarget.get(targetKey);
    if (trigger && !opts.trigger) {
      this.ctx.triggerByTarget.delete(targetKey);
      opts = { ...opts, trigger };
    }
    this.afterActivating(inst, opts);
    return inst;
  }

  private afterActivating(inst: ElementInstance, opts: ActivationOptions): void {
    if (opts.localVariables) this.ctx.variables.mergeLocal(inst, opts.localVariables);
    if (opts.trigger) this.ctx.triggerVariables.set(inst.key, opts.trigger);
    this.ctx.enqueue(() => this.runActivation(inst.key));
  }

  /** Input mappings, event subscriptions, then the processor. Re-run when an incident is resolved. */
  runActivation(key: number): void {
    const inst = this.ctx.instance(key);
    if (!inst || inst.state !== 'ACTIVATING') return;
    const el = this.ctx.element(inst);
    if (inst.type !== 'MULTI_INSTANCE_BODY' && inst.type !== 'PROCESS') {
      if (!this.ctx.variables.applyInputMappings(inst, el)) return;
    }
    const trigger = this.ctx.triggerVariables.get(inst.key);
    if (trigger) {
      this.ctx.variables.setEventVariables(inst, el, trigger);
    } else {
      this.ctx.subscriptions.closeAll(inst.key);
      if (!this.ctx.subscriptions.openFor(inst, el)) return;
    }
    processorFor(inst.type).onActivate(this.ctx, inst, el);
  }

  markActivated(inst: ElementInstance): void {
    this.write('ELEMENT_ACTIVATED', inst);
  }

  /** Writes ELEMENT_COMPLETING; completion continues in the queue. */
  complete(inst: ElementInstance): void {
    this.write('ELEMENT_COMPLETING', inst);
    this.ctx.enqueue(() => this.runCompletion(inst.key));
  }

  /** Activated and completed at once (events and gateways that do not wait). */
  activateAndComplete(inst: ElementInstance): void {
    this.markActivated(inst);
    this.complete(inst);
  }

  runCompletion(key: number): void {
    const inst = this.ctx.instance(key);
    if (!inst || inst.state !== 'COMPLETING') return;
    const el = this.ctx.element(inst);
    const processor = processorFor(inst.type);
    if (processor.onComplete && !processor.onComplete(this.ctx, inst, el)) return;
    if (inst.type !== 'MULTI_INSTANCE_BODY' && inst.type !== 'PROCESS') {
      if (!this.ctx.variables.applyOutputMappings(inst, el)) return;
    }
    const scope = this.ctx.instance(inst.flowScopeKey);
    if (isInnerInstance(inst, scope) && !this.ctx.multiInstanceInnerCompleting(inst, scope!, el)) {
      return;
    }
    this.finishCompletion(inst, el);
  }

  private finishCompletion(inst: ElementInstance, el: ExecutableElement): void {
    this.ctx.subscriptions.closeAll(inst.key);
    rememberCompletedActivity(this.ctx, inst, el);
    const snapshot = { ...inst };
    this.write('ELEMENT_COMPLETED', inst);
    const scope = this.ctx.instance(inst.flowScopeKey);
    if (!scope) {
      if (inst.type === 'PROCESS') {
        processInstanceEnded(this.ctx, snapshot);
        this.ctx.processCompleted(snapshot);
      }
      return;
    }
    handlerCompleted(this.ctx, snapshot);
    if (!isInnerInstance(snapshot, scope)) {
      const chosen = this.ctx.chosenFlows.get(inst.key);
      this.ctx.chosenFlows.delete(inst.key);
      for (const flowId of chosen ?? el.outgoing) this.takeFlow(scope, flowId);
    }
    processorFor(scope.type).onChildCompleted?.(this.ctx, scope, snapshot);
  }

  takeFlow(scope: ElementInstance, flowId: string): void {
    const model = this.ctx.model(scope);
    const flow = model.elements.get(flowId)!;
    this.ctx.batch.event('PROCESS_INSTANCE', 'SEQUENCE_FLOW_TAKEN', this.ctx.batch.nextKey(), {
      ...this.value(scope, 'SEQUENCE_FLOW'),
      elementId: flowId,
      flowScopeKey: scope.key,
      bpmnEventType: 'UNSPECIFIED',
    });
    const target = model.elements.get(flow.targetId!)!;
    const joins =
      (target.type === 'PARALLEL_GATEWAY' || target.type === 'INCLUSIVE_GATEWAY') &&
      target.incoming.length > 1;
    if (!joins || this.ctx.joinSatisfied(scope, target)) this.activate(scope, target);
  }

  /** Terminates an element instance and (synchronously) everything inside it. */
  terminate(inst: ElementInstance): void {
    if (inst.state === 'TERMINATING') return;
    this.write('ELEMENT_TERMINATING', inst);
    inst.state = 'TERMINATING';
    this.ctx.jobs.cancel(inst);
    this.ctx.subscriptions.closeAll(inst.key);
    processorFor(inst.type).onTerminate(this.ctx, inst, this.ctx.element(inst));
  }

  /** Terminates every active child; returns true if none is left. */
  terminateChildren(scope: ElementInstance): boolean {
    for (const child of this.ctx.state.childrenOf(scope.key)) {
      if (child.state !== 'TERMINATING') this.terminate(child);
    }
    return scope.childCount === 0;
  }

  finishTermination(inst: ElementInstance): void {
    if (!this.ctx.instance(inst.key)) return;
    this.ctx.incidents.resolveAllOf(inst.key);
    const snapshot = { ...inst };
    this.write('ELEMENT_TERMINATED', inst);
    activityTerminated(this.ctx, snapshot);
    const then = this.ctx.afterTerminated.get(inst.key);
    if (then) {
      this.ctx.afterTerminated.delete(inst.key);
      then();
    }
    const scope = this.ctx.instance(inst.flowScopeKey);
    if (scope) {
      processorFor(scope.type).onChildTerminated?.(this.ctx, scope, snapshot);
    } else if (inst.type === 'PROCESS') {
      this.ctx.processTerminated(snapshot);
    }
  }
}
