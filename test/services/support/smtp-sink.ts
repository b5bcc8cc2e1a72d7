/**
 * A real SMTP server (npm smtp-server) on a free local port that keeps the messages
 * it receives, decoded (subject encoded-words, quoted-printable/base64 bodies).
 */
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';

export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  headers: Record<string, string>;
}

export interface SmtpSink {
  port: number;
  messages: ReceivedMail[];
  /** Resolves when a message matching `predicate` has arrived (polls; no time assertion). */
  waitFor(
    predicate: (m: ReceivedMail) => boolean,
    what?: string,
    timeoutMs?: number,
  ): Promise<ReceivedMail>;
  /**
   * Holds every message from now on at the end of its DATA (the sender waits for the
   * server's answer) until the returned function is called: a slow SMTP server.
   */
  hold(): () => void;
  /** Messages whose DATA arrived, held or not. */
  readonly arrived: number;
  close(): Promise<void>;
}

function decodeWords(value: string): string {
  return value.replace(
    /=\?([^?]+)\?([QqBb])\?([^?]*)\?=\s*/g,
    (_m, _charset: string, enc: string, text: string) => {
      if (enc.toUpperCase() === 'B') return Buffer.from(text, 'base64').toString('utf8');
      const bytes = text
        .replace(/_/g, ' ')
        .replace(/=([0-9A-Fa-f]{2})/g, (_x, h: string) => `%${h}`);
      try {
        return decodeURIComponent(bytes);
      } catch {
        return bytes;
      }
    },
  );
}

function decodeQuotedPrintable(body: string): string {
  const soft = body.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < soft.length; i++) {
    if (soft[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(soft.slice(i + 1, i + 3))) {
      bytes.push(parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(soft[i], 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

export function parseMail(raw: string, from: string, to: string[]): ReceivedMail {
  const split = raw.indexOf('\r\n\r\n');
  const headerText = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  let body = raw.slice(split + 4);
  const headers: Record<string, string> = {};
  for (const line of headerText.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  const cte = (headers['content-transfer-encoding'] ?? '').toLowerCase();
  if (cte === 'quoted-printable') body = decodeQuotedPrintable(body);
  else if (cte === 'base64')
    body = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  return {
    from,
    to,
    subject: decodeWords(headers.subject ?? ''),
    text: body.replace(/\r\n/g, '\n'),
    headers,
  };
}

/** `port`: a given port (e.g. one a mailer already tried while no relay was listening). */
export async function startSmtpSink(port = 0): Promise<SmtpSink> {
  const messages: ReceivedMail[] = [];
  let held: Promise<void> | undefined;
  let arrived = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        arrived++;
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        const to = session.envelope.rcptTo.map((r) => r.address);
        void (held ?? Promise.resolve()).then(() => {
          messages.push(parseMail(Buffer.concat(chunks).toString('utf8'), from, to));
          callback();
        });
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port: (server.server.address() as AddressInfo).port,
    messages,
    async waitFor(predicate, what = 'e-mail', timeoutMs = 30_000) {
      const started = Date.now();
      for (;;) {
        const found = messages.find(predicate);
        if (found) return found;
        if (Date.now() - started > timeoutMs) {
          throw new Error(
            `No ${what} received; got: ${messages.map((m) => m.subject).join(' | ') || 'nothing'}`,
          );
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    hold() {
      let release!: () => void;
      held = new Promise<void>((r) => (release = r));
      return () => {
        held = undefined;
        release();
      };
    },
    get arrived() {
      return arrived;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
