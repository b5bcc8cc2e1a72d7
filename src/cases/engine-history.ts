/**
 * What the case file reads from the engine's history, through the Camunda 8 REST API
 * v2 search endpoints (the built-in engine serves them; so does a Camunda 8.8+
 * cluster): the instance, its element instances (current activities, steps done) and
 * its variables (the business data of the summary).
 */
export interface ProcessInstanceInfo {
  processInstanceKey: string;
  processDefinitionKey: string;
  processDefinitionId: string;
  processDefinitionName?: string;
  state: 'ACTIVE' | 'COMPLETED' | 'TERMINATED' | string;
  startDate?: string;
  endDate?: string;
  tenantId: string;
  hasIncident?: boolean;
}

export interface ElementInstanceInfo {
  elementInstanceKey: string;
  elementId: string;
  elementName?: string;
  type: string;
  state: 'ACTIVE' | 'COMPLETED' | 'TERMINATED' | string;
  startDate?: string;
  endDate?: string;
}

export interface EngineHistory {
  instance(tenantId: string, processInstanceKey: string): Promise<ProcessInstanceInfo | undefined>;
  instances(tenantId: string, keys: string[]): Promise<Map<string, ProcessInstanceInfo>>;
  elements(tenantId: string, processInstanceKey: string): Promise<ElementInstanceInfo[]>;
  /** The instance's own variables (process scope), parsed from JSON. */
  variables(tenantId: string, processInstanceKey: string): Promise<Record<string, unknown>>;
}

export interface EngineHistoryOptions {
  restUrl: string;
  token?: string;
  timeoutMs?: number;
}

export function createEngineHistory(opts: EngineHistoryOptions): EngineHistory {
  const call = async <T>(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<T | undefined> => {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    const res = await fetch(`${opts.restUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
    });
    if (res.status === 404) return undefined;
    if (!res.ok) throw new Error(`REST API ${method} ${path} answered ${res.status}`);
    return (await res.json()) as T;
  };
  const search = async <T>(resource: string, filter: Record<string, unknown>, limit = 1000) =>
    (await call<{ items: T[] }>('POST', `/v2/${resource}/search`, { filter, page: { limit } }))
      ?.items ?? [];

  return {
    async instance(tenantId, key) {
      const item = await call<ProcessInstanceInfo>(
        'GET',
        `/v2/process-instances/${encodeURIComponent(key)}`,
      );
      return item && item.tenantId === tenantId ? item : undefined;
    },
    async instances(tenantId, keys) {
      const out = new Map<string, ProcessInstanceInfo>();
      if (keys.length === 0) return out;
      const items = await search<ProcessInstanceInfo>(
        'process-instances',
        { processInstanceKey: { $in: keys }, tenantId },
        keys.length,
      );
      for (const i of items) out.set(String(i.processInstanceKey), i);
      return out;
    },
    async elements(tenantId, key) {
      return search<ElementInstanceInfo>('element-instances', {
        processInstanceKey: key,
        tenantId,
      });
    },
    async variables(tenantId, key) {
      const items = await search<{ name: string; value: string; scopeKey: string }>('variables', {
        processInstanceKey: key,
        scopeKey: key,
        tenantId,
      });
      const out: Record<string, unknown> = {};
      for (const v of items) {
        try {
          out[v.name] = JSON.parse(v.value);
        } catch {
          out[v.name] = v.value;
        }
      }
      return out;
    },
  };
}
