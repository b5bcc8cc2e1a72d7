/**
 * Notifications are sent once per key and the log tells the truth, with a real SMTP
 * server (smtp-server) and the real database: two concurrent deliveries of the same
 * job send one e-mail and the second is not completed as if sent; an attempt whose
 * sender died (left in `sending`) is taken over and resent with the same Message-ID
 * once its claim is over; a failed send can be retried.
 */
import { createMailer } from '../../src/workers/notifications/mailer';
import {
  NOTIFICATIONS_COLLECTION,
  NotificationInProgressError,
  notificationMessageId,
  sendOnce,
  type NotificationEntry,
} from '../../src/workers/notifications/notification-log';
import { openTestDatabase, type TestDatabase } from '../support/database';
import { waitFor } from '../support/wait-for';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink';

let db: TestDatabase;
let smtp: SmtpSink;
let mailer: ReturnType<typeof createMailer>;

beforeAll(async () => {
  db = await openTestDatabase('notify');
  smtp = await startSmtpSink();
  mailer = createMailer({ smtp: { host: '127.0.0.1', port: smtp.port } });
});
afterAll(async () => {
  mailer?.close();
  await smtp?.close();
  await db?.close();
});

const input = (key: string) => ({
  key,
  tenantId: '039',
  processInstanceKey: '2251799813685251',
  template: 'richiesta-ricevuta',
  message: { to: ['ufficio@comune.lugo.ra.it'], subject: `Richiesta ${key}`, text: 'Ricevuta.' },
});
const entry = (key: string) =>
  db.connection.db!.collection<NotificationEntry>(NOTIFICATIONS_COLLECTION).findOne({ key });

test('two concurrent deliveries: one e-mail; the second is refused while the first is sending', async () => {
  const release = smtp.hold();
  const first = sendOnce(db.connection, mailer, input('job-1:ricevuta'));
  // The first delivery is inside its SMTP exchange (the server holds its DATA).
  await waitFor('the first e-mail to reach the SMTP server', () => smtp.arrived >= 1);
  const second = await sendOnce(db.connection, mailer, input('job-1:ricevuta')).then(
    () => 'completed',
    (err: unknown) => err,
  );
  expect(second).toBeInstanceOf(NotificationInProgressError);
  expect((second as NotificationInProgressError).retryAfterMs).toBeGreaterThan(0);
  expect((await entry('job-1:ricevuta'))?.status).toBe('sending');
  release();
  await expect(first).resolves.toEqual({ sent: true, status: 'sent' });
  // A third delivery after the send finds it sent: completes without sending again.
  await expect(sendOnce(db.connection, mailer, input('job-1:ricevuta'))).resolves.toEqual({
    sent: false,
    status: 'sent',
  });
  expect(smtp.messages.filter((m) => m.subject === 'Richiesta job-1:ricevuta')).toHaveLength(1);
  expect(await entry('job-1:ricevuta')).toMatchObject({ status: 'sent', attempts: 1 });
});

test("a sender that died in 'sending' is taken over once its claim is over, and resent with the same Message-ID", async () => {
  const key = 'job-2:ricevuta';
  const t0 = new Date('2026-03-02T09:00:00Z');
  // The dead sender: it claimed (the same write a real claim does) and never came back.
  await db.connection.db!.collection(NOTIFICATIONS_COLLECTION).insertOne({
    ...input(key),
    to: input(key).message.to,
    subject: input(key).message.subject,
    status: 'sending',
    attemptId: 'dead-sender',
    leaseUntil: new Date(t0.getTime() + 25_000),
    attempts: 1,
    interruptedAttempts: 0,
    createdAt: t0,
    updatedAt: t0,
  });
  // Still within the claim: refused, not completed as if sent.
  await expect(
    sendOnce(db.connection, mailer, input(key), { now: () => new Date(t0.getTime() + 5_000) }),
  ).rejects.toBeInstanceOf(NotificationInProgressError);
  // After it: taken over and sent.
  const result = await sendOnce(db.connection, mailer, input(key), {
    now: () => new Date(t0.getTime() + 30_000),
  });
  expect(result).toEqual({ sent: true, status: 'sent', resentAfterInterruption: true });
  expect(await entry(key)).toMatchObject({ status: 'sent', attempts: 2, interruptedAttempts: 1 });
  const mail = await smtp.waitFor((m) => m.subject === `Richiesta ${key}`);
  expect(mail.headers['message-id']).toBe(notificationMessageId(key));
});

test('a failed send is recorded as failed and sent on the next delivery', async () => {
  const key = 'job-3:ricevuta';
  const dead = createMailer({ smtp: { host: '127.0.0.1', port: 1 } });
  await expect(sendOnce(db.connection, dead, input(key))).rejects.toThrow();
  dead.close();
  expect(await entry(key)).toMatchObject({ status: 'failed', attempts: 1 });
  await expect(sendOnce(db.connection, mailer, input(key))).resolves.toEqual({
    sent: true,
    status: 'sent',
  });
  expect(await entry(key)).toMatchObject({ status: 'sent', attempts: 2 });
});
