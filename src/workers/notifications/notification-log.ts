/**
 * Every notification is logged, and sent once per key — a small state machine that
 * tells the truth about each one, without transactions:
 *
 *   (none) --claim--> sending --sent--> sent
 *                        |  \--error--> failed --claim--> sending ...
 *                        \--lease over (the sender crashed)--> claimed again: resent
 *
 * A claim is one atomic single-document write (insert with a unique key, or an update
 * whose filter only matches a claimable entry), and carries a lease. While the lease
 * runs, another delivery of the same job is told the notification is being sent (an
 * error: its job is not completed as if sent). When the lease is over with the entry
 * still `sending`, the sender died between claiming and recording the outcome: the next
 * delivery claims it again and resends with the same Message-ID (so a receiver can drop a
 * duplicate), and the entry records that the attempt was interrupted.
 */
import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import type { Collection } from 'mongodb';
import { ensureIndex, isDuplicateKeyError } from '../../db';
import type { Mailer, MailMessage } from './mailer';

export const NOTIFICATIONS_COLLECTION = 'notifications';

/**
 * How long a claim holds: longer than one SMTP exchange can take (the mailer's timeouts
 * bound it to about 20 s), and about the job's lock timeout, so that a job redelivered
 * after its sender died finds the claim over.
 */
export const SEND_LEASE_MS = 25_000;

export interface NotificationEntry {
  key: string;
  tenantId: string;
  processInstanceKey: string;
  template: string;
  to: string[];
  subject: string;
  status: 'sending' | 'sent' | 'failed';
  /** The current claim: who sends, and until when the claim holds. */
  attemptId: string;
  leaseUntil: Date;
  /** Claims so far (1 = sent at the first attempt). */
  attempts: number;
  /** Attempts whose sender died before recording the outcome (maybe sent, maybe not). */
  interruptedAttempts: number;
  messageId?: string;
  error?: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface SendOnceInput {
  key: string;
  tenantId: string;
  processInstanceKey: string;
  template: string;
  message: MailMessage;
}

export interface SendOnceOptions {
  now?: () => Date;
  leaseMs?: number;
}

export interface SendOnceResult {
  /** True when this call sent the e-mail; false when it had been sent before. */
  sent: boolean;
  status: 'sent';
  /** The claim this call made was taken over from an interrupted attempt. */
  resentAfterInterruption?: boolean;
}

/**
 * Another delivery of the same job is sending this notification right now. The worker
 * runtime postpones the job by `retryAfterMs` without using up a retry.
 */
export class NotificationInProgressError extends Error {
  override name = 'NotificationInProgressError';
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message);
  }
}

/** The Message-ID every attempt of one notification carries. */
export function notificationMessageId(key: string): string {
  return `<${key.replace(/[^A-Za-z0-9.:_-]/g, '_')}@province-e-comuni.local>`;
}

export async function sendOnce(
  connection: Connection,
  mailer: Mailer,
  input: SendOnceInput,
  opts: SendOnceOptions = {},
): Promise<SendOnceResult> {
  const now = opts.now ?? (() => new Date());
  const leaseMs = opts.leaseMs ?? SEND_LEASE_MS;
  const collection: Collection<NotificationEntry> =
    connection.db!.collection(NOTIFICATIONS_COLLECTION);
  await ensureIndex(
    connection,
    NOTIFICATIONS_COLLECTION,
    { key: 1 },
    { unique: true, name: 'key_unique' },
  );
  const attemptId = randomUUID();
  const at = now();
  const leaseUntil = new Date(at.getTime() + leaseMs);
  let claimed = false;
  let interrupted = false;
  try {
    await collection.insertOne({
      key: input.key,
      tenantId: input.tenantId,
      processInstanceKey: input.processInstanceKey,
      template: input.template,
      to: input.message.to,
      subject: input.message.subject,
      status: 'sending',
      attemptId,
      leaseUntil,
      attempts: 1,
      interruptedAttempts: 0,
      createdAt: at,
      updatedAt: at,
    });
    claimed = true;
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
    // Claim again an attempt known to have failed, or one whose sender died (lease over).
    const retry = await collection.updateOne(
      { key: input.key, status: 'failed' },
      { $set: { status: 'sending', attemptId, leaseUntil, updatedAt: at }, $inc: { attempts: 1 } },
    );
    claimed = retry.modifiedCount === 1;
    if (!claimed) {
      const takeOver = await collection.updateOne(
        { key: input.key, status: 'sending', leaseUntil: { $lt: at } },
        {
          $set: { status: 'sending', attemptId, leaseUntil, updatedAt: at },
          $inc: { attempts: 1, interruptedAttempts: 1 },
        },
      );
      claimed = takeOver.modifiedCount === 1;
      interrupted = claimed;
    }
  }
  if (!claimed) {
    const existing = await collection.findOne({ key: input.key });
    if (existing?.status === 'sent') return { sent: false, status: 'sent' };
    const until = existing?.leaseUntil ? new Date(existing.leaseUntil).getTime() : at.getTime();
    throw new NotificationInProgressError(
      `notification '${input.key}' is being sent by another delivery of this job (claimed until ${new Date(until).toISOString()}); not completing the job until it is sent`,
      Math.max(until - at.getTime(), 0) + 1000,
    );
  }
  const mine = { key: input.key, attemptId };
  try {
    const { messageId } = await mailer.send({
      ...input.message,
      messageId: input.message.messageId ?? notificationMessageId(input.key),
    });
    await collection.updateOne(mine, {
      $set: { status: 'sent', messageId, updatedAt: now() },
      $unset: { error: '' },
    });
    return {
      sent: true,
      status: 'sent',
      ...(interrupted ? { resentAfterInterruption: true } : {}),
    };
  } catch (err) {
    await collection.updateOne(mine, {
      $set: { status: 'failed', error: (err as Error).message, updatedAt: now() },
    });
    throw err;
  }
}
