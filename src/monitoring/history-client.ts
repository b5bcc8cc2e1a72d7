/**
 * A thin client of the Camunda 8 REST API v2 search endpoints: the only way the
 * monitoring and analytics rooms read engine history, so they work unchanged against
 * the built-in engine (src/engine/rest) and against a Camunda 8.8+ cluster. Written on
 * fetch rather than @camunda8/sdk's CamundaRestClient because that client types only a
 * subset of the 8.8 filters (no hasIncident, no $-operators on several fields) and has
 * no getProcessInstance.
 */
import { UnavailableError } from '../errors';

export type Resource =
  'process-definitions' | 'process-instances' | 'element-instances' | 'incidents' | 'variables';

export interface SearchBody {
  filter?: Record<string, unknown>;
  sort?: { field: string; order?: 'ASC' | 'DESC' }[];
  page?: { from?: number; limit?: number; after?: string; before?: string };
}

export interface SearchResult<T> {
  items: T[];
  page: { totalItems: number; startCursor: string | null; endCursor: string | null };
}

export interface ProcessDefinitionItem {
  processDefinitionKey: string;
  processDefinitionId: string;
  name: string;
  version: number;
  resourceName: string;
  tenantId: string;
}

export type InstanceState = 'ACTIVE' | 'COMPLETED' | 'TERMINATED';

export interface ProcessInstanceItem {
  processInstanceKey: string;
  processDefinitionKey: string;
  processDefinitionId: string;
  processDefinitionName: string;
  processDefinitionVersion: number;
  state: InstanceState;
  hasIncident: boolean;
  startDate: string;
  endDate?: string;
  tenantId: string;
  parentProcessInstanceKey?: string;
}

export interface ElementInstanceItem {
  elementInstanceKey: string;
  processInstanceKey: string;
  processDefinitionKey: string;
  processDefinitionId: string;
  elementId: string;
  elementName: string;
  type: string;
  state: InstanceState;
  hasIncident: boolean;
  incidentKey?: string;
  startDate: string;
  endDate?: string;
  tenantId: string;
}

export interface IncidentItem {
  incidentKey: string;
  processInstanceKey: string;
  processDefinitionKey: string;
  processDefinitionId: string;
  errorType: string;
  errorMessage: string;
  elementId: string;
  elementInstanceKey: string;
  jobKey?: string;
  creationTime: string;
  state: string;
  tenantId: string;
}

export interface VariableItem {
  variableKey: string;
  name: string;
  /** JSON text. */
  value: string;
  isTruncated: boolean;
  scopeKey: string;
  processInstanceKey: string;
  tenantId: string;
}

export class HistoryApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'HistoryApiError';
  }
}

/** The history API does not answer now (down, unreachable, too slow). */
export class HistoryUnavailableError extends UnavailableError {
  constructor(message: string) {
    super(message, 'core.error.historyUnavailable');
    this.name = 'HistoryUnavailableError';
  }
}

export interface HistoryClientOptions {
  /** e.g. http://127.0.0.1:8080 (ENGINE_REST_ADDRESS). */
  baseUrl: string;
  /** Bearer token, when the API asks for one. */
  token?: string;
  /** Per request (default 15 s): a slow history must not hold a page forever. */
  timeoutMs?: number;
}

export interface HistoryClient {
  search<T>(resource: Resource, body: SearchBody): Promise<SearchResult<T>>;
  /** Every match, page by page with cursors, at most `max` (default 50,000). */
  searchAll<T>(resource: Resource, body: SearchBody, max?: number): Promise<T[]>;
  /** One entity by key, or undefined (also for another tenant's). */
  get<T>(resource: Resource, key: string): Promise<T | undefined>;
  processDefinitionXml(key: string): Promise<string | undefined>;
}

export function createHistoryClient(opts: HistoryClientOptions): HistoryClient {
  const base = opts.baseUrl.replace(/\/+$/, '');
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;

  async function call(method: 'GET' | 'POST', path: string, body?: unknown) {
    let res: Response;
    try {
      res = await fetch(`${base}/v2/${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000),
      });
    } catch (err) {
      // Down, unreachable or too slow (e.g. while the built-in engine loads its query
      // index after a start): the pages answer 503 and say so, instead of a server error.
      throw new HistoryUnavailableError(
        `history API ${method} ${path}: ${(err as Error).name === 'TimeoutError' ? `no answer within ${opts.timeoutMs ?? 15_000} ms` : (err as Error).message}`,
      );
    }
    if (res.status === 404) return undefined;
    if (res.status === 503 || res.status === 502 || res.status === 504) {
      throw new HistoryUnavailableError(`history API ${method} ${path}: ${res.status}`);
    }
    if (!res.ok) {
      const text = await res.text();
      let detail = text;
      try {
        detail = (JSON.parse(text) as { detail?: string }).detail ?? text;
      } catch {
        // not problem+json
      }
      throw new HistoryApiError(
        res.status,
        `history API ${method} ${path}: ${res.status} ${detail}`,
      );
    }
    return res;
  }

  const client: HistoryClient = {
    async search<T>(resource: Resource, body: SearchBody) {
      const res = await call('POST', `${resource}/search`, body);
      if (!res) throw new HistoryApiError(404, `history API: no search endpoint for ${resource}`);
      return (await res.json()) as SearchResult<T>;
    },
    async searchAll<T>(resource: Resource, body: SearchBody, max = 50_000) {
      const out: T[] = [];
      let after: string | undefined;
      for (;;) {
        // The largest page the API serves: fewer round trips for long lists.
        const limit = Math.min(10_000, max - out.length);
        if (limit <= 0) break;
        const page = await client.search<T>(resource, { ...body, page: { limit, after } });
        out.push(...page.items);
        if (page.items.length < limit || !page.page.endCursor) break;
        after = page.page.endCursor;
      }
      return out;
    },
    async get<T>(resource: Resource, key: string) {
      const res = await call('GET', `${resource}/${encodeURIComponent(key)}`);
      return res ? ((await res.json()) as T) : undefined;
    },
    async processDefinitionXml(key: string) {
      const res = await call('GET', `process-definitions/${encodeURIComponent(key)}/xml`);
      return res ? res.text() : undefined;
    },
  };
  return client;
}
