/**
 * Personal API tokens: a person creates one to call /api/v1 from a script
 * (Authorization: Bearer <token>); it acts with that person's current roles and scope,
 * so a role change or a deactivation applies to their tokens at once.
 *
 * The token is shown once and stored only as its SHA-256 hash: it is 256 random bits,
 * so a fast hash is right (argon2 is for low-entropy passwords).
 */
import { createHash, randomBytes } from 'node:crypto';
import { ObjectId, type Collection } from 'mongodb';
import type { Connection } from 'mongoose';
import { ensureIndex } from '../db/ensure-index';
import { ConflictError, NotFoundError, ValidationError } from '../errors';

export const API_TOKENS_COLLECTION = 'api_tokens';
export const TOKEN_PREFIX = 'pc_';
export const MAX_TOKENS_PER_ACCOUNT = 20;
export const MAX_TOKEN_DAYS = 366;

export interface ApiToken {
  id: string;
  accountId: string;
  tenantId: string;
  name: string;
  /** The first characters of the token, to recognise it in a list. */
  prefix: string;
  createdAt: Date;
  expiresAt?: Date;
  lastUsedAt?: Date;
}

/** A token as it is now, also after it stopped working (to tell a person what became of it). */
export interface ApiTokenWithState extends ApiToken {
  state: 'active' | 'revoked' | 'expired';
}

/** create() was given the id of a token that already exists: nothing was created. */
export class TokenAlreadyCreatedError extends ConflictError {
  constructor(readonly tokenId: string) {
    super('this token was already created', { tokenId });
    this.name = 'TokenAlreadyCreatedError';
  }
}

/**
 * A fresh random id for create(..., { id }): a form carries it, so that the same form sent
 * twice creates one token (the second insert of the same _id fails atomically).
 */
export function newTokenId(): string {
  return randomBytes(12).toString('hex');
}

interface StoredToken {
  _id: ObjectId;
  accountId: string;
  tenantId: string;
  name: string;
  hash: string;
  prefix: string;
  createdAt: Date;
  expiresAt?: Date;
  lastUsedAt?: Date;
  revokedAt?: Date;
}

export interface ApiTokenStore {
  create(
    owner: { accountId: string; tenantId: string },
    input: { name: string; expiresInDays?: number },
    opts?: { id?: string },
  ): Promise<{ token: string; record: ApiToken }>;
  list(accountId: string): Promise<ApiToken[]>;
  /** Active tokens, then those revoked or expired in the last `days` days (newest first). */
  listRecent(accountId: string, days: number): Promise<ApiTokenWithState[]>;
  /** One of the owner's tokens in any state; undefined for anybody else's or an unknown id. */
  find(accountId: string, tokenId: string): Promise<ApiTokenWithState | undefined>;
  /** Revokes one of the owner's tokens; NotFoundError for anybody else's. */
  revoke(accountId: string, tokenId: string): Promise<ApiToken>;
  /** The token's record when it is valid now (not revoked, not expired). */
  verify(token: string): Promise<ApiToken | undefined>;
}

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

function toRecord(doc: StoredToken): ApiToken {
  return {
    id: doc._id.toHexString(),
    accountId: doc.accountId,
    tenantId: doc.tenantId,
    name: doc.name,
    prefix: doc.prefix,
    createdAt: doc.createdAt,
    expiresAt: doc.expiresAt ?? undefined,
    lastUsedAt: doc.lastUsedAt ?? undefined,
  };
}

function stateOf(doc: StoredToken, at: Date): ApiTokenWithState['state'] {
  if (doc.revokedAt) return 'revoked';
  return doc.expiresAt && doc.expiresAt <= at ? 'expired' : 'active';
}

export function createApiTokenStore(
  connection: Connection,
  now: () => Date = () => new Date(),
): ApiTokenStore {
  const tokens = (): Collection<StoredToken> =>
    connection.db!.collection<StoredToken>(API_TOKENS_COLLECTION);
  const indexes = async () => {
    await ensureIndex(
      connection,
      API_TOKENS_COLLECTION,
      { hash: 1 },
      { unique: true, name: 'hash_unique' },
    );
    await ensureIndex(connection, API_TOKENS_COLLECTION, { accountId: 1 }, { name: 'by_account' });
  };
  const active = (at: Date) => ({
    revokedAt: { $exists: false },
    $or: [{ expiresAt: { $exists: false } }, { expiresAt: { $gt: at } }],
  });

  return {
    async create(owner, input, opts = {}) {
      if (opts.id !== undefined && !/^[0-9a-f]{24}$/.test(opts.id)) {
        throw new ValidationError('the token was not created', [
          {
            field: 'id',
            message: 'expected an id from newTokenId()',
            key: 'auth.tokens.formIdMissing',
          },
        ]);
      }
      const name = (input.name ?? '').trim();
      const errors = [];
      if (name.length < 1 || name.length > 80) {
        errors.push({
          field: 'name',
          message: 'expected a name of 1-80 characters',
          key: 'auth.tokens.nameInvalid',
        });
      }
      const days = input.expiresInDays;
      if (days !== undefined && (!Number.isInteger(days) || days < 1 || days > MAX_TOKEN_DAYS)) {
        errors.push({
          field: 'expiresInDays',
          message: `expected a whole number of days from 1 to ${MAX_TOKEN_DAYS}`,
          key: 'auth.tokens.daysInvalid',
          params: { max: MAX_TOKEN_DAYS },
        });
      }
      if (errors.length) throw new ValidationError('the token was not created', errors);
      await indexes();
      const at = now();
      const count = await tokens().countDocuments({ accountId: owner.accountId, ...active(at) });
      if (count >= MAX_TOKENS_PER_ACCOUNT) {
        throw new ConflictError(`at most ${MAX_TOKENS_PER_ACCOUNT} active tokens per person`);
      }
      const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
      const doc: StoredToken = {
        _id: new ObjectId(opts.id),
        accountId: owner.accountId,
        tenantId: owner.tenantId,
        name,
        hash: sha256(token),
        prefix: token.slice(0, 10),
        createdAt: at,
        ...(days ? { expiresAt: new Date(at.getTime() + days * 86_400_000) } : {}),
      };
      try {
        await tokens().insertOne(doc);
      } catch (err) {
        if (opts.id && (err as { code?: number }).code === 11000) {
          throw new TokenAlreadyCreatedError(opts.id);
        }
        throw err;
      }
      return { token, record: toRecord(doc) };
    },
    async list(accountId) {
      const docs = await tokens()
        .find({ accountId, ...active(now()) })
        .sort({ createdAt: -1 })
        .toArray();
      return docs.map(toRecord);
    },
    async listRecent(accountId, days) {
      const at = now();
      const since = new Date(at.getTime() - days * 86_400_000);
      const docs = await tokens()
        .find({
          accountId,
          $or: [
            active(at),
            { revokedAt: { $gt: since } },
            { revokedAt: { $exists: false }, expiresAt: { $gt: since, $lte: at } },
          ],
        })
        .sort({ createdAt: -1 })
        .toArray();
      const withState = docs.map((doc) => ({ ...toRecord(doc), state: stateOf(doc, at) }));
      return [
        ...withState.filter((t) => t.state === 'active'),
        ...withState.filter((t) => t.state !== 'active'),
      ];
    },
    async find(accountId, tokenId) {
      if (!ObjectId.isValid(tokenId)) return undefined;
      const doc = await tokens().findOne({ _id: new ObjectId(tokenId), accountId });
      return doc ? { ...toRecord(doc), state: stateOf(doc, now()) } : undefined;
    },
    async revoke(accountId, tokenId) {
      if (!ObjectId.isValid(tokenId)) throw new NotFoundError('token not found');
      const _id = new ObjectId(tokenId);
      const doc = await tokens().findOne({ _id, accountId, revokedAt: { $exists: false } });
      if (!doc) throw new NotFoundError('token not found');
      await tokens().updateOne({ _id }, { $set: { revokedAt: now() } });
      return toRecord(doc);
    },
    async verify(token) {
      if (!token.startsWith(TOKEN_PREFIX) || token.length > 100) return undefined;
      const at = now();
      const doc = await tokens().findOne({ hash: sha256(token), ...active(at) });
      if (!doc) return undefined;
      // Bookkeeping at most once a minute per token, not on every call.
      if (!doc.lastUsedAt || at.getTime() - doc.lastUsedAt.getTime() > 60_000) {
        await tokens().updateOne({ _id: doc._id }, { $set: { lastUsedAt: at } });
      }
      return toRecord(doc);
    },
  };
}
