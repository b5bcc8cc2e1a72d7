/**
 * The history exporter: turns EVENT records into the history collections that the
 * monitoring views and the inbox query (src/engine/history), as Zeebe's Elasticsearch
 * exporter feeds Operate. Every write is an idempotent upsert keyed by the entity key.
 */
import type mongoose from 'mongoose';
import { HISTORY_COLLECTIONS } from '../history/history-collections';
import type { LogRecord } from '../log/record';
import { DocumentUpdates } from './document-updates';
import type { Exporter } from './exporter';

export const HISTORY_EXPORTER_ID = 'history';

type Value = Record<string, unknown>;
type CollectionName = keyof typeof HISTORY_COLLECTIONS;

/** Zeebe keys as decimal strings; -1 / 0 / missing mean "none". */
function keyOf(key: unknown): string | null {
  if (typeof key === 'number') return key > 0 ? String(key) : null;
  if (typeof key === 'string' && key !== '' && key !== '-1' && key !== '0') return key;
  return null;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' ? v : undefined;
}

function dateOf(ms: unknown): Date | null | undefined {
  if (typeof ms !== 'number') return undefined;
  return ms > 0 ? new Date(ms) : null;
}

const ELEMENT_STATE: Record<string, 'ACTIVE' | 'COMPLETED' | 'TERMINATED'> = {
  ELEMENT_ACTIVATING: 'ACTIVE',
  ELEMENT_ACTIVATED: 'ACTIVE',
  ELEMENT_COMPLETING: 'ACTIVE',
  ELEMENT_TERMINATING: 'ACTIVE',
  ELEMENT_COMPLETED: 'COMPLETED',
  ELEMENT_TERMINATED: 'TERMINATED',
};

/** Job intents that change a job's state (the others update fields only). */
const JOB_STATE_INTENTS = new Set([
  'CREATED',
  'ACTIVATED',
  'COMPLETED',
  'FAILED',
  'TIMED_OUT',
  'ERROR_THROWN',
  'CANCELED',
  'MIGRATED',
]);

/** Accumulates one export batch's writes, one DocumentUpdates per collection. */
class HistoryBatch {
  readonly updates = new Map<CollectionName, DocumentUpdates>();

  of(name: CollectionName): DocumentUpdates {
    let u = this.updates.get(name);
    if (!u) {
      u = new DocumentUpdates();
      this.updates.set(name, u);
    }
    return u;
  }

  add(record: LogRecord): void {
    const v = record.value as Value;
    switch (record.valueType) {
      case 'PROCESS_INSTANCE':
        return this.processInstance(record, v);
      case 'VARIABLE':
        return this.variable(record, v);
      case 'INCIDENT':
        return this.incident(record, v);
      case 'JOB':
        return this.job(keyOf(record.key), record.intent, v, record.timestamp);
      case 'JOB_BATCH':
        return this.jobBatch(record, v);
      case 'MESSAGE':
        return this.message(record, v);
      case 'DECISION_EVALUATION':
        return this.decisionEvaluation(record, v);
      default:
        return;
    }
  }

  private processInstance(record: LogRecord, v: Value): void {
    const state = ELEMENT_STATE[record.intent];
    const key = keyOf(record.key);
    if (!state || !key) return;
    const ended = state === 'ACTIVE' ? undefined : new Date(record.timestamp);
    if (v.bpmnElementType === 'PROCESS') {
      const u = this.of('processInstances');
      u.set(key, {
        key,
        bpmnProcessId: str(v.bpmnProcessId),
        version: num(v.version),
        processDefinitionKey: keyOf(v.processDefinitionKey) ?? undefined,
        tenantId: str(v.tenantId),
        parentProcessInstanceKey: keyOf(v.parentProcessInstanceKey),
        parentElementInstanceKey: keyOf(v.parentElementInstanceKey),
        state,
        endDate: ended,
      });
      u.min(key, 'startDate', new Date(record.timestamp));
      return;
    }
    const u = this.of('elementInstances');
    u.set(key, {
      key,
      processInstanceKey: keyOf(v.processInstanceKey) ?? undefined,
      processDefinitionKey: keyOf(v.processDefinitionKey) ?? undefined,
      bpmnProcessId: str(v.bpmnProcessId),
      elementId: str(v.elementId),
      bpmnElementType: str(v.bpmnElementType),
      bpmnEventType: str(v.bpmnEventType),
      flowScopeKey: keyOf(v.flowScopeKey),
      tenantId: str(v.tenantId),
      state,
      endDate: ended,
    });
    u.min(key, 'startDate', new Date(record.timestamp));
  }

  private variable(record: LogRecord, v: Value): void {
    if (record.intent !== 'CREATED' && record.intent !== 'UPDATED') return;
    const scopeKey = keyOf(v.scopeKey);
    const name = str(v.name);
    if (!scopeKey || name === undefined) return;
    this.of('variables').set(`${scopeKey}:${name}`, {
      name,
      value: str(v.value),
      scopeKey,
      processInstanceKey: keyOf(v.processInstanceKey),
      processDefinitionKey: keyOf(v.processDefinitionKey),
      bpmnProcessId: str(v.bpmnProcessId),
      tenantId: str(v.tenantId),
      updatedAt: new Date(record.timestamp),
    });
  }

  private incident(record: LogRecord, v: Value): void {
    const key = keyOf(record.key);
    if (!key) return;
    const processInstanceKey = keyOf(v.processInstanceKey);
    const elementInstanceKey = keyOf(v.elementInstanceKey);
    const at = new Date(record.timestamp);
    if (record.intent === 'CREATED') {
      this.of('incidents').set(key, {
        key,
        errorType: str(v.errorType),
        errorMessage: str(v.errorMessage),
        state: 'ACTIVE',
        bpmnProcessId: str(v.bpmnProcessId),
        processDefinitionKey: keyOf(v.processDefinitionKey),
        processInstanceKey,
        elementInstanceKey,
        elementId: str(v.elementId),
        jobKey: keyOf(v.jobKey),
        variableScopeKey: keyOf(v.variableScopeKey),
        tenantId: str(v.tenantId),
        creationTime: at,
        resolvedTime: null,
      });
      if (processInstanceKey)
        this.of('processInstances').addToSet(processInstanceKey, 'incidentKeys', key);
      if (elementInstanceKey)
        this.of('elementInstances').set(elementInstanceKey, { incidentKey: key });
    } else if (record.intent === 'RESOLVED') {
      this.of('incidents').set(key, { state: 'RESOLVED', resolvedTime: at });
      if (processInstanceKey)
        this.of('processInstances').pull(processInstanceKey, 'incidentKeys', key);
      if (elementInstanceKey)
        this.of('elementInstances').set(elementInstanceKey, { incidentKey: null });
    }
  }

  private job(key: string | null, intent: string, v: Value, timestamp: number): void {
    if (!key) return;
    const u = this.of('jobs');
    u.set(key, {
      key,
      type: str(v.type),
      state: JOB_STATE_INTENTS.has(intent) ? intent : undefined,
      retries: num(v.retries),
      worker: str(v.worker),
      errorMessage: str(v.errorMessage),
      errorCode: str(v.errorCode),
      processInstanceKey: keyOf(v.processInstanceKey) ?? undefined,
      elementInstanceKey: keyOf(v.elementInstanceKey) ?? undefined,
      elementId: str(v.elementId),
      bpmnProcessId: str(v.bpmnProcessId),
      processDefinitionKey: keyOf(v.processDefinitionKey) ?? undefined,
      processDefinitionVersion: num(v.processDefinitionVersion),
      deadline: dateOf(v.deadline),
      customHeaders:
        v.customHeaders && typeof v.customHeaders === 'object'
          ? JSON.stringify(v.customHeaders)
          : undefined,
      tenantId: str(v.tenantId),
      lastUpdate: new Date(timestamp),
    });
    if (intent === 'CREATED') u.min(key, 'creationTime', new Date(timestamp));
  }

  /** Zeebe records job activation as one JOB_BATCH ACTIVATED event for many jobs. */
  private jobBatch(record: LogRecord, v: Value): void {
    if (record.intent !== 'ACTIVATED') return;
    const keys = Array.isArray(v.jobKeys) ? v.jobKeys : [];
    const jobs = Array.isArray(v.jobs) ? (v.jobs as Value[]) : [];
    keys.forEach((k, i) => this.job(keyOf(k), 'ACTIVATED', jobs[i] ?? {}, record.timestamp));
  }

  private message(record: LogRecord, v: Value): void {
    const key = keyOf(record.key);
    if (!key) return;
    if (record.intent === 'PUBLISHED') {
      this.of('messages').set(key, {
        key,
        name: str(v.name),
        correlationKey: str(v.correlationKey),
        messageId: str(v.messageId),
        timeToLive: num(v.timeToLive),
        state: 'PUBLISHED',
        publishDate: new Date(record.timestamp),
        tenantId: str(v.tenantId),
      });
    } else if (record.intent === 'EXPIRED') {
      this.of('messages').set(key, { state: 'EXPIRED' });
    }
  }

  private decisionEvaluation(record: LogRecord, v: Value): void {
    const key = keyOf(record.key);
    if (!key || (record.intent !== 'EVALUATED' && record.intent !== 'FAILED')) return;
    this.of('decisionEvaluations').set(key, {
      key,
      state: record.intent,
      decisionId: str(v.decisionId),
      decisionKey: keyOf(v.decisionKey),
      decisionName: str(v.decisionName),
      decisionVersion: num(v.decisionVersion),
      decisionOutput: str(v.decisionOutput),
      failureMessage: str(v.evaluationFailureMessage),
      processInstanceKey: keyOf(v.processInstanceKey),
      elementInstanceKey: keyOf(v.elementInstanceKey),
      elementId: str(v.elementId),
      bpmnProcessId: str(v.bpmnProcessId),
      evaluationDate: new Date(record.timestamp),
      tenantId: str(v.tenantId),
    });
  }
}

export function createHistoryExporter(connection: mongoose.Connection): Exporter {
  const collection = (name: CollectionName) => {
    const db = connection.db;
    if (!db) throw new Error('The history exporter needs an open connection');
    return db.collection<{ _id: string }>(HISTORY_COLLECTIONS[name]);
  };
  return {
    id: HISTORY_EXPORTER_ID,
    async open() {
      // Useful on MongoDB; FerretDB v1 accepts them (it scans either way).
      await collection('processInstances').createIndex({ tenantId: 1, startDate: -1 });
      await collection('elementInstances').createIndex({ processInstanceKey: 1 });
      await collection('variables').createIndex({ processInstanceKey: 1 });
      await collection('incidents').createIndex({ tenantId: 1, state: 1 });
      await collection('jobs').createIndex({ tenantId: 1, state: 1 });
    },
    async export(records) {
      const batch = new HistoryBatch();
      for (const record of records) {
        if (record.recordType === 'EVENT') batch.add(record);
      }
      // One collection after the other: concurrent upserts on FerretDB's SQLite backend
      // can stall each other and the log's inserts.
      for (const [name, updates] of batch.updates) {
        if (updates.size) await collection(name).bulkWrite(updates.toBulkOps(), { ordered: true });
      }
    },
  };
}
