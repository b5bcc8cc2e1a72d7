/**
 * The person's own inbox settings: substitutes for absences, e-mail notifications
 * (instant, daily digest, none), saved views, and the page of keyboard shortcuts.
 */
import type { Request, Response } from 'express';
import {
  NotificationPreferences,
  TaskInputError,
  TaskNotFoundError,
  type NotificationMode,
  type ViewScope,
} from '../../tasks';
import type { WebContext } from '../core/context';
import { principalOf } from '../core/context';
import { redirectAfterSave } from '../core/session';
import { translate } from '../i18n';
import { listReturn, scripts, services, STYLES } from './pages';
import { actorOf, localizeErrors } from './web-actor';

export async function substitutesPage(
  ctx: WebContext,
  req: Request,
  res: Response,
  errors?: ReturnType<typeof localizeErrors>,
) {
  const svc = services(ctx);
  const actor = actorOf(principalOf(req));
  const now = svc.inbox.now();
  const name = (u: string) => svc.directory.person(actor.tenantId, u)?.name ?? u;
  const today = now.toISOString().slice(0, 10);
  res.status(errors ? 422 : 200).render('inbox/views/substitutes', {
    title: translate(req.locale, 'inbox.substitutes.title'),
    scripts: scripts(),
    styles: STYLES,
    rules: svc.inbox.substitutes.rulesOf(actor.tenantId, actor.username).map((r) => ({
      ...r,
      standInName: name(r.standIn),
      active: r.from <= today && today <= r.to,
    })),
    covering: svc.inbox.substitutes.coveredBy(actor.tenantId, actor.username, now).map(name),
    colleagues: svc.directory
      .people(actor.tenantId)
      .filter((p) => p.username !== actor.username && (!actor.comune || p.comune === actor.comune))
      .map((p) => ({
        value: p.username,
        label: p.name,
        selected: req.body?.standIn === p.username,
      })),
    values: req.body ?? {},
    errors,
  });
}

export async function addSubstitute(ctx: WebContext, req: Request, res: Response) {
  const svc = services(ctx);
  const actor = actorOf(principalOf(req));
  const body = req.body as Record<string, string>;
  try {
    await svc.inbox.substitutes.add(
      actor.tenantId,
      actor.username,
      {
        standIn: body.standIn ?? '',
        from: body.from ?? '',
        to: body.to ?? '',
        reason: body.reason,
      },
      actor.username,
      svc.inbox.now(),
    );
  } catch (err) {
    if (err instanceof TaskInputError)
      return substitutesPage(ctx, req, res, localizeErrors(err.errors, req.locale));
    throw err;
  }
  req.session.flash = { kind: 'success', key: 'inbox.flash.substituteAdded' };
  return redirectAfterSave(req, res, '/attivita/sostituti');
}

export async function removeSubstitute(ctx: WebContext, req: Request, res: Response) {
  const svc = services(ctx);
  const actor = actorOf(principalOf(req));
  await svc.inbox.substitutes.remove(
    actor.tenantId,
    actor.username,
    String(req.params.ruleId),
    actor.username,
    svc.inbox.now(),
  );
  req.session.flash = { kind: 'success', key: 'inbox.flash.substituteRemoved' };
  return redirectAfterSave(req, res, '/attivita/sostituti');
}

const MODES: NotificationMode[] = ['instant', 'digest', 'off'];

export async function notificationsPage(ctx: WebContext, req: Request, res: Response) {
  const svc = services(ctx);
  const actor = actorOf(principalOf(req));
  const prefs = svc.notifier?.prefs;
  const mode = prefs ? await prefs.mode(actor.tenantId, actor.username) : 'instant';
  res.render('inbox/views/notifications', {
    title: translate(req.locale, 'inbox.notifications.title'),
    modes: MODES.map((m) => ({
      value: m,
      labelKey: `inbox.notifications.mode.${m}`,
      checked: m === mode,
    })),
    email: svc.directory.person(actor.tenantId, actor.username)?.email,
  });
}

export async function saveNotifications(ctx: WebContext, req: Request, res: Response) {
  const svc = services(ctx);
  const actor = actorOf(principalOf(req));
  const mode = String(req.body?.mode ?? '') as NotificationMode;
  if (!MODES.includes(mode)) {
    throw new TaskInputError([
      {
        field: 'mode',
        problem: 'invalidValue',
        keyword: 'input',
        message: 'mode: invalidValue',
        key: 'inbox.input.invalidValue',
      },
    ]);
  }
  await (svc.notifier?.prefs ?? new NotificationPreferences(ctx.connection)).set(
    actor.tenantId,
    actor.username,
    mode,
  );
  req.session.flash = { kind: 'success', key: 'inbox.flash.notificationsSaved' };
  return redirectAfterSave(req, res, '/attivita/notifiche');
}

export async function saveView(ctx: WebContext, req: Request, res: Response) {
  const svc = services(ctx);
  const actor = actorOf(principalOf(req));
  const body = req.body as Record<string, string>;
  const query = Object.fromEntries(new URLSearchParams(body.query ?? ''));
  const view = await svc.inbox.views.create(
    actor,
    {
      name: body.name ?? '',
      scope: (body.scope ?? 'personal') as ViewScope,
      office: body.office,
      query,
    },
    svc.inbox.now(),
  );
  req.session.flash = { kind: 'success', key: 'inbox.flash.viewSaved' };
  return redirectAfterSave(req, res, `/attivita?${view.query}`);
}

export async function deleteView(ctx: WebContext, req: Request, res: Response) {
  const svc = services(ctx);
  const actor = actorOf(principalOf(req));
  try {
    await svc.inbox.views.delete(actor, String(req.params.viewId), svc.inbox.now());
    req.session.flash = { kind: 'success', key: 'inbox.flash.viewDeleted' };
  } catch (err) {
    // A second click, or a view deleted in another tab: nothing to delete, say so.
    if (!(err instanceof TaskNotFoundError)) throw err;
    req.session.flash = { kind: 'info', key: 'inbox.flash.viewGone' };
  }
  return redirectAfterSave(req, res, listReturn(req.body?.torna));
}

export function shortcutsPage(req: Request, res: Response) {
  res.render('inbox/views/shortcuts', { title: translate(req.locale, 'inbox.shortcuts.title') });
}
