/**
 * The personal API tokens page (filled in with the tokens milestone).
 */
import type { WebContext } from '../core/context';
import type { RouteDef } from '../core/route-table';

export function tokenPageRoutes(_ctx: WebContext): RouteDef[] {
  return [];
}
