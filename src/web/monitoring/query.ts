/**
 * The instances list's filters as they travel in the page's query string (so a filtered
 * list is a link one can share) → src/monitoring's InstanceFilters. Bad values are
 * reported per field, in the page's language.
 */
import { ValidationError, type FieldError } from '../../errors';
import type { InstanceFilters, InstanceState } from '../../monitoring';

export const STATES: InstanceState[] = ['ACTIVE', 'COMPLETED', 'TERMINATED'];

export interface ListQuery {
  processo?: string;
  versione?: string;
  stato?: string;
  incidenti?: string;
  comune?: string;
  pratica?: string;
  avvioDal?: string;
  avvioAl?: string;
  fineDal?: string;
  fineAl?: string;
  variabile?: string;
  valore?: string;
}

const FIELDS: (keyof ListQuery)[] = [
  'processo',
  'versione',
  'stato',
  'incidenti',
  'comune',
  'pratica',
  'avvioDal',
  'avvioAl',
  'fineDal',
  'fineAl',
  'variabile',
  'valore',
];

/** The filter fields of a request's query, as strings (first value of each). */
export function listQuery(query: Record<string, unknown>): ListQuery {
  const out: ListQuery = {};
  for (const f of FIELDS) {
    const raw = Array.isArray(query[f]) ? (query[f] as unknown[])[0] : query[f];
    if (typeof raw === 'string' && raw.trim() !== '') out[f] = raw.trim().slice(0, 200);
  }
  return out;
}

/** A day (yyyy-mm-dd) in Europe/Rome as the start of that day; `next` = the day after. */
function day(value: string, field: string, errors: FieldError[], next = false): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const d = m ? new Date(`${value}T00:00:00+01:00`) : undefined;
  if (!d || Number.isNaN(d.getTime())) {
    errors.push({ field, message: 'Invalid date', key: 'monitoring.filters.badDate' });
    return undefined;
  }
  return next ? new Date(d.getTime() + 86_400_000) : d;
}

export function toFilters(q: ListQuery, comuni: string[]): InstanceFilters {
  const errors: FieldError[] = [];
  const f: InstanceFilters = {};
  if (q.processo) {
    if (!/^[A-Za-z_][\w.-]{0,79}$/.test(q.processo)) {
      errors.push({
        field: 'processo',
        message: 'Invalid process',
        key: 'monitoring.filters.badProcess',
      });
    } else f.bpmnProcessId = q.processo;
  }
  if (q.versione) {
    const v = Number(q.versione);
    if (!Number.isInteger(v) || v < 1) {
      errors.push({
        field: 'versione',
        message: 'Invalid version',
        key: 'monitoring.filters.badVersion',
      });
    } else f.version = v;
  }
  if (q.stato) {
    if (!STATES.includes(q.stato as InstanceState)) {
      errors.push({ field: 'stato', message: 'Invalid state', key: 'monitoring.filters.badState' });
    } else f.state = q.stato as InstanceState;
  }
  if (q.incidenti === '1') f.withIncidents = true;
  if (q.comune) {
    if (!comuni.includes(q.comune)) {
      errors.push({
        field: 'comune',
        message: 'Unknown comune',
        key: 'monitoring.filters.badComune',
      });
    } else f.comuneIstat = q.comune;
  }
  if (q.pratica) f.caseNumber = q.pratica;
  if (q.avvioDal) f.startedFrom = day(q.avvioDal, 'avvioDal', errors);
  if (q.avvioAl) f.startedTo = day(q.avvioAl, 'avvioAl', errors, true);
  if (q.fineDal) f.endedFrom = day(q.fineDal, 'fineDal', errors);
  if (q.fineAl) f.endedTo = day(q.fineAl, 'fineAl', errors, true);
  if (q.variabile) {
    if (!/^[A-Za-z_][\w.-]{0,99}$/.test(q.variabile)) {
      errors.push({
        field: 'variabile',
        message: 'Invalid variable name',
        key: 'monitoring.filters.badVariable',
      });
    } else f.variable = { name: q.variabile, value: q.valore ?? '' };
  }
  if (errors.length) throw new ValidationError('Invalid filters', errors);
  return f;
}

/** The same filters as a query string (for the CSV link and the paging links). */
export function queryString(q: ListQuery, extra: Record<string, string> = {}): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...q, ...extra })) if (v) p.set(k, v);
  const s = p.toString();
  return s ? `?${s}` : '';
}
