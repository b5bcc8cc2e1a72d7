/**
 * Tenancy: the one place that decides what a principal may see.
 *
 * - Every province is a tenant (tenantId = its ISTAT code); nobody reads another
 *   tenant's data.
 * - Comune staff (principal.comune set) see only their comune's data; province staff
 *   see all comuni of their province.
 *
 * Every domain query that reads tenant data starts from `scopeFilter(principal)`; every
 * single resource fetched by id goes through `assertInScope` (or is looked up with the
 * filter), which answers "not found" rather than "forbidden" so that ids of other
 * tenants cannot be probed.
 */
import type { Principal } from '../auth/principal';
import type { ProductConfig, ProvinceConfig, ComuneConfig } from '../config';
import { NotFoundError } from '../errors';

export interface ScopeFields {
  /** Field holding the tenant id (default "tenantId"). */
  tenant?: string;
  /** Field holding the comune's ISTAT code (default "comune"); null = the collection has none. */
  comune?: string | null;
}

/** The subset of a principal that scoping needs (so workers can build one too). */
export type Scope = Pick<Principal, 'tenantId' | 'comune'>;

/**
 * A MongoDB filter limiting a query to what the principal may see; merge your own
 * conditions into it: `{ ...scopeFilter(principal), state: 'open' }`.
 *
 * For a collection without a comune field pass `{ comune: null }`: comune staff then
 * still see only their tenant — so use that only for data that is not comune-specific
 * (e.g. the province's process models).
 */
export function scopeFilter(scope: Scope, fields: ScopeFields = {}): Record<string, string> {
  const tenantField = fields.tenant ?? 'tenantId';
  const comuneField = fields.comune === undefined ? 'comune' : fields.comune;
  const filter: Record<string, string> = { [tenantField]: scope.tenantId };
  if (scope.comune && comuneField) filter[comuneField] = scope.comune;
  return filter;
}

/** Whether a resource with this tenant (and comune) is visible to the principal. */
export function isInScope(scope: Scope, resource: { tenantId: string; comune?: string | null }) {
  if (resource.tenantId !== scope.tenantId) return false;
  if (scope.comune && resource.comune !== scope.comune) return false;
  return true;
}

/**
 * Returns the resource when the principal may see it; otherwise throws NotFoundError, so
 * the answer for "another province's task" is the same as for "no such task".
 */
export function assertInScope<T extends { tenantId: string; comune?: string | null }>(
  scope: Scope,
  resource: T | null | undefined,
  what = 'resource',
): T {
  if (!resource || !isInScope(scope, resource)) throw new NotFoundError(`${what} not found`);
  return resource;
}

/** The province the principal belongs to (from engine-config). */
export function provinceOf(config: ProductConfig, scope: Scope): ProvinceConfig {
  const province = config.provinces.get(scope.tenantId);
  if (!province) throw new NotFoundError(`province ${scope.tenantId} is not configured`);
  return province;
}

/** The comuni the principal may act for: their own, or every comune of the province. */
export function comuniInScope(config: ProductConfig, scope: Scope): ComuneConfig[] {
  const province = provinceOf(config, scope);
  return scope.comune ? province.comuni.filter((c) => c.istat === scope.comune) : province.comuni;
}
