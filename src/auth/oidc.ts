/**
 * OpenID Connect sign-in (openid-client) for a province's identity provider or a
 * SPID/CIE OIDC gateway: authorisation code flow with PKCE (S256), state and nonce, all
 * checked by openid-client on the way back. The person is identified by their codice
 * fiscale (claim name configurable per province, SPID's `fiscal_number` by default,
 * "TINIT-" prefix removed) and must match exactly one active account of that province:
 * an unknown person is refused, never created.
 *
 * Configuration: `oidc` in engine-config/provinces/<ISTAT>.yaml; the client secret comes
 * from the environment variable it names. Plain-http issuers are accepted only on
 * loopback addresses (a local test provider), never in production.
 */
import * as client from 'openid-client';
import type { OidcConfig, ProductConfig } from '../config';
import { isCodiceFiscale } from '../forms/formats';
import type { Account, AccountStore } from './accounts';

export interface OidcStart {
  /** Where to send the browser. */
  url: string;
  /** To keep in the session until the callback. */
  pending: { tenantId: string; state: string; nonce: string; codeVerifier: string };
}

export type OidcResult =
  | { ok: true; account: Account; codiceFiscale: string; idToken?: string }
  | {
      ok: false;
      reason: 'unknown-person' | 'ambiguous' | 'no-fiscal-code' | 'rejected';
      detail: string;
      codiceFiscale?: string;
    };

export interface OidcService {
  /** Provinces with OIDC sign-in configured. */
  providers(): { tenantId: string; label?: string; provinceName: string }[];
  start(tenantId: string, redirectUri: string): Promise<OidcStart>;
  /** Completes the flow from the callback URL; never throws for a refused sign-in. */
  finish(pending: OidcStart['pending'], callbackUrl: URL): Promise<OidcResult>;
  /**
   * Where to send the browser at sign-out to end the session at the provider too
   * (RP-initiated logout), or undefined when the provider has no end_session_endpoint.
   */
  endSessionUrl(
    tenantId: string,
    idToken: string | undefined,
    postLogoutRedirectUri: string,
  ): Promise<string | undefined>;
}

function isLoopbackUrl(url: URL): boolean {
  return (
    url.hostname === 'localhost' ||
    url.hostname === '[::1]' ||
    /^127\.\d+\.\d+\.\d+$/.test(url.hostname)
  );
}

/** "TINIT-RSSMRA85T10A562S" (SPID) or "RSSMRA85T10A562S" → the codice fiscale, or undefined. */
export function codiceFiscaleFromClaim(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const cf = value
    .trim()
    .toUpperCase()
    .replace(/^TINIT-/, '');
  return isCodiceFiscale(cf) ? cf : undefined;
}

/** openid-client's message plus its cause's, which names the check (state, nonce, ...). */
function describeError(err: unknown): string {
  const e = err as Error & { code?: string; cause?: unknown };
  const cause =
    e.cause instanceof Error && e.cause.message !== e.message ? `: ${e.cause.message}` : '';
  return `${e.message}${cause}${e.code ? ` (${e.code})` : ''}`;
}

export function createOidcService(deps: {
  config: ProductConfig;
  accounts: AccountStore;
  /** Looks up the client secret's environment variable. */
  secret: (name: string) => string | undefined;
}): OidcService {
  // A missing client secret stops the start, naming the variable (not the first sign-in).
  for (const p of deps.config.provinces.values()) {
    if (p.oidc?.clientSecretEnv && !deps.secret(p.oidc.clientSecretEnv)) {
      throw new Error(
        `${p.file}: field "oidc.clientSecretEnv": environment variable ${p.oidc.clientSecretEnv} is not set`,
      );
    }
  }
  const discovered = new Map<string, Promise<client.Configuration>>();

  const settingsOf = (tenantId: string): OidcConfig => {
    const oidc = deps.config.provinces.get(tenantId)?.oidc;
    if (!oidc) throw new Error(`province ${tenantId} has no OIDC sign-in`);
    return oidc;
  };

  const configurationOf = (tenantId: string): Promise<client.Configuration> => {
    let p = discovered.get(tenantId);
    if (!p) {
      const oidc = settingsOf(tenantId);
      const issuer = new URL(oidc.issuer);
      const secret = oidc.clientSecretEnv ? deps.secret(oidc.clientSecretEnv) : undefined;
      if (oidc.clientSecretEnv && !secret) {
        throw new Error(
          `OIDC of province ${tenantId}: environment variable ${oidc.clientSecretEnv} is not set`,
        );
      }
      p = client.discovery(
        issuer,
        oidc.clientId,
        secret,
        secret ? client.ClientSecretPost(secret) : client.None(),
        issuer.protocol === 'http:' && isLoopbackUrl(issuer)
          ? { execute: [client.allowInsecureRequests] }
          : undefined,
      );
      // A failed discovery is retried on the next sign-in rather than cached.
      p.catch(() => discovered.delete(tenantId));
      discovered.set(tenantId, p);
    }
    return p;
  };

  return {
    providers() {
      return [...deps.config.provinces.values()]
        .filter((p) => p.oidc)
        .map((p) => ({ tenantId: p.tenantId, label: p.oidc!.label, provinceName: p.name }));
    },

    async start(tenantId, redirectUri) {
      const oidc = settingsOf(tenantId);
      const configuration = await configurationOf(tenantId);
      const codeVerifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const nonce = client.randomNonce();
      const url = client.buildAuthorizationUrl(configuration, {
        redirect_uri: redirectUri,
        scope: oidc.scope,
        response_type: 'code',
        code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      });
      return { url: url.href, pending: { tenantId, state, nonce, codeVerifier } };
    },

    async finish(pending, callbackUrl) {
      const oidc = settingsOf(pending.tenantId);
      const configuration = await configurationOf(pending.tenantId);
      let claims: Record<string, unknown>;
      let idToken: string | undefined;
      try {
        const tokens = await client.authorizationCodeGrant(configuration, callbackUrl, {
          pkceCodeVerifier: pending.codeVerifier,
          expectedState: pending.state,
          expectedNonce: pending.nonce,
          idTokenExpected: true,
        });
        claims = { ...(tokens.claims() ?? {}) };
        idToken = tokens.id_token;
        if (claims[oidc.fiscalCodeClaim] === undefined && tokens.access_token) {
          // Providers that follow OIDC Core strictly put profile claims in userinfo only.
          const info = await client.fetchUserInfo(
            configuration,
            tokens.access_token,
            String(claims.sub),
          );
          claims = { ...info, ...claims };
        }
      } catch (err) {
        return { ok: false, reason: 'rejected', detail: describeError(err).slice(0, 300) };
      }
      const codiceFiscale = codiceFiscaleFromClaim(claims[oidc.fiscalCodeClaim]);
      if (!codiceFiscale) {
        return {
          ok: false,
          reason: 'no-fiscal-code',
          detail: `claim "${oidc.fiscalCodeClaim}" missing or not a codice fiscale`,
        };
      }
      const matches = (
        await deps.accounts.findByCodiceFiscale(pending.tenantId, codiceFiscale)
      ).filter((a) => a.active);
      if (matches.length === 0) {
        return {
          ok: false,
          reason: 'unknown-person',
          detail: 'no active account with this codice fiscale',
          codiceFiscale,
        };
      }
      if (matches.length > 1) {
        return {
          ok: false,
          reason: 'ambiguous',
          detail: `${matches.length} accounts share this codice fiscale`,
          codiceFiscale,
        };
      }
      return { ok: true, account: matches[0], codiceFiscale, idToken };
    },

    async endSessionUrl(tenantId, idToken, postLogoutRedirectUri) {
      if (!deps.config.provinces.get(tenantId)?.oidc) return undefined;
      const configuration = await configurationOf(tenantId);
      if (!configuration.serverMetadata().end_session_endpoint) return undefined;
      return client.buildEndSessionUrl(configuration, {
        post_logout_redirect_uri: postLogoutRedirectUri,
        ...(idToken ? { id_token_hint: idToken } : {}),
      }).href;
    },
  };
}
