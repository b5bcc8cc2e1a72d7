/**
 * Export of any indicator table as CSV (csv-stringify; UTF-8 with BOM so spreadsheet
 * programs read accents) and XLSX (exceljs), with the labels the page shows and the
 * same values (numbers stay numbers in XLSX).
 */
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import type { Table } from './tables';

export type Labels = (columnKey: string) => string;

/** Semicolons, as Italian spreadsheet programs expect for CSV, and a decimal comma. */
export function tableCsv(t: Table, label: Labels, opts: { decimalComma?: boolean } = {}): string {
  const comma = opts.decimalComma ?? true;
  const rows = t.rows.map((r) =>
    t.columns.map((c) => {
      const v = r[c.key];
      if (v === null || v === undefined) return '';
      if (typeof v === 'number') return comma ? String(v).replace('.', ',') : String(v);
      return v;
    }),
  );
  return stringify([t.columns.map((c) => label(c.key)), ...rows], {
    bom: true,
    delimiter: comma ? ';' : ',',
  });
}

const FORMATS: Record<string, string> = {
  integer: '0',
  number: '0.##',
  percent: '0.00"%"',
  money: '#,##0.00 "€"',
  days: '0.0',
};

export async function tableXlsx(t: Table, label: Labels, sheetName: string): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Province & Comuni';
  const sheet = workbook.addWorksheet(sheetName.replace(/[*?:\\/[\]]/g, ' ').slice(0, 31));
  sheet.columns = t.columns.map((c) => ({
    header: label(c.key),
    key: c.key,
    width: Math.max(12, label(c.key).length + 2),
    style: FORMATS[c.kind] ? { numFmt: FORMATS[c.kind] } : {},
  }));
  sheet.getRow(1).font = { bold: true };
  for (const r of t.rows)
    sheet.addRow(Object.fromEntries(t.columns.map((c) => [c.key, r[c.key] ?? null])));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
