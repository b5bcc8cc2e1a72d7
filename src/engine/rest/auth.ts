/**
 * The REST API's token rules are the gateway's (src/engine/gateway/auth.ts): with no
 * token map every caller is trusted with all tenants; with one, each request carries
 * `Authorization: Bearer <token>` and sees exactly the tenants listed for that token.
 */
import type { CallContext } from '../api';
import type { TokenMap } from '../gateway/auth';
import { RestProblem } from './problem';

export function authenticateHttp(
  authorization: string | undefined,
  tokens: TokenMap | undefined,
): CallContext {
  if (!tokens) return {};
  const match = authorization ? /^Bearer\s+(.+)$/i.exec(authorization.trim()) : null;
  if (!match) {
    throw new RestProblem(
      401,
      'UNAUTHENTICATED',
      'Expected a bearer token in the Authorization header',
    );
  }
  const tenants = Object.prototype.hasOwnProperty.call(tokens, match[1])
    ? tokens[match[1]]
    : undefined;
  if (!tenants) throw new RestProblem(401, 'UNAUTHENTICATED', 'The bearer token is not valid');
  return { authorizedTenants: [...tenants] };
}

/** Whether the caller may see an entity of this tenant. */
export function mayRead(ctx: CallContext, tenantId: string): boolean {
  return !ctx.authorizedTenants || ctx.authorizedTenants.includes(tenantId);
}
