/**
 * The history collections the history exporter writes and the monitoring queries read:
 * the built-in engine's equivalent of Operate's indices. Keys are decimal strings, as in
 * the engine API; -1 ("none") becomes null. Fields that may hold arbitrary user keys
 * (custom headers) are JSON strings, because FerretDB v1 rejects '.' and '$' in field
 * names.
 */

/**
 * Finished entities: written once, never updated (FerretDB v1 scans the whole collection
 * for every update or delete, even by _id, while inserts and _id lookups stay cheap).
 */
export const HISTORY_COLLECTIONS = {
  processInstances: 'history_process_instances',
  elementInstances: 'history_element_instances',
  variables: 'history_variables',
  incidents: 'history_incidents',
  jobs: 'history_jobs',
  messages: 'history_messages',
  decisionEvaluations: 'history_decision_evaluations',
  /** Deployed process definitions with their XML (for the REST API's definition search). */
  processDefinitions: 'history_process_definitions',
} as const;

/**
 * Entities still changing (active instances and elements, open jobs and incidents, the
 * variables of active instances): small collections where updates stay cheap. An entity
 * moves to HISTORY_COLLECTIONS when it reaches its final state. Queries read both; for a
 * moment after a crash an entity can be in both, and the finished copy wins.
 */
export const ACTIVE_HISTORY_COLLECTIONS = {
  processInstances: 'history_process_instances_active',
  elementInstances: 'history_element_instances_active',
  variables: 'history_variables_active',
  incidents: 'history_incidents_active',
  jobs: 'history_jobs_active',
} as const;

export type HistoryKind = keyof typeof HISTORY_COLLECTIONS;

export type InstanceState = 'ACTIVE' | 'COMPLETED' | 'TERMINATED';

export interface ProcessInstanceDocument {
  _id: string;
  key: string;
  bpmnProcessId: string;
  version: number;
  processDefinitionKey: string;
  tenantId: string;
  state: InstanceState;
  /** Keys of the instance's unresolved incidents. */
  incidentKeys?: string[];
  startDate: Date;
  endDate?: Date | null;
  parentProcessInstanceKey: string | null;
  parentElementInstanceKey: string | null;
}

export interface ElementInstanceDocument {
  _id: string;
  key: string;
  processInstanceKey: string;
  processDefinitionKey: string;
  bpmnProcessId: string;
  elementId: string;
  bpmnElementType: string;
  bpmnEventType?: string;
  flowScopeKey: string | null;
  tenantId: string;
  state: InstanceState;
  /** The element's unresolved incident, if any. */
  incidentKey?: string | null;
  startDate: Date;
  endDate?: Date | null;
}

export interface VariableDocument {
  /** `${scopeKey}:${name}` */
  _id: string;
  name: string;
  /** JSON-encoded value, as in Zeebe's records. */
  value: string;
  scopeKey: string;
  processInstanceKey: string;
  processDefinitionKey: string;
  bpmnProcessId: string;
  tenantId: string;
  updatedAt: Date;
}

export interface IncidentDocument {
  _id: string;
  key: string;
  errorType: string;
  errorMessage: string;
  state: 'ACTIVE' | 'RESOLVED';
  bpmnProcessId: string;
  processDefinitionKey: string;
  processInstanceKey: string;
  elementInstanceKey: string | null;
  elementId: string;
  jobKey: string | null;
  variableScopeKey: string | null;
  creationTime: Date;
  resolvedTime?: Date | null;
  tenantId: string;
}

export interface JobDocument {
  _id: string;
  key: string;
  type: string;
  /** The last job event's intent: CREATED, ACTIVATED, COMPLETED, FAILED, TIMED_OUT, ... */
  state: string;
  retries: number;
  worker: string;
  errorMessage: string;
  errorCode: string;
  processInstanceKey: string;
  elementInstanceKey: string;
  elementId: string;
  bpmnProcessId: string;
  processDefinitionKey: string;
  processDefinitionVersion: number;
  deadline: Date | null;
  /** JSON-encoded object. */
  customHeaders: string;
  tenantId: string;
  creationTime: Date;
  lastUpdate: Date;
}

export interface MessageDocument {
  _id: string;
  key: string;
  name: string;
  correlationKey: string;
  messageId: string;
  timeToLive: number;
  publishDate: Date;
  /** When the message stops being available for correlation. */
  expiresAt: Date;
  tenantId: string;
}

export interface DecisionEvaluationDocument {
  _id: string;
  key: string;
  state: 'EVALUATED' | 'FAILED';
  decisionId: string;
  decisionKey: string;
  decisionName: string;
  decisionVersion: number;
  /** JSON-encoded output. */
  decisionOutput: string;
  failureMessage: string;
  processInstanceKey: string | null;
  elementInstanceKey: string | null;
  elementId: string;
  bpmnProcessId: string;
  evaluationDate: Date;
  tenantId: string;
}

export interface ProcessDefinitionDocument {
  /** The process definition key. */
  _id: string;
  key: string;
  bpmnProcessId: string;
  /** The process element's name attribute ('' when it has none). */
  name: string;
  version: number;
  resourceName: string;
  /** The whole BPMN XML of the resource the process came from. */
  resource: string;
  deploymentKey: string | null;
  tenantId: string;
  deployedAt: Date;
}
