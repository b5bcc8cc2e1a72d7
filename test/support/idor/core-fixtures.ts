/** IDOR fixtures of the web core (auth): personal API tokens. */
import { randomBytes } from 'node:crypto';
import type { IdorFixture } from './types';

export const apiTokenFixture: IdorFixture = {
  kind: 'api-token',
  visibility: 'owner',
  sites: 'users',
  async create(env, site) {
    const marker = `idor-token-${site.owner.username}-${randomBytes(4).toString('hex')}`;
    const account = await env.product.auth.accounts.findByUsername(site.owner.username);
    const { record } = await env.product.auth.tokens.create(
      { accountId: account!.id, tenantId: account!.tenantId },
      { name: marker },
    );
    return { id: record.id, markers: [marker] };
  },
};
