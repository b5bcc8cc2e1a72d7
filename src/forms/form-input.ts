/**
 * Turns what a browser posts (application/x-www-form-urlencoded or multipart fields:
 * every value a string) into typed form data for validation: numbers (Italian
 * "1.234,56" too), booleans, dates and date-times (Europe/Rome), arrays of strings and
 * repeatable groups (`offers[0][amount]`), nested objects (`report[expenditure]`).
 *
 * Conditional fields are decided here, on the server: a field that applies only when
 * another field has a value (`allOf: [{ if, then }]`) is dropped when it does not
 * apply, so a value typed and then hidden never reaches the engine.
 *
 * It also returns what was typed (`raw`, by data path), so that a form sent back with
 * errors shows exactly the user's text, even where it was not a number.
 */
import { DateTime } from 'luxon';
import {
  conditionHolds,
  conditionsOf,
  orderedProperties,
  typeOf,
  widgetOf,
  type FormSchema,
  type SchemaNode,
} from './form-schema';

export type PostedBody = Record<string, unknown>;

export interface ParsedInput {
  data: Record<string, unknown>;
  /** The text typed in each scalar field, by data path ("offers/0/amount"). */
  raw: Record<string, string>;
}

/** Flattens a body that a nested parser (qs) produced back into bracketed names. */
function flatten(body: PostedBody): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (name: string, value: string) => out.set(name, [...(out.get(name) ?? []), value]);
  const walk = (name: string, value: unknown) => {
    if (value === undefined || value === null) return;
    if (Array.isArray(value)) {
      value.forEach((v, i) =>
        typeof v === 'object' && v !== null ? walk(`${name}[${i}]`, v) : add(`${name}[]`, String(v)),
      );
    } else if (typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) walk(`${name}[${k}]`, v);
    } else {
      add(name, String(value));
    }
  };
  for (const [k, v] of Object.entries(body)) {
    if (Array.isArray(v) && v.every((x) => typeof x !== 'object') && !k.endsWith('[]')) {
      for (const x of v) add(k, String(x)); // repeated plain names (urlencoded, not extended)
    } else walk(k, v);
  }
  return out;
}

/** Italian or plain decimal; thousands dots only where `thousands` (euro amounts). */
export function parseDecimal(text: string, thousands = false): number {
  let t = text.replace(/[\s\u00a0€]/g, '');
  if (t.includes(',')) t = t.replace(/\./g, '').replace(',', '.');
  else if (thousands && /^-?\d{1,3}(\.\d{3})+$/.test(t)) t = t.replace(/\./g, '');
  if (!/^-?\d+(\.\d+)?$/.test(t)) return Number.NaN;
  return Number(t);
}

/** "2027-03-31T15:00" typed in Rome → ISO with offset; ISO with a zone is kept. */
export function parseDateTime(text: string): string | undefined {
  const hasZone = /([zZ]|[+-]\d{2}:?\d{2})$/.test(text);
  const dt = DateTime.fromISO(text, hasZone ? { setZone: true } : { zone: 'Europe/Rome' });
  return dt.isValid ? dt.toISO({ suppressMilliseconds: true })! : undefined;
}

export function parseFormInput(form: FormSchema, body: PostedBody): ParsedInput {
  const posted = flatten(body);
  const raw: Record<string, string> = {};
  const first = (name: string) => posted.get(name)?.[0];

  const scalar = (node: SchemaNode, widget: string, name: string, dataPath: string): unknown => {
    const text = first(name);
    const type = typeOf(node);
    if (type === 'boolean' && widget === 'checkbox') return text !== undefined;
    if (text === undefined) return undefined;
    const trimmed = text.trim();
    raw[dataPath] = trimmed;
    if (trimmed === '') return undefined;
    if (type === 'number' || type === 'integer') {
      const n = parseDecimal(trimmed, widget === 'currency');
      return Number.isNaN(n) ? trimmed : n; // a string: ajv reports "must be a number"
    }
    if (type === 'boolean') {
      if (trimmed === 'true') return true;
      if (trimmed === 'false') return false;
      return trimmed;
    }
    if (node.format === 'date-time' || widget === 'datetime') return parseDateTime(trimmed) ?? trimmed;
    return trimmed;
  };

  const list = (node: SchemaNode, widget: string, name: string, dataPath: string): unknown => {
    const item = node.items ?? {};
    const separate = [...(posted.get(`${name}[]`) ?? [])];
    const typed = posted.get(name) ?? [];
    if (typed.length) raw[dataPath] = typed.join('\n');
    // One value per line in a text area (tags also by commas); file names come one per input.
    for (const t of typed) separate.push(...t.split(widget === 'tags' ? /\r?\n|,/ : /\r?\n/));
    const values = separate.map((v) => v.trim()).filter(Boolean);
    if (values.length === 0) return undefined;
    const itemType = typeOf(item);
    if (itemType === 'number' || itemType === 'integer') {
      return values.map((v) => {
        const n = parseDecimal(v);
        return Number.isNaN(n) ? v : n;
      });
    }
    return values;
  };

  const rows = (name: string): number[] => {
    const indexes = new Set<number>();
    const prefix = `${name}[`;
    for (const key of posted.keys()) {
      if (!key.startsWith(prefix)) continue;
      const m = /^\[(\d+)\]/.exec(key.slice(name.length));
      if (m) indexes.add(Number(m[1]));
    }
    return [...indexes].sort((a, b) => a - b).filter((i) => i < 1000);
  };

  const object = (
    node: SchemaNode,
    prefix: string,
    schemaPath: string,
    dataPath: string,
    order?: string[],
  ): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const prop of orderedProperties(node, order)) {
      const child = node.properties![prop];
      if (child.readOnly) continue; // shown from the process, never taken from the browser
      const name = prefix ? `${prefix}[${prop}]` : prop;
      const childSchemaPath = schemaPath ? `${schemaPath}.${prop}` : prop;
      const childDataPath = dataPath ? `${dataPath}/${prop}` : prop;
      const widget = widgetOf(form, childSchemaPath, child);
      const type = typeOf(child);
      let value: unknown;
      if (type === 'object') {
        const nested = object(child, name, childSchemaPath, childDataPath);
        value = Object.keys(nested).length ? nested : undefined;
      } else if (type === 'array' && typeOf(child.items ?? {}) === 'object') {
        const items: Record<string, unknown>[] = [];
        for (const i of rows(name)) {
          if (first(`${name}[${i}][_remove]`) !== undefined) continue;
          const item = object(
            child.items!,
            `${name}[${i}]`,
            childSchemaPath,
            `${childDataPath}/${items.length}`,
          );
          if (Object.keys(item).length) items.push(item);
        }
        value = items.length ? items : undefined;
      } else if (type === 'array') {
        value = list(child, widget, name, childDataPath);
      } else {
        value = scalar(child, widget, name, childDataPath);
      }
      if (value !== undefined) out[prop] = value;
    }
    // Conditional fields: dropped when their condition does not hold.
    for (const [field, conditions] of conditionsOf(node)) {
      if (field in out && !conditionHolds(conditions, out)) delete out[field];
    }
    return out;
  };

  const data = object(form, '', '', '', form['x-ui']?.order);
  return { data, raw };
}

/** Whether a form has file fields (the page must post multipart/form-data). */
export function formHasFiles(form: FormSchema): boolean {
  return Object.values(form['x-ui']?.widgets ?? {}).some((w) => w === 'file' || w === 'file-list');
}

/** Data paths and schema paths of the file fields of a form (top level and nested objects). */
export function fileFields(form: FormSchema): { name: string; multiple: boolean }[] {
  return Object.entries(form['x-ui']?.widgets ?? {})
    .filter(([, w]) => w === 'file' || w === 'file-list')
    .map(([path, w]) => ({
      name: path
        .split('.')
        .map((p, i) => (i === 0 ? p : `[${p}]`))
        .join(''),
      multiple: w === 'file-list',
    }));
}
