/**
 * Hand-made log records (data, in Zeebe's record model) for the exporter tests: one
 * process instance of tenant 039 that meets a job failure, an incident and its
 * resolution, then completes; and one instance of tenant 100 that is cancelled.
 */
import type { LogRecord, RecordType, ValueType } from '../../../src/engine/log/record';

type NewRecord = Omit<LogRecord, 'position'>;

export const T0 = Date.UTC(2026, 10, 2, 9, 0, 0);
const K = 2251799813685248;
export const KEYS = {
  definition: K + 1,
  instance: K + 10,
  startEvent: K + 11,
  task: K + 12,
  job: K + 13,
  incident: K + 14,
  endEvent: K + 15,
  message: K + 16,
  otherInstance: K + 30,
  otherDefinition: K + 31,
};

let clock = 0;
function rec(
  recordType: RecordType,
  valueType: ValueType,
  intent: string,
  key: number,
  value: Record<string, unknown>,
): NewRecord {
  return {
    sourceRecordPosition: -1,
    partitionId: 1,
    recordType,
    valueType,
    intent,
    key,
    timestamp: T0 + clock++ * 1000,
    value,
  };
}

const base039 = {
  bpmnProcessId: 'sua-affidamento',
  version: 2,
  processDefinitionKey: KEYS.definition,
  processInstanceKey: KEYS.instance,
  tenantId: '039',
};

function element(
  intent: string,
  key: number,
  elementId: string,
  type: string,
  flowScopeKey: number,
) {
  return rec('EVENT', 'PROCESS_INSTANCE', intent, key, {
    ...base039,
    elementId,
    bpmnElementType: type,
    bpmnEventType: type.endsWith('EVENT') ? 'NONE' : 'UNSPECIFIED',
    flowScopeKey,
    parentProcessInstanceKey: -1,
    parentElementInstanceKey: -1,
  });
}

const lifecycle = (intents: string[], key: number, id: string, type: string, scope: number) =>
  intents.map((i) => element(i, key, id, type, scope));

const jobValue = {
  ...base039,
  type: 'check-documents',
  worker: '',
  retries: 3,
  deadline: -1,
  errorMessage: '',
  customHeaders: { 'io.camunda.zeebe:formKey': 'verifica', priority: 'high' },
  elementId: 'check',
  elementInstanceKey: KEYS.task,
  processDefinitionVersion: 2,
};

/** Records up to and including the incident's creation. */
export function untilIncident(): NewRecord[] {
  clock = 0;
  const { instance, startEvent, task, job, incident } = KEYS;
  return [
    rec('COMMAND', 'PROCESS_INSTANCE_CREATION', 'CREATE', -1, { bpmnProcessId: 'sua-affidamento' }),
    ...lifecycle(
      ['ELEMENT_ACTIVATING', 'ELEMENT_ACTIVATED'],
      instance,
      'sua-affidamento',
      'PROCESS',
      -1,
    ),
    rec('EVENT', 'VARIABLE', 'CREATED', K + 20, {
      ...base039,
      name: 'amount',
      value: '100',
      scopeKey: instance,
    }),
    ...lifecycle(
      ['ELEMENT_ACTIVATING', 'ELEMENT_ACTIVATED', 'ELEMENT_COMPLETING', 'ELEMENT_COMPLETED'],
      startEvent,
      'start',
      'START_EVENT',
      instance,
    ),
    ...lifecycle(
      ['ELEMENT_ACTIVATING', 'ELEMENT_ACTIVATED'],
      task,
      'check',
      'SERVICE_TASK',
      instance,
    ),
    rec('EVENT', 'JOB', 'CREATED', job, jobValue),
    rec('COMMAND', 'JOB_BATCH', 'ACTIVATE', -1, { type: 'check-documents' }),
    rec('EVENT', 'JOB_BATCH', 'ACTIVATED', K + 21, {
      type: 'check-documents',
      worker: 'w1',
      jobKeys: [job],
      jobs: [{ ...jobValue, worker: 'w1', deadline: T0 + 60_000 }],
    }),
    rec('EVENT', 'JOB', 'FAILED', job, {
      ...jobValue,
      worker: 'w1',
      retries: 0,
      errorMessage: 'PEC unreachable',
    }),
    rec('EVENT', 'INCIDENT', 'CREATED', incident, {
      ...base039,
      errorType: 'JOB_NO_RETRIES',
      errorMessage: 'PEC unreachable',
      elementId: 'check',
      elementInstanceKey: task,
      jobKey: job,
      variableScopeKey: task,
    }),
  ];
}

/** The rest: resolution, completion, a message, and tenant 100's cancelled instance. */
export function afterIncident(): NewRecord[] {
  const { instance, task, job, incident, endEvent, message, otherInstance } = KEYS;
  return [
    rec('EVENT', 'JOB', 'RETRIES_UPDATED', job, { ...jobValue, worker: 'w1', retries: 2 }),
    rec('EVENT', 'INCIDENT', 'RESOLVED', incident, {
      ...base039,
      errorType: 'JOB_NO_RETRIES',
      elementInstanceKey: task,
      jobKey: job,
    }),
    rec('EVENT', 'JOB_BATCH', 'ACTIVATED', K + 22, {
      jobKeys: [job],
      jobs: [{ ...jobValue, worker: 'w2', retries: 2, deadline: T0 + 90_000 }],
    }),
    rec('EVENT', 'JOB', 'COMPLETED', job, {
      ...jobValue,
      worker: 'w2',
      retries: 2,
      deadline: T0 + 90_000,
    }),
    rec('EVENT', 'VARIABLE', 'UPDATED', K + 20, {
      ...base039,
      name: 'amount',
      value: '250',
      scopeKey: instance,
    }),
    ...lifecycle(
      ['ELEMENT_COMPLETING', 'ELEMENT_COMPLETED'],
      task,
      'check',
      'SERVICE_TASK',
      instance,
    ),
    ...lifecycle(
      ['ELEMENT_ACTIVATING', 'ELEMENT_ACTIVATED', 'ELEMENT_COMPLETING', 'ELEMENT_COMPLETED'],
      endEvent,
      'end',
      'END_EVENT',
      instance,
    ),
    ...lifecycle(
      ['ELEMENT_COMPLETING', 'ELEMENT_COMPLETED'],
      instance,
      'sua-affidamento',
      'PROCESS',
      -1,
    ),
    rec('EVENT', 'MESSAGE', 'PUBLISHED', message, {
      name: 'esito',
      correlationKey: 'CIG-1',
      messageId: '',
      timeToLive: 3600_000,
      tenantId: '039',
      variables: { ok: true },
    }),
    ...['ELEMENT_ACTIVATING', 'ELEMENT_ACTIVATED', 'ELEMENT_TERMINATING', 'ELEMENT_TERMINATED'].map(
      (intent) =>
        rec('EVENT', 'PROCESS_INSTANCE', intent, otherInstance, {
          bpmnProcessId: 'dati-richiesta',
          version: 1,
          processDefinitionKey: KEYS.otherDefinition,
          processInstanceKey: otherInstance,
          elementId: 'dati-richiesta',
          bpmnElementType: 'PROCESS',
          flowScopeKey: -1,
          parentProcessInstanceKey: -1,
          parentElementInstanceKey: -1,
          tenantId: '100',
        }),
    ),
  ];
}
