/**
 * OpenID Connect sign-in pages (the protocol is in src/auth/oidc.ts):
 *
 *   GET /accedi/oidc/ritorno     the provider's redirect back: code exchange, state, nonce
 *                                and PKCE checked; the person must match one account
 *   GET /accedi/oidc/:tenant     start: state, nonce and PKCE verifier go to the session,
 *                                the browser goes to the province's identity provider
 */
import type { Request, Response } from 'express';
import { createOidcService } from '../../auth/oidc';
import { safeReturnPath } from '../core/access';
import type { WebContext } from '../core/context';
import type { RouteDef } from '../core/route-table';
import { redirectAfterSave, saveSession } from '../core/session';
import { translate } from '../i18n';
import { startSignedInSession } from './signed-in';

export const OIDC_CALLBACK_PATH = '/accedi/oidc/ritorno';

export interface OidcButton {
  href: string;
  label: string;
}

const services = new WeakMap<WebContext, ReturnType<typeof createOidcService>>();
function oidcOf(ctx: WebContext) {
  let s = services.get(ctx);
  if (!s) {
    s = createOidcService({
      config: ctx.config,
      accounts: ctx.auth.accounts,
      secret: ctx.env.secret,
    });
    services.set(ctx, s);
  }
  return s;
}

export function oidcButtons(
  ctx: WebContext,
  back: string | undefined,
  locale: 'it' | 'en' = 'it',
): OidcButton[] {
  return oidcOf(ctx)
    .providers()
    .map((p) => ({
      href: `/accedi/oidc/${p.tenantId}${back ? `?torna=${encodeURIComponent(back)}` : ''}`,
      label: p.label ?? translate(locale, 'auth.oidc.button', { province: p.provinceName }),
    }));
}

/**
 * Where sign-out sends the browser after an OIDC session: the provider's end-session
 * endpoint (which comes back to /accedi?uscita=1), or undefined for a local sign-out only.
 */
export async function oidcSignOutUrl(
  ctx: WebContext,
  signOut: { tenantId: string; idToken?: string } | undefined,
): Promise<string | undefined> {
  if (!signOut) return undefined;
  try {
    return await oidcOf(ctx).endSessionUrl(
      signOut.tenantId,
      signOut.idToken,
      `${ctx.publicUrl()}/accedi?uscita=1`,
    );
  } catch {
    // The provider is unreachable: the product's session is over all the same.
    return undefined;
  }
}

/** The codice fiscale as the log keeps it: enough to recognise, not the whole of it. */
function masked(cf: string | undefined): string | undefined {
  return cf ? `${cf.slice(0, 6)}…` : undefined;
}

export function oidcRoutes(ctx: WebContext): RouteDef[] {
  const oidc = oidcOf(ctx);
  const redirectUri = () => `${ctx.publicUrl()}${OIDC_CALLBACK_PATH}`;

  const refuse = async (
    req: Request,
    res: Response,
    status: number,
    key: string,
    tenantId: string | undefined,
    reason: string,
    cf?: string,
  ) => {
    await ctx.securityLog.record({
      action: 'auth.oidc.refused',
      outcome: 'denied',
      tenantId,
      ip: req.ip,
      reason,
      details: cf ? { codiceFiscale: masked(cf) } : undefined,
    });
    res.status(status).render('auth/views/oidc-refused', {
      title: translate(req.locale, 'auth.oidc.refusedTitle'),
      messageKey: key,
    });
  };

  return [
    {
      method: 'get',
      path: OIDC_CALLBACK_PATH,
      permission: 'public',
      kind: 'redirect',
      summary: 'OIDC redirect back (state, nonce and PKCE are the protection; GET, no CSRF token)',
      handler: async (req, res) => {
        const pending = req.session.oidc;
        // One attempt per start: whatever happens now, this state is spent.
        delete req.session.oidc;
        if (!pending) {
          return refuse(
            req,
            res,
            400,
            'auth.oidc.noPending',
            undefined,
            'no sign-in in progress in this session',
          );
        }
        if (typeof req.query.error === 'string') {
          await saveSession(req);
          return refuse(
            req,
            res,
            403,
            'auth.oidc.providerRefused',
            pending.tenantId,
            `provider error: ${req.query.error.slice(0, 100)}`,
          );
        }
        const result = await oidc.finish(pending, new URL(req.originalUrl, ctx.publicUrl()));
        if (!result.ok) {
          await saveSession(req);
          const key =
            result.reason === 'unknown-person' || result.reason === 'ambiguous'
              ? 'auth.oidc.unknownPerson'
              : result.reason === 'no-fiscal-code'
                ? 'auth.oidc.noFiscalCode'
                : 'auth.oidc.failed';
          return refuse(
            req,
            res,
            403,
            key,
            pending.tenantId,
            `${result.reason}: ${result.detail}`,
            result.codiceFiscale,
          );
        }
        await startSignedInSession(ctx, req, result.account, 'oidc');
        req.session.oidcSignOut = { tenantId: pending.tenantId, idToken: result.idToken };
        await redirectAfterSave(req, res, safeReturnPath(pending.next) ?? '/');
      },
    },
    {
      method: 'get',
      path: '/accedi/oidc/:tenant',
      permission: 'public',
      kind: 'redirect',
      params: { tenant: { example: '039' } },
      summary: 'start OIDC sign-in with the province’s identity provider',
      handler: async (req, res) => {
        const tenantId = String(req.params.tenant);
        if (!oidc.providers().some((p) => p.tenantId === tenantId)) {
          return res.status(404).render('views/error', {
            title: translate(req.locale, 'core.error.404.title'),
            titleKey: 'core.error.404.title',
            textKey: 'auth.oidc.notConfigured',
          });
        }
        const { url, pending } = await oidc.start(tenantId, redirectUri());
        req.session.oidc = { ...pending, next: safeReturnPath(req.query.torna) };
        await saveSession(req);
        res.redirect(303, url);
      },
    },
  ];
}
