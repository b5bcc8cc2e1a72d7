/**
 * /amministrazione/utenti: the province administrator manages the people of their
 * province (create with a one-time password, edit roles/office/comune, deactivate,
 * reset the password), and /api/v1/users does the same for scripts. Both call
 * src/auth/user-admin.ts; every change lands in the security log.
 */
import type { NextFunction, Request, Response } from 'express';
import { ROLES, type Account, type Principal, type Role } from '../../../auth';
import {
  createUserAdmin,
  type AdminActor,
  type NewUserInput,
  type UserPatch,
} from '../../../auth/user-admin';
import { ValidationError, type FieldError } from '../../../errors';
import { provinceOf } from '../../../tenancy';
import { principalOf, type WebContext } from '../../core/context';
import type { WebArea } from '../../core/route-table';
import { deleteSessionsOf, redirectAfterSave } from '../../core/session';
import { errorSummary, fieldMessages } from '../../core/form-errors';
import { translate } from '../../i18n';
import { usersOpenApi } from './openapi';

export function actorOf(req: Request): AdminActor {
  const p: Principal = principalOf(req);
  return {
    username: p.username,
    accountId: p.accountId,
    tenantId: p.tenantId,
    via: p.via,
    ip: req.ip,
  };
}

export function userJson(a: Account) {
  return {
    id: a.id,
    username: a.username,
    displayName: a.displayName,
    email: a.email ?? null,
    codiceFiscale: a.codiceFiscale ?? null,
    tenantId: a.tenantId,
    comune: a.comune ?? null,
    roles: [...a.roles],
    office: a.office ?? null,
    active: a.active,
    mustChangePassword: a.mustChangePassword,
    lastSignInAt: a.lastSignInAt?.toISOString() ?? null,
    createdAt: a.createdAt.toISOString(),
  };
}

function list(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  return typeof value === 'string' && value !== '' ? [value] : [];
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

export function usersArea(ctx: WebContext): WebArea {
  const admin = createUserAdmin({
    accounts: ctx.auth.accounts,
    securityLog: ctx.securityLog,
    config: ctx.config,
    endSessions: (accountId) => deleteSessionsOf(ctx.connection, accountId),
  });

  const comuneName = (req: Request, istat: string | undefined) =>
    istat
      ? (provinceOf(ctx.config, principalOf(req)).comuni.find((c) => c.istat === istat)?.name ??
        istat)
      : '';

  const formModel = (
    req: Request,
    values: Partial<NewUserInput & { active: boolean }>,
    errors: FieldError[],
  ) => {
    const province = provinceOf(ctx.config, principalOf(req));
    const chosen = new Set(values.roles ?? []);
    return {
      values,
      roles: ROLES.map((r) => ({ value: r, labelKey: `core.role.${r}`, checked: chosen.has(r) })),
      comuni: province.comuni.map((c) => ({
        value: c.istat,
        name: c.name,
        selected: c.istat === values.comune,
      })),
      errors: errorSummary(req.locale, errors),
      fieldErrors: fieldMessages(req.locale, errors),
    };
  };

  const listPage = async (req: Request, res: Response) => {
    const users = await admin.list(actorOf(req));
    res.render('admin/users/views/list', {
      title: translate(req.locale, 'auth.users.title'),
      users: users.map((u) => ({
        ...userJson(u),
        roleKeys: u.roles.map((r) => `core.role.${r}`),
        comuneName: comuneName(req, u.comune),
      })),
    });
  };

  const newPage = (req: Request, res: Response) =>
    res.render('admin/users/views/form', {
      title: translate(req.locale, 'auth.users.new'),
      creating: true,
      action: '/amministrazione/utenti',
      ...formModel(req, {}, []),
    });

  const formInput = (body: Record<string, unknown>): NewUserInput => ({
    username: text(body.username),
    displayName: text(body.displayName),
    email: text(body.email) || undefined,
    codiceFiscale: text(body.codiceFiscale) || undefined,
    comune: text(body.comune) || undefined,
    roles: list(body.roles) as Role[],
    office: text(body.office) || undefined,
  });

  const createFromForm = async (req: Request, res: Response, next: NextFunction) => {
    const input = formInput(req.body ?? {});
    try {
      const { account, oneTimePassword } = await admin.create(actorOf(req), input);
      res.status(201).render('admin/users/views/password-shown', {
        title: translate(req.locale, 'auth.users.created'),
        headingKey: 'auth.users.created',
        user: userJson(account),
        oneTimePassword,
      });
    } catch (err) {
      if (!(err instanceof ValidationError)) return next(err);
      res.status(422).render('admin/users/views/form', {
        title: translate(req.locale, 'auth.users.new'),
        creating: true,
        action: '/amministrazione/utenti',
        ...formModel(req, input, err.errors),
      });
    }
  };

  const editPage = async (req: Request, res: Response) => {
    const user = await admin.get(actorOf(req), String(req.params.id));
    res.render('admin/users/views/form', {
      title: translate(req.locale, 'auth.users.edit', { name: user.displayName }),
      creating: false,
      action: `/amministrazione/utenti/${user.id}`,
      user: userJson(user),
      self: user.id === principalOf(req).accountId,
      ...formModel(
        req,
        {
          ...userJson(user),
          email: user.email,
          comune: user.comune,
          office: user.office,
          codiceFiscale: user.codiceFiscale,
        },
        [],
      ),
    });
  };

  const updateFromForm = async (req: Request, res: Response, next: NextFunction) => {
    const actor = actorOf(req);
    // Load in scope first: another province's id answers 404 whatever the form says.
    const user = await admin.get(actor, String(req.params.id));
    const body = (req.body ?? {}) as Record<string, unknown>;
    const input = formInput(body);
    const patch: UserPatch = {
      displayName: input.displayName,
      email: input.email ?? null,
      codiceFiscale: input.codiceFiscale ?? null,
      comune: input.comune ?? null,
      roles: input.roles,
      office: input.office ?? null,
      active: body.active === 'on' || body.active === 'true',
    };
    try {
      await admin.update(actor, user.id, patch);
    } catch (err) {
      if (!(err instanceof ValidationError)) return next(err);
      return res.status(422).render('admin/users/views/form', {
        title: translate(req.locale, 'auth.users.edit', { name: user.displayName }),
        creating: false,
        action: `/amministrazione/utenti/${user.id}`,
        user: userJson(user),
        self: user.id === actor.accountId,
        ...formModel(req, { ...input, active: patch.active }, err.errors),
      });
    }
    req.session.flash = { kind: 'success', key: 'auth.users.saved' };
    await redirectAfterSave(req, res, '/amministrazione/utenti');
  };

  const resetFromForm = async (req: Request, res: Response) => {
    const { account, oneTimePassword } = await admin.resetPassword(
      actorOf(req),
      String(req.params.id),
    );
    res.render('admin/users/views/password-shown', {
      title: translate(req.locale, 'auth.users.passwordReset'),
      headingKey: 'auth.users.passwordReset',
      user: userJson(account),
      oneTimePassword,
    });
  };

  return {
    name: 'users',
    menu: [
      {
        labelKey: 'auth.users.menu',
        href: '/amministrazione/utenti',
        permission: 'users.manage',
        order: 80,
      },
    ],
    openapi: usersOpenApi,
    routes: [
      {
        method: 'get',
        path: '/amministrazione/utenti',
        permission: 'users.manage',
        handler: listPage,
      },
      {
        method: 'get',
        path: '/amministrazione/utenti/nuovo',
        permission: 'users.manage',
        handler: newPage,
      },
      {
        method: 'post',
        path: '/amministrazione/utenti',
        permission: 'users.manage',
        handler: createFromForm,
      },
      {
        method: 'get',
        path: '/amministrazione/utenti/:id',
        permission: 'users.manage',
        params: { id: { resource: 'user' } },
        handler: editPage,
      },
      {
        method: 'post',
        path: '/amministrazione/utenti/:id',
        permission: 'users.manage',
        params: { id: { resource: 'user' } },
        handler: updateFromForm,
      },
      {
        method: 'post',
        path: '/amministrazione/utenti/:id/password',
        permission: 'users.manage',
        params: { id: { resource: 'user' } },
        handler: resetFromForm,
      },
      // --- API ---
      {
        method: 'get',
        path: '/api/v1/users',
        permission: 'users.manage',
        handler: async (req, res) => {
          res.json({ items: (await admin.list(actorOf(req))).map(userJson) });
        },
      },
      {
        method: 'post',
        path: '/api/v1/users',
        permission: 'users.manage',
        handler: async (req, res) => {
          const { account, oneTimePassword } = await admin.create(
            actorOf(req),
            req.body as NewUserInput,
          );
          res.status(201).json({ user: userJson(account), oneTimePassword });
        },
      },
      {
        method: 'get',
        path: '/api/v1/users/:id',
        permission: 'users.manage',
        params: { id: { resource: 'user' } },
        handler: async (req, res) => {
          res.json(userJson(await admin.get(actorOf(req), String(req.params.id))));
        },
      },
      {
        method: 'patch',
        path: '/api/v1/users/:id',
        permission: 'users.manage',
        params: { id: { resource: 'user' } },
        handler: async (req, res) => {
          res.json(
            userJson(
              await admin.update(actorOf(req), String(req.params.id), req.body as UserPatch),
            ),
          );
        },
      },
      {
        method: 'post',
        path: '/api/v1/users/:id/password-reset',
        permission: 'users.manage',
        params: { id: { resource: 'user' } },
        handler: async (req, res) => {
          const { account, oneTimePassword } = await admin.resetPassword(
            actorOf(req),
            String(req.params.id),
          );
          res.json({ user: userJson(account), oneTimePassword });
        },
      },
    ],
  };
}
