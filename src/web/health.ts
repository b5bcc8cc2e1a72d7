/**
 * The /health report: overall status plus database and engine status.
 */
export type ComponentStatus = 'ok' | 'degraded' | 'down' | 'starting';

export interface HealthReport {
  status: 'ok' | 'degraded' | 'down';
  database: { status: ComponentStatus; kind: 'embedded-ferretdb' | 'mongodb' };
  engine: {
    status: ComponentStatus;
    mode: 'built-in' | 'external';
    address: string;
    detail?: string;
  };
  uptimeSeconds: number;
}

export interface HealthSources {
  database(): Promise<{ status: ComponentStatus; kind: 'embedded-ferretdb' | 'mongodb' }>;
  engine(): Promise<HealthReport['engine']>;
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
  const [database, engine] = await Promise.all([
    withTimeout(sources.database(), { status: 'down' as const, kind: 'mongodb' as const }),
    withTimeout(sources.engine(), {
      status: 'down' as const,
      mode: 'external' as const,
      address: '?',
    }),
  ]);
  const statuses = [database.status, engine.status];
  const status = statuses.every((s) => s === 'ok')
    ? 'ok'
    : database.status === 'down'
      ? 'down'
      : 'degraded';
  return { status, database, engine, uptimeSeconds: Math.round((Date.now() - startedAt) / 1000) };
}
