/**
 * Signing in and out, the profile and "cambia password" (the domain is in src/auth).
 *
 *   GET  /accedi            the sign-in form (+ the province's OIDC buttons)
 *   POST /accedi            rate-limited per client address and per username (database
 *                           store, shared by all app processes); lock-out in src/auth
 *   POST /esci              sign out
 *   GET  /profilo           who am I: province, comune, roles, office
 *   GET/POST /profilo/password   change the password (forced after a one-time password)
 *   /profilo/token          personal API tokens (token-pages.ts)
 */
import path from 'node:path';
import type { NextFunction, Request, Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import { normalizeUsername } from '../../auth/accounts';
import { ValidationError, type FieldError } from '../../errors';
import { provinceOf } from '../../tenancy';
import { destroySession, safeReturnPath } from '../core/access';
import { principalOf, type WebContext } from '../core/context';
import { rateLimitStoreFor } from '../core/rate-limit-store';
import type { WebArea } from '../core/route-table';
import { renewCsrfToken } from '../core/security';
import { redirectAfterSave } from '../core/session';
import { errorSummary, fieldMessages } from '../core/form-errors';
import { translate } from '../i18n';
import { oidcRoutes, oidcButtons, oidcSignOutUrl } from './oidc-routes';
import { regenerateSession, startSignedInSession } from './signed-in';
import { tokenPageRoutes } from './token-pages';

const LOGIN_WINDOW_MS = 15 * 60_000;

export function authArea(ctx: WebContext): WebArea {
  const renderSignIn = (
    req: Request,
    res: Response,
    status: number,
    extra: { errorKey?: string; errorParams?: Record<string, unknown>; username?: string } = {},
  ) => {
    res.status(status).render('auth/views/sign-in', {
      title: translate(req.locale, 'auth.signIn.title'),
      username: extra.username ?? '',
      torna: safeReturnPath(req.body?.torna ?? req.query.torna) ?? '',
      errorKey: extra.errorKey,
      errorParams: extra.errorParams,
      signedOut: req.query.uscita === '1',
      expired: req.query.scaduta === '1',
      oidc: oidcButtons(ctx, safeReturnPath(req.query.torna), req.locale),
    });
  };

  const limiterOptions = (prefix: string, limit: number) => ({
    windowMs: LOGIN_WINDOW_MS,
    limit,
    // Only failed attempts count (the answer to a failed sign-in is 401/429).
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-8' as const,
    legacyHeaders: false,
    store: rateLimitStoreFor(ctx, ctx.connection, prefix),
    handler: (req: Request, res: Response) =>
      renderSignIn(req, res, 429, {
        errorKey: 'auth.signIn.tooManyAttempts',
        username: String(req.body?.username ?? ''),
      }),
  });
  const perIp = rateLimit(limiterOptions('login-ip', ctx.env.loginLimitPerIp));
  const perUsername = rateLimit({
    ...limiterOptions('login-user', ctx.env.loginLimitPerUsername),
    keyGenerator: (req: Request) =>
      normalizeUsername(String(req.body?.username ?? '')).slice(0, 100) || '(empty)',
  });

  const signIn = async (req: Request, res: Response) => {
    const username = typeof req.body?.username === 'string' ? req.body.username : '';
    const password = typeof req.body?.password === 'string' ? req.body.password : '';
    if (!username.trim() || !password) {
      return renderSignIn(req, res, 401, { errorKey: 'auth.signIn.missing', username });
    }
    const result = await ctx.auth.signIn({ username, password, ip: req.ip });
    if (!result.ok) {
      if (result.reason === 'locked') {
        const minutes = Math.max(
          1,
          Math.ceil((result.lockedUntil.getTime() - Date.now()) / 60_000),
        );
        res.setHeader('Retry-After', String(minutes * 60));
        return renderSignIn(req, res, 429, {
          errorKey: 'auth.signIn.locked',
          errorParams: { minutes },
          username,
        });
      }
      return renderSignIn(req, res, 401, {
        errorKey: result.justLocked ? 'auth.signIn.lockedNow' : 'auth.signIn.invalid',
        username,
      });
    }
    const back = safeReturnPath(req.body?.torna);
    await startSignedInSession(ctx, req, result.account, 'password');
    if (result.account.mustChangePassword) return redirectAfterSave(req, res, '/profilo/password');
    await redirectAfterSave(req, res, back ?? '/');
  };

  const signOut = async (req: Request, res: Response) => {
    const principal = principalOf(req);
    await ctx.securityLog.record({
      action: 'auth.sign-out',
      outcome: 'success',
      tenantId: principal.tenantId,
      actor: { username: principal.username, accountId: principal.accountId, via: principal.via },
      ip: req.ip,
    });
    const atProvider = req.session.oidcSignOut;
    await destroySession(req);
    res.clearCookie(req.secure ? '__Host-pc.sid' : 'pc.sid', { path: '/' });
    res.redirect(303, (await oidcSignOutUrl(ctx, atProvider)) ?? '/accedi?uscita=1');
  };

  const profile = async (req: Request, res: Response) => {
    const principal = principalOf(req);
    const account = await ctx.auth.accounts.findById(principal.accountId);
    res.render('auth/views/profile', {
      title: translate(req.locale, 'auth.profile.title'),
      account,
      province: provinceOf(ctx.config, principal),
      roles: principal.roles.map((r) => `core.role.${r}`),
      permissions: [...principal.permissions].sort(),
    });
  };

  const renderPassword = (req: Request, res: Response, status: number, errors: FieldError[] = []) =>
    res.status(status).render('auth/views/password', {
      title: translate(req.locale, 'auth.password.title'),
      errors: errorSummary(req.locale, errors),
      fieldErrors: fieldMessages(req.locale, errors),
      forced: req.mustChangePassword,
    });

  const changePassword = async (req: Request, res: Response, next: NextFunction) => {
    const principal = principalOf(req);
    try {
      await ctx.auth.changePassword(
        {
          accountId: principal.accountId,
          currentPassword: String(req.body?.currentPassword ?? ''),
          newPassword: String(req.body?.newPassword ?? ''),
          confirmation: String(req.body?.confirmation ?? ''),
        },
        { ip: req.ip, via: principal.via },
      );
    } catch (err) {
      if (err instanceof ValidationError) return renderPassword(req, res, 422, err.errors);
      return next(err);
    }
    // Other sessions of this person keep running; this one gets a fresh id.
    const { accountId, signedInAt, via } = req.session;
    await regenerateSession(req);
    Object.assign(req.session, { accountId, signedInAt, via });
    renewCsrfToken(req);
    req.session.flash = { kind: 'success', key: 'auth.password.changed' };
    await redirectAfterSave(req, res, '/');
  };

  return {
    name: 'auth',
    menu: [],
    // /static/auth/: the API tokens page's copy button and styles.
    staticDir: path.join(__dirname, 'public'),
    routes: [
      {
        method: 'get',
        path: '/accedi',
        permission: 'public',
        handler: (req, res) => {
          if (req.principal && !req.mustChangePassword)
            return res.redirect(303, safeReturnPath(req.query.torna) ?? '/');
          renderSignIn(req, res, 200);
        },
      },
      {
        method: 'post',
        path: '/accedi',
        permission: 'public',
        handler: [perIp, perUsername, signIn],
      },
      {
        method: 'post',
        path: '/esci',
        permission: 'signed-in',
        allowDuringPasswordChange: true,
        handler: signOut,
      },
      { method: 'get', path: '/profilo', permission: 'signed-in', handler: profile },
      {
        method: 'get',
        path: '/profilo/password',
        permission: 'signed-in',
        allowDuringPasswordChange: true,
        handler: (req, res) => renderPassword(req, res, 200),
      },
      {
        method: 'post',
        path: '/profilo/password',
        permission: 'signed-in',
        allowDuringPasswordChange: true,
        handler: changePassword,
      },
      ...tokenPageRoutes(ctx),
      ...oidcRoutes(ctx),
    ],
  };
}
