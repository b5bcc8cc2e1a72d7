/**
 * Every indicator is a table of plain values: the page renders it, the charts draw it,
 * and the CSV/XLSX exports write it, so all three show the same numbers. Column labels
 * come from the caller (the web layer's i18n catalogue); the domain names columns only.
 */
export type ColumnKind = 'text' | 'integer' | 'number' | 'percent' | 'money' | 'days';

export interface Column {
  key: string;
  kind: ColumnKind;
}

export type Cell = string | number | null;

export interface Table {
  /** Stable id, e.g. "procurement.durationByProcedure"; also the export's file name. */
  id: string;
  columns: Column[];
  rows: Record<string, Cell>[];
}

export function table(
  id: string,
  columns: [string, ColumnKind][],
  rows: Record<string, Cell>[],
): Table {
  return { id, columns: columns.map(([key, kind]) => ({ key, kind })), rows };
}
