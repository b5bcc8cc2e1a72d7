/**
 * What happens when a subscribed event occurs: the catch event or receive task
 * completes, an event-based gateway takes the triggered path, a boundary event
 * interrupts (or not) its activity, an event sub-process starts in its scope.
 */
import type { Message, MessageSubscription } from '../../../state/types';
import type { ElementInstance } from '../../../state/types';
import type { BpmnContext } from '../bpmn-context';

export class EventTriggerBehavior {
  constructor(private readonly ctx: BpmnContext) {}

  /** Can `owner` still react to an event of `catchElementId`? */
  canTrigger(owner: ElementInstance | undefined, catchElementId: string): owner is ElementInstance {
    if (!owner || owner.state !== 'ACTIVATED') return false;
    const model = this.ctx.model(owner);
    const catchEl = model.elements.get(catchElementId);
    if (!catchEl) return false;
    if (catchEl.type === 'START_EVENT' && owner.interrupted) return false;
    return true;
  }

  /** Returns false when the owner cannot be triggered any more. */
  trigger(
    owner: ElementInstance,
    catchElementId: string,
    variables: Record<string, unknown>,
  ): boolean {
    if (!this.canTrigger(owner, catchElementId)) return false;
    const ctx = this.ctx;
    const model = ctx.model(owner);
    const catchEl = model.elements.get(catchElementId)!;
    if (catchEl.id === owner.elementId) {
      // The waiting element itself (intermediate catch event, receive task).
      ctx.subscriptions.closeAll(owner.key);
      ctx.variables.setEventVariables(owner, catchEl, variables);
      ctx.lifecycle.complete(owner);
      return true;
    }
    if (owner.type === 'EVENT_BASED_GATEWAY') {
      const flow = ctx
        .model(owner)
        .elements.get(owner.elementId)!
        .outgoing.find((f) => model.elements.get(f)!.targetId === catchEl.id)!;
      ctx.subscriptions.closeAll(owner.key);
      // The gateway takes only the triggered path; the catch event completes at once.
      ctx.lifecycle.complete(owner, { flows: [flow], targetTrigger: variables });
      return true;
    }
    if (catchEl.type === 'BOUNDARY_EVENT') {
      const scope = ctx.instance(owner.flowScopeKey)!;
      if (catchEl.interrupting) {
        ctx.lifecycle.terminate(owner, () => {
          ctx.lifecycle.activate(scope, catchEl, { trigger: variables });
        });
      } else {
        ctx.lifecycle.activate(scope, catchEl, { trigger: variables });
      }
      return true;
    }
    if (catchEl.type === 'START_EVENT') {
      this.startEventSubProcess(owner, catchEl.flowScopeId!, variables);
      return true;
    }
    return false;
  }

  /** Starts an event sub-process in `scope`; an interrupting one first ends everything else. */
  startEventSubProcess(
    scope: ElementInstance,
    espId: string,
    variables: Record<string, unknown>,
  ): void {
    const ctx = this.ctx;
    const model = ctx.model(scope);
    const esp = model.elements.get(espId)!;
    const start = model.elements.get(esp.startEventId!)!;
    const activate = () => {
      ctx.lifecycle.activate(scope, esp, { start: { startId: start.id, variables } });
    };
    if (!start.interrupting) {
      activate();
      return;
    }
    scope.interrupted = true; // guard only; the ESP's ELEMENT_ACTIVATING applier records it
    // The last child may terminate synchronously: the scope then starts the event
    // sub-process instead of completing (terminateChildren registers `activate` first).
    ctx.lifecycle.terminateChildren(scope, activate);
  }

  /** A newly opened subscription looks for a buffered message. */
  correlateBuffered(subscriptionKey: number): void {
    const state = this.ctx.state;
    const sub = state.messageSubscriptions.get(subscriptionKey);
    if (!sub) return;
    const keys = state.messagesByCorrelation.get(
      `${sub.tenantId}\u0000${sub.messageName}\u0000${sub.correlationKey}`,
    );
    if (!keys) return;
    for (const key of keys) {
      const message = state.messages.get(key)!;
      if (message.deadline < this.ctx.now) continue;
      if (message.correlatedProcessIds.includes(sub.bpmnProcessId)) continue;
      if (this.correlate(sub, message)) return;
    }
  }

  correlate(sub: MessageSubscription, message: Message): boolean {
    const owner = this.ctx.instance(sub.elementInstanceKey);
    if (!this.canTrigger(owner, sub.elementId)) return false;
    this.ctx.batch.event('PROCESS_MESSAGE_SUBSCRIPTION', 'CORRELATED', sub.key, {
      ...sub,
      messageKey: message.key,
      variables: message.variables,
    });
    return this.trigger(owner, sub.elementId, message.variables);
  }
}
