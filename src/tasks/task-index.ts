/**
 * The task lists, in memory: every open task (and the recently closed ones) of every
 * province, kept current from the change feed. FerretDB answers only `_id` lookups
 * quickly (no pushdown of other filters, no sort, no $text), so the lists, counts,
 * filters, sorting, cursor paging and free-text search run here, in one pass over the
 * tasks of the user's province, with a top-k selection for the page.
 *
 * Free-text search: each task keeps one normalized text (lower case, no accents) of
 * its name, case number, subject and the searchable business columns; every word of
 * the query must occur in it.
 */
import { normalizeSearch, searchTextOf } from './task-from-job';
import type { InboxTask, TaskState } from './types';

export const VIEWS = [
  'mine',
  'office',
  'unassigned',
  'dueSoon',
  'overdue',
  'suspended',
  'completed',
  'all',
] as const;
export type ViewName = (typeof VIEWS)[number];

export const SORTS = ['due', 'priority', 'created', 'name', 'updated'] as const;
export type SortKey = (typeof SORTS)[number] | `business.${string}`;

export const PAGE_SIZE = 50;
/** Counts of the views are reused for at most this long while no task changes. */
const COUNTS_FRESH_MS = 10_000;
export const MAX_PAGE_SIZE = 200;

/** What a list shows of a task (the whole task is read by `_id` when opened). */
export interface TaskRow {
  id: string;
  tenantId: string;
  comune?: string;
  comuneName?: string;
  processInstanceKey: string;
  bpmnProcessId: string;
  processName?: string;
  elementId: string;
  name: string;
  state: TaskState;
  assignee?: string;
  delegation?: { state: 'pending' | 'resolved'; owner: string; delegate: string };
  candidateGroups: string[];
  candidateUsers: string[];
  dueAt?: number;
  followUpAt?: number;
  priority: number;
  createdAt: number;
  updatedAt: number;
  completedAt?: number;
  completedBy?: string;
  caseNumber?: string;
  subject?: string;
  business: Record<string, unknown>;
  version: number;
  searchText: string;
}

/** Who is looking, with the colleagues they stand in for today. */
export interface Viewer {
  tenantId: string;
  username: string;
  comune?: string;
  /** The viewer and everyone they substitute now. */
  actingFor: ReadonlySet<string>;
  /** Candidate groups of the viewer and of those they substitute. */
  groups: ReadonlySet<string>;
  viewAll: boolean;
  /** A province officer (no comune): sees tasks that name no candidates at all. */
  provinceStaff: boolean;
  now: number;
  /** End of the day `warnWorkingDays` working days from now: "in scadenza" up to here. */
  dueSoonUntil: number;
}

export interface TaskQuery {
  view: ViewName;
  q?: string;
  process?: string;
  comune?: string;
  /** A username, or "-" for unassigned tasks. */
  assignee?: string;
  dueFrom?: Date;
  dueTo?: Date;
  createdFrom?: Date;
  createdTo?: Date;
  sort?: SortKey;
  order?: 'asc' | 'desc';
  cursor?: string;
  limit?: number;
}

export interface TaskPage {
  items: TaskRow[];
  /** Tasks matching the view and filters (all pages). */
  total: number;
  nextCursor?: string;
}

export class InvalidCursorError extends Error {}

const isOpen = (r: TaskRow) => r.state === 'open' || r.state === 'completing';

function intersects(list: string[], set: ReadonlySet<string>): boolean {
  for (const x of list) if (set.has(x)) return true;
  return false;
}

/** May the viewer see this task at all (the rule behind every list and every action)? */
export function visibleTo(r: TaskRow, v: Viewer): boolean {
  if (r.tenantId !== v.tenantId) return false;
  if (v.comune && r.comune !== v.comune) return false;
  if (v.viewAll) return true;
  return involves(r, v) || (r.completedBy !== undefined && v.actingFor.has(r.completedBy));
}

/** The task is the viewer's or their office's. */
export function involves(r: TaskRow, v: Viewer): boolean {
  if (r.assignee && v.actingFor.has(r.assignee)) return true;
  if (r.delegation && v.actingFor.has(r.delegation.owner)) return true;
  if (intersects(r.candidateUsers, v.actingFor)) return true;
  if (intersects(r.candidateGroups, v.groups)) return true;
  return (
    v.provinceStaff &&
    !r.assignee &&
    r.candidateGroups.length === 0 &&
    r.candidateUsers.length === 0
  );
}

/** One bit per view, in the order of VIEWS. */
const BIT = Object.fromEntries(VIEWS.map((v, i) => [v, 1 << i])) as Record<ViewName, number>;

/** Every view the row is in for the viewer, as bits (one pass for the counts of all views). */
export function viewsOf(r: TaskRow, v: Viewer): number {
  if (!visibleTo(r, v)) return 0;
  let bits = v.viewAll ? BIT.all : 0;
  const open = isOpen(r);
  if (!open) {
    if (
      (r.completedBy !== undefined && v.actingFor.has(r.completedBy)) ||
      (r.assignee !== undefined && v.actingFor.has(r.assignee))
    )
      bits |= BIT.completed;
    return bits;
  }
  const suspended = r.followUpAt !== undefined && r.followUpAt > v.now;
  const office = involves(r, v);
  if (r.dueAt !== undefined && r.dueAt < v.now && office) bits |= BIT.overdue;
  if (suspended) return office ? bits | BIT.suspended : bits;
  if (
    (r.assignee !== undefined && v.actingFor.has(r.assignee)) ||
    (r.delegation?.state === 'pending' && v.actingFor.has(r.delegation.owner))
  )
    bits |= BIT.mine;
  if (intersects(r.candidateGroups, v.groups)) bits |= BIT.office;
  if (!office) return bits;
  if (!r.assignee) bits |= BIT.unassigned;
  if (r.dueAt !== undefined && r.dueAt >= v.now && r.dueAt <= v.dueSoonUntil) bits |= BIT.dueSoon;
  return bits;
}

export function inView(view: ViewName, r: TaskRow, v: Viewer): boolean {
  return (viewsOf(r, v) & BIT[view]) !== 0;
}

type SortValue = number | string | null;

function sortValue(r: TaskRow, sort: SortKey): SortValue {
  switch (sort) {
    case 'due':
      return r.dueAt ?? null;
    case 'priority':
      return r.priority;
    case 'created':
      return r.createdAt;
    case 'updated':
      return r.updatedAt;
    case 'name':
      return normalizeSearch(r.name);
    default: {
      const value = r.business[sort.slice('business.'.length)];
      if (typeof value === 'number') return value;
      if (typeof value === 'string') return normalizeSearch(value);
      return null;
    }
  }
}

export function defaultOrder(sort: SortKey): 'asc' | 'desc' {
  return sort === 'priority' || sort === 'created' || sort === 'updated' ? 'desc' : 'asc';
}

/** Missing values last in either direction; ties broken by id. */
function compare(a: [SortValue, string], b: [SortValue, string], desc: boolean): number {
  const [va, ia] = a;
  const [vb, ib] = b;
  if (va !== vb) {
    if (va === null) return 1;
    if (vb === null) return -1;
    const c =
      typeof va === 'number' && typeof vb === 'number'
        ? va - vb
        : String(va).localeCompare(String(vb));
    if (c !== 0) return desc ? -c : c;
  }
  return ia < ib ? -1 : ia > ib ? 1 : 0;
}

export function encodeCursor(value: SortValue, id: string): string {
  return Buffer.from(JSON.stringify([value, id])).toString('base64url');
}

export function decodeCursor(cursor: string): [SortValue, string] {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      typeof parsed[1] === 'string' &&
      (parsed[0] === null || typeof parsed[0] === 'number' || typeof parsed[0] === 'string')
    ) {
      return parsed as [SortValue, string];
    }
  } catch {
    // reported below
  }
  throw new InvalidCursorError('The cursor is not valid');
}

export function toRow(task: InboxTask, searchable: string[]): TaskRow {
  return {
    id: task._id,
    tenantId: task.tenantId,
    comune: task.comune,
    comuneName: task.comuneName,
    processInstanceKey: task.processInstanceKey,
    bpmnProcessId: task.bpmnProcessId,
    processName: task.processName,
    elementId: task.elementId,
    name: task.name,
    state: task.state,
    assignee: task.assignee,
    delegation: task.delegation
      ? {
          state: task.delegation.state,
          owner: task.delegation.owner,
          delegate: task.delegation.delegate,
        }
      : undefined,
    candidateGroups: task.candidateGroups,
    candidateUsers: task.candidateUsers,
    dueAt: task.dueAt ? new Date(task.dueAt).getTime() : undefined,
    followUpAt: task.followUpAt ? new Date(task.followUpAt).getTime() : undefined,
    priority: task.priority,
    createdAt: new Date(task.createdAt).getTime(),
    updatedAt: new Date(task.updatedAt).getTime(),
    completedAt: task.completedAt ? new Date(task.completedAt).getTime() : undefined,
    completedBy: task.completedBy,
    caseNumber: task.caseNumber,
    subject: task.subject,
    business: task.business,
    version: task.version,
    searchText: searchTextOf(task, searchable),
  };
}

/**
 * The buckets a row is filed in, within its tenant: by assignee, delegation owner,
 * candidate user, candidate group, completer and comune, and "nobody" for a task that
 * names no one. A list reads only the buckets that can hold its rows (a person's
 * "Le mie attività" are a few thousand of a province's 50,000 tasks).
 */
function bucketKeys(r: TaskRow): string[] {
  const keys: string[] = [];
  if (r.assignee) keys.push(`a:${r.assignee}`);
  if (r.delegation) keys.push(`o:${r.delegation.owner}`);
  for (const u of r.candidateUsers) keys.push(`u:${u}`);
  for (const g of r.candidateGroups) keys.push(`g:${g}`);
  if (r.completedBy) keys.push(`d:${r.completedBy}`);
  if (r.comune) keys.push(`c:${r.comune}`);
  if (!r.assignee && r.candidateGroups.length === 0 && r.candidateUsers.length === 0)
    keys.push('n:');
  return keys;
}

/** The rows of several buckets, each once (a row in an earlier bucket is skipped). */
function* union(sets: Set<TaskRow>[]): Iterable<TaskRow> {
  for (let i = 0; i < sets.length; i++) {
    for (const r of sets[i]) {
      let seen = false;
      for (let j = 0; j < i && !seen; j++) seen = sets[j].has(r);
      if (!seen) yield r;
    }
  }
}

export class TaskIndex {
  private readonly rows = new Map<string, TaskRow>();
  private readonly byTenant = new Map<string, Set<TaskRow>>();
  private readonly byInstance = new Map<string, Set<string>>();
  /** tenant → bucket key (see bucketKeys) → rows. */
  private readonly buckets = new Map<string, Map<string, Set<TaskRow>>>();
  private changes = 0;
  private readonly countsCache = new Map<string, Record<ViewName, number>>();

  constructor(private readonly searchableOf: (tenantId: string) => string[] = () => []) {}

  get size(): number {
    return this.rows.size;
  }

  /** Bumped on every change (cache key for counts). */
  get generation(): number {
    return this.changes;
  }

  get(id: string): TaskRow | undefined {
    return this.rows.get(id);
  }

  /** Adds or replaces a task; an older version than the one held is ignored. */
  apply(task: InboxTask): boolean {
    const existing = this.rows.get(task._id);
    if (existing && existing.version >= task.version) return false;
    if (existing) this.remove(task._id);
    const row = toRow(task, this.searchableOf(task.tenantId));
    this.rows.set(row.id, row);
    let set = this.byTenant.get(row.tenantId);
    if (!set) this.byTenant.set(row.tenantId, (set = new Set()));
    set.add(row);
    let buckets = this.buckets.get(row.tenantId);
    if (!buckets) this.buckets.set(row.tenantId, (buckets = new Map()));
    for (const key of bucketKeys(row)) {
      let bucket = buckets.get(key);
      if (!bucket) buckets.set(key, (bucket = new Set()));
      bucket.add(row);
    }
    const instanceKey = `${row.tenantId}:${row.processInstanceKey}`;
    let tasks = this.byInstance.get(instanceKey);
    if (!tasks) this.byInstance.set(instanceKey, (tasks = new Set()));
    tasks.add(row.id);
    this.changes++;
    return true;
  }

  remove(id: string): void {
    const row = this.rows.get(id);
    if (!row) return;
    this.rows.delete(id);
    this.byTenant.get(row.tenantId)?.delete(row);
    const buckets = this.buckets.get(row.tenantId);
    for (const key of bucketKeys(row)) buckets?.get(key)?.delete(row);
    this.byInstance.get(`${row.tenantId}:${row.processInstanceKey}`)?.delete(id);
    this.changes++;
  }

  /** Task ids of one process instance. */
  tasksOfInstance(tenantId: string, processInstanceKey: string): TaskRow[] {
    const ids = this.byInstance.get(`${tenantId}:${processInstanceKey}`) ?? new Set<string>();
    return [...ids].map((id) => this.rows.get(id)!).filter(Boolean);
  }

  /** Every row of a tenant (for background jobs: deadlines, notifications). */
  tenantRows(tenantId: string): Iterable<TaskRow> {
    return this.byTenant.get(tenantId) ?? [];
  }

  allRows(): Iterable<TaskRow> {
    return this.rows.values();
  }

  query(viewer: Viewer, q: TaskQuery): TaskPage {
    const sort: SortKey = q.sort ?? 'due';
    const desc = (q.order ?? defaultOrder(sort)) === 'desc';
    const limit = Math.min(Math.max(q.limit ?? PAGE_SIZE, 1), MAX_PAGE_SIZE);
    const after = q.cursor ? decodeCursor(q.cursor) : undefined;
    const words = q.q ? normalizeSearch(q.q).split(' ').filter(Boolean) : [];
    const dueFrom = q.dueFrom?.getTime();
    const dueTo = q.dueTo?.getTime();
    const createdFrom = q.createdFrom?.getTime();
    const createdTo = q.createdTo?.getTime();
    // The best `limit + 1` rows after the cursor, kept sorted (top-k selection).
    const best: { key: [SortValue, string]; row: TaskRow }[] = [];
    let total = 0;
    for (const r of this.candidates(viewer, q.view)) {
      if (!inView(q.view, r, viewer)) continue;
      if (q.process && r.bpmnProcessId !== q.process) continue;
      if (q.comune && r.comune !== q.comune) continue;
      if (q.assignee && (q.assignee === '-' ? r.assignee !== undefined : r.assignee !== q.assignee))
        continue;
      if (dueFrom !== undefined && (r.dueAt === undefined || r.dueAt < dueFrom)) continue;
      if (dueTo !== undefined && (r.dueAt === undefined || r.dueAt > dueTo)) continue;
      if (createdFrom !== undefined && r.createdAt < createdFrom) continue;
      if (createdTo !== undefined && r.createdAt > createdTo) continue;
      if (words.length && !words.every((w) => r.searchText.includes(w))) continue;
      total++;
      const key: [SortValue, string] = [sortValue(r, sort), r.id];
      if (after && compare(key, after, desc) <= 0) continue;
      if (best.length > limit && compare(key, best[best.length - 1].key, desc) >= 0) continue;
      // Binary search for the insertion point.
      let lo = 0;
      let hi = best.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (compare(best[mid].key, key, desc) < 0) lo = mid + 1;
        else hi = mid;
      }
      best.splice(lo, 0, { key, row: r });
      if (best.length > limit + 1) best.pop();
    }
    const more = best.length > limit;
    const page = best.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((b) => b.row),
      total,
      nextCursor: more && last ? encodeCursor(last.key[0], last.key[1]) : undefined,
    };
  }

  /** How many tasks each view holds for the viewer (the live counts of the menu). */
  counts(viewer: Viewer): Record<ViewName, number> {
    // Every page and API list shows the counts: while no task changed (same generation)
    // and within the same 10 seconds (due and follow-up moments pass), the last ones hold.
    const key = [
      this.changes,
      Math.floor(viewer.now / COUNTS_FRESH_MS),
      viewer.tenantId,
      viewer.comune ?? '',
      viewer.viewAll,
      viewer.provinceStaff,
      viewer.dueSoonUntil,
      [...viewer.actingFor].sort().join(','),
      [...viewer.groups].sort().join(','),
    ].join('|');
    const known = this.countsCache.get(key);
    if (known) return { ...known };
    const counts = this.countViews(viewer);
    if (this.countsCache.size >= 1000) this.countsCache.clear();
    this.countsCache.set(key, counts);
    return { ...counts };
  }

  private countViews(viewer: Viewer): Record<ViewName, number> {
    const counts = Object.fromEntries(VIEWS.map((v) => [v, 0])) as Record<ViewName, number>;
    // Every view but "all" holds only rows of the person's buckets (see candidates).
    for (const r of this.candidates(viewer, 'completed', true)) {
      const bits = viewsOf(r, viewer);
      if (bits === 0) continue;
      for (const view of VIEWS) if (view !== 'all' && bits & BIT[view]) counts[view]++;
    }
    // "Tutte": every task of the province (of the comune, for comune staff).
    if (viewer.viewAll) {
      counts.all = viewer.comune
        ? (this.buckets.get(viewer.tenantId)?.get(`c:${viewer.comune}`)?.size ?? 0)
        : (this.byTenant.get(viewer.tenantId)?.size ?? 0);
    }
    return counts;
  }

  /**
   * The rows that can be in the viewer's view: a superset, each row once (inView decides).
   * Every view but "all" needs the viewer (or someone they act for) named on the task, or
   * one of their groups; `involving` adds every such row (for the counts of all views).
   */
  private candidates(viewer: Viewer, view: ViewName, involving = false): Iterable<TaskRow> {
    const buckets = this.buckets.get(viewer.tenantId);
    if (!buckets) return [];
    if (view === 'all') {
      return viewer.comune
        ? (buckets.get(`c:${viewer.comune}`) ?? [])
        : (this.byTenant.get(viewer.tenantId) ?? []);
    }
    const keys: string[] = [];
    const people = [...viewer.actingFor];
    const groups = [...viewer.groups];
    if (involving || view === 'mine' || view === 'completed')
      keys.push(...people.map((u) => `a:${u}`));
    if (involving || view === 'completed') keys.push(...people.map((u) => `d:${u}`));
    if (involving || view === 'mine') keys.push(...people.map((u) => `o:${u}`));
    if (involving || view === 'office') keys.push(...groups.map((g) => `g:${g}`));
    if (involving || !['mine', 'office', 'completed'].includes(view)) {
      // Views of the whole office (unassigned, due soon, overdue, suspended): every
      // bucket of involves().
      keys.push(...people.map((u) => `a:${u}`), ...people.map((u) => `o:${u}`));
      keys.push(...people.map((u) => `u:${u}`), ...groups.map((g) => `g:${g}`));
      if (viewer.provinceStaff) keys.push('n:');
    }
    const sets = [...new Set(keys)].map((k) => buckets.get(k)).filter((b) => b !== undefined);
    return sets.length === 1 ? sets[0] : union(sets);
  }
}
