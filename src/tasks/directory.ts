/**
 * Who works in a province: names, e-mail addresses, roles (= candidate groups) and
 * the comune of comune users. The default reads engine-config (provinces/<ISTAT>.yaml
 * `users`); the auth room can supply its own accounts through the same interface.
 */
import type { ProductConfig } from '../config';

export interface Person {
  tenantId: string;
  username: string;
  name: string;
  email?: string;
  roles: string[];
  comune?: string;
}

export interface Directory {
  person(tenantId: string, username: string): Person | undefined;
  people(tenantId: string): Person[];
}

export function configDirectory(config: ProductConfig): Directory {
  const byTenant = new Map<string, Person[]>();
  for (const p of config.provinces.values()) {
    byTenant.set(
      p.tenantId,
      p.users.map((u) => ({
        tenantId: p.tenantId,
        username: u.username,
        name: u.name,
        email: u.email,
        roles: [...u.roles],
        comune: u.comune,
      })),
    );
  }
  return {
    person: (tenantId, username) => byTenant.get(tenantId)?.find((u) => u.username === username),
    people: (tenantId) => byTenant.get(tenantId) ?? [],
  };
}

/** A name for display: the person's name, else the username ("system:..." for workers). */
export function displayName(
  directory: Directory,
  tenantId: string,
  username: string | undefined,
): string | undefined {
  if (!username) return undefined;
  return directory.person(tenantId, username)?.name ?? username;
}
