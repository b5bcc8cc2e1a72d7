/**
 * Element instance state transitions (ACTIVATING → ACTIVATED → COMPLETING → COMPLETED,
 * or → TERMINATING → TERMINATED) and taking sequence flows. Each transition writes the
 * PROCESS_INSTANCE event and hands over to the element's processor.
 */
import { elementOf, type BpmnElementType, type ExecutableElement } from '../../../model/types';
import type { DeployedProcess, ElementInstance } from '../../../state/types';
import type { BpmnContext } from '../bpmn-context';
import type { Activation, Completion, ContainerStart } from '../element-processor';
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
  /** Containers: how to start, when not by the none start event. */
  start?: ContainerStart;
}

export function isInnerInstance(
  inst: ElementInstance,
  scope: ElementInstance | undefined,
): boolean {
  return scope?.type === 'MULTI_INSTANCE_BODY' && scope.elementId === inst.elementId;
}

/**
 * Termination is synchronous: an instance and everything inside it are terminated within
 * the step that terminates it, so what waits for a termination (an interrupting event) is
 * kept here, for the rest of that step only.
 */
export class Lifecycle {
  private readonly whenTerminated = new Map<number, () => void>();
  private readonly whenChildrenGone = new Map<number, () => void>();

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

  /** Starts a new instance of `def` at an event start (message, timer, signal). */
  startProcessAt(
    def: DeployedProcess,
    startId: string,
    variables: Record<string, unknown>,
  ): ElementInstance {
    return this.activateProcess(def, { start: { startId, variables } });
  }

  /** Writes ELEMENT_ACTIVATING for `el` inside `scope`; the rest of the activation is queued. */
  activate(
    scope: ElementInstance,
    el: ExecutableElement,
    opts: ActivationOptions = {},
  ): ElementInstance {
    const key = opts.key ?? this.ctx.batch.nextKey();
    const inst = this.writeActivating(scope, el, key);
    this.afterActivating(inst, opts);
    return inst;
  }

  /**
   * Process instance modification: a new instance of a sub-process that only serves as the
   * flow scope of an element activated inside it. Its event subscriptions (boundary events,
   * event sub-process starts) open, after the modification's variables for it are set, but
   * no input mappings apply and no start event runs.
   */
  activateFlowScope(
    scope: ElementInstance,
    el: ExecutableElement,
    localVariables?: Record<string, unknown>,
  ): ElementInstance {
    const inst = this.writeActivating(scope, el, this.ctx.batch.nextKey());
    if (localVariables) this.ctx.variables.mergeLocal(inst, localVariables);
    if (this.ctx.subscriptions.openFor(inst, el)) this.markActivated(inst);
    return inst;
  }

  private writeActivating(
    scope: ElementInstance,
    el: ExecutableElement,
    key: number,
  ): ElementInstance {
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
    return this.ctx.instance(key)!;
  }

  private afterActivating(inst: ElementInstance, opts: ActivationOptions): void {
    if (opts.localVariables) this.ctx.variables.mergeLocal(inst, opts.localVariables);
    const activation: Activation = {};
    if (opts.trigger) activation.trigger = opts.trigger;
    if (opts.start) activation.start = opts.start;
    this.ctx.enqueue({ kind: 'activate', key: inst.key, activation });
  }

  /** Input mappings, event subscriptions, then the processor. Re-run when an incident is resolved. */
  runActivation(key: number, activation: Activation = {}): void {
    const inst = this.ctx.instance(key);
    if (!inst || inst.state !== 'ACTIVATING') return;
    const el = this.ctx.element(inst);
    if (inst.type !== 'MULTI_INSTANCE_BODY' && inst.type !== 'PROCESS') {
      if (!this.ctx.variables.applyInputMappings(inst, el)) return;
    }
    if (activation.trigger) {
      this.ctx.variables.setEventVariables(inst, el, activation.trigger);
    } else {
      this.ctx.subscriptions.closeAll(inst.key);
      if (!this.ctx.subscriptions.openFor(inst, el)) return;
    }
    processorFor(inst.type).onActivate(this.ctx, inst, el, activation);
  }

  markActivated(inst: ElementInstance): void {
    this.write('ELEMENT_ACTIVATED', inst);
  }

  /** Writes ELEMENT_COMPLETING; completion continues in the queue. */
  complete(inst: ElementInstance, completion: Completion = {}): void {
    this.write('ELEMENT_COMPLETING', inst);
    this.ctx.enqueue({ kind: 'complete', key: inst.key, completion });
  }

  /** Activated and completed at once (events and gateways that do not wait). */
  activateAndComplete(inst: ElementInstance, completion: Completion = {}): void {
    this.markActivated(inst);
    this.complete(inst, completion);
  }

  /** The processor's onComplete, output mappings, the container's check, then leaving. */
  runCompletion(key: number, completion: Completion = {}): void {
    const inst = this.ctx.instance(key);
    if (!inst || inst.state !== 'COMPLETING') return;
    const el = this.ctx.element(inst);
    const processor = processorFor(inst.type);
    const note = processor.onComplete ? processor.onComplete(this.ctx, inst, el) : true;
    if (note === false) return;
    if (inst.type !== 'MULTI_INSTANCE_BODY' && inst.type !== 'PROCESS') {
      if (!this.ctx.variables.applyOutputMappings(inst, el)) return;
    }
    const scope = this.ctx.instance(inst.flowScopeKey);
    const scopeProcessor = scope ? processorFor(scope.type) : undefined;
    const childNote = scopeProcessor?.onChildCompleting
      ? scopeProcessor.onChildCompleting(this.ctx, scope!, inst, el)
      : {};
    if (childNote === false) return;

    this.ctx.subscriptions.closeAll(inst.key);
    rememberCompletedActivity(this.ctx, inst, el);
    const left = { ...inst };
    this.write('ELEMENT_COMPLETED', inst);
    if (!scope && inst.type === 'PROCESS') processInstanceEnded(this.ctx, left);
    processor.onCompleted?.(this.ctx, left, el, note === true ? {} : note);
    if (!scope) return;
    handlerCompleted(this.ctx, left);
    if (!isInnerInstance(left, scope)) {
      for (const flowId of completion.flows ?? el.outgoing) {
        this.takeFlow(scope, flowId, completion.targetTrigger);
      }
    }
    if (this.runWhenChildrenGone(scope)) return;
    scopeProcessor!.onChildCompleted?.(this.ctx, scope, left, childNote);
  }

  takeFlow(scope: ElementInstance, flowId: string, trigger?: Record<string, unknown>): void {
    const model = this.ctx.model(scope);
    const flow = model.elements.get(flowId)!;
    this.ctx.batch.event('PROCESS_INSTANCE', 'SEQUENCE_FLOW_TAKEN', this.ctx.batch.nextKey(), {
      ...this.value(scope, 'SEQUENCE_FLOW'),
      elementId: flowId,
      flowScopeKey: scope.key,
      bpmnEventType: 'UNSPECIFIED',
    });
    const target = model.elements.get(flow.targetId!)!;
    const accepts = processorFor(target.type).acceptsToken;
    if (!accepts || accepts(this.ctx, scope, target)) this.activate(scope, target, { trigger });
  }

  /**
   * Terminates an element instance and (synchronously) everything inside it; `then` runs
   * once it is terminated (an interrupting event activates its element there).
   */
  terminate(inst: ElementInstance, then?: () => void): void {
    if (then) this.whenTerminated.set(inst.key, then);
    if (inst.state === 'TERMINATING') return;
    this.write('ELEMENT_TERMINATING', inst);
    inst.state = 'TERMINATING';
    this.ctx.jobs.cancel(inst);
    this.ctx.subscriptions.closeAll(inst.key);
    processorFor(inst.type).onTerminate(this.ctx, inst, this.ctx.element(inst));
  }

  /**
   * Terminates every active child; returns true if none is left. `then` runs once the last
   * child is gone (at once when there is none), instead of the container's own reaction.
   */
  terminateChildren(scope: ElementInstance, then?: () => void): boolean {
    // Registered first: the last child may terminate synchronously, and then `then` runs
    // instead of the container's reaction (which could complete the scope).
    if (then) this.whenChildrenGone.set(scope.key, then);
    for (const child of this.ctx.state.childrenOf(scope.key)) {
      if (child.state !== 'TERMINATING') this.terminate(child);
    }
    if (then && scope.childCount === 0 && this.whenChildrenGone.get(scope.key) === then) {
      this.whenChildrenGone.delete(scope.key);
      then();
    }
    return scope.childCount === 0;
  }

  finishTermination(inst: ElementInstance): void {
    if (!this.ctx.instance(inst.key)) return;
    this.ctx.incidents.resolveAllOf(inst.key);
    const left = { ...inst };
    this.write('ELEMENT_TERMINATED', inst);
    activityTerminated(this.ctx, left);
    const el = this.ctx.element(left);
    processorFor(left.type).onTerminated?.(this.ctx, left, el);
    const then = this.whenTerminated.get(inst.key);
    if (then) {
      this.whenTerminated.delete(inst.key);
      then();
    }
    const scope = this.ctx.instance(inst.flowScopeKey);
    if (!scope || this.runWhenChildrenGone(scope)) return;
    processorFor(scope.type).onChildTerminated?.(this.ctx, scope, left);
  }

  /** Runs what waits for the scope's last child to leave, if it left; true if it ran. */
  private runWhenChildrenGone(scope: ElementInstance): boolean {
    const pending = this.whenChildrenGone.get(scope.key);
    if (!pending || scope.childCount > 0) return !!pending;
    this.whenChildrenGone.delete(scope.key);
    pending();
    return true;
  }
}
