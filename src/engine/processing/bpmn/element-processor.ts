/**
 * The interface every BPMN element kind implements (after Zeebe's BpmnElementProcessor):
 * what happens when an instance of it is activated, completed or terminated; containers
 * also react when one of their children completes or terminates. Everything a hook needs
 * from the step that called it comes as an argument (never from per-command maps), so a
 * queued step can be stored and continued in a later command.
 */
import type { ExecutableElement } from '../../model/types';
import type { ElementInstance } from '../../state/types';
import type { BpmnContext } from './bpmn-context';

export type Variables = Record<string, unknown>;

/** How a container starts when it is not by its none start event. */
export interface ContainerStart {
  /** The start event an event (message, timer, signal, error, ...) triggered. */
  startId?: string;
  /** Start instructions / modification: activate these elements instead. */
  elementIds?: string[];
  /** Variables of the event, set on the start event. */
  variables?: Variables;
}

/** What a queued activation carries to onActivate (JSON data, so the step can be stored). */
export interface Activation {
  /** Variables of the event that triggered this element (a triggered catch event completes at once). */
  trigger?: Variables;
  /** Containers: how to start. */
  start?: ContainerStart;
}

/** What a queued completion carries. */
export interface Completion {
  /** The outgoing flows to take (gateways, event-based gateway); default: all outgoing flows. */
  flows?: string[];
  /** Variables of an event, given to the element the taken flow leads to (event-based gateway). */
  targetTrigger?: Variables;
}

/** What onComplete hands on to onCompleted of the same element (after it left the state). */
export interface CompletionNote {
  /** A process instance's variables, captured before they were removed with it. */
  variables?: Variables;
}

/** What a container's onChildCompleting hands on to its onChildCompleted. */
export interface ChildCompletionNote {
  /** Multi-instance: the completion condition is met, the body completes. */
  completeScope?: boolean;
}

export interface ElementProcessor {
  /** After ELEMENT_ACTIVATING, input mappings and event subscriptions. */
  onActivate(
    ctx: BpmnContext,
    inst: ElementInstance,
    el: ExecutableElement,
    activation: Activation,
  ): void;
  /**
   * After ELEMENT_COMPLETING, before output mappings; return false to stop (an incident was
   * raised), or a note for onCompleted.
   */
  onComplete?(
    ctx: BpmnContext,
    inst: ElementInstance,
    el: ExecutableElement,
  ): boolean | CompletionNote;
  /** After ELEMENT_COMPLETED: `left` is the instance as it was; it is gone from the state. */
  onCompleted?(
    ctx: BpmnContext,
    left: ElementInstance,
    el: ExecutableElement,
    note: CompletionNote,
  ): void;
  /** After ELEMENT_TERMINATING; must end with ctx.lifecycle.finishTermination(inst) (now or later). */
  onTerminate(ctx: BpmnContext, inst: ElementInstance, el: ExecutableElement): void;
  /** After ELEMENT_TERMINATED: `left` is the instance as it was. */
  onTerminated?(ctx: BpmnContext, left: ElementInstance, el: ExecutableElement): void;
  /**
   * Containers: a child is completing (after its output mappings, before ELEMENT_COMPLETED).
   * Return false to stop its completion (an incident was raised), or a note for onChildCompleted.
   */
  onChildCompleting?(
    ctx: BpmnContext,
    scope: ElementInstance,
    child: ElementInstance,
    childEl: ExecutableElement,
  ): false | ChildCompletionNote;
  onChildCompleted?(
    ctx: BpmnContext,
    scope: ElementInstance,
    child: ElementInstance,
    note: ChildCompletionNote,
  ): void;
  onChildTerminated?(ctx: BpmnContext, scope: ElementInstance, child: ElementInstance): void;
  /**
   * A sequence flow into this element was taken: may it be activated now? (Joining gateways
   * wait for their tokens.) Default: yes.
   */
  acceptsToken?(ctx: BpmnContext, scope: ElementInstance, el: ExecutableElement): boolean;
}
