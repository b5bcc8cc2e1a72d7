/**
 * A test product whose e-mails (workers' notifications, inbox e-mails) go to a real SMTP
 * sink on a free port: a copy of engine-config whose relay is the sink (CONFIG_DIR).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSmtpSink, type SmtpSink } from '../services/support/smtp-sink';

export interface MailSetup {
  sink: SmtpSink;
  /** Environment for startTestProduct. */
  env: { CONFIG_DIR: string };
  close(): Promise<void>;
}

export async function mailToSink(): Promise<MailSetup> {
  const sink = await startSmtpSink();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pc-config-'));
  cpSync(path.resolve(__dirname, '../../engine-config'), dir, { recursive: true });
  const file = path.join(dir, 'default.yaml');
  const yaml = readFileSync(file, 'utf8');
  const relay = /(\n {2}smtp:\n {4}host: )[^\n]+\n {4}port: \d+/;
  if (!relay.test(yaml))
    throw new Error('engine-config/default.yaml: notifications.smtp not found');
  writeFileSync(file, yaml.replace(relay, `$1127.0.0.1\n    port: ${sink.port}`));
  return {
    sink,
    env: { CONFIG_DIR: dir },
    async close() {
      await sink.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
