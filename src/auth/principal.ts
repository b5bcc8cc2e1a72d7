/**
 * The principal: who is acting, in which province (tenant) and, for comune staff, in
 * which comune, with which permissions. Built from an account for every request
 * (session or API token), so a role change or a deactivation takes effect at once.
 */
import { ForbiddenError } from '../errors';
import { permissionsOf, type Permission, type Role } from './permissions';

export type AuthMethod = 'password' | 'oidc' | 'token';

export interface Principal {
  accountId: string;
  username: string;
  displayName: string;
  email?: string;
  /** The province's ISTAT code. */
  tenantId: string;
  /** Set for comune staff only: the comune's ISTAT code; they see only its data. */
  comune?: string;
  roles: readonly Role[];
  office?: string;
  permissions: ReadonlySet<Permission>;
  via: AuthMethod;
}

export interface PrincipalSource {
  id: string;
  username: string;
  displayName: string;
  email?: string;
  tenantId: string;
  comune?: string;
  roles: readonly Role[];
  office?: string;
}

export function principalFrom(account: PrincipalSource, via: AuthMethod): Principal {
  return {
    accountId: account.id,
    username: account.username,
    displayName: account.displayName,
    email: account.email,
    tenantId: account.tenantId,
    comune: account.comune,
    roles: [...account.roles],
    office: account.office,
    permissions: permissionsOf(account.roles),
    via,
  };
}

export function can(principal: Principal | undefined, permission: Permission): boolean {
  return Boolean(principal?.permissions.has(permission));
}

/** Throws ForbiddenError (403) unless the principal holds the permission. */
export function requirePermission(principal: Principal, permission: Permission): void {
  if (!can(principal, permission)) {
    throw new ForbiddenError(`Permission "${permission}" is required`, permission);
  }
}
