/**
 * Error and escalation propagation: from the throwing element outwards, the first
 * matching boundary event or event sub-process start catches it (a specific code
 * wins over a catch-all); a called process passes it on to its call activity.
 */
import { elementOf, type ExecutableElement } from '../../../model/types';
import type { ElementInstance } from '../../../state/types';
import type { BpmnContext } from '../bpmn-context';
import { isInnerInstance } from './lifecycle';

type Kind = 'ERROR' | 'ESCALATION';

interface Catcher {
  owner: ElementInstance;
  el: ExecutableElement;
}

export class ErrorBehavior {
  constructor(private readonly ctx: BpmnContext) {}

  findCatcher(from: ElementInstance, kind: Kind, code: string): Catcher | undefined {
    const ctx = this.ctx;
    for (let cur: ElementInstance | undefined = from; cur;) {
      const model = ctx.model(cur);
      const el = elementOf(model, cur)!;
      const scope = ctx.instance(cur.flowScopeKey);
      const candidates: ExecutableElement[] = [];
      if (!isInnerInstance(cur, scope) && cur.type !== 'PROCESS') {
        for (const b of el.boundaryIds) candidates.push(model.elements.get(b)!);
      }
      if (cur !== from || cur.type !== 'EVENT_SUB_PROCESS') {
        if (
          ['PROCESS', 'SUB_PROCESS', 'EVENT_SUB_PROCESS'].includes(cur.type) &&
          cur.state === 'ACTIVATED'
        ) {
          for (const esp of el.eventSubProcessIds) {
            const start = model.elements.get(model.elements.get(esp)!.startEventId ?? '');
            if (start) candidates.push(start);
          }
        }
      }
      const match = pick(candidates, kind, code);
      if (match) return { owner: cur, el: match };
      if (cur.type === 'PROCESS') {
        cur =
          cur.parentElementInstanceKey > 0 ? ctx.instance(cur.parentElementInstanceKey) : undefined;
      } else cur = scope;
    }
    return undefined;
  }

  /** Returns false if nothing catches the error (the caller raises an incident). */
  throwError(
    from: ElementInstance,
    code: string,
    variables: Record<string, unknown> = {},
  ): boolean {
    const found = this.findCatcher(from, 'ERROR', code);
    if (!found) return false;
    this.catchAt(found, variables);
    return true;
  }

  /** Returns true if an interrupting catcher took over (the thrower must not continue). */
  throwEscalation(from: ElementInstance, code: string): boolean {
    const found = this.findCatcher(from, 'ESCALATION', code);
    if (!found) return false;
    this.catchAt(found, {});
    return found.el.interrupting;
  }

  private catchAt({ owner, el }: Catcher, variables: Record<string, unknown>): void {
    const ctx = this.ctx;
    if (el.type === 'BOUNDARY_EVENT') {
      const scope = ctx.instance(owner.flowScopeKey)!;
      if (el.interrupting) {
        ctx.lifecycle.terminate(owner, () =>
          ctx.lifecycle.activate(scope, el, { trigger: variables }),
        );
      } else ctx.lifecycle.activate(scope, el, { trigger: variables });
      return;
    }
    ctx.triggers.startEventSubProcess(owner, el.flowScopeId!, variables);
  }
}

function pick(
  candidates: ExecutableElement[],
  kind: Kind,
  code: string,
): ExecutableElement | undefined {
  const codeOf = (e: ExecutableElement) => (kind === 'ERROR' ? e.errorCode : e.escalationCode);
  const ofKind = candidates.filter((c) => c.eventType === kind);
  return ofKind.find((c) => codeOf(c) === code) ?? ofKind.find((c) => codeOf(c) === undefined);
}
