/**
 * Where the indicators come from:
 * - the indicator records the service workers write when a case ends (src/workers:
 *   durations, amounts, outcomes; one small document per case, in the product's own
 *   database, so they are the same whichever engine runs the processes), read from
 *   memory (indicator-cache.ts);
 * - engine history through the Camunda 8 REST API v2 (src/monitoring's client) for what
 *   is still open and for element durations; the requests and completed user tasks from
 *   incremental copies of it (history-feeds.ts).
 */
import type { Connection } from 'mongoose';
import type { HistoryClient, ProcessInstanceItem, VariableItem } from '../monitoring';
import type { IndicatorRecord } from '../workers/common/indicators';
import { cachedIndicatorRecords } from './indicator-cache';
import { historyFeedsOf, REQUEST_VARIABLES, variableText, type RequestRow } from './history-feeds';
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

/**
 * The instances of a process started in the period (the "requests"), with some of
 * their process variables (e.g. comuneIstat, datasetId): from the history copy
 * (history-feeds.ts) when it covers the period and the variables, else through the API.
 */
export async function requestsInPeriod(
  history: HistoryClient,
  filter: AnalyticsFilter,
  bpmnProcessId: string,
  variableNames: string[],
): Promise<RequestRow[]> {
  const copied = variableNames.every((n) => REQUEST_VARIABLES.includes(n))
    ? await historyFeedsOf(history).requestsIn(
        filter.tenantId,
        bpmnProcessId,
        filter.from,
        filter.to,
      )
    : undefined;
  if (!copied) return requestsThroughApi(history, filter, bpmnProcessId, variableNames);
  return filter.comuneIstat
    ? copied.filter((r) => r.values.comuneIstat === filter.comuneIstat)
    : copied;
}

/** What requestsInPeriod reads when the copy does not cover the period. */
async function requestsThroughApi(
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
        if (row) row.values[v.name] = variableText(v.value);
      }
    }
  }
  return [...rows.values()];
}
