/**
 * Every notification is logged, and sent once per key. Without transactions the key
 * is claimed first (unique index): the claimer sends and marks the entry "sent"; a
 * redelivered job finds the claim and does not send again. If sending failed, the
 * entry is "failed" and the next delivery may claim it again and retry.
 */
import type { Connection } from 'mongoose';
import type { Collection } from 'mongodb';
import { ensureIndex, isDuplicateKeyError } from '../../db';
import type { Mailer, MailMessage } from './mailer';

export const NOTIFICATIONS_COLLECTION = 'notifications';

export interface NotificationEntry {
  key: string;
  tenantId: string;
  processInstanceKey: string;
  template: string;
  to: string[];
  subject: string;
  status: 'sending' | 'sent' | 'failed';
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

export async function sendOnce(
  connection: Connection,
  mailer: Mailer,
  input: SendOnceInput,
): Promise<{ sent: boolean; status: NotificationEntry['status'] }> {
  const collection: Collection<NotificationEntry> =
    connection.db!.collection(NOTIFICATIONS_COLLECTION);
  await ensureIndex(
    connection,
    NOTIFICATIONS_COLLECTION,
    { key: 1 },
    { unique: true, name: 'key_unique' },
  );
  const now = new Date();
  let claimed = false;
  try {
    await collection.insertOne({
      key: input.key,
      tenantId: input.tenantId,
      processInstanceKey: input.processInstanceKey,
      template: input.template,
      to: input.message.to,
      subject: input.message.subject,
      status: 'sending',
      createdAt: now,
      updatedAt: now,
    });
    claimed = true;
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
    // Retry only an attempt that is known to have failed.
    const retry = await collection.updateOne(
      { key: input.key, status: 'failed' },
      { $set: { status: 'sending', updatedAt: now } },
    );
    claimed = retry.modifiedCount === 1;
  }
  if (!claimed) {
    const existing = await collection.findOne({ key: input.key });
    return { sent: false, status: existing?.status ?? 'sent' };
  }
  try {
    const { messageId } = await mailer.send(input.message);
    await collection.updateOne(
      { key: input.key },
      { $set: { status: 'sent', messageId, updatedAt: new Date() } },
    );
    return { sent: true, status: 'sent' };
  } catch (err) {
    await collection.updateOne(
      { key: input.key },
      { $set: { status: 'failed', error: (err as Error).message, updatedAt: new Date() } },
    );
    throw err;
  }
}
