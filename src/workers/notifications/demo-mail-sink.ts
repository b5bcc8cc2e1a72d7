/**
 * The demo mail sink: a local SMTP server (smtp-server) that stores every message it
 * receives in the `demo_mailbox` collection instead of delivering it. `npm start` runs
 * it when demo data is on and the configured SMTP host is on this machine, so that
 * notifications work out of the box; production sets DEMO_MAIL_SINK=false and a real
 * SMTP/PEC relay in engine-config/default.yaml (notifications.smtp).
 */
import type { Connection } from 'mongoose';
import { SMTPServer } from 'smtp-server';

export interface DemoMailSink {
  port: number;
  close(): Promise<void>;
}

const MAX_MESSAGE_BYTES = 5 * 1024 * 1024;

export async function startDemoMailSink(
  connection: Connection,
  host: string,
  port: number,
): Promise<DemoMailSink> {
  const mailbox = connection.collection('demo_mailbox');
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    size: MAX_MESSAGE_BYTES,
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mailbox
          .insertOne({
            receivedAt: new Date(),
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString('utf8'),
          })
          .then(() => callback(), callback);
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
