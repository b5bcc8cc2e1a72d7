/** IDOR fixtures of the web core (auth): personal API tokens. */
import { randomBytes } from 'node:crypto';
import type { IdorFixture } from './types';

/**
 * One of a person's API tokens. Revoking consumes it, so each route that revokes has a kind
 * of its own (the matrix makes every allowed call once per route): 'api-token' for
 * DELETE /api/v1/tokens/:id, 'api-token-revoke' for the page's POST
 * /profilo/token/:id/revoca, and 'api-token-page' for the confirmation page, which must find
 * the token still active.
 */
function apiTokenFixtureOf(kind: string): IdorFixture {
  return {
    kind,
    visibility: 'owner',
    sites: 'users',
    async create(env, site) {
      const marker = `idor-${kind}-${site.owner.username}-${randomBytes(4).toString('hex')}`;
      const account = await env.product.auth.accounts.findByUsername(site.owner.username);
      const { record } = await env.product.auth.tokens.create(
        { accountId: account!.id, tenantId: account!.tenantId },
        { name: marker },
      );
      return { id: record.id, markers: [marker] };
    },
  };
}

export const apiTokenFixture = apiTokenFixtureOf('api-token');
export const apiTokenPageFixture = apiTokenFixtureOf('api-token-page');
export const apiTokenRevokeFixture = apiTokenFixtureOf('api-token-revoke');

/** A person of a province (for /amministrazione/utenti/:id and /api/v1/users/:id). */
export const userFixture: IdorFixture = {
  kind: 'user',
  visibility: 'tenant',
  sites: 'comuni',
  async create(env, site) {
    const suffix = randomBytes(3).toString('hex');
    const marker = `Persona Idor ${suffix}`;
    const account = await env.product.auth.accounts.create(
      {
        username: `idor.${suffix}`,
        displayName: marker,
        tenantId: site.tenantId,
        comune: site.comune,
        roles: ['comune-officer'],
        office: `Ufficio Idor ${suffix}`,
      },
      {},
    );
    return { id: account.id, markers: [marker, `idor.${suffix}`] };
  },
};
