/** The period and comune filters every indicator takes, always within one province. */
export interface AnalyticsFilter {
  tenantId: string;
  /** Inclusive start, exclusive end. */
  from: Date;
  to: Date;
  comuneIstat?: string;
}

export const DAY_MS = 86_400_000;

/** The last 12 months up to now, the pages' default period. */
export function defaultPeriod(now = new Date()): { from: Date; to: Date } {
  const from = new Date(now);
  from.setFullYear(from.getFullYear() - 1);
  return { from, to: new Date(now.getTime() + 1) };
}
