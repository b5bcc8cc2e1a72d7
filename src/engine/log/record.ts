/**
 * The engine's log record: one entry of the append-only log of commands and events.
 * Shaped after Zeebe's documented record model (docs.camunda.io, "exporters" and
 * "Zeebe record types"): value types, intents and value fields keep Zeebe's names, so
 * that history, monitoring and anyone who knows Zeebe's exporters can read them.
 *
 * State is changed only by applying EVENT records; replaying the events after the
 * last snapshot rebuilds exactly the same state. COMMAND records are kept for audit
 * and for commands that were written but not yet processed.
 */

export type RecordType = 'COMMAND' | 'EVENT' | 'COMMAND_REJECTION';

export type ValueType =
  | 'DEPLOYMENT'
  | 'PROCESS'
  | 'DECISION'
  | 'DECISION_REQUIREMENTS'
  | 'FORM'
  | 'RESOURCE_DELETION'
  | 'PROCESS_INSTANCE'
  | 'PROCESS_INSTANCE_CREATION'
  | 'PROCESS_INSTANCE_MODIFICATION'
  | 'PROCESS_INSTANCE_MIGRATION'
  | 'PROCESS_INSTANCE_RESULT'
  | 'VARIABLE'
  | 'VARIABLE_DOCUMENT'
  | 'JOB'
  | 'JOB_BATCH'
  | 'INCIDENT'
  | 'MESSAGE'
  | 'MESSAGE_SUBSCRIPTION'
  | 'PROCESS_MESSAGE_SUBSCRIPTION'
  | 'MESSAGE_START_EVENT_SUBSCRIPTION'
  | 'TIMER'
  | 'SIGNAL'
  | 'SIGNAL_SUBSCRIPTION'
  | 'ERROR'
  | 'ESCALATION'
  | 'DECISION_EVALUATION'
  | 'PROCESS_EVENT'
  | 'COMPENSATION_SUBSCRIPTION'
  /** Work a command postponed to a later command (its step budget was used up). */
  | 'PROCESS_INSTANCE_BATCH';

export interface LogRecord<V = Record<string, unknown>> {
  /** Position in the log: strictly increasing, gap-free within a partition. */
  position: number;
  /** Position of the command this record was produced by (-1 for none). */
  sourceRecordPosition: number;
  partitionId: number;
  recordType: RecordType;
  valueType: ValueType;
  /** Zeebe intent name, e.g. ELEMENT_ACTIVATED, CREATED, COMPLETED. */
  intent: string;
  /** Key of the entity the record is about (element instance key, job key, ...); -1 for none. */
  key: number;
  /** Epoch ms at which the processor produced the record. */
  timestamp: number;
  /** For COMMAND_REJECTION: Zeebe's rejection type and reason. */
  rejectionType?:
    | 'INVALID_ARGUMENT'
    | 'NOT_FOUND'
    | 'ALREADY_EXISTS'
    | 'INVALID_STATE'
    | 'PROCESSING_ERROR'
    | 'EXCEEDED_BATCH_RECORD_SIZE'
    | 'UNAUTHORIZED';
  rejectionReason?: string;
  value: V;
}
