/**
 * Across the service lines, from engine history (REST API v2):
 * - the duration heatmap of a process: time spent per element (completed element
 *   instances of the period), drawn on the diagram and listed in a table;
 * - SLA compliance per office: user tasks completed in the period within the office's
 *   service level (settings `analytics.officeServiceLevels`; calendar time);
 * - open work per office: user tasks waiting now, the oldest, and how many are late.
 * The office of a user task is its candidate group, read from the deployed BPMN.
 */
import { BpmnModdle } from 'bpmn-moddle';
import zeebeModdle from 'zeebe-bpmn-moddle/resources/zeebe.json';
import { Duration } from 'luxon';
import type {
  ElementInstanceItem,
  HistoryClient,
  ProcessDefinitionItem,
  VariableItem,
} from '../monitoring';
import type { AnalyticsFilter } from './filters';
import { DAY_MS } from './filters';
import { mean, median, percentile, round, sum } from './statistics';
import { table, type Table } from './tables';
import { historyFeedsOf } from './history-feeds';

/** User tasks read for the SLA and open-work tables: bounded for the history API. */
const MAX_ELEMENTS = 20_000;
/**
 * The heatmap's sample: the latest 5,000 completed element instances of the period
 * (said on the page): enough for stable medians, cheap to read.
 */
export const HEATMAP_SAMPLE = 5_000;

interface ModdleNode {
  $type: string;
  id?: string;
  flowElements?: ModdleNode[];
  extensionElements?: { values?: { $type: string; candidateGroups?: string }[] };
}

const officesCache = new Map<string, Promise<Map<string, string>>>();

/** element id → office (first candidate group) of the user tasks of a definition. */
export function userTaskOffices(history: HistoryClient, definitionKey: string) {
  let hit = officesCache.get(definitionKey);
  if (!hit) {
    hit = (async () => {
      const xml = await history.processDefinitionXml(definitionKey);
      const offices = new Map<string, string>();
      if (!xml) return offices;
      const { rootElement } = (await new BpmnModdle({ zeebe: zeebeModdle }).fromXML(
        xml,
      )) as unknown as {
        rootElement: { rootElements?: ModdleNode[] };
      };
      const walk = (nodes: ModdleNode[] | undefined) => {
        for (const n of nodes ?? []) {
          if (n.$type === 'bpmn:UserTask' && n.id) {
            const assignment = n.extensionElements?.values?.find((v) =>
              /AssignmentDefinition$/.test(v.$type),
            );
            const office = assignment?.candidateGroups?.split(',')[0]?.trim();
            if (office) offices.set(n.id, office);
          }
          walk(n.flowElements);
        }
      };
      walk(rootElement.rootElements);
      return offices;
    })();
    hit.catch(() => officesCache.delete(definitionKey));
    officesCache.set(definitionKey, hit);
    if (officesCache.size > 500) officesCache.delete(officesCache.keys().next().value!);
  }
  return hit;
}

const ms = (e: Pick<ElementInstanceItem, 'startDate' | 'endDate'>) =>
  e.endDate
    ? Date.parse(e.endDate) - Date.parse(e.startDate)
    : Date.now() - Date.parse(e.startDate);

/** Instance keys of the comune filter, or undefined when there is none. */
async function comuneInstances(history: HistoryClient, filter: AnalyticsFilter) {
  if (!filter.comuneIstat) return undefined;
  const vars = await history.searchAll<VariableItem>('variables', {
    filter: {
      tenantId: filter.tenantId,
      name: 'comuneIstat',
      value: JSON.stringify(filter.comuneIstat),
    },
  });
  return new Set(
    vars.filter((v) => v.tenantId === filter.tenantId).map((v) => v.processInstanceKey),
  );
}

export interface ElementHeat {
  elementId: string;
  elementName: string;
  count: number;
  /** ms */
  totalMs: number;
  meanMs: number | null;
  medianMs: number | null;
  p90Ms: number | null;
  /** 0..1 of the slowest element's median, for the colour scale. */
  heat: number;
}

export interface ProcessHeatmap {
  bpmnProcessId: string;
  /** The latest version's key: its diagram carries the overlay. */
  processDefinitionKey: string | null;
  elements: ElementHeat[];
  table: Table;
  /** Whether the sample was cut at HEATMAP_SAMPLE. */
  truncated: boolean;
}

export async function durationHeatmap(
  history: HistoryClient,
  filter: AnalyticsFilter,
  bpmnProcessId: string,
): Promise<ProcessHeatmap> {
  const [definitions, elements, comune] = await Promise.all([
    history.searchAll<ProcessDefinitionItem>('process-definitions', {
      filter: { tenantId: filter.tenantId, processDefinitionId: bpmnProcessId },
      sort: [{ field: 'version', order: 'DESC' }],
    }),
    history.searchAll<ElementInstanceItem>(
      'element-instances',
      {
        filter: {
          tenantId: filter.tenantId,
          processDefinitionId: bpmnProcessId,
          state: 'COMPLETED',
          endDate: { $gte: filter.from.toISOString(), $lt: filter.to.toISOString() },
        },
        // Over HEATMAP_SAMPLE the sample is the latest completed ones.
        sort: [{ field: 'endDate', order: 'DESC' }],
      },
      HEATMAP_SAMPLE,
    ),
    comuneInstances(history, filter),
  ]);
  const byElement = new Map<string, { name: string; durations: number[] }>();
  for (const e of elements) {
    if (e.tenantId !== filter.tenantId || e.type === 'PROCESS' || e.type === 'SEQUENCE_FLOW')
      continue;
    if (comune && !comune.has(e.processInstanceKey)) continue;
    const entry = byElement.get(e.elementId) ?? { name: e.elementName, durations: [] };
    entry.durations.push(ms(e));
    byElement.set(e.elementId, entry);
  }
  const rows: ElementHeat[] = [...byElement].map(([elementId, e]) => ({
    elementId,
    elementName: e.name,
    count: e.durations.length,
    totalMs: sum(e.durations),
    meanMs: round(mean(e.durations), 0),
    medianMs: round(median(e.durations), 0),
    p90Ms: round(percentile(e.durations, 90), 0),
    heat: 0,
  }));
  const slowest = Math.max(0, ...rows.map((r) => r.medianMs ?? 0));
  for (const r of rows) r.heat = slowest > 0 ? round((r.medianMs ?? 0) / slowest, 3)! : 0;
  rows.sort(
    (a, b) => (b.medianMs ?? 0) - (a.medianMs ?? 0) || a.elementId.localeCompare(b.elementId),
  );
  const days = (v: number | null) => (v === null ? null : round(v / DAY_MS, 2));
  return {
    bpmnProcessId,
    processDefinitionKey: definitions[0]?.processDefinitionKey ?? null,
    elements: rows,
    truncated: elements.length >= HEATMAP_SAMPLE,
    table: table(
      `heatmap.${bpmnProcessId}`,
      [
        ['elementId', 'text'],
        ['elementName', 'text'],
        ['count', 'integer'],
        ['medianDays', 'days'],
        ['p90Days', 'days'],
        ['meanDays', 'days'],
        ['totalDays', 'days'],
      ],
      rows.map((r) => ({
        elementId: r.elementId,
        elementName: r.elementName,
        count: r.count,
        medianDays: days(r.medianMs),
        p90Days: days(r.p90Ms),
        meanDays: days(r.meanMs),
        totalDays: days(r.totalMs),
      })),
    ),
  };
}

/** ISO 8601 duration → ms (luxon); undefined for none. */
export function serviceLevelMs(iso: string | undefined): number | undefined {
  if (!iso) return undefined;
  const d = Duration.fromISO(iso);
  return d.isValid ? d.as('milliseconds') : undefined;
}

/** A user task as the office tables read it. */
type UserTaskItem = Pick<
  ElementInstanceItem,
  'processInstanceKey' | 'processDefinitionKey' | 'elementId' | 'startDate' | 'endDate' | 'tenantId'
>;

/**
 * The user tasks completed in the period: from the history copy (history-feeds.ts) when
 * it covers the period, else through the API; the latest MAX_ELEMENTS either way.
 */
async function completedUserTasks(
  history: HistoryClient,
  filter: AnalyticsFilter,
): Promise<UserTaskItem[]> {
  const copied = await historyFeedsOf(history).completedTasksIn(
    filter.tenantId,
    filter.from,
    filter.to,
  );
  if (!copied) {
    return history.searchAll<ElementInstanceItem>(
      'element-instances',
      {
        filter: {
          tenantId: filter.tenantId,
          type: 'USER_TASK',
          state: 'COMPLETED',
          endDate: { $gte: filter.from.toISOString(), $lt: filter.to.toISOString() },
        },
        sort: [{ field: 'endDate', order: 'DESC' }],
      },
      MAX_ELEMENTS,
    );
  }
  if (copied.length <= MAX_ELEMENTS) return copied;
  return copied
    .map((t) => ({ t, end: Date.parse(t.endDate) }))
    .sort((a, b) => b.end - a.end)
    .slice(0, MAX_ELEMENTS)
    .map((x) => x.t);
}

/** The user tasks open now, the oldest MAX_ELEMENTS. */
function openUserTasks(history: HistoryClient, filter: AnalyticsFilter) {
  return history.searchAll<ElementInstanceItem>(
    'element-instances',
    {
      filter: { tenantId: filter.tenantId, type: 'USER_TASK', state: 'ACTIVE' },
      sort: [{ field: 'startDate', order: 'ASC' }],
    },
    MAX_ELEMENTS,
  );
}

/** The tasks of the province (and comune filter), each with its office. */
async function withOffices(
  history: HistoryClient,
  filter: AnalyticsFilter,
  reading: Promise<UserTaskItem[]>,
) {
  const [items, comune] = await Promise.all([reading, comuneInstances(history, filter)]);
  const mine = items.filter(
    (e) => e.tenantId === filter.tenantId && (!comune || comune.has(e.processInstanceKey)),
  );
  const officeOf = new Map<string, Map<string, string>>();
  for (const key of new Set(mine.map((e) => e.processDefinitionKey))) {
    officeOf.set(key, await userTaskOffices(history, key));
  }
  return mine.map((e) => ({
    element: e,
    office: officeOf.get(e.processDefinitionKey)?.get(e.elementId) ?? 'unassigned',
  }));
}

export async function slaComplianceByOffice(
  history: HistoryClient,
  filter: AnalyticsFilter,
  serviceLevels: Record<string, string>,
): Promise<Table> {
  const tasks = await withOffices(history, filter, completedUserTasks(history, filter));
  const byOffice = new Map<string, number[]>();
  for (const t of tasks) {
    const durations = byOffice.get(t.office) ?? [];
    durations.push(ms(t.element));
    byOffice.set(t.office, durations);
  }
  return table(
    'across.slaByOffice',
    [
      ['office', 'text'],
      ['serviceLevelDays', 'days'],
      ['completed', 'integer'],
      ['withinServiceLevel', 'integer'],
      ['compliancePercent', 'percent'],
      ['medianDays', 'days'],
    ],
    [...byOffice]
      .sort((a, b) => a[0].localeCompare(b[0]))
      .map(([office, durations]) => {
        const level = serviceLevelMs(serviceLevels[office]);
        const within = level === undefined ? null : durations.filter((d) => d <= level).length;
        return {
          office,
          serviceLevelDays: level === undefined ? null : round(level / DAY_MS, 1),
          completed: durations.length,
          withinServiceLevel: within,
          compliancePercent: within === null ? null : round((within / durations.length) * 100),
          medianDays: round((median(durations) ?? 0) / DAY_MS, 2),
        };
      }),
  );
}

export async function openWorkByOffice(
  history: HistoryClient,
  filter: AnalyticsFilter,
  serviceLevels: Record<string, string>,
  now = new Date(),
): Promise<Table> {
  const tasks = await withOffices(history, filter, openUserTasks(history, filter));
  const byOffice = new Map<string, number[]>();
  for (const t of tasks) {
    const age = now.getTime() - Date.parse(t.element.startDate);
    const ages = byOffice.get(t.office) ?? [];
    ages.push(age);
    byOffice.set(t.office, ages);
  }
  return table(
    'across.openWorkByOffice',
    [
      ['office', 'text'],
      ['open', 'integer'],
      ['late', 'integer'],
      ['oldestDays', 'days'],
    ],
    [...byOffice]
      .sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]))
      .map(([office, ages]) => {
        const level = serviceLevelMs(serviceLevels[office]);
        return {
          office,
          open: ages.length,
          late: level === undefined ? null : ages.filter((a) => a > level).length,
          oldestDays: round(Math.max(...ages) / DAY_MS, 1),
        };
      }),
  );
}
