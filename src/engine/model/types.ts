/**
 * The executable model: what the processor needs from a BPMN process, extracted once
 * at deploy time (and cached per process definition) so processing never touches XML.
 */

export type BpmnElementType =
  | 'PROCESS'
  | 'SUB_PROCESS'
  | 'EVENT_SUB_PROCESS'
  | 'START_EVENT'
  | 'INTERMEDIATE_CATCH_EVENT'
  | 'INTERMEDIATE_THROW_EVENT'
  | 'BOUNDARY_EVENT'
  | 'END_EVENT'
  | 'SERVICE_TASK'
  | 'RECEIVE_TASK'
  | 'USER_TASK'
  | 'MANUAL_TASK'
  | 'TASK'
  | 'EXCLUSIVE_GATEWAY'
  | 'PARALLEL_GATEWAY'
  | 'EVENT_BASED_GATEWAY'
  | 'INCLUSIVE_GATEWAY'
  | 'SEQUENCE_FLOW'
  | 'MULTI_INSTANCE_BODY'
  | 'CALL_ACTIVITY'
  | 'BUSINESS_RULE_TASK'
  | 'SCRIPT_TASK'
  | 'SEND_TASK';

export type BpmnEventType =
  | 'UNSPECIFIED'
  | 'NONE'
  | 'TIMER'
  | 'MESSAGE'
  | 'ERROR'
  | 'TERMINATE'
  | 'SIGNAL'
  | 'ESCALATION'
  | 'LINK'
  | 'COMPENSATION';

export interface Mapping {
  source: string;
  target: string;
}

export interface TimerDefinition {
  kind: 'date' | 'duration' | 'cycle';
  expression: string;
}

export interface MultiInstanceDefinition {
  sequential: boolean;
  inputCollection: string;
  inputElement?: string;
  outputCollection?: string;
  outputElement?: string;
  completionCondition?: string;
}

export interface JobDefinition {
  type: string;
  retries: string;
  headers: Record<string, string>;
}

export interface ExecutableElement {
  id: string;
  name?: string;
  type: BpmnElementType;
  eventType: BpmnEventType;
  /** Id of the enclosing process / sub-process (undefined for the process itself). */
  flowScopeId?: string;
  incoming: string[];
  outgoing: string[];
  defaultFlowId?: string;
  inputMappings: Mapping[];
  outputMappings: Mapping[];
  job?: JobDefinition;
  script?: { expression: string; resultVariable: string };
  calledDecision?: { decisionId: string; resultVariable: string };
  calledElement?: {
    processId: string;
    propagateAllChildVariables: boolean;
    propagateAllParentVariables: boolean;
  };
  message?: { name: string; correlationKey?: string };
  timer?: TimerDefinition;
  signal?: { name: string };
  /** Error code thrown / caught; undefined on a catch event = catch all. */
  errorCode?: string;
  escalationCode?: string;
  linkName?: string;
  /** Compensation throw events: the activity to compensate (none = the whole scope). */
  compensation?: { activityRef?: string };
  /** Compensation boundary events: the associated compensation handler. */
  compensationHandlerId?: string;
  /** Activities with a compensation boundary event: that event's id. */
  compensationBoundaryId?: string;
  /** Compensation handlers (isForCompensation): activated only by compensation. */
  isForCompensation?: boolean;
  interrupting: boolean;
  attachedToId?: string;
  boundaryIds: string[];
  multiInstance?: MultiInstanceDefinition;
  /** Containers: direct children. */
  childIds: string[];
  noneStartId?: string;
  eventSubProcessIds: string[];
  /** Event sub-process: its single start event. */
  startEventId?: string;
  /** Sequence flows. */
  sourceId?: string;
  targetId?: string;
  condition?: string;
}

export interface ExecutableProcess {
  bpmnProcessId: string;
  name?: string;
  elements: Map<string, ExecutableElement>;
  /** Start events of the process itself that are triggered by events (message, timer, signal). */
  eventStartIds: string[];
}

/**
 * The process element is kept under this key (not its id): a flow element may share
 * the process's id (e.g. process "sub" with a sub-process "sub").
 */
export const PROCESS_SCOPE = '#process';

/** The element an element instance stands for (the process itself for PROCESS instances). */
export function elementOf(
  process: ExecutableProcess,
  inst: { type: string; elementId: string },
): ExecutableElement | undefined {
  return process.elements.get(inst.type === 'PROCESS' ? PROCESS_SCOPE : inst.elementId);
}

export function element(process: ExecutableProcess, id: string): ExecutableElement {
  const el = process.elements.get(id);
  if (!el) throw new Error(`element '${id}' not found in process '${process.bpmnProcessId}'`);
  return el;
}
