/**
 * The append-only audit trail: one entry per action that changes a case (who, when,
 * what, on which instance). Together, the entries of an instance are the case's
 * fascicolo. Entries are only ever inserted: there is no update or delete here.
 *
 * Idempotency without transactions: every entry carries a unique key (for a job,
 * "<jobKey>:<action>"); a second insert with the same key is refused by the unique
 * index and reported as `recorded: false`, so a job delivered twice is audited once.
 */
import type { Connection } from 'mongoose';
import type { Collection } from 'mongodb';
import { ensureIndex, isDuplicateKeyError } from '../db/ensure-index';

export const AUDIT_COLLECTION = 'auditTrail';

export interface AuditEntryInput {
  /** Unique key of the action, e.g. "<jobKey>:notification". */
  key: string;
  tenantId: string;
  processInstanceKey: string;
  bpmnProcessId?: string;
  elementId?: string;
  /** What happened, e.g. "procurement.requestCig". */
  action: string;
  /** Who: a username, or "system:<worker>" for workers. */
  actor: string;
  /** A short Italian summary shown in the fascicolo. */
  summary?: string;
  details?: Record<string, unknown>;
}

export interface AuditEntry extends AuditEntryInput {
  at: Date;
}

export interface AuditTrail {
  record(entry: AuditEntryInput): Promise<{ recorded: boolean }>;
  /** The fascicolo of an instance, oldest first. */
  fascicolo(tenantId: string, processInstanceKey: string): Promise<AuditEntry[]>;
  ensureIndexes(): Promise<void>;
}

export function createAuditTrail(
  connection: Connection,
  now: () => Date = () => new Date(),
): AuditTrail {
  const collection = (): Collection<AuditEntry> =>
    connection.db!.collection<AuditEntry>(AUDIT_COLLECTION);
  const trail: AuditTrail = {
    async ensureIndexes() {
      await ensureIndex(
        connection,
        AUDIT_COLLECTION,
        { key: 1 },
        { unique: true, name: 'key_unique' },
      );
      await ensureIndex(
        connection,
        AUDIT_COLLECTION,
        { tenantId: 1, processInstanceKey: 1, at: 1 },
        { name: 'fascicolo' },
      );
    },
    async record(entry) {
      await trail.ensureIndexes();
      try {
        await collection().insertOne({ ...entry, details: entry.details ?? {}, at: now() });
        return { recorded: true };
      } catch (err) {
        if (isDuplicateKeyError(err)) return { recorded: false };
        throw err;
      }
    },
    async fascicolo(tenantId, processInstanceKey) {
      const docs = await collection()
        .find({ tenantId, processInstanceKey }, { projection: { _id: 0 } })
        .sort({ at: 1, _id: 1 })
        .toArray();
      return docs as AuditEntry[];
    },
  };
  return trail;
}
