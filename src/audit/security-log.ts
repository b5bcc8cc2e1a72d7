/**
 * The security and operator log: an append-only record of who did what to access and
 * operations, from which address, with which outcome — sign-in and sign-out, failed
 * sign-ins, lock-outs, permission denials, user and role changes, API tokens, and the
 * operators' actions on running processes (retry, cancel, modify, migrate, variable
 * edits: monitoring writes those here too). The province administrator reads the
 * entries of their province (permission `security-log.read`).
 *
 * Append-only: this module inserts and reads; it has no update or delete. It is
 * separate from the case audit trail (audit-trail.ts), which is the fascicolo of one
 * process instance; an operator action on an instance may be written to both.
 */
import type { Collection, Filter } from 'mongodb';
import { ObjectId } from 'mongodb';
import type { Connection } from 'mongoose';
import { ensureIndex } from '../db/ensure-index';

export const SECURITY_LOG_COLLECTION = 'security_log';

/**
 * Actions written by the product. Areas add theirs with their own prefix
 * ("monitoring.incident.retry", "monitoring.instance.cancel", ...).
 */
export type SecurityAction =
  | 'auth.sign-in'
  | 'auth.sign-in.failed'
  | 'auth.sign-in.refused-locked'
  | 'auth.locked'
  | 'auth.sign-out'
  | 'auth.password.changed'
  | 'auth.oidc.refused'
  | 'access.denied'
  | 'users.created'
  | 'users.updated'
  | 'users.password-reset'
  | 'tokens.created'
  | 'tokens.revoked'
  | `monitoring.${string}`
  | `${string}.${string}`;

export type SecurityOutcome = 'success' | 'failure' | 'denied';

export interface SecurityEventInput {
  action: SecurityAction;
  outcome: SecurityOutcome;
  /** The province the event belongs to; unknown for a failed sign-in of an unknown name. */
  tenantId?: string;
  /** Who acted: the signed-in person, or the username typed on the sign-in form. */
  actor?: { username: string; accountId?: string; via?: string };
  /** The client address (req.ip). */
  ip?: string;
  /** What was acted on, e.g. { kind: 'user', id, label: 'rup.faenza' }. */
  target?: { kind: string; id: string; label?: string };
  /** Free text: the operator's reason, or why access was refused. */
  reason?: string;
  /** Before/after values, instance keys... never passwords or tokens. */
  details?: Record<string, unknown>;
}

export interface SecurityEvent extends SecurityEventInput {
  id: string;
  at: Date;
}

export interface SecurityLogQuery {
  action?: string;
  /** Matches actor username. */
  actor?: string;
  outcome?: SecurityOutcome;
  /** Return entries older than this entry id (cursor paging, newest first). */
  before?: string;
  limit?: number;
}

export interface SecurityLog {
  record(event: SecurityEventInput): Promise<void>;
  /** The newest entries of a province first. */
  list(tenantId: string, query?: SecurityLogQuery): Promise<SecurityEvent[]>;
  ensureIndexes(): Promise<void>;
}

interface StoredEvent extends SecurityEventInput {
  _id: ObjectId;
  at: Date;
}

export function createSecurityLog(
  connection: Connection,
  now: () => Date = () => new Date(),
): SecurityLog {
  const collection = (): Collection<StoredEvent> =>
    connection.db!.collection<StoredEvent>(SECURITY_LOG_COLLECTION);
  const log: SecurityLog = {
    async ensureIndexes() {
      await ensureIndex(
        connection,
        SECURITY_LOG_COLLECTION,
        { tenantId: 1, _id: -1 },
        { name: 'by_tenant' },
      );
    },
    async record(event) {
      await log.ensureIndexes();
      const doc: StoredEvent = { _id: new ObjectId(), at: now(), ...stripUndefined(event) };
      await collection().insertOne(doc);
    },
    async list(tenantId, query = {}) {
      const filter: Filter<StoredEvent> = { tenantId };
      if (query.action) filter.action = query.action as SecurityAction;
      if (query.outcome) filter.outcome = query.outcome;
      if (query.actor) filter['actor.username'] = query.actor;
      if (query.before && ObjectId.isValid(query.before)) {
        filter._id = { $lt: new ObjectId(query.before) };
      }
      const limit = Math.min(Math.max(query.limit ?? 50, 1), 200);
      const docs = await collection().find(filter).sort({ _id: -1 }).limit(limit).toArray();
      return docs.map(({ _id, ...rest }) => ({ id: _id.toHexString(), ...rest }));
    },
  };
  return log;
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
