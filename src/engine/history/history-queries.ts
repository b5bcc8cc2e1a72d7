/**
 * Read side of the engine's history, for the product's monitoring views: process
 * instances, their element instances, variables, incidents and jobs. Reads only the
 * history collections (written by the history exporter, so slightly behind the engine):
 * the finished entities and the active ones (see history-collections.ts).
 * Every query takes the caller's tenants and never returns another tenant's data: an
 * empty list of tenants finds nothing.
 */
import type mongoose from 'mongoose';
import {
  ACTIVE_HISTORY_COLLECTIONS,
  HISTORY_COLLECTIONS,
  type HistoryKind,
  type ElementInstanceDocument,
  type IncidentDocument,
  type InstanceState,
  type JobDocument,
  type ProcessInstanceDocument,
  type VariableDocument,
} from './history-collections';

export interface TenantScope {
  /** The tenants the caller may see. */
  tenantIds: string[];
}

export interface Paging {
  /** Default 50, at most 1000. */
  limit?: number;
  offset?: number;
}

export interface PageOf<T> {
  items: T[];
  /** Matches in all; for a moment after a crash an entity may be counted twice. */
  total: number;
}

export interface ProcessInstanceSummary {
  key: string;
  bpmnProcessId: string;
  version: number;
  processDefinitionKey: string;
  tenantId: string;
  state: InstanceState;
  hasIncident: boolean;
  incidentCount: number;
  startDate: Date;
  endDate: Date | null;
  parentProcessInstanceKey: string | null;
  parentElementInstanceKey: string | null;
}

export type ElementInstanceView = Omit<ElementInstanceDocument, '_id'>;
export type VariableView = Omit<VariableDocument, '_id'>;
export type IncidentView = Omit<IncidentDocument, '_id'>;
export interface JobView extends Omit<JobDocument, '_id' | 'customHeaders'> {
  customHeaders: Record<string, string>;
}

export interface ProcessInstanceDetails {
  instance: ProcessInstanceSummary;
  /** In start order. */
  elementInstances: ElementInstanceView[];
  /** Every scope's variables, by scope then name. */
  variables: VariableView[];
  incidents: IncidentView[];
  jobs: JobView[];
}

export interface ProcessInstanceSearch extends TenantScope, Paging {
  bpmnProcessId?: string;
  processDefinitionKey?: string;
  state?: InstanceState | InstanceState[];
  hasIncident?: boolean;
  /** Started at or after. */
  startedAfter?: Date;
  /** Started before. */
  startedBefore?: Date;
  parentProcessInstanceKey?: string;
}

export interface IncidentSearch extends TenantScope, Paging {
  state?: 'ACTIVE' | 'RESOLVED';
  processInstanceKey?: string;
  bpmnProcessId?: string;
  errorType?: string;
}

export interface JobSearch extends TenantScope, Paging {
  /** The last job event's intent, e.g. CREATED, ACTIVATED, COMPLETED, FAILED. */
  state?: string | string[];
  type?: string;
  processInstanceKey?: string;
  worker?: string;
}

type Filter = Record<string, unknown>;
type Doc = { _id: string };

const MAX_LIMIT = 1000;

function collection<T extends Doc>(connection: mongoose.Connection, name: string) {
  const db = connection.db;
  if (!db) throw new Error('History queries need an open connection');
  return db.collection<T>(name);
}

/** The finished and the active collection of a kind (messages and decisions have no active one). */
function collectionsOf<T extends Doc>(connection: mongoose.Connection, kind: HistoryKind) {
  const names: string[] = [HISTORY_COLLECTIONS[kind]];
  if (kind in ACTIVE_HISTORY_COLLECTIONS) {
    names.push(ACTIVE_HISTORY_COLLECTIONS[kind as keyof typeof ACTIVE_HISTORY_COLLECTIONS]);
  }
  return names.map((name) => collection<T>(connection, name));
}

function tenantFilter(scope: TenantScope): Filter {
  return { tenantId: { $in: scope.tenantIds } };
}

function oneOrMany<T>(v: T | T[]): Filter {
  return Array.isArray(v) ? { $in: v } : { $eq: v };
}

/** Drops undefined criteria (the driver would otherwise match them as null). */
function compact(filter: Filter): Filter {
  return Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined));
}

/** Keeps one document per _id; the finished copy (listed first) wins. */
function dedupe<T extends Doc>(lists: T[][]): T[] {
  const byId = new Map<string, T>();
  for (const list of lists) for (const d of list) if (!byId.has(d._id)) byId.set(d._id, d);
  return [...byId.values()];
}

async function findAll<T extends Doc>(
  connection: mongoose.Connection,
  kind: HistoryKind,
  filter: Filter,
): Promise<T[]> {
  const lists = await Promise.all(
    collectionsOf<T>(connection, kind).map(
      (c) => c.find(filter as mongoose.mongo.Filter<T>).toArray() as Promise<T[]>,
    ),
  );
  return dedupe(lists);
}

async function findOneById<T extends Doc>(
  connection: mongoose.Connection,
  kind: HistoryKind,
  id: string,
): Promise<T | undefined> {
  for (const c of collectionsOf<T>(connection, kind)) {
    const doc = await c.findOne({ _id: id } as mongoose.mongo.Filter<T>);
    if (doc) return doc as T;
  }
  return undefined;
}

async function page<T extends Doc>(
  connection: mongoose.Connection,
  kind: HistoryKind,
  filter: Filter,
  sort: Record<string, 1 | -1>,
  compare: (a: T, b: T) => number,
  paging: Paging,
): Promise<PageOf<T>> {
  const limit = Math.min(Math.max(paging.limit ?? 50, 1), MAX_LIMIT);
  const offset = Math.max(paging.offset ?? 0, 0);
  const colls = collectionsOf<T>(connection, kind);
  const f = filter as mongoose.mongo.Filter<T>;
  const [lists, counts] = await Promise.all([
    Promise.all(
      colls.map(
        (c) =>
          c
            .find(f)
            .sort(sort)
            .limit(offset + limit)
            .toArray() as Promise<T[]>,
      ),
    ),
    Promise.all(colls.map((c) => c.countDocuments(f))),
  ]);
  const merged = dedupe(lists).sort(compare);
  return { items: merged.slice(offset, offset + limit), total: counts.reduce((a, b) => a + b, 0) };
}

const newestFirst =
  <T extends Doc>(field: keyof T) =>
  (a: T, b: T) =>
    (b[field] as Date).getTime() - (a[field] as Date).getTime() || (a._id < b._id ? 1 : -1);

function withoutId<T extends Doc>(doc: T): Omit<T, '_id'> {
  const { _id, ...rest } = doc;
  void _id;
  return rest;
}

function summary(doc: ProcessInstanceDocument): ProcessInstanceSummary {
  const incidentCount = doc.incidentKeys?.length ?? 0;
  return {
    key: doc.key,
    bpmnProcessId: doc.bpmnProcessId,
    version: doc.version,
    processDefinitionKey: doc.processDefinitionKey,
    tenantId: doc.tenantId,
    state: doc.state,
    hasIncident: incidentCount > 0,
    incidentCount,
    startDate: doc.startDate,
    endDate: doc.endDate ?? null,
    parentProcessInstanceKey: doc.parentProcessInstanceKey ?? null,
    parentElementInstanceKey: doc.parentElementInstanceKey ?? null,
  };
}

function jobView(doc: JobDocument): JobView {
  const { customHeaders, ...rest } = withoutId(doc);
  return { ...rest, customHeaders: customHeaders ? JSON.parse(customHeaders) : {} };
}

const byKey = (a: { key: string }, b: { key: string }) => Number(a.key) - Number(b.key);

/** Process instances, newest first. */
export async function searchProcessInstances(
  connection: mongoose.Connection,
  query: ProcessInstanceSearch,
): Promise<PageOf<ProcessInstanceSummary>> {
  if (query.tenantIds.length === 0) return { items: [], total: 0 };
  const startDate: Filter = {};
  if (query.startedAfter) startDate.$gte = query.startedAfter;
  if (query.startedBefore) startDate.$lt = query.startedBefore;
  const filter = compact({
    ...tenantFilter(query),
    bpmnProcessId: query.bpmnProcessId,
    processDefinitionKey: query.processDefinitionKey,
    parentProcessInstanceKey: query.parentProcessInstanceKey,
    state: query.state === undefined ? undefined : oneOrMany(query.state),
    startDate: Object.keys(startDate).length ? startDate : undefined,
    'incidentKeys.0': query.hasIncident === undefined ? undefined : { $exists: query.hasIncident },
  });
  const result = await page<ProcessInstanceDocument>(
    connection,
    'processInstances',
    filter,
    { startDate: -1, _id: -1 },
    newestFirst('startDate'),
    query,
  );
  return { items: result.items.map(summary), total: result.total };
}

/** One process instance with everything recorded about it, or undefined (also for other tenants). */
export async function getProcessInstance(
  connection: mongoose.Connection,
  processInstanceKey: string,
  scope: TenantScope,
): Promise<ProcessInstanceDetails | undefined> {
  const doc = await findOneById<ProcessInstanceDocument>(
    connection,
    'processInstances',
    processInstanceKey,
  );
  if (!doc || !scope.tenantIds.includes(doc.tenantId)) return undefined;
  const byInstance = { processInstanceKey };
  const [elements, variables, incidents, jobs] = await Promise.all([
    findAll<ElementInstanceDocument>(connection, 'elementInstances', byInstance),
    findAll<VariableDocument>(connection, 'variables', byInstance),
    findAll<IncidentDocument>(connection, 'incidents', byInstance),
    findAll<JobDocument>(connection, 'jobs', byInstance),
  ]);
  return {
    instance: summary(doc),
    elementInstances: elements
      .sort((a, b) => a.startDate.getTime() - b.startDate.getTime() || byKey(a, b))
      .map(withoutId),
    variables: variables
      .sort((a, b) => Number(a.scopeKey) - Number(b.scopeKey) || a.name.localeCompare(b.name))
      .map(withoutId),
    incidents: incidents.sort(byKey).map(withoutId),
    jobs: jobs.sort(byKey).map(jobView),
  };
}

/** Incidents, newest first. */
export async function searchIncidents(
  connection: mongoose.Connection,
  query: IncidentSearch,
): Promise<PageOf<IncidentView>> {
  if (query.tenantIds.length === 0) return { items: [], total: 0 };
  const filter = compact({
    ...tenantFilter(query),
    state: query.state,
    processInstanceKey: query.processInstanceKey,
    bpmnProcessId: query.bpmnProcessId,
    errorType: query.errorType,
  });
  const result = await page<IncidentDocument>(
    connection,
    'incidents',
    filter,
    { creationTime: -1, _id: -1 },
    newestFirst('creationTime'),
    query,
  );
  return { items: result.items.map(withoutId), total: result.total };
}

/** Jobs, most recently changed first. */
export async function searchJobs(
  connection: mongoose.Connection,
  query: JobSearch,
): Promise<PageOf<JobView>> {
  if (query.tenantIds.length === 0) return { items: [], total: 0 };
  const filter = compact({
    ...tenantFilter(query),
    state: query.state === undefined ? undefined : oneOrMany(query.state),
    type: query.type,
    processInstanceKey: query.processInstanceKey,
    worker: query.worker,
  });
  const result = await page<JobDocument>(
    connection,
    'jobs',
    filter,
    { lastUpdate: -1, _id: -1 },
    newestFirst('lastUpdate'),
    query,
  );
  return { items: result.items.map(jobView), total: result.total };
}
