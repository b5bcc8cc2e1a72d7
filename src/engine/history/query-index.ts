/**
 * The in-memory query index of the history collections: process definitions (without
 * their XML), process instances, element instances, incidents and the variables the
 * product filters by (comune, case number, dataset),
 * per tenant, so that the REST API's searches do not read the whole history.
 *
 * Why: FerretDB v1's SQLite backend pushes down only `_id` equality filters and `$natural`
 * sort; every other find, count or sort reads and decodes the whole collection, so with
 * 50,000 instances per province the instances list took minutes. No query shape or index
 * helps there. Written by hand because no maintained library fits an in-process index fed
 * by our own exporter; filters are evaluated with MongoDB's semantics (filter-match.ts),
 * so the answers are those of the database.
 *
 * Life cycle: loaded once when the REST API starts, the kinds side by side, each streamed
 * (active copy first, then the finished one, so an entity that moves meanwhile is seen);
 * the history exporter of the same process hands it every write it makes
 * (`historyQueryIndexOf(connection)`), buffered while loading and applied after it (the
 * exporter's changes may be applied again safely). Until it is ready, and for a kind
 * whose cap is exceeded (logged at warn, the kind is dropped), searches ask the database.
 *
 * Memory: the index holds the history documents themselves (short repeated strings
 * shared): about 0.5 KB per document, e.g. 338 MB for 110,000 process instances with
 * 320,000 element instances and 220,000 indexed variables (bench/monitoring.ts, README
 * "Monitoring and analytics reads"). Caps: HISTORY_INDEX_MAX_INSTANCES (process instances, also incidents and
 * indexed variables ×4) and HISTORY_INDEX_MAX_ELEMENT_INSTANCES.
 */
import type mongoose from 'mongoose';
import type { DocumentUpdates } from '../exporter/document-updates';
import { compileFilter, UnsupportedFilter } from './filter-match';
import {
  ACTIVE_HISTORY_COLLECTIONS,
  HISTORY_COLLECTIONS,
  type HistoryKind,
} from './history-collections';

export type IndexedDoc = Record<string, unknown> & { _id: string };

export const INDEXED_KINDS = [
  'processDefinitions',
  'processInstances',
  'incidents',
  'variables',
  'elementInstances',
] as const;
export type IndexedKind = (typeof INDEXED_KINDS)[number];

export const DEFAULT_MAX_INSTANCES = 200_000;
export const DEFAULT_MAX_ELEMENT_INSTANCES = 1_000_000;
/**
 * The process variables the product's monitoring and analytics filter and read by
 * (src/monitoring/instances.ts: comune, case number; src/analytics/sources.ts: dataset).
 */
export const DEFAULT_INDEXED_VARIABLES = ['comuneIstat', 'caseNumber', 'datasetId'];

export interface QueryIndexLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface QueryIndexOptions {
  maxInstances?: number;
  maxElementInstances?: number;
  /** Variables kept (any scope); searches on other variables ask the database. */
  variables?: string[];
  logger?: QueryIndexLogger;
}

/** Low-cardinality fields whose strings are shared between documents (saves memory). */
const SHARED_STRING_FIELDS = [
  'tenantId',
  'bpmnProcessId',
  'processDefinitionKey',
  'elementId',
  'bpmnElementType',
  'bpmnEventType',
  'state',
  'errorType',
  'name',
];

/** Sorted answers kept (a dashboard needs a few lists; each holds references only). */
const CACHED_ANSWERS = 32;

class KindIndex {
  readonly byId = new Map<string, IndexedDoc>();
  /** Bumped on every change: cached sorted answers of an older version are stale. */
  version = 0;
  readonly byTenant = new Map<string, Map<string, IndexedDoc>>();

  put(doc: IndexedDoc): void {
    this.version++;
    const old = this.byId.get(doc._id);
    const tenant = String(doc.tenantId ?? '');
    if (old && String(old.tenantId ?? '') !== tenant) {
      this.byTenant.get(String(old.tenantId ?? ''))?.delete(doc._id);
    }
    this.byId.set(doc._id, doc);
    let docs = this.byTenant.get(tenant);
    if (!docs) {
      docs = new Map();
      this.byTenant.set(tenant, docs);
    }
    docs.set(doc._id, doc);
  }

  get size(): number {
    return this.byId.size;
  }
}

/**
 * The tenants a filter is limited to (from its top-level `tenantId` conditions), or
 * undefined when it is not limited: only those tenants' documents are evaluated.
 */
function tenantsOf(filter: Record<string, unknown>): Set<string> | undefined {
  let tenants: Set<string> | undefined;
  const narrow = (allowed: string[]) => {
    tenants = new Set(tenants ? allowed.filter((t) => tenants!.has(t)) : allowed);
  };
  const visit = (f: Record<string, unknown>) => {
    for (const [key, value] of Object.entries(f)) {
      if (key === '$and' && Array.isArray(value)) {
        for (const part of value) visit(part as Record<string, unknown>);
      } else if (key === 'tenantId') {
        if (typeof value === 'string') narrow([value]);
        else if (value && typeof value === 'object' && !Array.isArray(value)) {
          const c = value as Record<string, unknown>;
          if (typeof c.$eq === 'string') narrow([c.$eq]);
          if (Array.isArray(c.$in) && c.$in.every((t) => typeof t === 'string')) {
            narrow(c.$in as string[]);
          }
        }
      }
    }
  };
  visit(filter);
  return tenants;
}

/** The variable names a filter is limited to (top-level `name` conditions), if any. */
function variableNamesOf(filter: Record<string, unknown>): Set<string> | undefined {
  let names: Set<string> | undefined;
  const visit = (f: Record<string, unknown>) => {
    for (const [key, value] of Object.entries(f)) {
      if (key === '$and' && Array.isArray(value)) {
        for (const part of value) visit(part as Record<string, unknown>);
      } else if (key === 'name') {
        let allowed: string[] | undefined;
        if (typeof value === 'string') allowed = [value];
        else if (value && typeof value === 'object' && !Array.isArray(value)) {
          const c = value as Record<string, unknown>;
          if (typeof c.$eq === 'string') allowed = [c.$eq];
          else if (Array.isArray(c.$in) && c.$in.every((n) => typeof n === 'string')) {
            allowed = c.$in as string[];
          }
        }
        if (allowed) names = new Set(names ? allowed.filter((n) => names!.has(n)) : allowed);
      }
    }
  };
  visit(filter);
  return names;
}

export class HistoryQueryIndex {
  private readonly kinds = new Map<IndexedKind, KindIndex>();
  /** Kinds dropped because they outgrew their cap: the database answers for them. */
  private readonly dropped = new Set<IndexedKind>();
  private readonly shared = new Map<string, string>();
  private readonly answers = new Map<string, { version: number; docs: IndexedDoc[] }>();
  /** Documents from a finished collection: the database ignores later upserts for them. */
  private readonly final = new WeakSet<IndexedDoc>();
  private pending: (() => void)[] | undefined = [];
  private readonly variables: Set<string>;
  private readonly caps: Record<IndexedKind, number>;
  private readonly logger?: QueryIndexLogger;
  /** Resolves once loaded (also when loading failed: then nothing is answered here). */
  readonly ready: Promise<void>;

  constructor(
    private readonly connection: mongoose.Connection,
    opts: QueryIndexOptions = {},
  ) {
    const maxInstances = opts.maxInstances ?? DEFAULT_MAX_INSTANCES;
    this.caps = {
      processDefinitions: maxInstances,
      processInstances: maxInstances,
      incidents: maxInstances,
      variables: maxInstances * 4,
      elementInstances: opts.maxElementInstances ?? DEFAULT_MAX_ELEMENT_INSTANCES,
    };
    this.variables = new Set(opts.variables ?? DEFAULT_INDEXED_VARIABLES);
    this.logger = opts.logger;
    this.ready = this.load().catch((err: unknown) => {
      this.logger?.warn({ err }, 'history query index not loaded: searches read the database');
      for (const kind of INDEXED_KINDS) this.dropped.add(kind);
      this.kinds.clear();
      this.pending = undefined;
    });
  }

  /** Whether searches of this kind are answered here. */
  serves(kind: HistoryKind): boolean {
    return this.kinds.has(kind as IndexedKind) && this.pending === undefined;
  }

  /**
   * The matches of a filter in `compare` order, all of them (what `matching` finds,
   * sorted). The last few answers are kept until their kind changes, so the pages of one
   * list (cursors) and a dashboard asked again read them instead of filtering again.
   */
  sortedMatching(
    kind: HistoryKind,
    filter: Record<string, unknown>,
    order: string,
    compare: (a: IndexedDoc, b: IndexedDoc) => number,
  ): IndexedDoc[] | undefined {
    const index = this.serves(kind) ? this.kinds.get(kind as IndexedKind) : undefined;
    if (!index) return undefined;
    const key = `${kind}\n${order}\n${JSON.stringify(filter, (_k, v: unknown) => (v instanceof RegExp ? `/${v.source}/${v.flags}` : v))}`;
    const hit = this.answers.get(key);
    if (hit && hit.version === index.version) {
      this.answers.delete(key);
      this.answers.set(key, hit);
      return hit.docs;
    }
    const docs = this.matching(kind, filter);
    if (!docs) return undefined;
    docs.sort(compare);
    this.answers.set(key, { version: index.version, docs });
    if (this.answers.size > CACHED_ANSWERS) this.answers.delete(this.answers.keys().next().value!);
    return docs;
  }

  get sizes(): Partial<Record<IndexedKind, number>> {
    return Object.fromEntries([...this.kinds].map(([k, i]) => [k, i.size]));
  }

  /**
   * Every document of `kind` matching the (translated) search filter, or undefined when
   * the index cannot answer: not ready, kind not indexed, an operator outside the subset,
   * or variables not limited to the indexed names.
   */
  matching(kind: HistoryKind, filter: Record<string, unknown>): IndexedDoc[] | undefined {
    if (!this.serves(kind)) return undefined;
    if (kind === 'variables') {
      const names = variableNamesOf(filter);
      if (!names || [...names].some((n) => !this.variables.has(n))) return undefined;
    }
    let predicate;
    try {
      predicate = compileFilter(filter);
    } catch (err) {
      if (err instanceof UnsupportedFilter) return undefined;
      throw err;
    }
    const index = this.kinds.get(kind as IndexedKind)!;
    const tenants = tenantsOf(filter);
    const sources = tenants
      ? [...tenants].map((t) => index.byTenant.get(t)).filter((m) => m !== undefined)
      : [...index.byTenant.values()];
    const out: IndexedDoc[] = [];
    for (const docs of sources) for (const d of docs.values()) if (predicate(d)) out.push(d);
    return out;
  }

  // ---------------------------------------------------------------- fed by the exporter

  /** Entities still changing, after their upserts reached the database. */
  applyUpserts(kind: HistoryKind, updates: DocumentUpdates): void {
    if (!this.accepts(kind)) return;
    const finished = new Set(updates.finishedIds());
    this.whenLoaded(() => {
      const index = this.kinds.get(kind as IndexedKind);
      if (!index) return;
      for (const id of updates.ids()) {
        const current = index.byId.get(id);
        // A finished copy hides the active one (a late upsert makes only an active stub).
        if (finished.has(id) || (current && this.final.has(current))) continue;
        this.keep(kind as IndexedKind, updates.applyTo(id, current));
      }
    });
  }

  /** Finished entities as written to their final collection. */
  applyFinished(kind: HistoryKind, docs: IndexedDoc[]): void {
    if (!this.accepts(kind)) return;
    this.whenLoaded(() => {
      for (const doc of docs) this.keep(kind as IndexedKind, doc, true);
    });
  }

  private accepts(kind: HistoryKind): boolean {
    return (
      (INDEXED_KINDS as readonly string[]).includes(kind) && !this.dropped.has(kind as IndexedKind)
    );
  }

  private whenLoaded(apply: () => void): void {
    if (this.pending) this.pending.push(apply);
    else apply();
  }

  private keep(kind: IndexedKind, doc: IndexedDoc, final = false): void {
    const index = this.kinds.get(kind);
    if (!index) return;
    if (kind === 'variables' && !this.variables.has(String(doc.name))) return;
    if (kind === 'processDefinitions' && 'resource' in doc) {
      // The XML is read by key from the database (GET …/xml), never searched.
      const { resource: _xml, ...rest } = doc;
      doc = rest as IndexedDoc;
    }
    for (const field of SHARED_STRING_FIELDS) {
      const v = doc[field];
      if (typeof v === 'string' && v.length <= 64) {
        const s = this.shared.get(v);
        if (s === undefined) this.shared.set(v, v);
        else doc[field] = s;
      }
    }
    if (final) this.final.add(doc);
    index.put(doc);
    if (index.size > this.caps[kind]) this.drop(kind);
  }

  private drop(kind: IndexedKind): void {
    this.kinds.delete(kind);
    this.dropped.add(kind);
    this.logger?.warn(
      { kind, cap: this.caps[kind] },
      `history query index: more than ${this.caps[kind]} ${kind}; their searches read the database (raise HISTORY_INDEX_MAX_INSTANCES / HISTORY_INDEX_MAX_ELEMENT_INSTANCES if memory allows)`,
    );
  }

  /** One kind: its active copy first, then the finished one (which wins). */
  private async loadKind(db: NonNullable<mongoose.Connection['db']>, kind: IndexedKind) {
    this.kinds.set(kind, new KindIndex());
    const names: string[] = [];
    if (kind in ACTIVE_HISTORY_COLLECTIONS) {
      names.push(ACTIVE_HISTORY_COLLECTIONS[kind as keyof typeof ACTIVE_HISTORY_COLLECTIONS]);
    }
    names.push(HISTORY_COLLECTIONS[kind]);
    const filter = kind === 'variables' ? { name: { $in: [...this.variables] } } : {};
    for (const name of names) {
      const final = name === HISTORY_COLLECTIONS[kind];
      const cursor = db.collection<IndexedDoc>(name).find(filter).batchSize(5000);
      for await (const doc of cursor) {
        if (!this.kinds.has(kind)) break;
        // Read after the active copy, the finished one wins (also over a crash's leftover).
        this.keep(kind, doc, final);
      }
      await cursor.close();
      if (!this.kinds.has(kind)) break;
    }
  }

  private async load(): Promise<void> {
    const started = Date.now();
    const db = this.connection.db;
    if (!db) throw new Error('the history query index needs an open connection');
    // The kinds are read side by side: the database decodes one while this process
    // takes in another (about half the time on two cores).
    await Promise.all(INDEXED_KINDS.map((kind) => this.loadKind(db, kind)));
    const pending = this.pending ?? [];
    this.pending = undefined;
    for (const apply of pending) apply();
    this.logger?.info(
      { sizes: this.sizes, ms: Date.now() - started },
      'history query index loaded: searches on instances, elements, incidents and indexed variables are answered in memory',
    );
  }
}

// ---------------------------------------------------------------- one per connection

const indexes = new WeakMap<object, { index: HistoryQueryIndex; users: number }>();

/** The index of a connection, created on first use (the REST API starts it). */
export function attachHistoryQueryIndex(
  connection: mongoose.Connection,
  opts: QueryIndexOptions = {},
): HistoryQueryIndex {
  const entry = indexes.get(connection);
  if (entry) {
    entry.users++;
    return entry.index;
  }
  const index = new HistoryQueryIndex(connection, opts);
  indexes.set(connection, { index, users: 1 });
  return index;
}

export function detachHistoryQueryIndex(connection: mongoose.Connection): void {
  const entry = indexes.get(connection);
  if (entry && --entry.users <= 0) indexes.delete(connection);
}

/** The index fed by the exporter and read by the searches, if one is attached. */
export function historyQueryIndexOf(
  connection: mongoose.Connection,
): HistoryQueryIndex | undefined {
  return indexes.get(connection)?.index;
}
