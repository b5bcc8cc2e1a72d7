/**
 * The state of a task list as URL parameters (view, q, sort, order, filters, cursor):
 * the pages put it in the URL so it survives opening a task and the back button, the
 * API takes the same parameters, and saved views store it.
 */
import { DateTime } from 'luxon';
import { inputError } from './errors';
import { SORTS, VIEWS, type SortKey, type TaskQuery, type ViewName } from './task-index';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const COLUMN = /^business\.[A-Za-z_][A-Za-z0-9_]{0,60}$/;

/** A day in Rome: its first or last moment. */
function day(value: string, field: string, endOfDay: boolean): Date {
  const dt = DAY.test(value) ? DateTime.fromISO(value, { zone: 'Europe/Rome' }) : undefined;
  if (!dt?.isValid) throw inputError(field, 'invalidDate');
  return (endOfDay ? dt.endOf('day') : dt.startOf('day')).toJSDate();
}

/** Parses list parameters; unknown values are 422 errors naming the parameter. */
export function parseListQuery(
  params: Record<string, unknown>,
  defaultView: ViewName = 'mine',
): TaskQuery {
  const str = (name: string): string | undefined => {
    const v = params[name];
    const s = Array.isArray(v) ? v[0] : v;
    return typeof s === 'string' && s.trim() !== '' ? s.trim() : undefined;
  };
  const view = (str('view') ?? defaultView) as ViewName;
  if (!VIEWS.includes(view)) throw inputError('view', 'unknownView');
  const sort = str('sort') as SortKey | undefined;
  if (sort && !(SORTS as readonly string[]).includes(sort) && !COLUMN.test(sort)) {
    throw inputError('sort', 'unknownSort');
  }
  const order = str('order');
  if (order && order !== 'asc' && order !== 'desc') throw inputError('order', 'unknownOrder');
  const q = str('q');
  if (q && q.length > 200) throw inputError('q', 'tooLong');
  const limitText = str('limit');
  const limit = limitText === undefined ? undefined : Number(limitText);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > 200)) {
    throw inputError('limit', 'invalidLimit');
  }
  const process = str('process');
  if (process && !/^[A-Za-z0-9_.-]{1,100}$/.test(process))
    throw inputError('process', 'invalidValue');
  const comune = str('comune');
  if (comune && !/^[0-9]{6}$/.test(comune)) throw inputError('comune', 'invalidValue');
  const assignee = str('assignee');
  if (assignee && !/^(-|[a-z0-9._-]{3,40})$/.test(assignee))
    throw inputError('assignee', 'invalidValue');
  const dueFrom = str('dueFrom');
  const dueTo = str('dueTo');
  const createdFrom = str('createdFrom');
  const createdTo = str('createdTo');
  return {
    view,
    q,
    sort,
    order: order as 'asc' | 'desc' | undefined,
    process,
    comune,
    assignee,
    dueFrom: dueFrom ? day(dueFrom, 'dueFrom', false) : undefined,
    dueTo: dueTo ? day(dueTo, 'dueTo', true) : undefined,
    createdFrom: createdFrom ? day(createdFrom, 'createdFrom', false) : undefined,
    createdTo: createdTo ? day(createdTo, 'createdTo', true) : undefined,
    cursor: str('cursor'),
    limit,
  };
}

const ROME_DAY = (d: Date) =>
  new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Rome' }).format(d);

/** The URL parameters of a list state (without the cursor unless asked), in a stable order. */
export function listQueryParams(q: TaskQuery, withCursor = false): URLSearchParams {
  const p = new URLSearchParams();
  p.set('view', q.view);
  if (q.q) p.set('q', q.q);
  if (q.process) p.set('process', q.process);
  if (q.comune) p.set('comune', q.comune);
  if (q.assignee) p.set('assignee', q.assignee);
  if (q.dueFrom) p.set('dueFrom', ROME_DAY(q.dueFrom));
  if (q.dueTo) p.set('dueTo', ROME_DAY(q.dueTo));
  if (q.createdFrom) p.set('createdFrom', ROME_DAY(q.createdFrom));
  if (q.createdTo) p.set('createdTo', ROME_DAY(q.createdTo));
  if (q.sort) p.set('sort', q.sort);
  if (q.order) p.set('order', q.order);
  if (withCursor && q.cursor) p.set('cursor', q.cursor);
  return p;
}
