/**
 * Accounts: the people who sign in. One document per person in the `accounts`
 * collection (mongoose model): username (unique across provinces, so sign-in needs no
 * province picker), display name, e-mail, codice fiscale (for OIDC/SPID sign-in),
 * province (tenant), comune for comune staff, roles, office, active flag, and the
 * argon2id hash of the password (none for accounts that only sign in through OIDC).
 *
 * This module stores and validates; who may change what is decided in user-admin.ts.
 */
import { Schema, type Connection, type Model } from 'mongoose';
import type { ProductConfig } from '../config';
import { ConflictError, type FieldError } from '../errors';
import { isCodiceFiscale } from '../forms/formats';
import { COMUNE_ROLES, isRole, type Role } from './permissions';
import type { PrincipalSource } from './principal';

export const ACCOUNTS_COLLECTION = 'accounts';
export const USERNAME_PATTERN = /^[a-z0-9._-]{3,40}$/;

export interface Account extends PrincipalSource {
  codiceFiscale?: string;
  active: boolean;
  passwordHash?: string;
  /** A one-time password was set: the next sign-in must choose a new password. */
  mustChangePassword: boolean;
  /** Created from engine-config as a demo user (DEMO_DATA). */
  demo: boolean;
  createdAt: Date;
  updatedAt: Date;
  lastSignInAt?: Date;
  passwordChangedAt?: Date;
}

/** What a person's record says (no password, no bookkeeping). */
export interface AccountProfile {
  username: string;
  displayName: string;
  email?: string;
  codiceFiscale?: string;
  tenantId: string;
  comune?: string;
  roles: Role[];
  office?: string;
  active?: boolean;
}

interface AccountDoc {
  username: string;
  displayName: string;
  email?: string;
  codiceFiscale?: string;
  tenantId: string;
  comune?: string;
  roles: string[];
  office?: string;
  active: boolean;
  passwordHash?: string;
  mustChangePassword: boolean;
  demo: boolean;
  createdAt: Date;
  updatedAt: Date;
  lastSignInAt?: Date;
  passwordChangedAt?: Date;
}

const accountSchema = new Schema<AccountDoc>(
  {
    username: { type: String, required: true, unique: true },
    displayName: { type: String, required: true },
    email: String,
    codiceFiscale: String,
    tenantId: { type: String, required: true, index: true },
    comune: String,
    roles: { type: [String], required: true },
    office: String,
    active: { type: Boolean, required: true, default: true },
    passwordHash: String,
    mustChangePassword: { type: Boolean, required: true, default: false },
    demo: { type: Boolean, required: true, default: false },
    lastSignInAt: Date,
    passwordChangedAt: Date,
  },
  { timestamps: true, versionKey: false, collection: ACCOUNTS_COLLECTION, strict: 'throw' },
);

function toAccount(doc: AccountDoc & { _id: unknown }): Account {
  return {
    id: String(doc._id),
    username: doc.username,
    displayName: doc.displayName,
    email: doc.email ?? undefined,
    codiceFiscale: doc.codiceFiscale ?? undefined,
    tenantId: doc.tenantId,
    comune: doc.comune ?? undefined,
    roles: doc.roles.filter(isRole),
    office: doc.office ?? undefined,
    active: doc.active,
    passwordHash: doc.passwordHash ?? undefined,
    mustChangePassword: doc.mustChangePassword,
    demo: doc.demo,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
    lastSignInAt: doc.lastSignInAt ?? undefined,
    passwordChangedAt: doc.passwordChangedAt ?? undefined,
  };
}

export function normalizeUsername(username: string): string {
  return username.trim().toLowerCase();
}

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Checks a profile against the configuration: a known province, a comune of that
 * province for comune roles (and only comune roles with a comune), a valid codice
 * fiscale. Returns every problem at once.
 */
export function validateProfile(profile: AccountProfile, config: ProductConfig): FieldError[] {
  const errors: FieldError[] = [];
  const err = (field: string, message: string, key: string, params?: Record<string, unknown>) =>
    errors.push({ field, message, key, params });

  if (!USERNAME_PATTERN.test(profile.username)) {
    err(
      'username',
      'expected 3-40 lower-case letters, digits, dots, dashes or underscores',
      'auth.user.usernameInvalid',
    );
  }
  const name = profile.displayName?.trim() ?? '';
  if (name.length < 1 || name.length > 100) {
    err('displayName', 'expected a name of 1-100 characters', 'auth.user.displayNameInvalid');
  }
  if (
    profile.email !== undefined &&
    (profile.email.length > 254 || !EMAIL_PATTERN.test(profile.email))
  ) {
    err('email', 'expected an e-mail address', 'auth.user.emailInvalid');
  }
  if (profile.codiceFiscale !== undefined && !isCodiceFiscale(profile.codiceFiscale)) {
    err('codiceFiscale', 'expected a valid codice fiscale', 'auth.user.codiceFiscaleInvalid');
  }
  if (profile.office !== undefined && profile.office.length > 100) {
    err('office', 'expected at most 100 characters', 'auth.user.officeInvalid');
  }
  const province = config.provinces.get(profile.tenantId);
  if (!province) {
    err(
      'tenantId',
      `expected a configured province, got "${profile.tenantId}"`,
      'auth.user.provinceInvalid',
    );
  }
  if (!Array.isArray(profile.roles) || profile.roles.length === 0) {
    err('roles', 'expected at least one role', 'auth.user.rolesMissing');
  } else {
    profile.roles.forEach((role, i) => {
      if (!isRole(role))
        err(`roles/${i}`, `unknown role "${role}"`, 'auth.user.roleUnknown', { role });
    });
    const comuneRoles = profile.roles.filter((r) => COMUNE_ROLES.includes(r));
    if (comuneRoles.length > 0 && comuneRoles.length < profile.roles.length) {
      err(
        'roles',
        'comune roles and province roles cannot be held by the same account',
        'auth.user.rolesMixed',
      );
    }
    if (comuneRoles.length > 0 && !profile.comune) {
      err('comune', 'comune staff need their comune', 'auth.user.comuneMissing');
    }
    if (comuneRoles.length === 0 && profile.comune) {
      err('comune', 'only comune staff belong to a comune', 'auth.user.comuneNotAllowed');
    }
  }
  if (province && profile.comune && !province.comuni.some((c) => c.istat === profile.comune)) {
    err('comune', `expected a comune of ${province.name}`, 'auth.user.comuneInvalid');
  }
  return errors;
}

export interface AccountStore {
  model: Model<AccountDoc>;
  ensureIndexes(): Promise<void>;
  findById(id: string): Promise<Account | undefined>;
  findByUsername(username: string): Promise<Account | undefined>;
  findByCodiceFiscale(tenantId: string, codiceFiscale: string): Promise<Account[]>;
  listByTenant(tenantId: string): Promise<Account[]>;
  create(
    profile: AccountProfile,
    secret: { passwordHash?: string; mustChangePassword?: boolean; demo?: boolean },
  ): Promise<Account>;
  /** Replaces the given profile fields; returns the updated account (undefined if gone). */
  update(
    id: string,
    patch: Partial<Omit<AccountProfile, 'username' | 'tenantId'>>,
  ): Promise<Account | undefined>;
  setPassword(
    id: string,
    passwordHash: string | undefined,
    opts: { mustChangePassword: boolean; at?: Date },
  ): Promise<void>;
  recordSignIn(id: string, at: Date): Promise<void>;
}

function isObjectId(id: string): boolean {
  return /^[0-9a-f]{24}$/i.test(id);
}

export function createAccountStore(connection: Connection): AccountStore {
  const model =
    (connection.models.Account as Model<AccountDoc> | undefined) ??
    connection.model<AccountDoc>('Account', accountSchema);
  let indexes: Promise<void> | undefined;

  const store: AccountStore = {
    model,
    ensureIndexes() {
      indexes ??= model.init().then(() => undefined);
      return indexes;
    },
    async findById(id) {
      if (!isObjectId(id)) return undefined;
      const doc = await model.findById(id).lean();
      return doc ? toAccount(doc) : undefined;
    },
    async findByUsername(username) {
      const doc = await model.findOne({ username: normalizeUsername(username) }).lean();
      return doc ? toAccount(doc) : undefined;
    },
    async findByCodiceFiscale(tenantId, codiceFiscale) {
      const docs = await model
        .find({ tenantId, codiceFiscale: codiceFiscale.toUpperCase() })
        .lean();
      return docs.map(toAccount);
    },
    async listByTenant(tenantId) {
      const docs = await model.find({ tenantId }).sort({ username: 1 }).lean();
      return docs.map(toAccount);
    },
    async create(profile, secret) {
      await store.ensureIndexes();
      try {
        const doc = await model.create({
          ...cleanProfile(profile),
          active: profile.active ?? true,
          passwordHash: secret.passwordHash,
          mustChangePassword: secret.mustChangePassword ?? false,
          demo: secret.demo ?? false,
          passwordChangedAt: secret.passwordHash ? new Date() : undefined,
        });
        return toAccount(doc.toObject());
      } catch (err) {
        if ((err as { code?: number }).code === 11000) {
          throw new ConflictError(`username "${profile.username}" is already taken`, {
            field: 'username',
          });
        }
        throw err;
      }
    },
    async update(id, patch) {
      if (!isObjectId(id)) return undefined;
      const set: Record<string, unknown> = {};
      const unset: Record<string, 1> = {};
      for (const [key, value] of Object.entries(cleanProfile(patch))) {
        if (value === undefined) continue;
        if (value === null || value === '') unset[key] = 1;
        else set[key] = value;
      }
      const doc = await model
        .findByIdAndUpdate(
          id,
          { $set: set, ...(Object.keys(unset).length ? { $unset: unset } : {}) },
          { new: true },
        )
        .lean();
      return doc ? toAccount(doc) : undefined;
    },
    async setPassword(id, passwordHash, opts) {
      await model.updateOne(
        { _id: id },
        passwordHash
          ? {
              $set: {
                passwordHash,
                mustChangePassword: opts.mustChangePassword,
                passwordChangedAt: opts.at ?? new Date(),
              },
            }
          : { $unset: { passwordHash: 1 }, $set: { mustChangePassword: false } },
      );
    },
    async recordSignIn(id, at) {
      await model.updateOne({ _id: id }, { $set: { lastSignInAt: at } });
    },
  };
  return store;
}

/** Trims strings, upper-cases the codice fiscale, lower-cases the username; keeps nulls. */
function cleanProfile<T extends Partial<AccountProfile>>(profile: T): T {
  const out: Record<string, unknown> = { ...profile };
  for (const [key, value] of Object.entries(out)) {
    if (typeof value === 'string') out[key] = value.trim();
  }
  if (typeof out.username === 'string') out.username = normalizeUsername(out.username);
  if (typeof out.codiceFiscale === 'string') out.codiceFiscale = out.codiceFiscale.toUpperCase();
  return out as T;
}
