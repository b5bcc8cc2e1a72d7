/**
 * The personal API tokens page (the REST twin is /api/v1/tokens, src/web/api):
 *
 *   GET  /profilo/token                the person's active tokens + the "new token" form
 *   POST /profilo/token                creates one and shows it ONCE, in this very answer
 *   GET  /profilo/token/:id/revoca     "revoke this token?" (works without JavaScript)
 *   POST /profilo/token/:id/revoca     revokes it
 *
 * The secret is never stored in the session nor shown again: the POST answer renders it
 * (Cache-Control: no-store) instead of redirecting to a page that would need to keep it.
 * So that a reload of that answer (the browser sends the POST again) does not create a
 * second token, every form carries a one-time id (an idempotency key) that becomes the
 * new token's id: the session keeps the ids of the forms it was shown (at most
 * FORM_IDS_KEPT), and a form whose token already exists answers "already created, shown
 * once" with its name, first characters and a link to revoke it. A missing or unknown id
 * is a 400 that says so and creates nothing.
 * Creation and revocation go through the same functions as the API, which write the
 * security log.
 */
import type { NextFunction, Request, Response } from 'express';
import {
  MAX_TOKEN_DAYS,
  newTokenId,
  TokenAlreadyCreatedError,
  type ApiToken,
  type ApiTokenWithState,
} from '../../auth';
import { ConflictError, NotFoundError, ValidationError, type FieldError } from '../../errors';
import { createTokenFor, revokeTokenFor } from '../api';
import { principalOf, type WebContext } from '../core/context';
import { errorSummary, fieldMessages } from '../core/form-errors';
import type { RouteDef } from '../core/route-table';
import { redirectAfterSave, saveSession } from '../core/session';
import { translate } from '../i18n';

/** The durations offered on the page (days); the longest is the store's limit. */
export const TOKEN_DURATION_CHOICES = [7, 30, 60, 90, 180, MAX_TOKEN_DAYS] as const;
export const DEFAULT_TOKEN_DAYS = 90;

const PAGE = '/profilo/token';
/** Revoked or expired tokens stay in the list (greyed, with their state) this long. */
export const RECENT_INACTIVE_DAYS = 30;
/** Forms of the page open at once in one session (tabs); the oldest id is dropped first. */
export const FORM_IDS_KEPT = 10;

function noStore(res: Response): void {
  // A page that may hold a secret (or the list of them) is never cached.
  res.setHeader('Cache-Control', 'no-store');
}

export function tokenPageRoutes(ctx: WebContext): RouteDef[] {
  const render = async (
    req: Request,
    res: Response,
    status: number,
    extra: {
      created?: { token: string; record: ApiToken };
      alreadyCreated?: ApiTokenWithState;
      /** An i18n key: the form could not be used at all (no field to point at). */
      formProblem?: string;
      errors?: FieldError[];
      name?: string;
      days?: number;
    } = {},
  ) => {
    const principal = principalOf(req);
    const tokens = (
      await ctx.auth.tokens.listRecent(principal.accountId, RECENT_INACTIVE_DAYS)
    ).map((t) => ({ ...t, active: t.state === 'active' }));
    const days = extra.days ?? DEFAULT_TOKEN_DAYS;
    // Every form shown gets its own id, kept in the session before the page is sent.
    const formId = newTokenId();
    req.session.tokenFormIds = [...(req.session.tokenFormIds ?? []), formId].slice(-FORM_IDS_KEPT);
    await saveSession(req);
    noStore(res);
    res.status(status).render('auth/views/tokens', {
      title: translate(req.locale, 'auth.tokens.title'),
      tokens,
      hasActive: tokens.some((t) => t.active),
      hasInactive: tokens.some((t) => !t.active),
      formId,
      created: extra.created,
      alreadyCreated: extra.alreadyCreated && {
        ...extra.alreadyCreated,
        active: extra.alreadyCreated.state === 'active',
      },
      formProblem: extra.formProblem && translate(req.locale, extra.formProblem),
      apiUrl: `${ctx.publicUrl().replace(/\/$/, '')}/api/v1/me`,
      name: extra.name ?? '',
      durations: TOKEN_DURATION_CHOICES.map((d) => ({ days: d, selected: d === days })),
      maxDays: MAX_TOKEN_DAYS,
      errors: errorSummary(req.locale, extra.errors ?? []),
      fieldErrors: fieldMessages(req.locale, extra.errors ?? []),
      scripts: ['/static/auth/tokens.js'],
      styles: ['/static/auth/tokens.css'],
    });
  };

  const create = async (req: Request, res: Response, next: NextFunction) => {
    const name = typeof req.body?.name === 'string' ? req.body.name : '';
    const rawDays = typeof req.body?.expiresInDays === 'string' ? req.body.expiresInDays : '';
    // The page never creates a token without an expiry (the API still may).
    const days = rawDays.trim() === '' ? DEFAULT_TOKEN_DAYS : Number(rawDays);
    const keep = { name, days: Number.isInteger(days) ? days : DEFAULT_TOKEN_DAYS };
    const formId = typeof req.body?.formId === 'string' ? req.body.formId : '';
    const accountId = principalOf(req).accountId;
    /** Answers "already created" when this form's token exists; false when it does not. */
    const sentBefore = async (): Promise<boolean> => {
      const token = formId ? await ctx.auth.tokens.find(accountId, formId) : undefined;
      if (!token) return false;
      await render(req, res, 200, { alreadyCreated: token });
      return true;
    };
    try {
      // The same form again (a reload of the answer): its token exists; nothing is created.
      if (await sentBefore()) return;
      const pending = req.session.tokenFormIds ?? [];
      if (!pending.includes(formId)) {
        const formProblem = formId ? 'auth.tokens.formIdUnknown' : 'auth.tokens.formIdMissing';
        return await render(req, res, 400, { ...keep, formProblem });
      }
      const created = await createTokenFor(ctx, req, { name, expiresInDays: days }, { id: formId });
      req.session.tokenFormIds = pending.filter((id) => id !== formId);
      return await render(req, res, 201, { created });
    } catch (err) {
      // Both sends of one form arrived together: the other one created the token.
      if (err instanceof TokenAlreadyCreatedError && (await sentBefore())) return;
      if (err instanceof ValidationError) {
        return render(req, res, 422, { ...keep, errors: err.errors });
      }
      if (err instanceof ConflictError) {
        const tooMany: FieldError = {
          field: 'name',
          message: err.message,
          key: 'auth.tokens.tooMany',
        };
        return render(req, res, 409, { ...keep, errors: [tooMany] });
      }
      return next(err);
    }
  };

  /** One of the caller's active tokens; anybody else's is 404 (ids cannot be probed). */
  const ownToken = async (req: Request): Promise<ApiToken> => {
    const tokens = await ctx.auth.tokens.list(principalOf(req).accountId);
    const token = tokens.find((t) => t.id === String(req.params.id));
    if (!token) throw new NotFoundError('token not found');
    return token;
  };

  return [
    {
      method: 'get',
      path: PAGE,
      permission: 'signed-in',
      handler: (req, res) => render(req, res, 200),
    },
    { method: 'post', path: PAGE, permission: 'signed-in', handler: create },
    {
      method: 'get',
      path: `${PAGE}/:id/revoca`,
      permission: 'signed-in',
      params: { id: { resource: 'api-token-page' } },
      handler: async (req, res) => {
        const token = await ownToken(req);
        noStore(res);
        res.render('auth/views/token-revoke', {
          title: translate(req.locale, 'auth.tokens.revokeTitle', { name: token.name }),
          token,
        });
      },
    },
    {
      method: 'post',
      path: `${PAGE}/:id/revoca`,
      permission: 'signed-in',
      // Its own kind for the IDOR matrix: revoking consumes the token (test/support/idor).
      params: { id: { resource: 'api-token-revoke' } },
      handler: async (req, res) => {
        await revokeTokenFor(ctx, req, String(req.params.id));
        req.session.flash = { kind: 'success', key: 'auth.tokens.revoked' };
        await redirectAfterSave(req, res, PAGE);
      },
    },
  ];
}
