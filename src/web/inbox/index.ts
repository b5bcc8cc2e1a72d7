/**
 * The inbox area: /attivita (lists, saved views, bulk actions), /attivita/<id> (working
 * a task), the person's substitutes and notification settings, and /api/v1/tasks.
 * Pages and API call the same domain functions (src/tasks).
 */
import path from 'node:path';
import express from 'express';
import multer from 'multer';
import { MAX_ATTACHMENT_BYTES } from '../../tasks';
import type { WebContext } from '../core/context';
import type { RouteDef, WebArea } from '../core/route-table';
import { inboxApiRoutes, inboxOpenApi } from './api';
import { inboxHelpers } from './helpers';
import {
  bulkPage,
  datesFromBody,
  listPage,
  saveDraft,
  services,
  submitTask,
  taskAction,
  taskPage,
  uploadAttachments,
} from './pages';
import {
  addSubstitute,
  deleteView,
  notificationsPage,
  removeSubstitute,
  saveNotifications,
  saveView,
  shortcutsPage,
  substitutesPage,
} from './settings-pages';

/** Forms with files: multipart (20 MiB a file, 20 files), other forms urlencoded. */
export function formAndFiles(): express.RequestHandler[] {
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: MAX_ATTACHMENT_BYTES, files: 20, fields: 500, fieldSize: 100 * 1024 },
  });
  return [
    express.urlencoded({ extended: false, limit: '200kb', parameterLimit: 500 }),
    upload.any(),
  ];
}

export function inboxArea(ctx: WebContext): WebArea {
  const task = { id: { resource: 'task' } };
  const inbox = () => services(ctx).inbox;
  const page =
    (fn: (ctx: WebContext, req: express.Request, res: express.Response) => Promise<void> | void) =>
    (req: express.Request, res: express.Response) =>
      fn(ctx, req, res);
  const routes: RouteDef[] = [
    {
      method: 'get',
      path: '/attivita',
      permission: 'tasks.work',
      handler: page(listPage),
      summary: 'task lists',
    },
    {
      method: 'post',
      path: '/attivita/massiva',
      permission: 'tasks.work',
      handler: page(bulkPage),
    },
    {
      method: 'get',
      path: '/attivita/scorciatoie',
      permission: 'tasks.work',
      handler: shortcutsPage,
    },
    {
      method: 'get',
      path: '/attivita/sostituti',
      permission: 'tasks.work',
      handler: page((c, q, r) => substitutesPage(c, q, r)),
    },
    {
      method: 'post',
      path: '/attivita/sostituti',
      permission: 'tasks.work',
      handler: page(addSubstitute),
    },
    {
      method: 'post',
      path: '/attivita/sostituti/:ruleId/eliminazione',
      permission: 'tasks.work',
      params: { ruleId: { example: '00000000-0000-0000-0000-000000000000' } },
      handler: page(removeSubstitute),
    },
    {
      method: 'get',
      path: '/attivita/notifiche',
      permission: 'tasks.work',
      handler: page(notificationsPage),
    },
    {
      method: 'post',
      path: '/attivita/notifiche',
      permission: 'tasks.work',
      handler: page(saveNotifications),
    },
    { method: 'post', path: '/attivita/viste', permission: 'tasks.work', handler: page(saveView) },
    {
      method: 'post',
      path: '/attivita/viste/:viewId/eliminazione',
      permission: 'tasks.work',
      params: { viewId: { example: '00000000-0000-0000-0000-000000000000' } },
      handler: page(deleteView),
    },
    {
      method: 'get',
      path: '/attivita/:id',
      permission: 'tasks.work',
      params: task,
      handler: page((c, q, r) => taskPage(c, q, r)),
    },
    {
      method: 'post',
      path: '/attivita/:id',
      permission: 'tasks.work',
      params: task,
      bodyParsers: formAndFiles(),
      handler: page(submitTask),
      summary: 'complete the task, save its draft or add a row',
    },
    {
      method: 'post',
      path: '/attivita/:id/bozza',
      permission: 'tasks.work',
      params: task,
      bodyLimit: '200kb',
      handler: page(saveDraft),
    },
    {
      method: 'post',
      path: '/attivita/:id/presa-in-carico',
      permission: 'tasks.work',
      params: task,
      handler: taskAction(ctx, (a, id, _b, v) => inbox().claim(a, id, v), 'inbox.flash.claimed'),
    },
    {
      method: 'post',
      path: '/attivita/:id/rilascio',
      permission: 'tasks.work',
      params: task,
      handler: taskAction(
        ctx,
        (a, id, _b, v) => inbox().release(a, id, v),
        'inbox.flash.released',
        true,
      ),
    },
    {
      method: 'post',
      path: '/attivita/:id/assegnazione',
      permission: 'tasks.assign',
      params: task,
      handler: taskAction(
        ctx,
        (a, id, b, v) => inbox().assign(a, id, b.userId ?? '', v),
        'inbox.flash.assigned',
      ),
    },
    {
      method: 'post',
      path: '/attivita/:id/delega',
      permission: 'tasks.work',
      params: task,
      handler: taskAction(
        ctx,
        (a, id, b, v) => inbox().delegate(a, id, b.userId ?? '', b.reason ?? '', v),
        'inbox.flash.delegated',
        true,
      ),
    },
    {
      method: 'post',
      path: '/attivita/:id/restituzione',
      permission: 'tasks.work',
      params: task,
      handler: taskAction(
        ctx,
        (a, id, _b, v) => inbox().resolve(a, id, v),
        'inbox.flash.resolved',
        true,
      ),
    },
    {
      method: 'post',
      path: '/attivita/:id/date',
      permission: 'tasks.work',
      params: task,
      handler: taskAction(
        ctx,
        (a, id, b, v) => inbox().setDates(a, id, datesFromBody(b), v),
        'inbox.flash.datesChanged',
      ),
    },
    {
      method: 'post',
      path: '/attivita/:id/commenti',
      permission: 'tasks.work',
      params: task,
      bodyLimit: '20kb',
      handler: taskAction(
        ctx,
        (a, id, b) => inbox().comment(a, id, b.text ?? ''),
        'inbox.flash.commented',
      ),
    },
    {
      method: 'post',
      path: '/attivita/:id/allegati',
      permission: 'tasks.work',
      params: task,
      bodyParsers: formAndFiles(),
      handler: page(uploadAttachments),
    },
    ...inboxApiRoutes(ctx),
  ];
  return {
    name: 'inbox',
    menu: [{ labelKey: 'inbox.menu', href: '/attivita', permission: 'tasks.work', order: 20 }],
    routes,
    openapi: inboxOpenApi,
    partialsDir: path.join(__dirname, 'partials'),
    staticDir: path.join(__dirname, 'public'),
    helpers: inboxHelpers as never,
  };
}
