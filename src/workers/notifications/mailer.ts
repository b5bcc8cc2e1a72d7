/** SMTP mailer from the `notifications` settings (nodemailer). */
import nodemailer from 'nodemailer';

export interface MailMessage {
  to: string[];
  subject: string;
  text: string;
  /** Message-ID header, so a resend can be recognised by the receiver. */
  messageId?: string;
}

export interface Mailer {
  readonly from: string;
  send(message: MailMessage): Promise<{ messageId: string }>;
  close(): void;
}

export interface NotificationSettings {
  from?: string;
  smtp?: { host: string; port: number; secure?: boolean; user?: string; passwordEnv?: string };
}

export function createMailer(
  settings: NotificationSettings,
  env: NodeJS.ProcessEnv = process.env,
): Mailer {
  const smtp = settings.smtp ?? { host: '127.0.0.1', port: 1025 };
  const password = smtp.passwordEnv ? env[smtp.passwordEnv] : undefined;
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure ?? false,
    auth: smtp.user ? { user: smtp.user, pass: password ?? '' } : undefined,
    // Local relays in development and tests often have no certificate.
    ignoreTLS: !smtp.secure && !smtp.user,
    // Bound one SMTP exchange (nodemailer's defaults allow minutes), so that a send
    // always ends within the notification's claim (notification-log SEND_LEASE_MS).
    connectionTimeout: 5_000,
    greetingTimeout: 5_000,
    socketTimeout: 10_000,
  });
  const from = settings.from ?? 'Province & Comuni <noreply@province-e-comuni.local>';
  return {
    from,
    async send(message) {
      const info = await transport.sendMail({
        from,
        to: message.to.join(', '),
        subject: message.subject,
        text: message.text,
        messageId: message.messageId,
      });
      return { messageId: String(info.messageId) };
    },
    close: () => transport.close(),
  };
}
