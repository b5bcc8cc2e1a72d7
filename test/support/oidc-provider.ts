/**
 * A real OpenID Connect provider for tests (oidc-provider from npm, with its development
 * login and consent pages): it stands in for a province's identity provider or a
 * SPID/CIE OIDC gateway. People log in with any password; their claims come from the
 * `people` map (login → claims, e.g. { fiscal_number: 'TINIT-...' }).
 */
import type { Server } from 'node:http';
import { findFreePort } from '../../src/db/embedded-ferretdb';

export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  close(): Promise<void>;
}

export interface TestOidcOptions {
  port: number;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  people: Record<string, Record<string, unknown>>;
}

export async function reserveOidcPort(): Promise<number> {
  return findFreePort();
}

export async function startOidcProvider(opts: TestOidcOptions): Promise<TestOidcProvider> {
  const mod = (await import('oidc-provider')) as unknown as {
    default: new (issuer: string, config: unknown) => { listen(port: number): Server };
  };
  const Provider = mod.default;
  const issuer = `http://127.0.0.1:${opts.port}`;
  const clientId = 'province-039';
  const clientSecret = 'a-test-client-secret-of-enough-length';
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: opts.redirectUris,
        post_logout_redirect_uris: opts.postLogoutRedirectUris,
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    async findAccount(_ctx: unknown, sub: string) {
      const claims = opts.people[sub];
      if (!claims) return undefined;
      return { accountId: sub, claims: async () => ({ sub, ...claims }) };
    },
    claims: { openid: ['sub'], profile: ['name', 'fiscal_number'] },
    pkce: { required: () => true },
    cookies: { keys: ['a-test-cookie-signing-key'] },
    // Explicit lifetimes (the defaults print a notice per artefact kind).
    ttl: {
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
      AccessToken: 600,
      IdToken: 600,
      AuthorizationCode: 60,
    },
    features: { devInteractions: { enabled: true } },
  });
  const server = provider.listen(opts.port);
  await new Promise<void>((resolve) =>
    server.listening ? resolve() : server.once('listening', () => resolve()),
  );
  return {
    issuer,
    clientId,
    clientSecret,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
