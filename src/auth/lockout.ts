/**
 * Account lock-out: after LOCKOUT_THRESHOLD failed sign-ins for one username within
 * LOCKOUT_WINDOW, that username is locked for LOCKOUT_DURATION — even the right password
 * is refused. State lives in the database (so every app process sees the same
 * failures) and is kept per typed username whether or not such an account exists, so
 * the answers do not reveal which usernames exist.
 *
 * FerretDB has no TTL indexes: old failures are deleted by the writes themselves.
 */
import type { Connection } from 'mongoose';
import { ensureIndex } from '../db/ensure-index';

export const LOCKOUT_THRESHOLD = 5;
export const LOCKOUT_WINDOW_MS = 15 * 60_000;
export const LOCKOUT_DURATION_MS = 15 * 60_000;

const FAILURES = 'auth_login_failures';
const LOCKS = 'auth_lockouts';

export interface Lockout {
  /** The lock that is in force now, if any. */
  lockedUntil(username: string): Promise<Date | undefined>;
  /** Records one failure; returns the lock's end when this failure locked the username. */
  recordFailure(
    username: string,
    ip: string | undefined,
  ): Promise<{ lockedUntil?: Date; failures: number }>;
  /** A successful sign-in forgets the earlier failures. */
  reset(username: string): Promise<void>;
}

export function createLockout(connection: Connection, now: () => Date = () => new Date()): Lockout {
  const failures = () =>
    connection.db!.collection<{ username: string; at: Date; ip?: string }>(FAILURES);
  const locks = () => connection.db!.collection<{ _id: string; until: Date; at: Date }>(LOCKS);
  const indexes = () =>
    ensureIndex(connection, FAILURES, { username: 1, at: 1 }, { name: 'username_at' });

  return {
    async lockedUntil(username) {
      const lock = await locks().findOne({ _id: username });
      return lock && lock.until > now() ? lock.until : undefined;
    },
    async recordFailure(username, ip) {
      await indexes();
      const at = now();
      await failures().insertOne({ username, at, ...(ip ? { ip } : {}) });
      const windowStart = new Date(at.getTime() - LOCKOUT_WINDOW_MS);
      // Keep the collection small: failures older than the window no longer count.
      await failures().deleteMany({ username, at: { $lt: windowStart } });
      const count = await failures().countDocuments({ username, at: { $gte: windowStart } });
      if (count >= LOCKOUT_THRESHOLD) {
        const until = new Date(at.getTime() + LOCKOUT_DURATION_MS);
        await locks().updateOne({ _id: username }, { $set: { until, at } }, { upsert: true });
        // The window starts again after the lock: the failures that caused it are spent.
        await failures().deleteMany({ username });
        return { lockedUntil: until, failures: count };
      }
      return { failures: count };
    },
    async reset(username) {
      await failures().deleteMany({ username });
      await locks().deleteOne({ _id: username });
    },
  };
}
