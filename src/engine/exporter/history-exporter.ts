/**
 * The history exporter: turns EVENT records into the history collections that the
 * monitoring views and the inbox query (src/engine/history), as Zeebe's Elasticsearch
 * exporter feeds Operate. Every write is an idempotent upsert keyed by the entity key.
 */
import type mongoose from 'mongoose';
import {
  ACTIVE_HISTORY_COLLECTIONS,
  HISTORY_COLLECTIONS,
  type HistoryKind,
} from '../history/history-collections';
import { historyQueryIndexOf } from '../history/query-index';
import type { LogRecord } from '../log/record';
import { DocumentUpdates, type BulkOp } from './document-updates';
import type { Exporter } from './exporter';

export const HISTORY_EXPORTER_ID = 'history';

type Value = Record<string, unknown>;
type CollectionName = HistoryKind;
type Doc = Record<string, unknown> & { _id: string };

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
  // Migration moves an active element to another definition: same key, new definition fields.
  ELEMENT_MIGRATED: 'ACTIVE',
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

/** Jobs in these states will not change any more. */
const FINAL_JOB_INTENTS = new Set(['COMPLETED', 'CANCELED']);

/** Accumulates one export batch's writes, one DocumentUpdates per collection. */
class HistoryBatch {
  readonly updates = new Map<CollectionName, DocumentUpdates>();
  /** Process instances that ended in this batch: their variables move too. */
  readonly endedInstances = new Set<string>();

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
      case 'PROCESS':
        return this.processDefinition(record, v);
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
      if (ended) {
        u.finish(key);
        this.endedInstances.add(key);
      }
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
      // A migration record does not know the element's event type: keep the stored one.
      bpmnEventType: record.intent === 'ELEMENT_MIGRATED' ? undefined : str(v.bpmnEventType),
      flowScopeKey: keyOf(v.flowScopeKey),
      tenantId: str(v.tenantId),
      state,
      endDate: ended,
    });
    u.min(key, 'startDate', new Date(record.timestamp));
    if (ended) u.finish(key);
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
      this.of('incidents').finish(key);
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
    if (FINAL_JOB_INTENTS.has(intent)) u.finish(key);
  }

  /** Zeebe records job activation as one JOB_BATCH ACTIVATED event for many jobs. */
  private jobBatch(record: LogRecord, v: Value): void {
    if (record.intent !== 'ACTIVATED') return;
    const keys = Array.isArray(v.jobKeys) ? v.jobKeys : [];
    const jobs = Array.isArray(v.jobs) ? (v.jobs as Value[]) : [];
    keys.forEach((k, i) => this.job(keyOf(k), 'ACTIVATED', jobs[i] ?? {}, record.timestamp));
  }

  /** Messages are written once, when published; expiry follows from expiresAt. */
  private message(record: LogRecord, v: Value): void {
    const key = keyOf(record.key);
    if (!key || record.intent !== 'PUBLISHED') return;
    const ttl = num(v.timeToLive) ?? 0;
    const u = this.of('messages');
    u.set(key, {
      key,
      name: str(v.name),
      correlationKey: str(v.correlationKey),
      messageId: str(v.messageId),
      timeToLive: ttl,
      publishDate: new Date(record.timestamp),
      expiresAt: new Date(record.timestamp + ttl),
      tenantId: str(v.tenantId),
    });
    u.finish(key);
  }

  /** Deployed definitions are written once (deleting a resource keeps its history). */
  private processDefinition(record: LogRecord, v: Value): void {
    const key = keyOf(record.key);
    if (!key || record.intent !== 'CREATED') return;
    const resource = str(v.resource) ?? '';
    const bpmnProcessId = str(v.bpmnProcessId) ?? '';
    this.of('processDefinitions').set(key, {
      key,
      bpmnProcessId,
      name: processNameIn(resource, bpmnProcessId),
      version: num(v.version),
      resourceName: str(v.resourceName),
      resource,
      deploymentKey: keyOf(v.deploymentKey),
      tenantId: str(v.tenantId),
      deployedAt: new Date(record.timestamp),
    });
    this.of('processDefinitions').finish(key);
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
    this.of('decisionEvaluations').finish(key);
  }
}

/**
 * The name attribute of the process element with the given id, read from the start tag
 * (the XML was parsed and checked at deploy; a full parse here would slow the exporter).
 */
export function processNameIn(xml: string, bpmnProcessId: string): string {
  const tags = xml.match(/<(?:[\w-]+:)?process\b[^>]*>/g) ?? [];
  for (const tag of tags) {
    const id = /\sid="([^"]*)"/.exec(tag)?.[1];
    if (id !== bpmnProcessId) continue;
    const name = /\sname="([^"]*)"/.exec(tag)?.[1] ?? '';
    return name
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
      .replace(/&amp;/g, '&');
  }
  return '';
}

/** Writes per call: small enough that the log's own inserts get their turn in between. */
const UPSERTS_PER_WRITE = 20;
const INSERTS_PER_WRITE = 200;
const DUPLICATE_KEY = 11000;

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Inserts finished documents; ones already there (a re-export) are left as they are. */
async function insertFinished(collection: mongoose.mongo.Collection<Doc>, docs: Doc[]) {
  try {
    await collection.insertMany(docs, { ordered: false });
  } catch (err) {
    const writeErrors = (err as { writeErrors?: { code: number }[] }).writeErrors;
    const errors = Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : [];
    if (!errors.length || errors.some((e) => e.code !== DUPLICATE_KEY)) throw err;
  }
}

async function findByIds(collection: mongoose.mongo.Collection<Doc>, ids: string[]) {
  const found = new Map<string, Doc>();
  if (!ids.length) return found;
  // _id equality is the one lookup FerretDB v1 does not answer by scanning.
  const docs =
    ids.length <= 20
      ? (await Promise.all(ids.map((id) => collection.findOne({ _id: id })))).filter(
          (d): d is Doc => d !== null,
        )
      : await collection.find({ _id: { $in: ids } }).toArray();
  for (const d of docs) found.set(d._id, d);
  return found;
}

export interface HistoryExporterOptions {
  /**
   * Called after each write with its duration; the exporter waits for the returned promise.
   * Lets the engine's log inserts go first on a database that serialises writes.
   */
  pace?: (writeMs: number) => Promise<void>;
}

export function createHistoryExporter(
  connection: mongoose.Connection,
  opts: HistoryExporterOptions = {},
): Exporter {
  const paced = async <T>(write: () => Promise<T>): Promise<T> => {
    const started = Date.now();
    const result = await write();
    await opts.pace?.(Date.now() - started);
    return result;
  };
  const collection = (name: string) => {
    const db = connection.db;
    if (!db) throw new Error('The history exporter needs an open connection');
    return db.collection<Doc>(name);
  };
  const finished = (kind: CollectionName) => collection(HISTORY_COLLECTIONS[kind]);
  const active = (kind: CollectionName) =>
    kind in ACTIVE_HISTORY_COLLECTIONS
      ? collection(ACTIVE_HISTORY_COLLECTIONS[kind as keyof typeof ACTIVE_HISTORY_COLLECTIONS])
      : undefined;

  /**
   * Active entities upserted; finished ones completed from their active copy and moved.
   * The REST API's in-memory query index of this process (if any) gets the same changes
   * once they are in the database.
   */
  const write = async (kind: CollectionName, updates: DocumentUpdates) => {
    const activeColl = active(kind);
    if (activeColl) {
      for (const part of chunks(updates.upsertsForUnfinished(), UPSERTS_PER_WRITE)) {
        await paced(() => activeColl.bulkWrite(part as BulkOp[], { ordered: true }));
      }
      historyQueryIndexOf(connection)?.applyUpserts(kind, updates);
    }
    const ids = updates.finishedIds();
    if (!ids.length) return;
    const stored = activeColl ? await findByIds(activeColl, ids) : new Map<string, Doc>();
    const docs = ids.map((id) => updates.applyTo(id, stored.get(id)));
    for (const part of chunks(docs, INSERTS_PER_WRITE)) {
      await paced(() => insertFinished(finished(kind), part));
    }
    historyQueryIndexOf(connection)?.applyFinished(kind, docs);
    if (activeColl && stored.size) {
      await paced(() => activeColl.deleteMany({ _id: { $in: [...stored.keys()] } }));
    }
  };

  /** Variables of ended instances are final too. */
  const finishVariablesOf = async (batch: HistoryBatch) => {
    if (!batch.endedInstances.size) return;
    const variables = batch.of('variables');
    const instances = [...batch.endedInstances];
    const stored = await active('variables')!
      .find({ processInstanceKey: { $in: instances } }, { projection: { _id: 1 } })
      .toArray();
    for (const doc of stored) variables.finish(doc._id);
    for (const id of variables.ids()) {
      const pik = variables.fieldsOf(id)?.processInstanceKey;
      if (typeof pik === 'string' && batch.endedInstances.has(pik)) variables.finish(id);
    }
  };

  return {
    id: HISTORY_EXPORTER_ID,
    async open() {
      // Useful on MongoDB; FerretDB v1 accepts them (it scans either way).
      await finished('processInstances').createIndex({ tenantId: 1, startDate: -1 });
      await finished('elementInstances').createIndex({ processInstanceKey: 1 });
      await finished('variables').createIndex({ processInstanceKey: 1 });
      await finished('incidents').createIndex({ processInstanceKey: 1 });
      await finished('jobs').createIndex({ processInstanceKey: 1 });
      await finished('processDefinitions').createIndex({ tenantId: 1, bpmnProcessId: 1 });
    },
    async export(records) {
      const batch = new HistoryBatch();
      for (const record of records) {
        if (record.recordType === 'EVENT') batch.add(record);
      }
      await finishVariablesOf(batch);
      // One collection after the other: concurrent writes on FerretDB's SQLite backend
      // queue up behind each other and behind the log's inserts.
      for (const [kind, updates] of batch.updates) {
        if (updates.size) await write(kind, updates);
      }
    },
  };
}
