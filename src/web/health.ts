/**
 * The /health report: overall status plus database and engine status, and the open
 * incidents per province (so that a supervisor or an operator sees failures that stop
 * work, not only whether the processes are up).
 */
export type ComponentStatus = 'ok' | 'degraded' | 'down' | 'starting';

export interface IncidentsReport {
  /** Open (unresolved) incidents of all provinces together. */
  open: number;
  /** Open incidents per province (tenant id = ISTAT code). */
  byProvince: Record<string, number>;
  /** Set when the count could not be read. */
  detail?: string;
}

export interface HealthReport {
  status: 'ok' | 'degraded' | 'down';
  database: { status: ComponentStatus; kind: 'embedded-ferretdb' | 'mongodb'; detail?: string };
  engine: {
    status: ComponentStatus;
    mode: 'built-in' | 'external';
    address: string;
    detail?: string;
  };
  incidents?: IncidentsReport;
  uptimeSeconds: number;
}

export interface HealthSources {
  database(): Promise<HealthReport['database']>;
  engine(): Promise<HealthReport['engine']>;
  /** Open incidents per province; absent when the engine's history cannot be read. */
  incidents?(): Promise<IncidentsReport>;
}

const startedAt = Date.now();

/** Never throws: a component that fails to answer in time is reported as down. */
export async function collectHealth(
  sources: HealthSources,
  timeoutMs = 3000,
): Promise<HealthReport> {
  const withTimeout = <T>(p: Promise<T>, fallback: T): Promise<T> =>
    Promise.race([
      p.catch(() => fallback),
      new Promise<T>((resolve) => setTimeout(() => resolve(fallback), timeoutMs).unref()),
    ]);
  const [database, engine, incidents] = await Promise.all([
    withTimeout(sources.database(), { status: 'down' as const, kind: 'mongodb' as const }),
    withTimeout(sources.engine(), {
      status: 'down' as const,
      mode: 'external' as const,
      address: '?',
    }),
    sources.incidents
      ? withTimeout(sources.incidents(), {
          open: 0,
          byProvince: {},
          detail: 'the incident count did not answer in time',
        })
      : Promise.resolve(undefined),
  ]);
  const statuses = [database.status, engine.status];
  // Open incidents mean work is stuck: the product runs, but not everything is well.
  const status =
    database.status === 'down'
      ? 'down'
      : statuses.every((s) => s === 'ok') && !(incidents && incidents.open > 0)
        ? 'ok'
        : 'degraded';
  return {
    status,
    database,
    engine,
    ...(incidents ? { incidents } : {}),
    uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
  };
}

/**
 * Open incidents per province through the engine's REST API (Camunda 8 REST API v2,
 * POST /v2/incidents/search, served by the built-in engine or a Camunda 8.8+ cluster):
 * one search per province, reading only the total.
 */
export function incidentsFromRestApi(
  restUrl: string,
  tenantIds: string[],
  headers: Record<string, string> = {},
): () => Promise<IncidentsReport> {
  return async () => {
    const byProvince: Record<string, number> = {};
    for (const tenantId of tenantIds) {
      const res = await fetch(`${restUrl}/v2/incidents/search`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ filter: { state: 'ACTIVE', tenantId }, page: { limit: 1 } }),
        signal: AbortSignal.timeout(2500),
      });
      if (!res.ok) {
        return { open: 0, byProvince: {}, detail: `incident search answered ${res.status}` };
      }
      const body = (await res.json()) as { page?: { totalItems?: number } };
      byProvince[tenantId] = Number(body.page?.totalItems ?? 0);
    }
    return { open: Object.values(byProvince).reduce((a, b) => a + b, 0), byProvince };
  };
}
