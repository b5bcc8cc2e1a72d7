/**
 * Optional bearer-token check. With no token map every caller is trusted (all
 * tenants); with one, each call must carry `authorization: Bearer <token>` and gets
 * exactly the tenants the map lists for that token.
 */
import { status, type Metadata } from '@grpc/grpc-js';
import type { CallContext } from '../api';
import { GatewayError } from './errors';

export type TokenMap = Record<string, string[]>;

export function authenticate(metadata: Metadata, tokens: TokenMap | undefined): CallContext {
  if (!tokens) return {};
  const header = metadata.get('authorization')[0];
  const value = typeof header === 'string' ? header : header?.toString('utf8');
  const match = value ? /^Bearer\s+(.+)$/i.exec(value.trim()) : null;
  if (!match) {
    throw new GatewayError(
      status.UNAUTHENTICATED,
      'Expected a bearer token in the authorization header',
    );
  }
  const tenants = Object.prototype.hasOwnProperty.call(tokens, match[1])
    ? tokens[match[1]]
    : undefined;
  if (!tenants) throw new GatewayError(status.UNAUTHENTICATED, 'The bearer token is not valid');
  return { authorizedTenants: [...tenants] };
}

/** Zeebe answers PERMISSION_DENIED when a request names a tenant the caller may not use. */
export function checkTenantAccess(ctx: CallContext, tenantIds: (string | undefined)[]): void {
  const allowed = ctx.authorizedTenants;
  if (!allowed) return;
  for (const id of tenantIds) {
    if (id !== undefined && !allowed.includes(id)) {
      throw new GatewayError(
        status.PERMISSION_DENIED,
        `Expected to handle request for tenant '${id}', but the caller is not authorized for it`,
      );
    }
  }
}
