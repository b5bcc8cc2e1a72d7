/**
 * The value shapes of the records that change state (Zeebe's field names). The appliers
 * read them and the processors write them, both typed by these shapes; other value types
 * (commands, DEPLOYMENT, JOB_BATCH, ...) are plain JSON objects.
 */
import type { BpmnElementType } from '../model/types';
import type {
  CompensationSubscription,
  IncidentValue,
  JobValue,
  MessageSubscription,
  PostponedWork,
  Timer,
} from '../state/types';
import type { ValueType } from './record';

type Variables = Record<string, unknown>;

export interface ProcessRecordValue {
  bpmnProcessId: string;
  version: number;
  processDefinitionKey: number;
  resourceName: string;
  checksum: string;
  /** The BPMN XML (empty in DELETED). */
  resource: string;
  deploymentKey?: number;
  tenantId: string;
}

export interface DecisionRecordValue {
  decisionId: string;
  decisionName: string;
  version: number;
  decisionKey: number;
  decisionRequirementsId: string;
  decisionRequirementsKey: number;
  tenantId: string;
}

export interface DecisionRequirementsRecordValue {
  decisionRequirementsId: string;
  decisionRequirementsName: string;
  decisionRequirementsVersion: number;
  decisionRequirementsKey: number;
  namespace?: string;
  resourceName: string;
  checksum: string;
  resource: string;
  tenantId: string;
}

export interface FormRecordValue {
  formId: string;
  version: number;
  formKey: number;
  resourceName: string;
  checksum: string;
  resource: string;
  tenantId: string;
}

export interface ProcessInstanceRecordValue {
  bpmnProcessId: string;
  version: number;
  processDefinitionKey: number;
  processInstanceKey: number;
  elementId: string;
  flowScopeKey: number;
  bpmnElementType: BpmnElementType;
  bpmnEventType: string;
  parentProcessInstanceKey: number;
  parentElementInstanceKey: number;
  tenantId: string;
}

export interface VariableRecordValue {
  name: string;
  /** The value as JSON text. */
  value: string;
  scopeKey: number;
  processInstanceKey: number;
  processDefinitionKey: number;
  bpmnProcessId: string;
  tenantId: string;
}

export type JobRecordValue = JobValue;

export type IncidentRecordValue = IncidentValue;

export interface MessageRecordValue {
  name: string;
  correlationKey: string;
  timeToLive: number;
  deadline: number;
  messageId: string;
  variables: Variables;
  tenantId: string;
}

export interface ProcessMessageSubscriptionRecordValue extends Omit<MessageSubscription, 'key'> {
  /** CORRELATED: the message and its variables. */
  messageKey?: number;
  variables?: Variables;
}

export interface MessageStartEventSubscriptionRecordValue {
  processDefinitionKey: number;
  bpmnProcessId: string;
  startEventId: string;
  messageName: string;
  messageKey: number;
  correlationKey: string;
  processInstanceKey: number;
  variables: Variables;
  tenantId: string;
}

export type TimerRecordValue = Omit<Timer, 'key'>;

export interface SignalSubscriptionRecordValue {
  signalName: string;
  processDefinitionKey: number;
  bpmnProcessId: string;
  catchEventId: string;
  catchEventInstanceKey: number;
  processInstanceKey: number;
  tenantId: string;
}

export type CompensationSubscriptionRecordValue = Omit<CompensationSubscription, 'key'>;

/** POSTPONED carries the steps; CONTINUED only says which postponed work runs now. */
export type ProcessInstanceBatchRecordValue = Omit<PostponedWork, 'key' | 'steps'> & {
  steps?: PostponedWork['steps'];
};

export interface RecordValues {
  PROCESS: ProcessRecordValue;
  DECISION: DecisionRecordValue;
  DECISION_REQUIREMENTS: DecisionRequirementsRecordValue;
  FORM: FormRecordValue;
  PROCESS_INSTANCE: ProcessInstanceRecordValue;
  VARIABLE: VariableRecordValue;
  JOB: JobRecordValue;
  INCIDENT: IncidentRecordValue;
  MESSAGE: MessageRecordValue;
  PROCESS_MESSAGE_SUBSCRIPTION: ProcessMessageSubscriptionRecordValue;
  MESSAGE_START_EVENT_SUBSCRIPTION: MessageStartEventSubscriptionRecordValue;
  TIMER: TimerRecordValue;
  SIGNAL_SUBSCRIPTION: SignalSubscriptionRecordValue;
  COMPENSATION_SUBSCRIPTION: CompensationSubscriptionRecordValue;
  PROCESS_INSTANCE_BATCH: ProcessInstanceBatchRecordValue;
}

/** The value shape of a value type's records. */
export type RecordValue<T extends ValueType> = T extends keyof RecordValues
  ? RecordValues[T]
  : Record<string, unknown>;
