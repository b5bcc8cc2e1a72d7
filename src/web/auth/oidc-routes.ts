/**
 * OpenID Connect sign-in (filled in by the OIDC milestone).
 */
import type { WebContext } from '../core/context';
import type { RouteDef } from '../core/route-table';

export interface OidcButton {
  href: string;
  label: string;
}

export function oidcButtons(_ctx: WebContext, _back: string | undefined): OidcButton[] {
  return [];
}

export function oidcRoutes(_ctx: WebContext): RouteDef[] {
  return [];
}
