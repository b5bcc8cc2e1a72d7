/**
 * Incremental copies of the engine history the indicator pages read on every view: the
 * instances of a process with the variables the indicators group by (the "requests"),
 * and the completed user tasks (SLA per office).
 *
 * Why: computed from scratch, each view moved every item of the period through the REST
 * API (18,000–40,000 per province and view at 50,000 + 5,000 instances: p99 760–990 ms,
 * README "Monitoring and analytics reads"). A copy asks only for what started or ended
 * since the previous read, so a view costs one small search and work in memory. It uses
 * nothing but v2 searches with a date filter, so it works unchanged against the built-in
 * engine and a Camunda 8.8+ cluster. Written here: no library keeps a search API's
 * results current; the rules are few (below).
 *
 * - Fresh: every read first asks for the items dated at or after the latest one seen
 *   minus FEED_OVERLAP_MS (the overlap catches items the exporter wrote a little late);
 *   reads arriving meanwhile share one such search that starts after them.
 * - Whole: every FEED_RELOAD_MS the copy is read again in the background and replaced,
 *   which also picks up a variable changed after the start and anything exported later
 *   than the overlap; until then the previous copy answers.
 * - Bounded: a copy holds the last FEED_WINDOW_DAYS days; a period starting earlier is
 *   not covered and the caller reads the API directly, as before. A province with more
 *   than FEED_MAX_ROWS items of a kind is not copied (logged at warn): callers read the
 *   API directly for it. Memory: about 0.3 KB per item.
 * - Isolated: one copy per province (tenant), filled only by searches filtered to it,
 *   and items of another tenant are dropped on arrival.
 */
import type {
  ElementInstanceItem,
  HistoryClient,
  ProcessInstanceItem,
  VariableItem,
} from '../monitoring';

/** How far back a read asks again (the history exporter's lag is far below it). */
export const FEED_OVERLAP_MS = 10 * 60_000;
/** How often a copy is read again as a whole (30 min). */
export const FEED_RELOAD_MS = 30 * 60_000;
/** What a copy holds: 400 days cover the pages' default period (the last 12 months). */
export const FEED_WINDOW_DAYS = 400;
/** Items per province and kind beyond which the API is read directly instead. */
export const FEED_MAX_ROWS = 1_000_000;
/** The process variables kept with each request (what the indicators group by). */
export const REQUEST_VARIABLES = ['comuneIstat', 'datasetId'];

const DAY_MS = 86_400_000;
/** Keys per variables search: a bounded request body. */
const KEYS_PER_VARIABLE_SEARCH = 10_000;

export interface FeedLogger {
  warn(obj: object, msg?: string): void;
}

export interface FeedOptions {
  windowDays?: number;
  maxRows?: number;
  overlapMs?: number;
  reloadMs?: number;
  logger?: FeedLogger;
  /** The clock of the reloads and the window (tests). */
  now?: () => number;
}

/** An instance of a process started in the period, with some of its variables as text. */
export interface RequestRow {
  processInstanceKey: string;
  startDate: string;
  /** Process-level variables asked for, as text. */
  values: Record<string, string>;
}

/** A completed user task, as the SLA per office reads it. */
export interface CompletedTaskRow {
  elementInstanceKey: string;
  processInstanceKey: string;
  processDefinitionKey: string;
  elementId: string;
  startDate: string;
  endDate: string;
  tenantId: string;
}

/** A variable's JSON text as plain text (strings unquoted). */
export function variableText(json: string): string {
  try {
    const v: unknown = JSON.parse(json);
    return typeof v === 'string' ? v : JSON.stringify(v);
  } catch {
    return json;
  }
}

class TooManyRows extends Error {}

interface FeedSource<Row> {
  /** What this copy is, for the logs. */
  describe: string;
  /** Items dated at or after `since` (ISO), at most `max`. */
  fetch(since: string, max: number): Promise<Row[]>;
  keyOf(row: Row): string;
  /** The date the copy follows (ms). */
  timeOf(row: Row): number;
}

/** One province's copy of one kind of item. */
class Feed<Row> {
  /** Each item with its date (ms). */
  private rows = new Map<string, { row: Row; at: number }>();
  private latest = Number.NEGATIVE_INFINITY;
  private windowStart = Number.POSITIVE_INFINITY;
  private loadedAt = Number.NEGATIVE_INFINITY;
  private loaded?: Promise<void>;
  private reloading?: Promise<void>;
  private running?: Promise<void>;
  private queued?: Promise<void>;
  private tooLarge = false;

  constructor(
    private readonly source: FeedSource<Row>,
    private readonly opts: Required<Omit<FeedOptions, 'logger'>> & { logger?: FeedLogger },
  ) {}

  /**
   * The items dated in [from, to) as of now, or undefined when this copy cannot answer
   * for that period (it starts before the window, or the province is too large).
   */
  async read(from: number, to: number): Promise<Row[] | undefined> {
    if (this.tooLarge) return undefined;
    this.loaded ??= this.reload();
    try {
      await this.loaded;
    } catch (err) {
      this.loaded = undefined; // the next read tries again
      throw err;
    }
    if (this.tooLarge || from < this.windowStart) return undefined;
    if (this.opts.now() - this.loadedAt > this.opts.reloadMs) {
      this.reloading ??= this.reload()
        .catch((err: unknown) =>
          this.opts.logger?.warn({ err, feed: this.source.describe }, 'history copy not reloaded'),
        )
        .finally(() => (this.reloading = undefined));
    }
    await this.refresh();
    if (this.tooLarge) return undefined;
    const out: Row[] = [];
    for (const { row, at } of this.rows.values()) if (at >= from && at < to) out.push(row);
    return out;
  }

  /** Loads the copy now (at start), so the first page view does not wait for it. */
  warm(): Promise<void> {
    this.loaded ??= this.reload();
    return this.loaded;
  }

  /** The whole window, read again and swapped in. */
  private async reload(): Promise<void> {
    const now = this.opts.now();
    const windowStart = now - this.opts.windowDays * DAY_MS;
    let items: Row[];
    try {
      items = await this.source.fetch(new Date(windowStart).toISOString(), this.opts.maxRows + 1);
      if (items.length > this.opts.maxRows) throw new TooManyRows();
    } catch (err) {
      if (!(err instanceof TooManyRows)) throw err;
      this.markTooLarge();
      return;
    }
    const rows = new Map<string, { row: Row; at: number }>();
    let latest = Number.NEGATIVE_INFINITY;
    for (const row of items) {
      const at = this.source.timeOf(row);
      rows.set(this.source.keyOf(row), { row, at });
      latest = Math.max(latest, at);
    }
    this.rows = rows;
    // Nothing seen yet: the next read asks from the window's start again.
    this.latest = Number.isFinite(latest) ? latest : windowStart;
    this.windowStart = windowStart;
    this.loadedAt = now;
  }

  /** A search that starts after the caller asked: what was exported before is in. */
  private refresh(): Promise<void> {
    if (!this.running) {
      this.running = this.catchUp().finally(() => (this.running = undefined));
      return this.running;
    }
    this.queued ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        return this.refresh();
      });
    return this.queued;
  }

  private async catchUp(): Promise<void> {
    const since = new Date(this.latest - this.opts.overlapMs).toISOString();
    for (const row of await this.source.fetch(since, this.opts.maxRows + 1)) {
      const at = this.source.timeOf(row);
      this.rows.set(this.source.keyOf(row), { row, at });
      this.latest = Math.max(this.latest, at);
    }
    if (this.rows.size > this.opts.maxRows) this.markTooLarge();
  }

  private markTooLarge(): void {
    this.tooLarge = true;
    this.rows = new Map();
    this.opts.logger?.warn(
      { feed: this.source.describe, maxRows: this.opts.maxRows },
      `history copy: more than ${this.opts.maxRows} items; the indicator pages read them through the API on every view (slower)`,
    );
  }
}

function interned() {
  const strings = new Map<string, string>();
  return (s: string) => {
    const hit = strings.get(s);
    if (hit !== undefined) return hit;
    strings.set(s, s);
    return s;
  };
}

/**
 * The copies of one history API (one per product process, shared by the pages, the
 * alert checker and the warm-up at start).
 */
export class HistoryFeeds {
  private readonly requests = new Map<string, Feed<RequestRow>>();
  private readonly completedTasks = new Map<string, Feed<CompletedTaskRow>>();
  private readonly opts: Required<Omit<FeedOptions, 'logger'>> & { logger?: FeedLogger };
  private readonly intern = interned();

  constructor(
    readonly history: HistoryClient,
    opts: FeedOptions = {},
  ) {
    this.opts = {
      windowDays: opts.windowDays ?? FEED_WINDOW_DAYS,
      maxRows: opts.maxRows ?? FEED_MAX_ROWS,
      overlapMs: opts.overlapMs ?? FEED_OVERLAP_MS,
      reloadMs: opts.reloadMs ?? FEED_RELOAD_MS,
      now: opts.now ?? Date.now,
      logger: opts.logger,
    };
  }

  /**
   * The instances of `bpmnProcessId` of the province started in [from, to), with
   * REQUEST_VARIABLES; undefined when the copy cannot answer for that period.
   */
  requestsIn(tenantId: string, bpmnProcessId: string, from: Date, to: Date) {
    return this.requestFeed(tenantId, bpmnProcessId).read(from.getTime(), to.getTime());
  }

  /** The province's user tasks completed in [from, to); undefined as above. */
  completedTasksIn(tenantId: string, from: Date, to: Date) {
    return this.completedTaskFeed(tenantId).read(from.getTime(), to.getTime());
  }

  /** Loads the provinces' copies (at start), one after the other. */
  async warm(tenantIds: string[], bpmnProcessIds: string[]): Promise<void> {
    for (const tenantId of tenantIds) {
      for (const id of bpmnProcessIds) await this.requestFeed(tenantId, id).warm();
      await this.completedTaskFeed(tenantId).warm();
    }
  }

  private requestFeed(tenantId: string, bpmnProcessId: string): Feed<RequestRow> {
    const key = `${tenantId}\n${bpmnProcessId}`;
    let feed = this.requests.get(key);
    if (!feed) {
      feed = new Feed<RequestRow>(
        {
          describe: `requests ${bpmnProcessId} of ${tenantId}`,
          fetch: (since, max) => this.fetchRequests(tenantId, bpmnProcessId, since, max),
          keyOf: (r) => r.processInstanceKey,
          timeOf: (r) => Date.parse(r.startDate),
        },
        this.opts,
      );
      this.requests.set(key, feed);
    }
    return feed;
  }

  private completedTaskFeed(tenantId: string): Feed<CompletedTaskRow> {
    let feed = this.completedTasks.get(tenantId);
    if (!feed) {
      feed = new Feed<CompletedTaskRow>(
        {
          describe: `completed user tasks of ${tenantId}`,
          fetch: (since, max) => this.fetchCompletedTasks(tenantId, since, max),
          keyOf: (r) => r.elementInstanceKey,
          timeOf: (r) => Date.parse(r.endDate),
        },
        this.opts,
      );
      this.completedTasks.set(tenantId, feed);
    }
    return feed;
  }

  private async fetchRequests(
    tenantId: string,
    bpmnProcessId: string,
    since: string,
    max: number,
  ): Promise<RequestRow[]> {
    const instances = (
      await this.history.searchAll<ProcessInstanceItem>(
        'process-instances',
        {
          filter: { tenantId, processDefinitionId: bpmnProcessId, startDate: { $gte: since } },
        },
        max,
      )
    ).filter((i) => i.tenantId === tenantId);
    const rows = new Map<string, RequestRow>(
      instances.map((i) => [
        i.processInstanceKey,
        { processInstanceKey: i.processInstanceKey, startDate: i.startDate, values: {} },
      ]),
    );
    const keys = [...rows.keys()];
    for (let i = 0; i < keys.length; i += KEYS_PER_VARIABLE_SEARCH) {
      const vars = await this.history.searchAll<VariableItem>(
        'variables',
        {
          filter: {
            tenantId,
            name: { $in: REQUEST_VARIABLES },
            processInstanceKey: { $in: keys.slice(i, i + KEYS_PER_VARIABLE_SEARCH) },
          },
        },
        Number.MAX_SAFE_INTEGER,
      );
      for (const v of vars) {
        if (v.tenantId !== tenantId || v.scopeKey !== v.processInstanceKey) continue;
        const row = rows.get(v.processInstanceKey);
        if (row) row.values[this.intern(v.name)] = this.intern(variableText(v.value));
      }
    }
    return [...rows.values()];
  }

  private async fetchCompletedTasks(
    tenantId: string,
    since: string,
    max: number,
  ): Promise<CompletedTaskRow[]> {
    const items = await this.history.searchAll<ElementInstanceItem>(
      'element-instances',
      { filter: { tenantId, type: 'USER_TASK', state: 'COMPLETED', endDate: { $gte: since } } },
      max,
    );
    return items
      .filter((e) => e.tenantId === tenantId && e.endDate)
      .map((e) => ({
        elementInstanceKey: e.elementInstanceKey,
        processInstanceKey: e.processInstanceKey,
        processDefinitionKey: this.intern(e.processDefinitionKey),
        elementId: this.intern(e.elementId),
        startDate: e.startDate,
        endDate: e.endDate!,
        tenantId: this.intern(e.tenantId),
      }));
  }
}

// ---------------------------------------------------------------- one per history client

const feedsByClient = new WeakMap<HistoryClient, HistoryFeeds>();

/**
 * The copies of a history client, created on first use. The product shares one client
 * between its pages, the alert checker and the warm-up at start, so they share the copies.
 */
export function historyFeedsOf(history: HistoryClient, opts?: FeedOptions): HistoryFeeds {
  let feeds = feedsByClient.get(history);
  if (!feeds) {
    feeds = new HistoryFeeds(history, opts);
    feedsByClient.set(history, feeds);
  }
  return feeds;
}

/** The processes whose requests the indicator pages count (service-indicators.ts). */
export const REQUEST_PROCESSES = ['procurement', 'eu-funding', 'data-request'];

/** Loads the provinces' copies now (at start), so the first page view does not wait. */
export function warmHistoryFeeds(
  history: HistoryClient,
  tenantIds: string[],
  opts?: FeedOptions,
): Promise<void> {
  return historyFeedsOf(history, opts).warm(tenantIds, REQUEST_PROCESSES);
}
