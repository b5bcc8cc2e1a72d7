/**
 * Extraction and elaboration of a dataset: filter by comune, aggregation (sum of the
 * measure, or count), anonymisation (direct identifiers removed, aggregation, small
 * cells suppressed below the minimum cell size).
 */
import type { DatasetInfo, Row } from './catalogue';

export interface ElaborationRequest {
  filterComune?: string;
  aggregateBy?: string[];
  anonymise: boolean;
  minCellSize: number;
}

export interface ElaborationResult {
  rows: Row[];
  suppressedCells: number;
  removedColumns: string[];
}

function aggregate(rows: Row[], by: string[], measure: string | null): Row[] {
  const groups = new Map<string, Row>();
  for (const row of rows) {
    const key = JSON.stringify(by.map((c) => row[c]));
    let g = groups.get(key);
    if (!g) {
      g = Object.fromEntries(by.map((c) => [c, row[c]]));
      g[measure ?? 'conteggio'] = 0;
      groups.set(key, g);
    }
    const field = measure ?? 'conteggio';
    g[field] = Number(g[field]) + (measure ? Number(row[measure]) || 0 : 1);
  }
  return [...groups.values()];
}

export function elaborate(
  info: DatasetInfo,
  source: Row[],
  req: ElaborationRequest,
): ElaborationResult {
  let rows = source;
  if (req.filterComune)
    rows = rows.filter((r) => String(r[info.comuneColumn]) === req.filterComune);
  const known = new Set(Object.keys(source[0] ?? {}));
  const by = (req.aggregateBy ?? []).filter(
    (c) => known.has(c) && !info.personalColumns.includes(c),
  );
  if (req.aggregateBy?.length && by.length === 0) {
    throw new Error(
      `None of the columns ${req.aggregateBy.join(', ')} can be used to aggregate ${info.id}`,
    );
  }
  let suppressedCells = 0;
  let removedColumns: string[] = [];
  if (req.anonymise) {
    removedColumns = info.personalColumns;
    // Counting people: a measure column would be personal data itself.
    const groups = aggregate(
      rows,
      by.length ? by : [info.comuneColumn],
      info.containsPersonalData ? null : info.measure,
    );
    const countField = info.containsPersonalData || !info.measure ? 'conteggio' : info.measure;
    rows = groups.map((g) => {
      const n = Number(g[countField]);
      if (info.containsPersonalData && n < req.minCellSize) {
        suppressedCells++;
        return { ...g, [countField]: null };
      }
      return g;
    });
  } else if (by.length) {
    rows = aggregate(rows, by, info.measure);
  }
  return { rows, suppressedCells, removedColumns };
}
