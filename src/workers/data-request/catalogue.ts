/**
 * The datasets the data service can extract from: sample datasets shipped in
 * sample-datasets/ (CSV and JSON) described by catalogue.json.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const SAMPLE_DATASETS_DIR = path.join(__dirname, 'sample-datasets');

export interface DatasetInfo {
  id: string;
  file: string;
  title: string;
  description: string;
  /** EU data theme code (http://publications.europa.eu/resource/authority/data-theme/). */
  theme: string;
  containsPersonalData: boolean;
  openData: boolean;
  personalColumns: string[];
  measure: string | null;
  comuneColumn: string;
  keywords: string[];
}

export type Row = Record<string, string | number | boolean | null>;

export function loadCatalogue(dir: string = SAMPLE_DATASETS_DIR): DatasetInfo[] {
  return (
    JSON.parse(readFileSync(path.join(dir, 'catalogue.json'), 'utf8')) as {
      datasets: DatasetInfo[];
    }
  ).datasets;
}

export function findDataset(id: unknown, dir?: string): DatasetInfo {
  const d = loadCatalogue(dir).find((x) => x.id === id);
  if (!d) throw new Error(`Unknown dataset "${String(id)}"`);
  return d;
}

/** Parses the simple CSV of the samples (no quoted commas); numbers become numbers. */
export function parseCsv(text: string): Row[] {
  const [header, ...lines] = text.trim().split(/\r?\n/);
  const columns = header.split(',');
  return lines.map((line) => {
    const cells = line.split(',');
    const row: Row = {};
    columns.forEach((c, i) => {
      const cell = cells[i] ?? '';
      row[c] = /^-?\d+(\.\d+)?$/.test(cell) && !/^0\d/.test(cell) ? Number(cell) : cell;
    });
    return row;
  });
}

function csvCell(value: unknown): string {
  const s = value === null || value === undefined ? '' : String(value);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(rows: Row[]): string {
  if (rows.length === 0) return '';
  const columns = Object.keys(rows[0]);
  return (
    [columns.join(','), ...rows.map((r) => columns.map((c) => csvCell(r[c])).join(','))].join(
      '\n',
    ) + '\n'
  );
}

export function readDataset(info: DatasetInfo, dir: string = SAMPLE_DATASETS_DIR): Row[] {
  const text = readFileSync(path.join(dir, info.file), 'utf8');
  return info.file.endsWith('.json') ? (JSON.parse(text) as Row[]) : parseCsv(text);
}
