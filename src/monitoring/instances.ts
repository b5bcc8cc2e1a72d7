/**
 * The instances list: filters as the monitoring page offers them, translated into one
 * REST API v2 process-instance search, plus the case number and comune of each row
 * (process variables, one more search per page). Also the CSV export of the same list.
 */
import { stringify } from 'csv-stringify/sync';
import type {
  HistoryClient,
  InstanceState,
  ProcessInstanceItem,
  VariableItem,
} from './history-client';
import { InvalidInputError, inScope, type MonitoringScope } from './scope';

/** The process variables that name a case and its comune (set by the *.openCase workers). */
export const CASE_NUMBER_VARIABLE = 'caseNumber';
export const COMUNE_VARIABLE = 'comuneIstat';

export interface InstanceFilters {
  bpmnProcessId?: string;
  version?: number;
  state?: InstanceState;
  withIncidents?: boolean;
  comuneIstat?: string;
  caseNumber?: string;
  /** Started on or after / before (exclusive). */
  startedFrom?: Date;
  startedTo?: Date;
  endedFrom?: Date;
  endedTo?: Date;
  /** A process variable with this value (typed as JSON when it reads as JSON, else text). */
  variable?: { name: string; value: string };
}

export interface InstanceRow {
  processInstanceKey: string;
  bpmnProcessId: string;
  processName: string;
  version: number;
  processDefinitionKey: string;
  state: InstanceState;
  hasIncident: boolean;
  startDate: string;
  endDate: string | null;
  caseNumber: string | null;
  comuneIstat: string | null;
}

export interface InstancePage {
  rows: InstanceRow[];
  total: number;
  /** Cursors for the next / previous page, when there is one. */
  next: string | null;
  previous: string | null;
}

/** A value typed in a form: JSON when it reads as a JSON scalar, else a string. */
export function variableValueJson(text: string): string {
  const t = text.trim();
  if (/^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)$/.test(t)) return t;
  if (/^".*"$/.test(t)) {
    try {
      return JSON.stringify(JSON.parse(t));
    } catch {
      // fall through: a string that merely starts and ends with quotes
    }
  }
  return JSON.stringify(text);
}

export function instanceSearchFilter(scope: MonitoringScope, f: InstanceFilters) {
  const filter: Record<string, unknown> = { tenantId: scope.tenantId };
  if (f.bpmnProcessId) filter.processDefinitionId = f.bpmnProcessId;
  if (f.version !== undefined) {
    if (!Number.isInteger(f.version) || f.version < 1) {
      throw new InvalidInputError('version', 'La versione deve essere un numero intero positivo');
    }
    filter.processDefinitionVersion = f.version;
  }
  if (f.state) filter.state = f.state;
  if (f.withIncidents) filter.hasIncident = true;
  const range = (from?: Date, to?: Date) => {
    const r: Record<string, string> = {};
    if (from) r.$gte = from.toISOString();
    if (to) r.$lt = to.toISOString();
    return Object.keys(r).length ? r : undefined;
  };
  const started = range(f.startedFrom, f.startedTo);
  if (started) filter.startDate = started;
  const ended = range(f.endedFrom, f.endedTo);
  if (ended) filter.endDate = ended;
  const variables: { name: string; value: unknown }[] = [];
  if (f.comuneIstat)
    variables.push({ name: COMUNE_VARIABLE, value: JSON.stringify(f.comuneIstat) });
  if (f.caseNumber) {
    // Part of a case number, case-sensitive; wildcards typed by the user are taken literally.
    const part = f.caseNumber.trim().replace(/[*?]/g, '');
    if (part) variables.push({ name: CASE_NUMBER_VARIABLE, value: { $like: `*${part}*` } });
  }
  if (f.variable?.name) {
    if (!/^[A-Za-z_][\w.-]{0,99}$/.test(f.variable.name)) {
      throw new InvalidInputError('variableName', 'Nome di variabile non valido');
    }
    variables.push({ name: f.variable.name, value: variableValueJson(f.variable.value) });
  }
  if (variables.length) filter.variables = variables;
  return filter;
}

function textOf(json: string | undefined): string | null {
  if (json === undefined) return null;
  try {
    const v: unknown = JSON.parse(json);
    return typeof v === 'string' ? v : JSON.stringify(v);
  } catch {
    return json;
  }
}

/** Case number and comune of each instance (process-level variables). */
async function caseInfo(history: HistoryClient, scope: MonitoringScope, keys: string[]) {
  const info = new Map<string, { caseNumber?: string; comuneIstat?: string }>();
  if (!keys.length) return info;
  const vars = await history.searchAll<VariableItem>('variables', {
    filter: {
      tenantId: scope.tenantId,
      processInstanceKey: { $in: keys },
      name: { $in: [CASE_NUMBER_VARIABLE, COMUNE_VARIABLE] },
    },
  });
  for (const v of inScope(scope, vars)) {
    if (v.scopeKey !== v.processInstanceKey) continue;
    const entry = info.get(v.processInstanceKey) ?? {};
    const text = textOf(v.value) ?? undefined;
    if (v.name === CASE_NUMBER_VARIABLE) entry.caseNumber = text;
    else entry.comuneIstat = text;
    info.set(v.processInstanceKey, entry);
  }
  return info;
}

function rowsOf(items: ProcessInstanceItem[], info: Awaited<ReturnType<typeof caseInfo>>) {
  return items.map((i): InstanceRow => ({
    processInstanceKey: i.processInstanceKey,
    bpmnProcessId: i.processDefinitionId,
    processName: i.processDefinitionName,
    version: i.processDefinitionVersion,
    processDefinitionKey: i.processDefinitionKey,
    state: i.state,
    hasIncident: i.hasIncident,
    startDate: i.startDate,
    endDate: i.endDate ?? null,
    caseNumber: info.get(i.processInstanceKey)?.caseNumber ?? null,
    comuneIstat: info.get(i.processInstanceKey)?.comuneIstat ?? null,
  }));
}

const NEWEST_FIRST = [
  { field: 'startDate', order: 'DESC' as const },
  { field: 'processInstanceKey', order: 'DESC' as const },
];

export async function listInstances(
  history: HistoryClient,
  scope: MonitoringScope,
  filters: InstanceFilters,
  page: { limit?: number; after?: string; before?: string } = {},
): Promise<InstancePage> {
  const limit = Math.min(Math.max(page.limit ?? 25, 1), 200);
  const result = await history.search<ProcessInstanceItem>('process-instances', {
    filter: instanceSearchFilter(scope, filters),
    sort: NEWEST_FIRST,
    page: {
      limit,
      ...(page.after ? { after: page.after } : page.before ? { before: page.before } : {}),
    },
  });
  const items = inScope(scope, result.items);
  const info = await caseInfo(
    history,
    scope,
    items.map((i) => i.processInstanceKey),
  );
  const full = result.items.length === limit;
  return {
    rows: rowsOf(items, info),
    total: result.page.totalItems,
    next: (page.before ? true : full) ? result.page.endCursor : null,
    previous: page.after || (page.before && full) ? result.page.startCursor : null,
  };
}

/** The filtered list as CSV (UTF-8 with BOM, so spreadsheet programs read accents right). */
export async function instancesCsv(
  history: HistoryClient,
  scope: MonitoringScope,
  filters: InstanceFilters,
  headers: Record<keyof InstanceRow, string>,
  max = 50_000,
): Promise<string> {
  const items = inScope(
    scope,
    await history.searchAll<ProcessInstanceItem>(
      'process-instances',
      { filter: instanceSearchFilter(scope, filters), sort: NEWEST_FIRST },
      max,
    ),
  );
  const info = new Map<string, { caseNumber?: string; comuneIstat?: string }>();
  for (let i = 0; i < items.length; i += 500) {
    const part = await caseInfo(
      history,
      scope,
      items.slice(i, i + 500).map((x) => x.processInstanceKey),
    );
    for (const [k, v] of part) info.set(k, v);
  }
  const columns = Object.entries(headers).map(([key, header]) => ({ key, header }));
  return stringify(rowsOf(items, info), { header: true, columns, bom: true });
}
