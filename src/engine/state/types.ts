/** Plain-data shapes of the engine state (everything here is JSON-serializable). */
import type { BpmnElementType } from '../model/types';

export interface DeployedProcess {
  key: number;
  bpmnProcessId: string;
  version: number;
  tenantId: string;
  resourceName: string;
  checksum: string;
  resource: string;
  deploymentKey: number;
}

export interface DeployedDecision {
  key: number;
  decisionId: string;
  decisionName: string;
  version: number;
  tenantId: string;
  decisionRequirementsKey: number;
  decisionRequirementsId: string;
}

export interface DeployedDrg {
  key: number;
  decisionRequirementsId: string;
  decisionRequirementsName: string;
  version: number;
  tenantId: string;
  resourceName: string;
  checksum: string;
  resource: string;
}

export interface DeployedForm {
  key: number;
  formId: string;
  version: number;
  tenantId: string;
  resourceName: string;
  checksum: string;
  resource: string;
}

export type ElementState = 'ACTIVATING' | 'ACTIVATED' | 'COMPLETING' | 'TERMINATING';

export interface ElementInstance {
  key: number;
  elementId: string;
  type: BpmnElementType;
  state: ElementState;
  flowScopeKey: number;
  processInstanceKey: number;
  processDefinitionKey: number;
  bpmnProcessId: string;
  version: number;
  tenantId: string;
  parentProcessInstanceKey: number;
  parentElementInstanceKey: number;
  /** Active child element instances (containers). */
  childCount: number;
  /** Join gateways: flows taken but not yet consumed, per gateway id, per flow id. */
  takenFlows?: Record<string, Record<string, number>>;
  jobKey?: number;
  calledChildKey?: number;
  /** Multi-instance body: inner instances still to start (sequential) / completed. */
  loop?: { total: number; completed: number; started: number };
  /** Set when an interrupting event sub-process took over the scope. */
  interrupted?: boolean;
  /** Process started by a message start event with a correlation key. */
  messageStartKey?: string;
}

export type JobStateName = 'ACTIVATABLE' | 'ACTIVATED' | 'FAILED' | 'ERROR_THROWN' | 'INCIDENT';

export interface JobValue {
  type: string;
  worker: string;
  retries: number;
  retryBackoff: number;
  recurringTime: number;
  deadline: number;
  timeout: number;
  errorMessage: string;
  errorCode: string;
  customHeaders: Record<string, string>;
  elementId: string;
  elementInstanceKey: number;
  processInstanceKey: number;
  bpmnProcessId: string;
  processDefinitionKey: number;
  processDefinitionVersion: number;
  tenantId: string;
  variables: Record<string, unknown>;
}

export interface Job extends JobValue {
  key: number;
  state: JobStateName;
}

export interface IncidentValue {
  errorType: string;
  errorMessage: string;
  bpmnProcessId: string;
  processDefinitionKey: number;
  processInstanceKey: number;
  elementId: string;
  elementInstanceKey: number;
  jobKey: number;
  variableScopeKey: number;
  tenantId: string;
}

export interface Incident extends IncidentValue {
  key: number;
}

export interface Message {
  key: number;
  name: string;
  correlationKey: string;
  timeToLive: number;
  deadline: number;
  messageId: string;
  variables: Record<string, unknown>;
  tenantId: string;
  /** bpmnProcessIds this message was already correlated to (once per process). */
  correlatedProcessIds: string[];
}

export interface MessageSubscription {
  key: number;
  /** Element instance that owns the subscription (catch event, activity, gateway, scope). */
  elementInstanceKey: number;
  processInstanceKey: number;
  processDefinitionKey: number;
  bpmnProcessId: string;
  /** The catch element that is triggered. */
  elementId: string;
  messageName: string;
  correlationKey: string;
  interrupting: boolean;
  tenantId: string;
}

export interface Timer {
  key: number;
  /** Owner element instance; -1 for a timer start event. */
  elementInstanceKey: number;
  processInstanceKey: number;
  processDefinitionKey: number;
  targetElementId: string;
  dueDate: number;
  /** Remaining repetitions of a cycle (-1 infinite, 1 = this is the last). */
  repetitions: number;
  interval?: string;
  tenantId: string;
  bpmnProcessId: string;
}

export interface SignalSubscription {
  key: number;
  elementInstanceKey: number;
  processInstanceKey: number;
  processDefinitionKey: number;
  bpmnProcessId: string;
  catchElementId: string;
  signalName: string;
  tenantId: string;
}

/**
 * A completed activity that can still be compensated (COMPENSATION_SUBSCRIPTION). Created
 * when an activity with a compensation boundary event completes, and for a completed
 * sub-process that holds such subscriptions (no handler: compensation descends into it).
 */
export interface CompensationSubscription {
  key: number;
  tenantId: string;
  processInstanceKey: number;
  processDefinitionKey: number;
  compensableActivityId: string;
  /** The flow scope instance the activity completed in. */
  compensableActivityScopeKey: number;
  compensableActivityInstanceKey: number;
  /** '' for a completed sub-process that only holds nested subscriptions. */
  compensationHandlerId: string;
  /** Set once compensation is triggered (-1 / '' before). */
  throwEventId: string;
  throwEventInstanceKey: number;
  compensationHandlerInstanceKey: number;
}

/**
 * Follow-up work a command left when it used up its step budget (PROCESS_INSTANCE_BATCH
 * POSTPONED): a later command continues it, after the commands queued meanwhile.
 */
export interface PostponedWork {
  key: number;
  /** The steps still to run (processing/bpmn/steps.ts), as plain data. */
  steps: Record<string, unknown>[];
  /** Steps already run by this chain of commands without coming to an end. */
  chainSteps: number;
  /** The process instances the steps continue (for readers of the log). */
  processInstanceKeys: number[];
}
