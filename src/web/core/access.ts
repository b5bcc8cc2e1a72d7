/**
 * Who is calling, and may they call this route.
 *
 * `authenticate` (once per request) turns a session cookie or a personal API token
 * into req.principal, re-reading the account every time so that deactivation and role
 * changes apply at once, and enforces the absolute session time-out.
 *
 * `guardFor(route)` (first handler of every route) applies the route's `permission`:
 * anonymous callers are sent to /accedi (pages) or get 401 (API); callers without the
 * permission get 403 and the denial is written to the security log.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { can } from '../../auth';
import { ForbiddenError, UnauthenticatedError } from '../../errors';
import type { WebContext } from './context';
import { isApiPath, type RouteDef } from './route-table';

/** Marks the guard of a mounted route, so tests can find the route-table entry of every route. */
export const ROUTE_DEF = Symbol.for('province-e-comuni.routeDef');

export type GuardHandler = RequestHandler & { [ROUTE_DEF]: RouteDef };

export function bearerToken(req: Request): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1] : undefined;
}

export function authenticate(ctx: WebContext): RequestHandler {
  return async (req, _res, next) => {
    const token = bearerToken(req);
    if (token !== undefined || req.headers.authorization) {
      // Tokens are for the API only; a page request with one is treated as anonymous.
      if (!isApiPath(req.path)) return next();
      const found = token ? await ctx.auth.principalForToken(token) : undefined;
      if (!found) return next(new UnauthenticatedError('The bearer token is not valid'));
      req.principal = found.principal;
      return next();
    }
    const session = req.session;
    if (!session?.accountId) return next();
    const expired =
      session.signedInAt === undefined ||
      Date.now() - session.signedInAt > ctx.env.sessionAbsoluteTimeoutMs;
    if (expired) {
      await destroySession(req);
      req.sessionExpired = true;
      return next();
    }
    const found = await ctx.auth.principalForAccount(session.accountId, session.via ?? 'password');
    if (!found) {
      // Deactivated or deleted meanwhile: the session ends now.
      await destroySession(req);
      return next();
    }
    req.principal = found.principal;
    req.mustChangePassword = session.via !== 'oidc' && found.account.mustChangePassword;
    next();
  };
}

export function destroySession(req: Request): Promise<void> {
  return new Promise((resolve) => {
    if (!req.session) return resolve();
    req.session.destroy(() => resolve());
  });
}

/** A same-site path to come back to after signing in ("/attivita?vista=x"), or undefined. */
export function safeReturnPath(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 1000) return undefined;
  // Only local absolute paths: no scheme, no "//host", no backslash tricks.
  if (!/^\/(?![/\\])[^\s]*$/.test(value)) return undefined;
  return value;
}

export function guardFor(ctx: WebContext, route: RouteDef): GuardHandler {
  const api = isApiPath(route.path);
  const guard = (async (req: Request, res: Response, next: NextFunction) => {
    req.routeDef = route;
    if (route.permission === 'public') return next();
    const principal = req.principal;
    if (!principal) {
      if (api) return next(new UnauthenticatedError());
      if (req.method === 'GET') {
        const back = safeReturnPath(req.originalUrl);
        const query = new URLSearchParams();
        if (back && back !== '/') query.set('torna', back);
        // The sign-in page then says why ("La sessione è scaduta").
        if (req.sessionExpired) query.set('scaduta', '1');
        const search = query.toString();
        return res.redirect(303, `/accedi${search ? `?${search}` : ''}`);
      }
      return next(new UnauthenticatedError());
    }
    if (req.mustChangePassword && !route.allowDuringPasswordChange) {
      if (api) return next(new ForbiddenError('The one-time password must be changed first'));
      return res.redirect(303, '/profilo/password');
    }
    if (route.permission !== 'signed-in' && !can(principal, route.permission)) {
      await ctx.securityLog.record({
        action: 'access.denied',
        outcome: 'denied',
        tenantId: principal.tenantId,
        actor: { username: principal.username, accountId: principal.accountId, via: principal.via },
        ip: req.ip,
        target: {
          kind: 'route',
          id: `${req.method} ${route.path}`,
          label: req.originalUrl.slice(0, 200),
        },
        reason: `missing permission ${route.permission}`,
      });
      return next(
        new ForbiddenError(`Permission "${route.permission}" is required`, route.permission),
      );
    }
    next();
  }) as GuardHandler;
  guard[ROUTE_DEF] = route;
  return guard;
}
