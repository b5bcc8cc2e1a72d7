/**
 * The follow-up work of a command, as plain data: each step names what to continue with
 * (activate or complete an element instance, correlate a buffered message, start the next
 * buffered message start). Steps hold no closures, so the steps left when a command
 * reaches its budget can be stored and continued in a later command.
 */
import type { Activation, Completion } from './element-processor';
import type { BpmnContext } from './bpmn-context';
import { startNextBuffered } from './behavior/message-start';

export type Step =
  /** Input mappings, subscriptions and the processor's onActivate of an ACTIVATING instance. */
  | { kind: 'activate'; key: number; activation: Activation }
  /** The processor's onComplete, output mappings and leaving of a COMPLETING instance. */
  | { kind: 'complete'; key: number; completion: Completion }
  /** A newly opened message subscription looks for a buffered message. */
  | { kind: 'correlate'; subscriptionKey: number }
  /** A message-started instance ended: the next buffered message with its key may start one. */
  | { kind: 'startBuffered'; tenantId: string; bpmnProcessId: string; correlationKey: string };

export function runStep(ctx: BpmnContext, step: Step): void {
  switch (step.kind) {
    case 'activate':
      return ctx.lifecycle.runActivation(step.key, step.activation);
    case 'complete':
      return ctx.lifecycle.runCompletion(step.key, step.completion);
    case 'correlate':
      return ctx.triggers.correlateBuffered(step.subscriptionKey);
    case 'startBuffered':
      return startNextBuffered(ctx, step.tenantId, step.bpmnProcessId, step.correlationKey);
  }
}
