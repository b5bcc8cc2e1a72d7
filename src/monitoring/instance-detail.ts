/**
 * One instance as the monitoring page shows it: the instance, its diagram XML, the
 * element-instance history, variables by scope, incidents, and per element id the
 * counts the diagram overlays need (how often it ran, how many are active, incidents).
 */
import type {
  ElementInstanceItem,
  HistoryClient,
  IncidentItem,
  ProcessInstanceItem,
  VariableItem,
} from './history-client';
import { NotFoundError, inScope, type MonitoringScope } from './scope';

export interface ElementStats {
  elementId: string;
  elementName: string;
  /** Times the element was entered. */
  count: number;
  active: number;
  completed: number;
  terminated: number;
  incidents: number;
}

export interface InstanceDetail {
  instance: ProcessInstanceItem;
  xml: string;
  /** Oldest first. */
  elements: ElementInstanceItem[];
  /** Process-level variables first, then by scope and name. */
  variables: VariableItem[];
  incidents: IncidentItem[];
  stats: ElementStats[];
  /** Element ids with an active element instance (diagram markers). */
  activeElementIds: string[];
  /** Element ids that completed at least once: the path taken. */
  visitedElementIds: string[];
  /** Child instances (call activities). */
  children: ProcessInstanceItem[];
}

export function elementStats(
  elements: ElementInstanceItem[],
  incidents: IncidentItem[],
): ElementStats[] {
  const byId = new Map<string, ElementStats>();
  for (const e of elements) {
    if (e.type === 'PROCESS') continue;
    const s = byId.get(e.elementId) ?? {
      elementId: e.elementId,
      elementName: e.elementName,
      count: 0,
      active: 0,
      completed: 0,
      terminated: 0,
      incidents: 0,
    };
    s.count++;
    if (e.state === 'ACTIVE') s.active++;
    else if (e.state === 'COMPLETED') s.completed++;
    else s.terminated++;
    byId.set(e.elementId, s);
  }
  for (const i of incidents) {
    if (i.state !== 'ACTIVE') continue;
    const s = byId.get(i.elementId);
    if (s) s.incidents++;
  }
  return [...byId.values()];
}

export async function getInstanceDetail(
  history: HistoryClient,
  scope: MonitoringScope,
  processInstanceKey: string,
): Promise<InstanceDetail> {
  if (!/^\d{1,19}$/.test(processInstanceKey)) throw new NotFoundError('Istanza non trovata');
  const instance = await history.get<ProcessInstanceItem>('process-instances', processInstanceKey);
  if (!instance || instance.tenantId !== scope.tenantId)
    throw new NotFoundError('Istanza non trovata');
  const byInstance = { tenantId: scope.tenantId, processInstanceKey };
  const [xml, elements, variables, incidents, children] = await Promise.all([
    history.processDefinitionXml(instance.processDefinitionKey),
    history.searchAll<ElementInstanceItem>(
      'element-instances',
      { filter: byInstance, sort: [{ field: 'startDate' }, { field: 'elementInstanceKey' }] },
      10_000,
    ),
    history.searchAll<VariableItem>(
      'variables',
      { filter: byInstance, sort: [{ field: 'scopeKey' }, { field: 'name' }] },
      5_000,
    ),
    history.searchAll<IncidentItem>(
      'incidents',
      { filter: byInstance, sort: [{ field: 'creationTime', order: 'DESC' }] },
      1_000,
    ),
    history.searchAll<ProcessInstanceItem>(
      'process-instances',
      { filter: { tenantId: scope.tenantId, parentProcessInstanceKey: processInstanceKey } },
      500,
    ),
  ]);
  const els = inScope(scope, elements);
  const incs = inScope(scope, incidents);
  const vars = inScope(scope, variables).sort(
    (a, b) =>
      Number(b.scopeKey === processInstanceKey) - Number(a.scopeKey === processInstanceKey) ||
      a.scopeKey.localeCompare(b.scopeKey) ||
      a.name.localeCompare(b.name),
  );
  const stats = elementStats(els, incs);
  return {
    instance,
    xml: xml ?? '',
    elements: els,
    variables: vars,
    incidents: incs,
    stats,
    activeElementIds: stats.filter((s) => s.active > 0).map((s) => s.elementId),
    visitedElementIds: stats.filter((s) => s.completed > 0).map((s) => s.elementId),
    children: inScope(scope, children),
  };
}
