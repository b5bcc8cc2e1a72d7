/**
 * Open incidents of a province grouped by process and error, as Operate groups them:
 * the page shows one line per (process, error type, error message) with the incidents
 * behind it, so one fix (retry) can be applied to all of them at once.
 */
import type { HistoryClient, IncidentItem, ProcessDefinitionItem } from './history-client';
import { inScope, type MonitoringScope } from './scope';

export interface IncidentGroup {
  bpmnProcessId: string;
  processName: string;
  errorType: string;
  errorMessage: string;
  incidents: IncidentItem[];
}

export async function openIncidents(
  history: HistoryClient,
  scope: MonitoringScope,
  filter: { bpmnProcessId?: string } = {},
): Promise<IncidentItem[]> {
  return inScope(
    scope,
    await history.searchAll<IncidentItem>(
      'incidents',
      {
        filter: {
          tenantId: scope.tenantId,
          state: 'ACTIVE',
          ...(filter.bpmnProcessId ? { processDefinitionId: filter.bpmnProcessId } : {}),
        },
        sort: [{ field: 'creationTime', order: 'DESC' }],
      },
      10_000,
    ),
  );
}

export async function incidentGroups(
  history: HistoryClient,
  scope: MonitoringScope,
  filter: { bpmnProcessId?: string } = {},
): Promise<IncidentGroup[]> {
  const [incidents, definitions] = await Promise.all([
    openIncidents(history, scope, filter),
    history.searchAll<ProcessDefinitionItem>('process-definitions', {
      filter: { tenantId: scope.tenantId },
    }),
  ]);
  const names = new Map(definitions.map((d) => [d.processDefinitionId, d.name]));
  const groups = new Map<string, IncidentGroup>();
  for (const i of incidents) {
    const id = JSON.stringify([i.processDefinitionId, i.errorType, i.errorMessage]);
    let g = groups.get(id);
    if (!g) {
      g = {
        bpmnProcessId: i.processDefinitionId,
        processName: names.get(i.processDefinitionId) ?? i.processDefinitionId,
        errorType: i.errorType,
        errorMessage: i.errorMessage,
        incidents: [],
      };
      groups.set(id, g);
    }
    g.incidents.push(i);
  }
  return [...groups.values()].sort(
    (a, b) =>
      b.incidents.length - a.incidents.length || a.bpmnProcessId.localeCompare(b.bpmnProcessId),
  );
}
