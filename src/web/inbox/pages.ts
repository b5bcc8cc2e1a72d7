/**
 * The inbox pages: the lists at /attivita and working one task at /attivita/<id>.
 * Everything works without JavaScript (forms post, the server answers with a page or a
 * redirect); the inbox bundle only adds autosave, shortcuts and conditional fields.
 */
import type { Request, Response } from 'express';
import { DateTime } from 'luxon';
import type { InboxServices } from '../../cases';
import { ValidationError } from '../../errors';
import {
  fileFields,
  parseFormInput,
  renderForm,
  type FieldError,
  type FormSchema,
} from '../../forms';
import { comuniInScope, provinceOf } from '../../tenancy';
import {
  allColumns,
  displayName,
  inboxSettings,
  inputError,
  InvalidCursorError,
  listQueryParams,
  parseListQuery,
  safeFileName,
  StaleTaskError,
  TaskInputError,
  VIEWS,
  type Actor,
  type BulkAction,
  type InboxTask,
  type TaskQuery,
} from '../../tasks';
import { bundleLinks } from '../bundles';
import type { WebContext } from '../core/context';
import { principalOf } from '../core/context';
import { redirectAfterSave } from '../core/session';
import { translate, type Locale } from '../i18n';
import { deadlineView, priorityKey, rowView } from './present';
import { actorOf, localizeErrors, tFor } from './web-actor';

export const LIST_PATH = '/attivita';

export function services(ctx: WebContext): InboxServices {
  if (!ctx.inbox) throw new Error('the inbox services are not started (product.ts starts them)');
  return ctx.inbox;
}

export function scripts(): string[] {
  try {
    return [bundleLinks('inbox').script];
  } catch {
    return []; // not built: the pages work without it
  }
}

export const STYLES = ['/static/inbox/inbox.css'];

/** A list URL to come back to (only /attivita lists). */
export function listReturn(value: unknown): string {
  return typeof value === 'string' && /^\/attivita(\?[^\s]*)?$/.test(value) && value.length < 2000
    ? value
    : LIST_PATH;
}

function listUrl(q: TaskQuery, cursor?: string): string {
  const p = listQueryParams(q);
  if (cursor) p.set('cursor', cursor);
  return `${LIST_PATH}?${p.toString()}`;
}

export async function listPage(ctx: WebContext, req: Request, res: Response): Promise<void> {
  const svc = services(ctx);
  const principal = principalOf(req);
  const actor = actorOf(principal);
  const locale = req.locale;
  let query: TaskQuery;
  let queryErrors: FieldError[] = [];
  try {
    query = parseListQuery(req.query as Record<string, unknown>);
  } catch (err) {
    if (!(err instanceof TaskInputError)) throw err;
    queryErrors = localizeErrors(err.errors, locale);
    query = { view: 'mine' };
  }
  let page;
  try {
    page = svc.inbox.list(actor, query);
  } catch (err) {
    if (!(err instanceof InvalidCursorError)) throw err;
    page = svc.inbox.list(actor, { ...query, cursor: undefined });
  }
  const counts = svc.inbox.counts(actor);
  const province = provinceOf(ctx.config, principal);
  const allCols = allColumns(province);
  // Case number, comune and subject have their own places in a row.
  const subjects = new Set(['caseNumber', 'comuneName', 'subject']);
  for (const p of Object.values(inboxSettings(province).processes)) {
    if (p.subjectVariable) subjects.add(p.subjectVariable);
  }
  // Only the columns this page has values for (each process declares its own).
  const columns = allCols
    .filter((c) => !subjects.has(c.variable))
    .filter((c) => page.items.some((r) => r.business[c.variable] !== undefined));
  const now = svc.inbox.now();
  const here = listUrl(query, query.cursor);
  const views = VIEWS.filter((v) => v !== 'all' || actor.permissions.has('tasks.viewAll')).map(
    (v) => ({
      name: v,
      labelKey: `inbox.view.${v}`,
      count: counts[v],
      href: `${LIST_PATH}?view=${v}`,
      active: v === query.view,
    }),
  );
  const saved = svc.inbox.views.list(actor).map((v) => ({
    id: v._id,
    name: v.name,
    scopeKey: `inbox.savedViews.scope.${v.scope}`,
    href: `${LIST_PATH}?${v.query}`,
    active: listQueryParams(query).toString() === v.query,
    mayDelete:
      v.owner === actor.username || (v.scope === 'pinned' && actor.permissions.has('views.pin')),
  }));
  const sortKeys = [
    'due',
    'priority',
    'created',
    'name',
    ...columns.map((c) => `business.${c.variable}`),
  ];
  res.render('inbox/views/list', {
    title: translate(locale, `inbox.view.${query.view}`),
    scripts: scripts(),
    styles: STYLES,
    query,
    queryParams: Object.fromEntries(listQueryParams(query)),
    queryString: listQueryParams(query).toString(),
    queryErrors,
    views,
    saved,
    columns,
    rows: page.items.map((r) => rowView(r, province, svc.directory, now, columns)),
    total: page.total,
    nextHref: page.nextCursor ? listUrl(query, page.nextCursor) : undefined,
    firstHref: query.cursor ? listUrl(query) : undefined,
    returnTo: here,
    sorts: sortKeys.map((s) => ({
      value: s,
      label: s.startsWith('business.')
        ? (allCols.find((c) => `business.${c.variable}` === s)?.label ?? s)
        : translate(locale, `inbox.sort.${s}`),
      selected: (query.sort ?? 'due') === s,
    })),
    processes: [...new Set(province.enabledProcesses)].map((p) => ({
      value: p,
      labelKey: `inbox.process.${p}`,
      selected: query.process === p,
    })),
    comuni: comuniInScope(ctx.config, principal).map((c) => ({
      value: c.istat,
      label: c.name,
      selected: query.comune === c.istat,
    })),
    colleagues: svc.directory
      .people(actor.tenantId)
      .filter((p) => !actor.comune || p.comune === actor.comune)
      .map((p) => ({ value: p.username, label: p.name, selected: query.assignee === p.username })),
    mayAssign: actor.permissions.has('tasks.assign'),
    mayShare: actor.permissions.has('views.share'),
    mayPin: actor.permissions.has('views.pin'),
    offices: actor.roles.map((r) => ({ value: r, labelKey: `core.role.${r}` })),
  });
}

interface TaskPageState {
  values?: Record<string, unknown>;
  raw?: Record<string, string>;
  /** Errors of the form's fields (a refused completion or draft). */
  errors?: FieldError[];
  /** Errors of an action outside the form (reason of a delegation, a file, a date). */
  actionErrors?: FieldError[];
  stale?: StaleTaskError;
  status?: number;
  extraRows?: Record<string, number>;
  notice?: string;
}

function formOf(svc: InboxServices, task: InboxTask): FormSchema | undefined {
  return task.formKey && svc.forms.has(task.formKey) ? svc.forms.get(task.formKey) : undefined;
}

/** The task's current form values: the draft, else the process's values of the form's fields. */
function currentValues(
  form: FormSchema | undefined,
  task: InboxTask,
  draft: Record<string, unknown> | undefined,
) {
  if (draft) return draft;
  if (!form) return {};
  return Object.fromEntries(
    Object.keys(form.properties)
      .filter((k) => k in task.context)
      .map((k) => [k, task.context[k]]),
  );
}

export async function taskPage(
  ctx: WebContext,
  req: Request,
  res: Response,
  state: TaskPageState = {},
): Promise<void> {
  const svc = services(ctx);
  const principal = principalOf(req);
  const actor = actorOf(principal);
  const locale: Locale = req.locale;
  const t = tFor(locale);
  const opened = await svc.inbox.open(actor, String(req.params.id));
  const { task, abilities } = opened;
  const province = provinceOf(ctx.config, principal);
  const form = formOf(svc, task);
  const returnTo = listReturn(req.query.torna ?? req.body?.torna);
  const filesByField: Record<string, { name: string; href: string }[]> = {};
  for (const a of opened.attachments.filter((x) => x.taskId === task._id && x.field)) {
    (filesByField[a.field!] ??= []).push({ name: a.fileName, href: `/allegati/${a.id}` });
  }
  const values = state.values ?? currentValues(form, task, opened.draft?.values);
  const formHtml = form
    ? renderForm(form, {
        t,
        locale,
        action: `/attivita/${task._id}`,
        hidden: { _csrf: res.locals.csrfToken(), version: String(task.version), torna: returnTo },
        values,
        raw: state.raw,
        errors: state.errors,
        context: task.context,
        comuni: comuniInScope(ctx.config, principal).map((c) => ({ istat: c.istat, name: c.name })),
        files: filesByField,
        extraRows: state.extraRows,
        readOnly: !abilities.complete,
        buttons: [{ name: '_action', value: 'draft', label: t('inbox.task.saveDraft') }],
        attributes: abilities.complete
          ? { 'data-pc-autosave': `/attivita/${task._id}/bozza`, 'data-testid': 'task-form' }
          : { 'data-testid': 'task-form' },
      })
    : undefined;
  const now = svc.inbox.now();
  const name = (u: string | undefined) => displayName(svc.directory, task.tenantId, u);
  const colleagues = svc.directory
    .people(task.tenantId)
    .filter(
      (p) =>
        p.username !== task.assignee && (!task.comune || !p.comune || p.comune === task.comune),
    );
  const eligible = colleagues.filter(
    (p) =>
      task.candidateUsers.includes(p.username) ||
      p.roles.some((r) => task.candidateGroups.includes(r)),
  );
  const history = await svc.inbox.history(actor, task._id);
  res.status(state.status ?? 200).render('inbox/views/task', {
    title: task.name,
    scripts: scripts(),
    styles: STYLES,
    task,
    state: task.state,
    stateKey: `inbox.state.${task.state}`,
    formHtml,
    noForm: !form,
    abilities,
    onBehalfOf: opened.onBehalfOf ? name(opened.onBehalfOf) : undefined,
    assigneeName: name(task.assignee),
    ownerName: task.delegation ? name(task.delegation.owner) : undefined,
    delegateName: task.delegation ? name(task.delegation.delegate) : undefined,
    deadline: deadlineView(province, task.dueAt, now),
    priorityKey: priorityKey(task.priority),
    dueDay: task.dueAt ? new Date(task.dueAt).toISOString().slice(0, 10) : '',
    followUpDay: task.followUpAt ? new Date(task.followUpAt).toISOString().slice(0, 10) : '',
    eligible: eligible.map((p) => ({ value: p.username, label: p.name })),
    colleagues: colleagues.map((p) => ({ value: p.username, label: p.name })),
    comments: opened.comments
      .filter((c) => c.taskId === task._id)
      .map((c) => ({ ...c, onBehalfOfName: c.onBehalfOf ? name(c.onBehalfOf) : undefined })),
    attachments: opened.attachments.map((a) => ({
      ...a,
      href: `/allegati/${a.id}`,
      here: a.taskId === task._id,
    })),
    history: history.map((h) => ({
      version: h.version,
      actionKey: `inbox.action.${h.change.action.replace('task.', '')}`,
      actorName: h.change.actor.startsWith('system:')
        ? t('inbox.actor.system')
        : name(h.change.actor),
      onBehalfOfName: h.change.onBehalfOf ? name(h.change.onBehalfOf) : undefined,
      at: h.change.at,
      reason: typeof h.change.details?.reason === 'string' ? h.change.details.reason : undefined,
    })),
    draftSavedAt: opened.draft?.savedAt,
    stale: state.stale
      ? {
          who: state.stale.changedByName ?? state.stale.changedBy ?? t('inbox.actor.system'),
          at: state.stale.changedAt,
          actionKey: state.stale.action
            ? `inbox.action.${state.stale.action.replace('task.', '')}`
            : undefined,
        }
      : undefined,
    actionErrors: state.actionErrors,
    notice: state.notice,
    returnTo,
    caseHref: `/fascicoli/${task.processInstanceKey}`,
  });
}

function uploadedFiles(req: Request): Express.Multer.File[] {
  return Array.isArray(req.files) ? req.files : [];
}

/** The form's file fields: names of files to keep + the new uploads' names; and the uploads. */
function withFiles(form: FormSchema, data: Record<string, unknown>, req: Request) {
  const files: { field: string; fileName: string; content: Buffer }[] = [];
  for (const f of fileFields(form)) {
    const uploads = uploadedFiles(req).filter(
      (u) => u.fieldname === `${f.name}__upload` && u.size > 0,
    );
    if (!uploads.length) continue;
    const names = uploads.map((u) => safeFileName(u.originalname));
    const field = f.name.replace(/\[|\]/g, (c) => (c === '[' ? '/' : '')).split('/')[0];
    if (f.multiple) data[field] = [...((data[field] as string[] | undefined) ?? []), ...names];
    else data[field] = names[0];
    for (const u of uploads)
      files.push({ field, fileName: safeFileName(u.originalname), content: u.buffer });
  }
  return files;
}

/** POST /attivita/<id>: complete, save the draft, or add a row (no-JS "add another"). */
export async function submitTask(ctx: WebContext, req: Request, res: Response): Promise<void> {
  const svc = services(ctx);
  const actor = actorOf(principalOf(req));
  const id = String(req.params.id);
  const task = await svc.inbox.get(actor, id);
  const form = formOf(svc, task);
  const action = String(req.body?._action ?? 'complete');
  const { data, raw } = form ? parseFormInput(form, req.body ?? {}) : { data: {}, raw: {} };
  const files = form ? withFiles(form, data, req) : [];
  if (action.startsWith('add-row:')) {
    const path = action.slice('add-row:'.length);
    if (svc.inbox.abilities(actor, task).complete)
      await svc.inbox.saveDraft(actor, id, data).catch(() => undefined);
    return taskPage(ctx, req, res, { values: data, raw, extraRows: { [path]: 1 } });
  }
  if (action === 'draft') {
    try {
      await svc.inbox.saveDraft(actor, id, data);
    } catch (err) {
      if (!(err instanceof TaskInputError)) throw err;
      return taskPage(ctx, req, res, {
        values: data,
        raw,
        errors: localizeErrors(err.errors, req.locale),
        status: 422,
      });
    }
    req.session.flash = { kind: 'success', key: 'inbox.flash.draftSaved' };
    return redirectAfterSave(
      req,
      res,
      `/attivita/${id}?torna=${encodeURIComponent(listReturn(req.body?.torna))}`,
    );
  }
  const version = Number(req.body?.version);
  try {
    // The page's language for the messages; the domain validates again, as the authority.
    if (form && task.formKey) {
      const check = svc.forms.validate(task.formKey, data, { locale: req.locale });
      if (!check.valid) throw new TaskInputError(check.errors);
    }
    await svc.inbox.complete(
      actor,
      id,
      data,
      Number.isInteger(version) ? version : undefined,
      files,
    );
  } catch (err) {
    if (err instanceof TaskInputError) {
      return taskPage(ctx, req, res, {
        values: data,
        raw,
        errors: localizeErrors(err.errors, req.locale),
        status: 422,
      });
    }
    if (err instanceof StaleTaskError) {
      return taskPage(ctx, req, res, { values: data, raw, stale: err, status: 409 });
    }
    throw err;
  }
  req.session.flash = { kind: 'success', key: 'inbox.flash.completed' };
  return redirectAfterSave(req, res, listReturn(req.body?.torna));
}

/** POST /attivita/<id>/bozza: the autosave (JSON answer) and the no-JS button alike. */
export async function saveDraft(ctx: WebContext, req: Request, res: Response): Promise<void> {
  const svc = services(ctx);
  const actor = actorOf(principalOf(req));
  const id = String(req.params.id);
  const task = await svc.inbox.get(actor, id);
  const form = formOf(svc, task);
  const { data } = form ? parseFormInput(form, req.body ?? {}) : { data: {} };
  const { draft, warnings } = await svc.inbox.saveDraft(actor, id, data);
  if (req.accepts(['html', 'json']) === 'json') {
    res.json({
      savedAt: draft.savedAt,
      warnings: warnings.map((w) => ({ field: w.field, message: w.message })),
    });
    return;
  }
  req.session.flash = { kind: 'success', key: 'inbox.flash.draftSaved' };
  return redirectAfterSave(req, res, `/attivita/${id}`);
}

type SimpleAction = (
  actor: Actor,
  id: string,
  body: Record<string, string>,
  version?: number,
) => Promise<unknown>;

/** A task action posted by a button or a small form: done, then back to the task (or the list). */
export function taskAction(
  ctx: WebContext,
  run: SimpleAction,
  flashKey: string,
  backToList = false,
) {
  return async (req: Request, res: Response): Promise<void> => {
    const actor = actorOf(principalOf(req));
    const id = String(req.params.id);
    const body = (req.body ?? {}) as Record<string, string>;
    const version =
      body.version === undefined || body.version === '' ? undefined : Number(body.version);
    try {
      await run(actor, id, body, Number.isInteger(version) ? version : undefined);
    } catch (err) {
      if (err instanceof StaleTaskError)
        return taskPage(ctx, req, res, { stale: err, status: 409 });
      if (err instanceof TaskInputError) {
        return taskPage(ctx, req, res, {
          actionErrors: localizeErrors(err.errors, req.locale),
          status: 422,
        });
      }
      throw err;
    }
    req.session.flash = { kind: 'success', key: flashKey };
    const back = listReturn(body.torna);
    return redirectAfterSave(
      req,
      res,
      backToList ? back : `/attivita/${id}?torna=${encodeURIComponent(back)}`,
    );
  };
}

function optionalDay(value: string | undefined, field: string): Date | null | undefined {
  if (value === undefined) return undefined;
  if (value === '') return null;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    throw new ValidationError('invalid date', [
      { field, message: `${field}: invalidDate`, key: 'inbox.input.invalidDate' },
    ]);
  }
  return DateTime.fromISO(value, { zone: 'Europe/Rome' }).endOf('day').toJSDate();
}

/** Dates from the task page: due and follow-up days (end of the day in Rome), priority. */
export function datesFromBody(body: Record<string, string>) {
  const out: { dueAt?: Date | null; followUpAt?: Date | null; priority?: number } = {};
  if ('dueDay' in body) out.dueAt = optionalDay(body.dueDay, 'dueAt');
  if ('followUpDay' in body) out.followUpAt = optionalDay(body.followUpDay, 'followUpAt');
  if (body.priority !== undefined && body.priority !== '') out.priority = Number(body.priority);
  return out;
}

export async function bulkPage(ctx: WebContext, req: Request, res: Response): Promise<void> {
  const svc = services(ctx);
  const actor = actorOf(principalOf(req));
  const body = req.body as Record<string, string | string[]>;
  const ids = [body.ids ?? []].flat().map(String);
  const type = String(body.action ?? '');
  let action: BulkAction;
  switch (type) {
    case 'claim':
    case 'release':
      action = { type };
      break;
    case 'assign':
      action = { type, userId: String(body.userId ?? '') };
      break;
    case 'dates':
      action = { type, ...datesFromBody(body as Record<string, string>) };
      break;
    default:
      throw new ValidationError('unknown action', [
        { field: 'action', message: 'action: unknownAction', key: 'inbox.input.unknownAction' },
      ]);
  }
  const results = await svc.inbox.bulk(actor, ids, action);
  const t = tFor(req.locale);
  res.render('inbox/views/bulk', {
    title: t('inbox.bulk.title'),
    actionKey: `inbox.bulk.action.${type}`,
    results: results.map((r) => {
      const row = svc.inbox.index.get(r.id);
      return {
        id: r.id,
        name: row?.name ?? r.id,
        ok: r.ok,
        error: r.error
          ? r.error.match(/^[a-zA-Z]+$/)
            ? t(`inbox.input.${r.error}`)
            : r.error
          : undefined,
        statusKey: r.ok ? 'inbox.bulk.ok' : `inbox.bulk.failed.${r.status}`,
      };
    }),
    returnTo: listReturn(body.torna),
  });
}

/** POST /attivita/<id>/allegati: every file checked first (type, 20 MiB), then stored on the case. */
export async function uploadAttachments(
  ctx: WebContext,
  req: Request,
  res: Response,
): Promise<void> {
  const svc = services(ctx);
  const actor = actorOf(principalOf(req));
  const id = String(req.params.id);
  await svc.inbox.get(actor, id);
  const files = uploadedFiles(req).filter((f) => f.size > 0);
  try {
    if (!files.length) throw inputError('file', 'fileRequired');
    for (const f of files) await svc.inbox.attachments.check(f.buffer, 'file');
    for (const f of files)
      await svc.inbox.attach(actor, id, { fileName: f.originalname, content: f.buffer });
  } catch (err) {
    if (err instanceof TaskInputError) {
      return taskPage(ctx, req, res, {
        actionErrors: localizeErrors(err.errors, req.locale),
        status: 422,
      });
    }
    throw err;
  }
  req.session.flash = { kind: 'success', key: 'inbox.flash.attached' };
  return redirectAfterSave(
    req,
    res,
    `/attivita/${id}?torna=${encodeURIComponent(listReturn(req.body?.torna))}#allegati`,
  );
}
