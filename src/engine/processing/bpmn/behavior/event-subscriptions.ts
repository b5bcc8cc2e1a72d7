/**
 * Opens the message, timer and signal subscriptions an element instance owns (its own
 * catch definition, its boundary events, an event-based gateway's targets, the start
 * events of a scope's event sub-processes) and closes them when it leaves.
 */
import { evaluateExpressionOrStatic, evaluateString, FeelFailure } from '../../../feel';
import type { ExecutableElement } from '../../../model/types';
import { scheduleTimer } from '../../../scheduler/timer-dates';
import type { ElementInstance } from '../../../state/types';
import type { BpmnContext } from '../bpmn-context';
import { isInnerInstance } from './lifecycle';

const SUBSCRIBING = new Set(['MESSAGE', 'TIMER', 'SIGNAL']);

type Opening =
  | { kind: 'message'; el: ExecutableElement; name: string; correlationKey: string }
  | {
      kind: 'timer';
      el: ExecutableElement;
      dueDate: number;
      repetitions: number;
      interval?: string;
    }
  | { kind: 'signal'; el: ExecutableElement; name: string };

export class EventSubscriptionBehavior {
  constructor(private readonly ctx: BpmnContext) {}

  catchElementsOf(inst: ElementInstance, el: ExecutableElement): ExecutableElement[] {
    const model = this.ctx.model(inst);
    const out: ExecutableElement[] = [];
    const scope = this.ctx.instance(inst.flowScopeKey);
    const inner = isInnerInstance(inst, scope);
    if (inst.type === 'INTERMEDIATE_CATCH_EVENT' && SUBSCRIBING.has(el.eventType)) out.push(el);
    if (inst.type === 'RECEIVE_TASK') out.push(el);
    if (inst.type === 'EVENT_BASED_GATEWAY') {
      for (const f of el.outgoing) out.push(model.elements.get(model.elements.get(f)!.targetId!)!);
    }
    if (!inner) {
      for (const b of el.boundaryIds) {
        const boundary = model.elements.get(b)!;
        if (SUBSCRIBING.has(boundary.eventType)) out.push(boundary);
      }
    }
    if (
      inst.type === 'PROCESS' ||
      inst.type === 'SUB_PROCESS' ||
      inst.type === 'EVENT_SUB_PROCESS'
    ) {
      for (const esp of el.eventSubProcessIds) {
        const start = model.elements.get(model.elements.get(esp)!.startEventId ?? '');
        if (start && SUBSCRIBING.has(start.eventType)) out.push(start);
      }
    }
    return out;
  }

  /** Returns false if an incident was raised (nothing opened then). */
  openFor(inst: ElementInstance, el: ExecutableElement): boolean {
    const catches = this.catchElementsOf(inst, el);
    if (catches.length === 0) return true;
    const openings: Opening[] = [];
    try {
      const vars = this.ctx.state.visibleVariables(inst.key);
      for (const c of catches) openings.push(this.evaluate(c, vars));
    } catch (err) {
      this.ctx.incidents.raise(inst, 'EXTRACT_VALUE_ERROR', (err as Error).message);
      return false;
    }
    for (const o of openings) this.open(inst, o);
    return true;
  }

  private evaluate(c: ExecutableElement, vars: Record<string, unknown>): Opening {
    if (c.eventType === 'TIMER') {
      const def = c.timer!;
      const value = evaluateExpressionOrStatic(def.expression, vars);
      if (typeof value !== 'string') {
        throw new FeelFailure(
          `Expected timer '${def.expression}' of '${c.id}' to be a string, but was '${JSON.stringify(value)}'`,
        );
      }
      try {
        return { kind: 'timer', el: c, ...scheduleTimer(def.kind, value, this.ctx.now) };
      } catch (err) {
        throw new FeelFailure(`timer of '${c.id}': ${(err as Error).message}`);
      }
    }
    if (c.eventType === 'SIGNAL') {
      return { kind: 'signal', el: c, name: evaluateString(c.signal!.name, vars) };
    }
    const name = evaluateString(c.message!.name, vars);
    const raw = c.message!.correlationKey
      ? evaluateExpressionOrStatic(c.message!.correlationKey, vars)
      : '';
    if (typeof raw !== 'string' && typeof raw !== 'number') {
      throw new FeelFailure(
        `Failed to extract the correlation key for '${c.message!.correlationKey}' of '${c.id}': The value must be either a string or a number, but was '${raw === null ? 'NULL' : typeof raw}'.`,
      );
    }
    return { kind: 'message', el: c, name, correlationKey: String(raw) };
  }

  private open(owner: ElementInstance, o: Opening): void {
    const batch = this.ctx.batch;
    const interrupting = o.el.interrupting;
    if (o.kind === 'timer') {
      batch.event('TIMER', 'CREATED', batch.nextKey(), {
        elementInstanceKey: owner.key,
        processInstanceKey: owner.processInstanceKey,
        processDefinitionKey: owner.processDefinitionKey,
        targetElementId: o.el.id,
        dueDate: o.dueDate,
        repetitions: o.repetitions,
        interval: o.interval,
        tenantId: owner.tenantId,
        bpmnProcessId: owner.bpmnProcessId,
      });
    } else if (o.kind === 'signal') {
      batch.event('SIGNAL_SUBSCRIPTION', 'CREATED', batch.nextKey(), {
        signalName: o.name,
        processDefinitionKey: owner.processDefinitionKey,
        bpmnProcessId: owner.bpmnProcessId,
        catchEventId: o.el.id,
        catchEventInstanceKey: owner.key,
        processInstanceKey: owner.processInstanceKey,
        tenantId: owner.tenantId,
      });
    } else {
      const key = batch.nextKey();
      batch.event('PROCESS_MESSAGE_SUBSCRIPTION', 'CREATED', key, {
        elementInstanceKey: owner.key,
        processInstanceKey: owner.processInstanceKey,
        processDefinitionKey: owner.processDefinitionKey,
        bpmnProcessId: owner.bpmnProcessId,
        elementId: o.el.id,
        messageName: o.name,
        correlationKey: o.correlationKey,
        interrupting,
        tenantId: owner.tenantId,
      });
      // A buffered message may already be waiting: correlate once the owner is active.
      this.ctx.enqueue({ kind: 'correlate', subscriptionKey: key });
    }
  }

  closeAll(ownerKey: number): void {
    const state = this.ctx.state;
    const batch = this.ctx.batch;
    for (const key of [...(state.subscriptionsByOwner.get(ownerKey) ?? [])]) {
      batch.event('PROCESS_MESSAGE_SUBSCRIPTION', 'DELETED', key, {
        ...state.messageSubscriptions.get(key)!,
      });
    }
    for (const key of [...(state.timersByOwner.get(ownerKey) ?? [])]) {
      batch.event('TIMER', 'CANCELED', key, { ...state.timers.get(key)! });
    }
    for (const key of [...(state.signalsByOwner.get(ownerKey) ?? [])]) {
      const s = state.signalSubscriptions.get(key)!;
      batch.event('SIGNAL_SUBSCRIPTION', 'DELETED', key, {
        signalName: s.signalName,
        processDefinitionKey: s.processDefinitionKey,
        bpmnProcessId: s.bpmnProcessId,
        catchEventId: s.catchElementId,
        catchEventInstanceKey: s.elementInstanceKey,
        processInstanceKey: s.processInstanceKey,
        tenantId: s.tenantId,
      });
    }
  }
}
