/**
 * Where the indicators come from:
 * - the indicator records the service workers write when a case ends (src/workers:
 *   durations, amounts, outcomes; one small document per case, in the product's own
 *   database, so they are the same whichever engine runs the processes), read from
 *   memory (indicator-cache.ts);
 * - engine history through the Camunda 8 REST API v2 (src/monitoring's client) for what
 *   is still open and for element durations.
 */
import type { Connection } from 'mongoose';
import type { HistoryClient, ProcessInstanceItem, VariableItem } from '../monitoring';
import type { IndicatorRecord } from '../workers/common/indicators';
import { cachedIndicatorRecords } from './indicator-cache';
import type { AnalyticsFilter } from './filters';

export type ServiceLine = IndicatorRecord['service'];

export async function indicatorRecords(
  connection: Connection,
  filter: AnalyticsFilter,
  service: ServiceLine,
): Promise<IndicatorRecord[]> {
  const from = filter.from.getTime();
  const to = filter.to.getTime();
  // What { tenantId, service, recordedAt: { $gte, $lt }, comuneIstat } would find.
  return (await cachedIndicatorRecords(connection, filter.tenantId)).filter(
    (r) =>
      r.tenantId === filter.tenantId &&
      r.service === service &&
      r.recordedAt instanceof Date &&
      r.recordedAt.getTime() >= from &&
      r.recordedAt.getTime() < to &&
      (!filter.comuneIstat || r.comuneIstat === filter.comuneIstat),
  );
}

function textOf(json: string): string {
  try {
    const v: unknown = JSON.parse(json);
    return typeof v === 'string' ? v : JSON.stringify(v);
  } catch {
    return json;
  }
}

export interface RequestRow {
  processInstanceKey: string;
  startDate: string;
  state: string;
  /** Process-level variables asked for, as text. */
  values: Record<string, string>;
}

/**
 * The instances of a process started in the period (the "requests"), with some of
 * their process variables (e.g. comuneIstat, datasetId).
 */
export async function requestsInPeriod(
  history: HistoryClient,
  filter: AnalyticsFilter,
  bpmnProcessId: string,
  variableNames: string[],
): Promise<RequestRow[]> {
  const instanceFilter: Record<string, unknown> = {
    tenantId: filter.tenantId,
    processDefinitionId: bpmnProcessId,
    startDate: { $gte: filter.from.toISOString(), $lt: filter.to.toISOString() },
  };
  if (filter.comuneIstat) {
    instanceFilter.variables = [{ name: 'comuneIstat', value: JSON.stringify(filter.comuneIstat) }];
  }
  const instances = (
    await history.searchAll<ProcessInstanceItem>('process-instances', { filter: instanceFilter })
  ).filter((i) => i.tenantId === filter.tenantId);
  const rows = new Map<string, RequestRow>(
    instances.map((i) => [
      i.processInstanceKey,
      {
        processInstanceKey: i.processInstanceKey,
        startDate: i.startDate,
        state: i.state,
        values: {},
      },
    ]),
  );
  if (rows.size && variableNames.length) {
    const keys = [...rows.keys()];
    for (let i = 0; i < keys.length; i += 10_000) {
      const vars = await history.searchAll<VariableItem>('variables', {
        filter: {
          tenantId: filter.tenantId,
          name: { $in: variableNames },
          processInstanceKey: { $in: keys.slice(i, i + 10_000) },
        },
      });
      for (const v of vars) {
        if (v.tenantId !== filter.tenantId || v.scopeKey !== v.processInstanceKey) continue;
        const row = rows.get(v.processInstanceKey);
        if (row) row.values[v.name] = textOf(v.value);
      }
    }
  }
  return [...rows.values()];
}
