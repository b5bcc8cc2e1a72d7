/**
 * The interface every BPMN element kind implements (after Zeebe's BpmnElementProcessor):
 * what happens when an instance of it is activated, completed or terminated; containers
 * also react when one of their children completes or terminates.
 */
import type { ExecutableElement } from '../../model/types';
import type { ElementInstance } from '../../state/types';
import type { BpmnContext } from './bpmn-context';

export interface ElementProcessor {
  /** After ELEMENT_ACTIVATING, input mappings and event subscriptions. */
  onActivate(ctx: BpmnContext, inst: ElementInstance, el: ExecutableElement): void;
  /** After ELEMENT_COMPLETING, before output mappings; return false to stop (incident raised). */
  onComplete?(ctx: BpmnContext, inst: ElementInstance, el: ExecutableElement): boolean;
  /** After ELEMENT_TERMINATING; must end with ctx.lifecycle.finishTermination(inst) (now or later). */
  onTerminate(ctx: BpmnContext, inst: ElementInstance, el: ExecutableElement): void;
  onChildCompleted?(ctx: BpmnContext, scope: ElementInstance, child: ElementInstance): void;
  onChildTerminated?(ctx: BpmnContext, scope: ElementInstance, child: ElementInstance): void;
}
