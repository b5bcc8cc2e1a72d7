/**
 * The moment a person has proved who they are (password or OIDC): a new session id,
 * the sign-in time for the absolute time-out, a fresh CSRF token, the security log.
 */
import type { Request } from 'express';
import type { WebContext } from '../core/context';
import { renewCsrfToken } from '../core/security';

export function regenerateSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) =>
    req.session.regenerate((err) => (err ? reject(err) : resolve())),
  );
}

/** Starts the session of a person who has just proved who they are. */
export async function startSignedInSession(
  ctx: WebContext,
  req: Request,
  account: { id: string; username: string; tenantId: string },
  via: 'password' | 'oidc',
): Promise<void> {
  // A new session id at sign-in: an id planted before (session fixation) is worth nothing.
  await regenerateSession(req);
  req.session.accountId = account.id;
  req.session.signedInAt = Date.now();
  req.session.via = via;
  renewCsrfToken(req);
  await ctx.securityLog.record({
    action: 'auth.sign-in',
    outcome: 'success',
    tenantId: account.tenantId,
    actor: { username: account.username, accountId: account.id, via },
    ip: req.ip,
  });
}
