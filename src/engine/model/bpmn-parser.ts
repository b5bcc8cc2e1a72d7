/**
 * Parses and validates BPMN XML (bpmn-moddle + Zeebe extensions) into executable
 * processes. Errors name the element id and the problem, as Zeebe's deploy does.
 */
import { BpmnModdle } from 'bpmn-moddle';
import zeebeModdle from 'zeebe-bpmn-moddle/resources/zeebe.json';
import { feelSyntaxError, isExpression } from '../feel';
import { checkSafeXml, ResourceRejected } from './safe-xml';
import { timerDefinitionProblem } from './timer-validation';
import type {
  BpmnElementType,
  BpmnEventType,
  ExecutableElement,
  ExecutableProcess,
  Mapping,
} from './types';
import { PROCESS_SCOPE } from './types';

/** The subset of moddle objects this parser reads. */
interface ModdleElement {
  $type: string;
  id?: string;
  name?: string;
  $parent?: ModdleElement;
  [key: string]: unknown;
}

interface Ref {
  id?: string;
  name?: string;
  errorCode?: string;
  escalationCode?: string;
  extensionElements?: { values?: ModdleElement[] };
}

const TASK_TYPES: Record<string, BpmnElementType> = {
  'bpmn:ServiceTask': 'SERVICE_TASK',
  'bpmn:SendTask': 'SEND_TASK',
  'bpmn:UserTask': 'USER_TASK',
  'bpmn:ScriptTask': 'SCRIPT_TASK',
  'bpmn:BusinessRuleTask': 'BUSINESS_RULE_TASK',
  'bpmn:ReceiveTask': 'RECEIVE_TASK',
  'bpmn:ManualTask': 'MANUAL_TASK',
  'bpmn:Task': 'TASK',
  'bpmn:CallActivity': 'CALL_ACTIVITY',
  'bpmn:SubProcess': 'SUB_PROCESS',
  'bpmn:StartEvent': 'START_EVENT',
  'bpmn:EndEvent': 'END_EVENT',
  'bpmn:IntermediateCatchEvent': 'INTERMEDIATE_CATCH_EVENT',
  'bpmn:IntermediateThrowEvent': 'INTERMEDIATE_THROW_EVENT',
  'bpmn:BoundaryEvent': 'BOUNDARY_EVENT',
  'bpmn:ExclusiveGateway': 'EXCLUSIVE_GATEWAY',
  'bpmn:ParallelGateway': 'PARALLEL_GATEWAY',
  'bpmn:InclusiveGateway': 'INCLUSIVE_GATEWAY',
  'bpmn:EventBasedGateway': 'EVENT_BASED_GATEWAY',
};

const IGNORED_TYPES = new Set([
  'bpmn:SequenceFlow',
  'bpmn:DataObject',
  'bpmn:DataObjectReference',
  'bpmn:DataStoreReference',
  'bpmn:TextAnnotation',
  'bpmn:Association',
  'bpmn:Group',
]);

export const USER_TASK_JOB_TYPE = 'io.camunda.zeebe:userTask';

/** Activities that can be compensated or be compensation handlers. */
const COMPENSABLE_TYPES = new Set<BpmnElementType>([
  'SERVICE_TASK',
  'USER_TASK',
  'SEND_TASK',
  'RECEIVE_TASK',
  'SCRIPT_TASK',
  'BUSINESS_RULE_TASK',
  'MANUAL_TASK',
  'TASK',
  'SUB_PROCESS',
  'CALL_ACTIVITY',
]);

let moddle: { fromXML(xml: string): Promise<{ rootElement: ModdleElement; warnings: unknown[] }> };

function getModdle() {
  moddle ??= new BpmnModdle({ zeebe: zeebeModdle });
  return moddle;
}

export async function parseBpmn(
  content: Buffer | string,
  resourceName: string,
): Promise<ExecutableProcess[]> {
  const xml = checkSafeXml(content, resourceName);
  let rootElement: ModdleElement;
  let warnings: unknown[];
  try {
    ({ rootElement, warnings } = await getModdle().fromXML(xml));
  } catch (err) {
    throw new ResourceRejected(
      `'${resourceName}': invalid BPMN XML: ${(err as Error).message.split('\n')[0]}`,
    );
  }
  // The parser skips what it cannot read (e.g. an element with a duplicate id): refuse
  // rather than run a model that silently lost elements.
  const fatal = warnings
    .map((w) => String((w as { message?: string }).message ?? w))
    .filter((m) => /duplicate ID|unparsable content <bpmn:/i.test(m))
    .map((m) => m.replace(/\s+/g, ' ').trim());
  if (fatal.length > 0) {
    throw new ResourceRejected(`'${resourceName}': invalid BPMN: ${fatal.join('; ')}`);
  }
  // A reference to an id that does not exist (a default flow, an attachedToRef, a
  // messageRef ...) is dropped by the parser with a warning: the model would run
  // without it. Stale diagram (bpmndi) references do not change execution.
  const unresolved = unresolvedReferences(warnings);
  if (unresolved.length > 0) {
    throw new ResourceRejected(`'${resourceName}': ${unresolved.join('; ')}`);
  }
  if (rootElement?.$type !== 'bpmn:Definitions') {
    throw new ResourceRejected(`'${resourceName}': the root element is not bpmn:definitions`);
  }
  const processes = ((rootElement.rootElements as ModdleElement[]) ?? []).filter(
    (e) => e.$type === 'bpmn:Process' && e.isExecutable !== false,
  );
  if (processes.length === 0) {
    throw new ResourceRejected(`'${resourceName}': must contain at least one executable process`);
  }
  const errors: string[] = [];
  const result = processes.map((p) => new ProcessBuilder(p, errors).build());
  if (errors.length > 0) {
    throw new ResourceRejected(`'${resourceName}': ${errors.join('; ')}`);
  }
  return result;
}

function unresolvedReferences(warnings: unknown[]): string[] {
  const out: string[] = [];
  for (const w of warnings as {
    message?: string;
    property?: string;
    value?: string;
    element?: ModdleElement;
  }[]) {
    if (!/^unresolved reference/.test(w.message ?? '')) continue;
    if (!w.property || w.property.startsWith('bpmndi:')) continue;
    const property = w.property.replace(/^bpmn:/, '');
    out.push(
      `element '${w.element?.id ?? '?'}': ${property} refers to '${w.value ?? ''}', which does not exist`,
    );
  }
  return out;
}

function ext<T = ModdleElement>(el: ModdleElement | Ref | undefined, type: string): T | undefined {
  const values = (el?.extensionElements as { values?: ModdleElement[] } | undefined)?.values;
  return values?.find((v) => v.$type === type) as T | undefined;
}

/** An expression as messages quote it: it may be far beyond the FEEL size limit. */
function shortened(expression: string): string {
  return expression.length > 80 ? `${expression.slice(0, 77)}...` : expression;
}

function bodyOf(expr: unknown): string | undefined {
  const body = (expr as { body?: string } | undefined)?.body;
  return typeof body === 'string' ? body.trim() : undefined;
}

class ProcessBuilder {
  private readonly elements = new Map<string, ExecutableElement>();
  private readonly flows: ModdleElement[] = [];
  /** Associations (process and sub-process artifacts): they link compensation handlers. */
  private readonly associations: ModdleElement[] = [];

  constructor(
    private readonly process: ModdleElement,
    private readonly errors: string[],
  ) {}

  private fail(id: string | undefined, problem: string): void {
    this.errors.push(`element '${id ?? '?'}': ${problem}`);
  }

  build(): ExecutableProcess {
    const id = this.process.id;
    if (!id) this.fail(undefined, 'process has no id');
    const root = this.blank(this.process, 'PROCESS', undefined);
    this.elements.set(PROCESS_SCOPE, root);
    this.addChildren(this.process, root, PROCESS_SCOPE);
    for (const flow of this.flows) this.addFlow(flow);
    this.linkCompensationHandlers();
    for (const el of this.elements.values()) this.linkStartEvent(el);
    for (const el of this.elements.values()) this.validate(el);
    if (!root.childIds.some((c) => this.elements.get(c)?.type === 'START_EVENT')) {
      this.fail(id, 'process must have at least one start event');
    }
    return {
      bpmnProcessId: root.id,
      name: this.process.name,
      elements: this.elements,
      eventStartIds: root.childIds.filter((c) => {
        const child = this.elements.get(c)!;
        return child.type === 'START_EVENT' && child.eventType !== 'NONE';
      }),
    };
  }

  private blank(
    source: ModdleElement,
    type: BpmnElementType,
    flowScopeId: string | undefined,
  ): ExecutableElement {
    return {
      id: source.id ?? '',
      name: source.name,
      type,
      eventType: 'UNSPECIFIED',
      flowScopeId,
      incoming: [],
      outgoing: [],
      inputMappings: [],
      outputMappings: [],
      interrupting: true,
      boundaryIds: [],
      childIds: [],
      eventSubProcessIds: [],
    };
  }

  private addChildren(container: ModdleElement, scope: ExecutableElement, scopeKey: string): void {
    for (const artifact of (container.artifacts as ModdleElement[]) ?? []) {
      if (artifact.$type === 'bpmn:Association') this.associations.push(artifact);
    }
    for (const child of (container.flowElements as ModdleElement[]) ?? []) {
      if (child.$type === 'bpmn:SequenceFlow') {
        this.flows.push(child);
        continue;
      }
      if (IGNORED_TYPES.has(child.$type)) continue;
      let type = TASK_TYPES[child.$type];
      if (!type) {
        this.fail(child.id, `element type '${child.$type.replace('bpmn:', '')}' is not supported`);
        continue;
      }
      if (!child.id) {
        this.fail(undefined, `a ${child.$type} has no id`);
        continue;
      }
      if (this.elements.has(child.id)) {
        this.fail(child.id, 'duplicate element id');
        continue;
      }
      if (type === 'SUB_PROCESS' && child.triggeredByEvent) type = 'EVENT_SUB_PROCESS';
      const el = this.blank(child, type, scopeKey);
      this.elements.set(el.id, el);
      this.fill(child, el);
      if (type === 'EVENT_SUB_PROCESS') scope.eventSubProcessIds.push(el.id);
      else scope.childIds.push(el.id);
      if (type === 'SUB_PROCESS' || type === 'EVENT_SUB_PROCESS')
        this.addChildren(child, el, el.id);
    }
  }

  private fill(src: ModdleElement, el: ExecutableElement): void {
    const io = ext<{ inputParameters?: Mapping[]; outputParameters?: Mapping[] }>(
      src,
      'zeebe:IoMapping',
    );
    el.inputMappings = (io?.inputParameters ?? []).map((m) => ({
      source: m.source ?? '',
      target: m.target ?? '',
    }));
    el.outputMappings = (io?.outputParameters ?? []).map((m) => ({
      source: m.source ?? '',
      target: m.target ?? '',
    }));
    for (const m of [...el.inputMappings, ...el.outputMappings]) {
      if (!m.target) this.fail(el.id, 'a zeebe:ioMapping parameter has no target');
    }
    if (src.isForCompensation === true) el.isForCompensation = true;
    this.fillTask(src, el);
    this.fillEvent(src, el);
    const loop = src.loopCharacteristics as ModdleElement | undefined;
    if (loop) {
      if (loop.$type !== 'bpmn:MultiInstanceLoopCharacteristics') {
        this.fail(el.id, 'standard loop characteristics are not supported');
      } else {
        const z = ext<Record<string, string | undefined>>(loop, 'zeebe:LoopCharacteristics');
        if (!z?.inputCollection) {
          this.fail(
            el.id,
            'multi-instance activity must have zeebe:loopCharacteristics inputCollection',
          );
        }
        el.multiInstance = {
          sequential: loop.isSequential === true,
          inputCollection: z?.inputCollection ?? '',
          inputElement: z?.inputElement || undefined,
          outputCollection: z?.outputCollection || undefined,
          outputElement: z?.outputElement || undefined,
          completionCondition: bodyOf(loop.completionCondition),
        };
        if (el.multiInstance.outputCollection && !el.multiInstance.outputElement) {
          this.fail(el.id, 'multi-instance outputCollection requires outputElement');
        }
      }
    }
    if (src.default) el.defaultFlowId = (src.default as ModdleElement).id;
  }

  private fillTask(src: ModdleElement, el: ExecutableElement): void {
    const taskDef = ext<{ type?: string; retries?: string }>(src, 'zeebe:TaskDefinition');
    const headers: Record<string, string> = {};
    for (const h of ext<{ values?: { key?: string; value?: string }[] }>(src, 'zeebe:TaskHeaders')
      ?.values ?? []) {
      if (h.key) headers[h.key] = h.value ?? '';
    }
    switch (el.type) {
      case 'SERVICE_TASK':
      case 'SEND_TASK':
        el.job = { type: taskDef?.type ?? '', retries: taskDef?.retries || '3', headers };
        if (!taskDef?.type) this.fail(el.id, 'must have a zeebe:taskDefinition with a type');
        break;
      case 'SCRIPT_TASK': {
        const script = ext<{ expression?: string; resultVariable?: string }>(src, 'zeebe:Script');
        if (script) {
          if (!script.expression || !script.resultVariable) {
            this.fail(el.id, 'zeebe:script must have an expression and a resultVariable');
          }
          el.script = {
            expression: script.expression ?? '',
            resultVariable: script.resultVariable ?? '',
          };
        } else if (taskDef?.type) {
          el.job = { type: taskDef.type, retries: taskDef.retries || '3', headers };
        } else this.fail(el.id, 'must have zeebe:script or a zeebe:taskDefinition with a type');
        break;
      }
      case 'BUSINESS_RULE_TASK': {
        const called = ext<{ decisionId?: string; resultVariable?: string }>(
          src,
          'zeebe:CalledDecision',
        );
        if (called) {
          if (!called.decisionId || !called.resultVariable) {
            this.fail(el.id, 'zeebe:calledDecision must have a decisionId and a resultVariable');
          }
          el.calledDecision = {
            decisionId: called.decisionId ?? '',
            resultVariable: called.resultVariable ?? '',
          };
        } else if (taskDef?.type) {
          el.job = { type: taskDef.type, retries: taskDef.retries || '3', headers };
        } else {
          this.fail(el.id, 'must have zeebe:calledDecision or a zeebe:taskDefinition with a type');
        }
        break;
      }
      case 'USER_TASK':
        el.job = {
          type: USER_TASK_JOB_TYPE,
          retries: '1',
          headers: this.userTaskHeaders(src, headers),
        };
        break;
      case 'CALL_ACTIVITY': {
        const called = ext<{
          processId?: string;
          propagateAllChildVariables?: boolean;
          propagateAllParentVariables?: boolean;
        }>(src, 'zeebe:CalledElement');
        if (!called?.processId)
          this.fail(el.id, 'must have a zeebe:calledElement with a processId');
        el.calledElement = {
          processId: called?.processId ?? '',
          propagateAllChildVariables: called?.propagateAllChildVariables !== false,
          propagateAllParentVariables: called?.propagateAllParentVariables !== false,
        };
        break;
      }
      default:
        break;
    }
  }

  /** Job-worker user tasks carry their settings as Zeebe's well-known headers. */
  private userTaskHeaders(
    src: ModdleElement,
    headers: Record<string, string>,
  ): Record<string, string> {
    const out = { ...headers };
    const form = ext<{ formKey?: string; formId?: string }>(src, 'zeebe:FormDefinition');
    if (form?.formKey) out['io.camunda.zeebe:formKey'] = form.formKey;
    else if (form?.formId) out['io.camunda.zeebe:formKey'] = form.formId;
    const assignment = ext<Record<string, string | undefined>>(src, 'zeebe:AssignmentDefinition');
    if (assignment?.assignee) out['io.camunda.zeebe:assignee'] = assignment.assignee;
    if (assignment?.candidateGroups) {
      out['io.camunda.zeebe:candidateGroups'] = assignment.candidateGroups;
    }
    if (assignment?.candidateUsers) {
      out['io.camunda.zeebe:candidateUsers'] = assignment.candidateUsers;
    }
    const schedule = ext<Record<string, string | undefined>>(src, 'zeebe:TaskSchedule');
    if (schedule?.dueDate) out['io.camunda.zeebe:dueDate'] = schedule.dueDate;
    if (schedule?.followUpDate) out['io.camunda.zeebe:followUpDate'] = schedule.followUpDate;
    return out;
  }

  private fillEvent(src: ModdleElement, el: ExecutableElement): void {
    if (el.type === 'RECEIVE_TASK') {
      this.fillMessage(el, src.messageRef as Ref | undefined);
      return;
    }
    if (el.type === 'BOUNDARY_EVENT') {
      el.attachedToId = (src.attachedToRef as ModdleElement | undefined)?.id;
      el.interrupting = src.cancelActivity !== false;
    }
    if (el.type === 'START_EVENT') el.interrupting = src.isInterrupting !== false;
    const defs = (src.eventDefinitions as ModdleElement[] | undefined) ?? [];
    if (!el.type.endsWith('_EVENT')) return;
    if (defs.length > 1) this.fail(el.id, 'multiple event definitions are not supported');
    const def = defs[0];
    if (!def) {
      el.eventType = 'NONE';
      if (el.type === 'BOUNDARY_EVENT')
        this.fail(el.id, 'boundary event must have an event definition');
      if (el.type === 'INTERMEDIATE_CATCH_EVENT') {
        this.fail(el.id, 'intermediate catch event must have an event definition');
      }
      return;
    }
    switch (def.$type) {
      case 'bpmn:MessageEventDefinition':
        el.eventType = 'MESSAGE';
        this.fillMessage(el, def.messageRef as Ref | undefined);
        if (el.type === 'END_EVENT' || el.type === 'INTERMEDIATE_THROW_EVENT') {
          const taskDef =
            ext<{ type?: string; retries?: string }>(def, 'zeebe:TaskDefinition') ??
            ext<{ type?: string; retries?: string }>(src, 'zeebe:TaskDefinition');
          if (!taskDef?.type) {
            this.fail(el.id, 'message throw event must have a zeebe:taskDefinition with a type');
          }
          const headers: Record<string, string> = {};
          for (const h of ext<{ values?: { key?: string; value?: string }[] }>(
            src,
            'zeebe:TaskHeaders',
          )?.values ?? []) {
            if (h.key) headers[h.key] = h.value ?? '';
          }
          el.job = { type: taskDef?.type ?? '', retries: taskDef?.retries || '3', headers };
        }
        break;
      case 'bpmn:TimerEventDefinition': {
        el.eventType = 'TIMER';
        const date = bodyOf(def.timeDate);
        const duration = bodyOf(def.timeDuration);
        const cycle = bodyOf(def.timeCycle);
        if (date) el.timer = { kind: 'date', expression: date };
        else if (duration) el.timer = { kind: 'duration', expression: duration };
        else if (cycle) el.timer = { kind: 'cycle', expression: cycle };
        else this.fail(el.id, 'timer must have a timeDate, timeDuration or timeCycle');
        break;
      }
      case 'bpmn:SignalEventDefinition': {
        el.eventType = 'SIGNAL';
        const name = (def.signalRef as Ref | undefined)?.name;
        if (!name) this.fail(el.id, 'signal event must reference a signal with a name');
        el.signal = { name: name ?? '' };
        break;
      }
      case 'bpmn:ErrorEventDefinition': {
        el.eventType = 'ERROR';
        const ref = def.errorRef as Ref | undefined;
        el.errorCode = ref?.errorCode || undefined;
        if (el.type === 'END_EVENT' && !el.errorCode) {
          this.fail(el.id, 'error end event must reference an error with an errorCode');
        }
        break;
      }
      case 'bpmn:EscalationEventDefinition': {
        el.eventType = 'ESCALATION';
        const ref = def.escalationRef as Ref | undefined;
        el.escalationCode = ref?.escalationCode || undefined;
        if (
          (el.type === 'END_EVENT' || el.type === 'INTERMEDIATE_THROW_EVENT') &&
          !el.escalationCode
        ) {
          this.fail(
            el.id,
            'escalation throw event must reference an escalation with an escalationCode',
          );
        }
        break;
      }
      case 'bpmn:TerminateEventDefinition':
        el.eventType = 'TERMINATE';
        break;
      case 'bpmn:CompensateEventDefinition': {
        el.eventType = 'COMPENSATION';
        if (el.type === 'INTERMEDIATE_THROW_EVENT' || el.type === 'END_EVENT') {
          const ref = (def.activityRef as ModdleElement | undefined)?.id;
          el.compensation = { activityRef: ref };
          // Zeebe 8.5 always waits for the compensation handlers to complete.
          if (def.waitForCompletion === false) {
            this.fail(
              el.id,
              'compensation throw events must wait for completion (waitForCompletion="false" is not supported)',
            );
          }
        }
        break;
      }
      case 'bpmn:LinkEventDefinition':
        el.eventType = 'LINK';
        el.linkName = (def.name as string | undefined) ?? '';
        if (!el.linkName) this.fail(el.id, 'link event must have a name');
        break;
      default:
        this.fail(el.id, `event definition '${def.$type.replace('bpmn:', '')}' is not supported`);
    }
  }

  private fillMessage(el: ExecutableElement, ref: Ref | undefined): void {
    if (!ref?.name) {
      this.fail(el.id, 'must reference a message with a name');
      return;
    }
    const sub = ext<{ correlationKey?: string }>(ref, 'zeebe:Subscription');
    el.message = { name: ref.name, correlationKey: sub?.correlationKey || undefined };
  }

  private addFlow(flow: ModdleElement): void {
    const id = flow.id ?? '';
    const source = (flow.sourceRef as ModdleElement | undefined)?.id;
    const target = (flow.targetRef as ModdleElement | undefined)?.id;
    const sourceEl = source ? this.elements.get(source) : undefined;
    const targetEl = target ? this.elements.get(target) : undefined;
    if (!sourceEl || !targetEl) {
      this.fail(id, 'sequence flow must connect two known elements');
      return;
    }
    const el = this.blank(flow, 'SEQUENCE_FLOW', sourceEl.flowScopeId);
    el.sourceId = source;
    el.targetId = target;
    el.condition = bodyOf(flow.conditionExpression);
    this.elements.set(id, el);
    sourceEl.outgoing.push(id);
    targetEl.incoming.push(id);
  }

  private linkStartEvent(el: ExecutableElement): void {
    if (el.type !== 'START_EVENT') return;
    const scope = this.elements.get(el.flowScopeId ?? '')!;
    if (el.eventType === 'NONE') {
      if (scope.noneStartId) this.fail(el.id, 'a scope can have only one none start event');
      scope.noneStartId = el.id;
    }
  }

  /** Every FEEL expression of the element must parse (Zeebe checks them at deploy). */
  private checkExpressions(el: ExecutableElement): void {
    const always: (string | undefined)[] = [
      el.condition,
      el.script?.expression,
      el.multiInstance?.inputCollection,
      el.multiInstance?.outputElement,
      el.multiInstance?.completionCondition,
      ...el.inputMappings.map((m) => m.source),
      ...el.outputMappings.map((m) => m.source),
    ];
    const ifExpression: (string | undefined)[] = [
      el.job?.type,
      el.job?.retries,
      el.timer?.expression,
      el.message?.name,
      el.message?.correlationKey,
      el.signal?.name,
      el.calledElement?.processId,
      el.calledDecision?.decisionId,
      ...Object.values(el.job?.headers ?? {}).filter((h) => h.startsWith('=')),
    ];
    for (const expr of [...always, ...ifExpression.filter((e) => e && isExpression(e))]) {
      if (!expr) continue;
      const problem = feelSyntaxError(expr);
      if (problem) this.fail(el.id, `invalid FEEL expression '${shortened(expr)}': ${problem}`);
    }
  }

  /**
   * A compensation boundary event marks its activity as compensable and names its
   * handler through an association.
   */
  private linkCompensationHandlers(): void {
    for (const el of this.elements.values()) {
      if (el.type !== 'BOUNDARY_EVENT' || el.eventType !== 'COMPENSATION') continue;
      const host = el.attachedToId ? this.elements.get(el.attachedToId) : undefined;
      if (!host) continue;
      if (host.compensationBoundaryId) {
        this.fail(host.id, 'an activity can have only one compensation boundary event');
      } else host.compensationBoundaryId = el.id;
    }
    for (const a of this.associations) {
      const source = this.elements.get((a.sourceRef as ModdleElement | undefined)?.id ?? '');
      const target = this.elements.get((a.targetRef as ModdleElement | undefined)?.id ?? '');
      if (source?.type !== 'BOUNDARY_EVENT' || source.eventType !== 'COMPENSATION' || !target) {
        continue;
      }
      if (source.compensationHandlerId && source.compensationHandlerId !== target.id) {
        this.fail(
          source.id,
          'a compensation boundary event can have only one compensation handler',
        );
      }
      source.compensationHandlerId = target.id;
    }
  }

  /** Zeebe 8.5's rules for compensation boundary events, handlers and throw events. */
  private checkCompensation(el: ExecutableElement): void {
    if (el.type === 'BOUNDARY_EVENT' && el.eventType === 'COMPENSATION') {
      const host = el.attachedToId ? this.elements.get(el.attachedToId) : undefined;
      if (host && !COMPENSABLE_TYPES.has(host.type)) {
        this.fail(el.id, `a compensation boundary event cannot be attached to a ${host.type}`);
      }
      if (el.outgoing.length > 0) {
        this.fail(
          el.id,
          'a compensation boundary event must not have outgoing sequence flows (connect its handler with an association)',
        );
      }
      const handler = el.compensationHandlerId
        ? this.elements.get(el.compensationHandlerId)
        : undefined;
      if (!handler) {
        this.fail(
          el.id,
          'a compensation boundary event must be associated with a compensation handler',
        );
      } else if (!handler.isForCompensation) {
        this.fail(
          handler.id,
          `the compensation handler of '${el.id}' must be marked for compensation (isForCompensation="true")`,
        );
      } else if (handler.flowScopeId !== el.flowScopeId) {
        this.fail(
          handler.id,
          `the compensation handler of '${el.id}' must be in the same scope as the activity it compensates`,
        );
      }
    }
    if (el.isForCompensation) {
      if (!COMPENSABLE_TYPES.has(el.type)) {
        this.fail(el.id, `a ${el.type} cannot be a compensation handler`);
      }
      if (el.incoming.length > 0 || el.outgoing.length > 0) {
        this.fail(
          el.id,
          'a compensation handler must not have incoming or outgoing sequence flows',
        );
      }
      if (el.boundaryIds.length > 0) {
        this.fail(el.id, 'a compensation handler must not have boundary events');
      }
    }
    const ref = el.compensation?.activityRef;
    if (ref) {
      const target = this.elements.get(ref);
      const scope = this.elements.get(el.flowScopeId ?? '');
      // In an event sub-process, the activity may also be in the scope around it.
      const scopes = [el.flowScopeId];
      if (scope?.type === 'EVENT_SUB_PROCESS') scopes.push(scope.flowScopeId);
      if (!target || !scopes.includes(target.flowScopeId)) {
        this.fail(
          el.id,
          `the activity '${ref}' to compensate must be in the same scope as the throw event`,
        );
      } else if (!target.compensationBoundaryId) {
        this.fail(el.id, `the activity '${ref}' to compensate has no compensation boundary event`);
      }
    }
  }

  /** Error and escalation codes: static on catch events, static or FEEL on throw events. */
  private checkEventCodes(el: ExecutableElement): void {
    const code = el.eventType === 'ERROR' ? el.errorCode : el.escalationCode;
    if ((el.eventType !== 'ERROR' && el.eventType !== 'ESCALATION') || !isExpression(code)) return;
    const kind = el.eventType === 'ERROR' ? 'errorCode' : 'escalationCode';
    if (el.type === 'BOUNDARY_EVENT' || el.type === 'START_EVENT') {
      this.fail(
        el.id,
        `a catch event must reference a static ${kind}, not the expression '${code}'`,
      );
      return;
    }
    const problem = feelSyntaxError(code!);
    if (problem) {
      this.fail(el.id, `invalid FEEL expression '${shortened(code!)}' in the ${kind}: ${problem}`);
    }
  }

  private validate(el: ExecutableElement): void {
    this.checkExpressions(el);
    this.checkCompensation(el);
    this.checkEventCodes(el);
    if (el.timer && !isExpression(el.timer.expression)) {
      const problem = timerDefinitionProblem(el.timer.kind, el.timer.expression);
      if (problem) this.fail(el.id, problem);
    }
    if (el.defaultFlowId && !el.outgoing.includes(el.defaultFlowId)) {
      this.fail(
        el.id,
        `default flow '${el.defaultFlowId}' is not an outgoing flow of this element`,
      );
    }
    if (el.type === 'BOUNDARY_EVENT') {
      const host = el.attachedToId ? this.elements.get(el.attachedToId) : undefined;
      if (!host) this.fail(el.id, 'boundary event must be attached to an activity');
      else host.boundaryIds.push(el.id);
      if (el.eventType === 'ERROR' && !el.interrupting) {
        this.fail(el.id, 'error boundary events must be interrupting');
      }
      // "Timer events": an interrupting timer boundary has a time duration or date, only a
      // non-interrupting one may repeat with a time cycle.
      if (el.timer?.kind === 'cycle' && el.interrupting) {
        this.fail(
          el.id,
          'an interrupting timer boundary event must use timeDuration or timeDate (a timeCycle needs cancelActivity="false")',
        );
      }
      if (
        !['TIMER', 'MESSAGE', 'ERROR', 'SIGNAL', 'ESCALATION', 'COMPENSATION'].includes(
          el.eventType,
        )
      ) {
        this.fail(el.id, `boundary event of type ${el.eventType} is not supported`);
      }
    }
    if (['MESSAGE'].includes(el.eventType) || el.type === 'RECEIVE_TASK') {
      const catches = el.type !== 'END_EVENT' && el.type !== 'INTERMEDIATE_THROW_EVENT';
      const isProcessStart =
        el.type === 'START_EVENT' && this.elements.get(el.flowScopeId ?? '')?.type === 'PROCESS';
      if (catches && !isProcessStart && el.message && !el.message.correlationKey) {
        this.fail(el.id, 'message catch event must have a zeebe:subscription correlationKey');
      }
    }
    if (el.type === 'START_EVENT') {
      const scope = this.elements.get(el.flowScopeId ?? '')!;
      const allowed: BpmnEventType[] =
        scope.type === 'PROCESS'
          ? ['NONE', 'MESSAGE', 'TIMER', 'SIGNAL']
          : scope.type === 'EVENT_SUB_PROCESS'
            ? ['MESSAGE', 'TIMER', 'ERROR', 'SIGNAL', 'ESCALATION']
            : ['NONE'];
      if (!allowed.includes(el.eventType)) {
        this.fail(el.id, `start event of type ${el.eventType} is not allowed here`);
      }
      if (scope.type === 'PROCESS' && el.eventType === 'TIMER' && el.timer?.kind === 'duration') {
        this.fail(el.id, 'timer start event must use timeDate or timeCycle');
      }
    }
    if (el.type === 'SUB_PROCESS' && !el.noneStartId) {
      this.fail(el.id, 'embedded sub-process must have exactly one none start event');
    }
    if (el.type === 'EVENT_SUB_PROCESS') {
      const starts = el.childIds.filter((c) => this.elements.get(c)?.type === 'START_EVENT');
      if (starts.length !== 1)
        this.fail(el.id, 'event sub-process must have exactly one start event');
      else el.startEventId = starts[0];
    }
    if (el.type === 'INTERMEDIATE_CATCH_EVENT') {
      if (!['MESSAGE', 'TIMER', 'SIGNAL', 'LINK'].includes(el.eventType)) {
        this.fail(el.id, `intermediate catch event of type ${el.eventType} is not supported`);
      }
      if (el.timer?.kind === 'cycle') {
        this.fail(el.id, 'an intermediate timer catch event must use timeDuration or timeDate');
      }
    }
    if (el.type === 'INTERMEDIATE_THROW_EVENT') {
      if (
        !['NONE', 'MESSAGE', 'SIGNAL', 'ESCALATION', 'LINK', 'COMPENSATION'].includes(el.eventType)
      ) {
        this.fail(el.id, `intermediate throw event of type ${el.eventType} is not supported`);
      }
      if (el.eventType === 'LINK') {
        const target = [...this.elements.values()].find(
          (c) =>
            c.type === 'INTERMEDIATE_CATCH_EVENT' &&
            c.eventType === 'LINK' &&
            c.linkName === el.linkName &&
            c.flowScopeId === el.flowScopeId,
        );
        if (!target)
          this.fail(el.id, `no link catch event named '${el.linkName}' in the same scope`);
      }
    }
    if (
      el.type === 'END_EVENT' &&
      !['NONE', 'ERROR', 'TERMINATE', 'MESSAGE', 'SIGNAL', 'ESCALATION', 'COMPENSATION'].includes(
        el.eventType,
      )
    ) {
      this.fail(el.id, `end event of type ${el.eventType} is not supported`);
    }
    if (el.type === 'EXCLUSIVE_GATEWAY' || el.type === 'INCLUSIVE_GATEWAY') {
      if (el.outgoing.length > 1) {
        for (const f of el.outgoing) {
          const flow = this.elements.get(f)!;
          if (f !== el.defaultFlowId && !flow.condition) {
            this.fail(
              f,
              `sequence flow leaving gateway '${el.id}' must have a condition (or be the default flow)`,
            );
          }
        }
      }
    }
    if (el.type === 'EVENT_BASED_GATEWAY') {
      if (el.outgoing.length < 2)
        this.fail(el.id, 'event-based gateway must have at least two outgoing flows');
      for (const f of el.outgoing) {
        const target = this.elements.get(this.elements.get(f)!.targetId!)!;
        const ok =
          (target.type === 'INTERMEDIATE_CATCH_EVENT' &&
            ['MESSAGE', 'TIMER', 'SIGNAL'].includes(target.eventType)) ||
          target.type === 'RECEIVE_TASK';
        if (!ok)
          this.fail(
            el.id,
            `event-based gateway target '${target.id}' must be a message, timer or signal catch event`,
          );
      }
    }
    if (el.type === 'SEQUENCE_FLOW') return;
    if (el.type === 'EVENT_SUB_PROCESS' && el.incoming.length + el.outgoing.length > 0) {
      this.fail(el.id, 'event sub-process must not have sequence flows');
    }
  }
}
