/**
 * The inbox as a running part of the product: the task lists (loaded at start, kept
 * fresh from the change feed), the inbox worker and the notifier (when this process
 * runs workers), requests and case files. One instance per app process; several app
 * processes may share one database and engine.
 *
 * Environment (read here, all optional):
 *   INBOX_JOB_TIMEOUT_MS        lock kept on a user-task job while its task is open (24 h)
 *   INBOX_PROBES_PER_SECOND     job checks per second: lock extension and cancelled-job
 *                               detection (50; 0 turns them off)
 *   INBOX_NOTIFY_SCAN_MS        how often reminders, escalations and digests are looked for (60 s)
 */
import type { Connection } from 'mongoose';
import { createAuditTrail } from '../audit';
import { ConfigError, type EnvConfig, type ProductConfig, type Settings } from '../config';
import { createDocumentStore } from '../documents';
import type { FormRegistry } from '../forms';
import { silentLogger, type Logger } from '../logging';
import {
  configDirectory,
  createProcessCatalog,
  Inbox,
  InboxWorker,
  TaskNotifier,
  type Directory,
  type ProcessCatalog,
} from '../tasks';
import { createMailer, type NotificationSettings } from '../workers/notifications/mailer';
import type { ZeebeClient } from '../workers/runtime';
import { CaseFiles } from './case-file';
import { createEngineHistory, type EngineHistory } from './engine-history';
import { Requests } from './requests';

export interface InboxServices {
  inbox: Inbox;
  requests: Requests;
  cases: CaseFiles;
  catalog: ProcessCatalog;
  history: EngineHistory;
  directory: Directory;
  forms: FormRegistry;
  notifier?: TaskNotifier;
  worker?: InboxWorker;
  stop(): Promise<void>;
}

export interface StartInboxServicesOptions {
  connection: Connection;
  config: ProductConfig;
  env: EnvConfig;
  forms: FormRegistry;
  zeebe: ZeebeClient;
  /** Bearer token of the engine's REST API (the gateway's internal token), if any. */
  restToken?: string;
  logger?: Logger;
  /** Run the inbox worker and the notifier in this process. */
  runWorkers: boolean;
  /** The links in e-mails: PUBLIC_URL, or the listening address once known. */
  publicUrl: () => string;
  settingsOf?: (tenantId: string) => Promise<Settings>;
  templateSources?: (tenantId: string) => Promise<Record<string, string>>;
  directory?: Directory;
}

function intEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) {
    throw new ConfigError(
      `Environment variable ${name}: expected a whole number >= ${min}, got "${raw}"`,
    );
  }
  return n;
}

export async function startInboxServices(
  opts: StartInboxServicesOptions,
  processEnv: NodeJS.ProcessEnv = process.env,
): Promise<InboxServices> {
  const logger = opts.logger ?? silentLogger;
  const jobTimeoutMs = intEnv(processEnv, 'INBOX_JOB_TIMEOUT_MS', 24 * 3600_000, 10_000);
  const probes = intEnv(processEnv, 'INBOX_PROBES_PER_SECOND', 50, 0);
  const scanMs = intEnv(processEnv, 'INBOX_NOTIFY_SCAN_MS', 60_000, 1000);
  const directory = opts.directory ?? configDirectory(opts.config);
  const catalog = createProcessCatalog({
    restUrl: opts.env.engineRestUrl,
    token: opts.restToken,
    logger,
  });
  const history = createEngineHistory({ restUrl: opts.env.engineRestUrl, token: opts.restToken });
  const audit = createAuditTrail(opts.connection);
  const inbox = new Inbox({
    connection: opts.connection,
    config: opts.config,
    forms: opts.forms,
    directory,
    zeebe: opts.zeebe,
    audit,
    catalog,
    logger,
    settingsOf: opts.settingsOf,
  });
  await inbox.start();
  const requests = new Requests({
    connection: opts.connection,
    config: opts.config,
    forms: opts.forms,
    zeebe: opts.zeebe,
    audit,
    inbox,
    feed: inbox.feed,
    settingsOf: opts.settingsOf,
  });
  await requests.load();
  const cases = new CaseFiles({
    config: opts.config,
    inbox,
    requests,
    history,
    catalog,
    documents: createDocumentStore(opts.connection),
    audit,
    directory,
  });

  let worker: InboxWorker | undefined;
  let notifier: TaskNotifier | undefined;
  if (opts.runWorkers) {
    worker = new InboxWorker(inbox, {
      zeebe: opts.zeebe,
      tenantIds: [...opts.config.provinces.keys()],
      jobTimeoutMs,
      maxProbesPerSecond: probes,
      logger,
    });
    worker.start();
    notifier = new TaskNotifier({
      connection: opts.connection,
      inbox,
      directory,
      mailer: createMailer((opts.config.defaults.notifications ?? {}) as NotificationSettings),
      get publicUrl() {
        return opts.publicUrl();
      },
      templateSources: opts.templateSources,
      logger,
      scanEveryMs: scanMs,
    });
    notifier.start();
  }
  logger.info({ tasks: inbox.index.size, worker: Boolean(worker) }, 'inbox started');
  return {
    inbox,
    requests,
    cases,
    catalog,
    history,
    directory,
    forms: opts.forms,
    worker,
    notifier,
    async stop() {
      await notifier?.stop();
      await worker?.stop();
      await inbox.stop();
    },
  };
}
