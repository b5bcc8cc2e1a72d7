/**
 * Managing the people of a province: create (with a one-time password that must be
 * changed at first sign-in), edit roles, office, comune and contacts, deactivate and
 * reactivate, reset the password. Used by /amministrazione/utenti, /api/v1/users and
 * `npm run users`. Who may call it is checked by the caller (permission `users.manage`);
 * this module keeps every change inside the actor's province, refuses changes that
 * would lock the administrator out, and writes every change to the security log.
 */
import type { SecurityAction, SecurityLog } from '../audit/security-log';
import type { ProductConfig } from '../config';
import { NotFoundError, ValidationError, type FieldError } from '../errors';
import { validateProfile, type Account, type AccountProfile, type AccountStore } from './accounts';
import { generateOneTimePassword, hashPassword } from './passwords';
import type { Role } from './permissions';

export interface AdminActor {
  username: string;
  accountId?: string;
  /** The province the actor administers; '*' for the command line (any province). */
  tenantId: string;
  via: string;
  ip?: string;
}

export interface NewUserInput {
  username: string;
  displayName: string;
  email?: string;
  codiceFiscale?: string;
  /** Ignored for a province administrator (always their own province). */
  tenantId?: string;
  comune?: string;
  roles: Role[];
  office?: string;
}

export interface UserPatch {
  displayName?: string;
  email?: string | null;
  codiceFiscale?: string | null;
  comune?: string | null;
  roles?: Role[];
  office?: string | null;
  active?: boolean;
}

export interface UserAdminDeps {
  accounts: AccountStore;
  securityLog: SecurityLog;
  config: ProductConfig;
  /** Ends the person's open sessions (web sessions live in the web room). */
  endSessions?: (accountId: string) => Promise<void>;
}

export interface UserAdmin {
  list(actor: AdminActor, tenantId?: string): Promise<Account[]>;
  get(actor: AdminActor, id: string): Promise<Account>;
  create(
    actor: AdminActor,
    input: NewUserInput,
  ): Promise<{ account: Account; oneTimePassword: string }>;
  update(actor: AdminActor, id: string, patch: UserPatch): Promise<Account>;
  resetPassword(
    actor: AdminActor,
    id: string,
  ): Promise<{ account: Account; oneTimePassword: string }>;
}

const AUDITED_FIELDS = [
  'displayName',
  'email',
  'codiceFiscale',
  'comune',
  'roles',
  'office',
  'active',
] as const;

function visible(actor: AdminActor, account: Account | undefined): account is Account {
  return Boolean(account) && (actor.tenantId === '*' || account!.tenantId === actor.tenantId);
}

export function createUserAdmin(deps: UserAdminDeps): UserAdmin {
  const { accounts, securityLog, config } = deps;

  const log = (
    actor: AdminActor,
    action: SecurityAction,
    account: Account,
    details?: Record<string, unknown>,
  ) =>
    securityLog.record({
      action,
      outcome: 'success',
      tenantId: account.tenantId,
      actor: { username: actor.username, accountId: actor.accountId, via: actor.via },
      ip: actor.ip,
      target: { kind: 'user', id: account.id, label: account.username },
      details,
    });

  const admin: UserAdmin = {
    async list(actor, tenantId) {
      const tenant = actor.tenantId === '*' ? tenantId : actor.tenantId;
      if (!tenant)
        throw new ValidationError('a province is needed', [
          { field: 'tenantId', message: 'required' },
        ]);
      return accounts.listByTenant(tenant);
    },

    async get(actor, id) {
      const account = await accounts.findById(id);
      if (!visible(actor, account)) throw new NotFoundError('user not found');
      return account;
    },

    async create(actor, input) {
      const tenantId = actor.tenantId === '*' ? (input.tenantId ?? '') : actor.tenantId;
      const profile: AccountProfile = {
        username: (input.username ?? '').trim().toLowerCase(),
        displayName: input.displayName,
        email: input.email || undefined,
        codiceFiscale: input.codiceFiscale ? input.codiceFiscale.toUpperCase() : undefined,
        tenantId,
        comune: input.comune || undefined,
        roles: input.roles ?? [],
        office: input.office || undefined,
        active: true,
      };
      const errors = validateProfile(profile, config);
      if (errors.length) throw new ValidationError('the user was not created', errors);
      const oneTimePassword = generateOneTimePassword();
      const account = await accounts.create(profile, {
        passwordHash: await hashPassword(oneTimePassword),
        mustChangePassword: true,
      });
      await log(actor, 'users.created', account, {
        roles: account.roles,
        comune: account.comune,
        office: account.office,
      });
      return { account, oneTimePassword };
    },

    async update(actor, id, patch) {
      const before = await admin.get(actor, id);
      const merged: AccountProfile = {
        username: before.username,
        tenantId: before.tenantId,
        displayName: patch.displayName ?? before.displayName,
        email: patch.email === undefined ? before.email : patch.email || undefined,
        codiceFiscale:
          patch.codiceFiscale === undefined
            ? before.codiceFiscale
            : patch.codiceFiscale?.toUpperCase() || undefined,
        comune: patch.comune === undefined ? before.comune : patch.comune || undefined,
        roles: [...(patch.roles ?? before.roles)],
        office: patch.office === undefined ? before.office : patch.office || undefined,
        active: patch.active ?? before.active,
      };
      const errors: FieldError[] = validateProfile(merged, config);
      if (actor.accountId === before.id) {
        if (merged.active === false) {
          errors.push({
            field: 'active',
            message: 'you cannot deactivate yourself',
            key: 'auth.user.selfDeactivate',
          });
        }
        if (before.roles.includes('province-admin') && !merged.roles.includes('province-admin')) {
          errors.push({
            field: 'roles',
            message: 'you cannot remove your own administrator role',
            key: 'auth.user.selfDemote',
          });
        }
      }
      if (errors.length) throw new ValidationError('the user was not changed', errors);
      const after = await accounts.update(id, {
        displayName: merged.displayName,
        email: merged.email ?? '',
        codiceFiscale: merged.codiceFiscale ?? '',
        comune: merged.comune ?? '',
        roles: merged.roles,
        office: merged.office ?? '',
        active: merged.active,
      });
      if (!after) throw new NotFoundError('user not found');
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      for (const field of AUDITED_FIELDS) {
        const from = before[field];
        const to = after[field];
        if (JSON.stringify(from) !== JSON.stringify(to))
          changes[field] = { from: from ?? null, to: to ?? null };
      }
      if (Object.keys(changes).length > 0) await log(actor, 'users.updated', after, { changes });
      if (before.active && !after.active) await deps.endSessions?.(after.id);
      return after;
    },

    async resetPassword(actor, id) {
      const account = await admin.get(actor, id);
      const oneTimePassword = generateOneTimePassword();
      await accounts.setPassword(account.id, await hashPassword(oneTimePassword), {
        mustChangePassword: true,
      });
      await deps.endSessions?.(account.id);
      await log(actor, 'users.password-reset', account);
      return { account: (await accounts.findById(account.id))!, oneTimePassword };
    },
  };
  return admin;
}
