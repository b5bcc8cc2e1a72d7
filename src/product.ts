/**
 * Starts and stops the whole product: configuration, database (embedded FerretDB or
 * MONGODB_URI), the built-in engine with its Zeebe gateway (unless pointed at an
 * external Zeebe), the web server. Everything after the engine talks to it through
 * the Zeebe gRPC client only.
 */
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { Logger } from 'pino';
import { createSecurityLog } from './audit/security-log';
import { createAuthServices, type AuthServices } from './auth';
import { syncDemoAccounts } from './auth/demo-accounts';
import {
  ConfigError,
  loadProductConfig,
  readEnvConfig,
  type EnvConfig,
  type ProductConfig,
} from './config';
import { openDatabase, type Database } from './db';
import { createEngine, type EngineApi } from './engine';
import { startGateway } from './engine/gateway';
import { startRestApi, type RunningRestApi } from './engine/rest';
import {
  AlertStore,
  startAlertChecker,
  warmHistoryFeeds,
  warmIndicatorCache,
  type AlertIndicator,
} from './analytics';
import { createLogger } from './logger';
import { createHistoryClient, type HistoryClient } from './monitoring';
import {
  createSettingsService,
  createTemplateService,
  currentSettingsForWorkers,
  type SettingsService,
  type TemplateService,
} from './settings';
import { startInboxServices, type InboxServices } from './cases';
import { loadFormRegistry } from './forms';
import { createWebApp, type WebApp, type WebContext } from './web/app';
import { resolveSessionSecret } from './web/core/session';
import { incidentsFromRestApi, type HealthSources } from './web/health';
import type { StartingServer } from './web/starting-server';
import {
  createServiceContext,
  registerServiceWorkers,
  startDemoInstances,
  type NotificationSettings,
} from './workers';
import { startDemoMailSink } from './workers/notifications/demo-mail-sink';
import { createMailer } from './workers/notifications/mailer';
import { watchIncidents } from './workers/runtime/incident-log';
import { createWorkerRegistry, createZeebeClient } from './workers/runtime';

export interface RunningProduct {
  env: EnvConfig;
  config: ProductConfig;
  url: string;
  db: Database;
  logger: Logger;
  settings: SettingsService;
  templates: TemplateService;
  auth: AuthServices;
  web: WebApp;
  /** What the web areas were built with (tests compose extra apps from it). */
  webContext: WebContext;
  /** The Zeebe gateway this process's clients use (host:port). */
  zeebeAddress: string;
  /** The inbox, requests and case files. */
  inbox: InboxServices;
  /**
   * Resolves once what the monitoring and indicator pages read from memory is loaded (the
   * REST API's query index, indicator records, history copies); they answer before too,
   * more slowly. Never rejects.
   */
  analyticsReady: Promise<void>;
  stop(): Promise<void>;
}

type ZeebeClient = ReturnType<typeof createZeebeClient>;

export interface StartProductOptions {
  /** The web port, already answering with the "preparazione in corso" page (main.ts). */
  web?: StartingServer;
  /**
   * Something the product cannot recover from by itself happened after the start (the
   * embedded database died and could not be restarted): log `message` and exit, so that
   * a supervisor restarts the product. Default: throw it as an uncaught error.
   */
  onFatal?(message: string): void;
}

/** The demo mail sink cannot take its port: the province's e-mail would go elsewhere. */
export class MailSinkPortInUseError extends Error {
  override name = 'MailSinkPortInUseError';
}

/** Stop actions run in reverse order of start, each at most once, never throwing. */
class ShutdownStack {
  private readonly steps: { name: string; run: () => Promise<void> }[] = [];
  constructor(private readonly logger: Logger) {}
  push(name: string, run: () => Promise<void>): void {
    this.steps.push({ name, run });
  }
  async runAll(): Promise<void> {
    while (this.steps.length > 0) {
      const step = this.steps.pop()!;
      try {
        await step.run();
      } catch (err) {
        this.logger.warn({ err, step: step.name }, 'error while stopping');
      }
    }
  }
}

function engineHealthSource(zeebe: ZeebeClient, env: EnvConfig): HealthSources['engine'] {
  const mode = env.builtInEngine ? ('built-in' as const) : ('external' as const);
  return async () => {
    try {
      const topology = await zeebe.topology();
      const partitions = topology.brokers.flatMap((b) => b.partitions);
      const healthy =
        partitions.length > 0 && partitions.every((p) => String(p.health) === 'HEALTHY');
      return { status: healthy ? 'ok' : 'degraded', mode, address: env.zeebeAddress };
    } catch (err) {
      return { status: 'down', mode, address: env.zeebeAddress, detail: (err as Error).message };
    }
  };
}

export async function startProduct(
  envVars: NodeJS.ProcessEnv = process.env,
  opts: StartProductOptions = {},
): Promise<RunningProduct> {
  const env = readEnvConfig(envVars);
  const logger = createLogger(env.logLevel);
  checkGatewayExposure(env);
  const step = (what: string) => opts.web?.setStep(what);
  step('lettura della configurazione');
  // Validate configuration before starting anything that must then be stopped.
  const config = loadProductConfig(env.configDir);
  logger.info({ provinces: [...config.provinces.keys()] }, 'configuration loaded');

  const shutdown = new ShutdownStack(logger);
  const fatal =
    opts.onFatal ??
    ((message: string) => {
      throw new Error(message);
    });
  try {
    step(env.mongodbUri ? 'connessione al database' : 'avvio del database integrato');
    // The database room's progress lines (e.g. the first build of FerretDB) also show
    // on the starting page.
    const dbLog = {
      info: (a: unknown, b?: string) => {
        const text = typeof a === 'string' ? a : (b ?? '');
        if (text) step(text.trim());
        logger.info(a as object, b);
      },
      warn: (a: unknown, b?: string) => logger.warn(a as object, b),
      error: (a: unknown, b?: string) => logger.error(a as object, b),
    } as unknown as Logger;
    const db = await openDatabase({
      mongodbUri: env.mongodbUri,
      dataDir: env.dataDir,
      log: dbLog,
      onEmbeddedGiveUp: (err) =>
        fatal(`${err.message}\nExiting so that a supervisor can restart Province & Comuni.`),
    });
    shutdown.push('database', () => db.close());
    logger.info(
      { embedded: Boolean(db.embedded), dataDir: db.embedded?.dataDir },
      'database ready',
    );

    const securityLog = createSecurityLog(db.connection);
    const auth = createAuthServices({ connection: db.connection, securityLog });
    await syncDemoAccounts({
      accounts: auth.accounts,
      config,
      demoData: env.loadDemoData,
      demoPassword: env.demoPassword,
      logger: logger.child({ room: 'auth' }),
    });

    // With gateway tokens, this process's own clients need one too: the configured
    // ZEEBE_TOKEN, or an internal token for all tenants that never leaves the process.
    const internalToken =
      env.builtInEngine && env.gatewayTokens && !env.zeebeToken
        ? randomBytes(32).toString('base64url')
        : undefined;
    const zeebeToken = env.zeebeToken ?? internalToken;
    const gatewayTokens =
      env.gatewayTokens && internalToken
        ? { ...env.gatewayTokens, [internalToken]: [...config.provinces.keys()] }
        : env.gatewayTokens;

    let engine: EngineApi | undefined;
    step('avvio del motore dei processi');
    let restApi: RunningRestApi | undefined;
    if (env.builtInEngine) {
      engine = await createEngine({
        connection: db.connection,
        logger: logger.child({ room: 'engine' }),
      });
      shutdown.push('engine', () => engine!.close());
      const gateway = await startGateway(engine, {
        address: env.zeebeAddress,
        tls:
          env.gatewayTlsCertPath && env.gatewayTlsKeyPath
            ? { certPath: env.gatewayTlsCertPath, keyPath: env.gatewayTlsKeyPath }
            : undefined,
        tokens: gatewayTokens,
        logger: logger.child({ room: 'gateway' }),
      });
      shutdown.push('gateway', () => gateway.close());
      logger.info({ address: gateway.address }, 'built-in engine serving the Zeebe gateway API');
      if (/^https?:/.test(env.engineRestAddress)) {
        throw new Error(
          'ENGINE_REST_ADDRESS must be host:port when the built-in engine serves the REST API',
        );
      }
      restApi = await startRestApi(engine, db.connection, {
        address: env.engineRestAddress,
        tokens: gatewayTokens,
        logger: logger.child({ room: 'engine-rest' }),
      });
      const running = restApi;
      shutdown.push('engine REST API', () => running.close());
    }

    const zeebe = createZeebeClient(env.zeebeAddress, { token: zeebeToken });
    const tenantIds = [...config.provinces.keys()];
    // The indicator pages read the provinces' indicator records and incremental copies of
    // the requests and completed tasks from memory (src/analytics). One history client for
    // the pages, the alert checker and this warm-up, so that they share the copies; the
    // copies are read once the REST API's query index is in (before, its searches are slow).
    const history = createHistoryClient({ baseUrl: env.engineRestUrl });
    const analyticsLog = logger.child({ room: 'analytics' });
    const analyticsReady = Promise.all([
      warmIndicatorCache(db.connection, tenantIds).catch((err: unknown) =>
        analyticsLog.warn(
          { err },
          'indicator records not preloaded: the first indicator page loads them',
        ),
      ),
      (restApi?.historyIndex?.ready ?? Promise.resolve())
        .then(() => warmHistoryFeeds(history, tenantIds, { logger: analyticsLog }))
        .catch((err: unknown) =>
          analyticsLog.warn(
            { err },
            'history copies not preloaded: the first indicator page loads them',
          ),
        ),
    ]).then(() => undefined);
    shutdown.push('zeebe client', async () => {
      await zeebe.close();
    });

    if (env.demoMailSink) await startMailSinkIfLocal(db, config, logger, shutdown);

    // Province settings and templates as saved versions over engine-config (src/settings).
    const settings = createSettingsService({ connection: db.connection, config });
    const templates = createTemplateService({ connection: db.connection, config });

    step('avvio dei servizi automatici');
    let publicUrl = env.publicUrl;
    // The inbox: task lists for the pages; with workers, the inbox worker and e-mails.
    const inbox = await startInboxServices(
      {
        connection: db.connection,
        config,
        env,
        forms: loadFormRegistry(),
        zeebe,
        restToken: zeebeToken,
        logger: logger.child({ room: 'inbox' }),
        runWorkers: env.runWorkers,
        publicUrl: () => publicUrl ?? `http://${env.host}:${env.port}`,
        settingsOf: async (tenantId) => (await settings.current(tenantId)).effective,
        templateSources: (tenantId) => templates.currentSources(tenantId),
      },
      // The INBOX_* variables of the product's environment (not always process.env).
      envVars,
    );
    shutdown.push('inbox', () => inbox.stop());

    if (env.runWorkers) {
      const ctx = createServiceContext({
        connection: db.connection,
        config,
        logger: logger.child({ room: 'workers' }),
        current: currentSettingsForWorkers(settings, templates),
      });
      const registry = createWorkerRegistry({
        gatewayAddress: env.zeebeAddress,
        tenantIds,
        token: zeebeToken,
        logger: logger.child({ room: 'workers' }),
      });
      registerServiceWorkers(registry, ctx).start();
      shutdown.push('workers', () => registry.stop());
      logger.info({ tenants: [...config.provinces.keys()] }, 'service workers started');
      startAlerts(db, config, history, logger, shutdown);

      if (env.loadDemoData && env.loadDemoInstances && (await claimFirstStart(db, 'demo-data'))) {
        step('caricamento dei dati dimostrativi');
        try {
          const demoSteps = new AbortController();
          const reports = await startDemoInstances(registry.client, config, {
            gatewayAddress: env.zeebeAddress,
            signal: demoSteps.signal,
            // The inbox worker holds the user-task jobs: the demo completes them through it.
            completeUserTask: async (tenantId, processInstanceKey, elementId, data) => {
              const row = inbox.inbox.index
                .tasksOfInstance(tenantId, processInstanceKey)
                .find((t) => t.elementId === elementId && t.state === 'open');
              if (!row) return false;
              await inbox.inbox.completeAsSystem(row.id, data, 'system:demo');
              return true;
            },
          });
          // The demo's later steps go on in the background: stop them before the workers.
          shutdown.push('demo steps', async () => {
            demoSteps.abort();
            await Promise.all(reports.map((r) => r.concluded));
          });
          logger.info(
            reports.map((r) => ({ tenantId: r.tenantId, instances: r.instances.length })),
            'demo data loaded',
          );
        } catch (err) {
          // Not fatal: the product works without demo data; try again on the next start.
          logger.error({ err }, 'demo data could not be loaded');
          await db.connection
            .collection<{ _id: string }>('product_meta')
            .deleteOne({ _id: 'demo-data' });
        }
      }
    }

    const incidents = incidentsFromRestApi(env.engineRestUrl, tenantIds);
    // Every new incident appears in the log at warn (instance, element, error).
    const incidentWatch = watchIncidents(
      env.engineRestUrl,
      tenantIds,
      logger.child({ room: 'incidents' }),
    );
    shutdown.push('incident log', async () => incidentWatch.stop());

    const webContext: WebContext = {
      config,
      env,
      connection: db.connection,
      zeebe,
      history,
      auth,
      securityLog,
      logger: logger.child({ room: 'web' }),
      health: {
        database: async () => {
          const kind = db.embedded ? ('embedded-ferretdb' as const) : ('mongodb' as const);
          const embeddedState = db.embedded?.state;
          if (embeddedState && embeddedState !== 'running') {
            return { status: 'down', kind, detail: `embedded database ${embeddedState}` };
          }
          return { status: (await db.ping()) ? 'ok' : 'down', kind };
        },
        engine: engineHealthSource(zeebe, env),
        incidents,
      },
      settings,
      templates,
      publicUrl: () => publicUrl ?? '',
      inbox,
    };
    const web = createWebApp(webContext, {
      sessionSecret: await resolveSessionSecret(db.connection, env.sessionSecret),
    });
    shutdown.push('web sessions', async () => web.close());
    let server: Server;
    if (opts.web) {
      opts.web.serve(web.app);
      server = opts.web.server;
    } else {
      server = await new Promise((resolve, reject) => {
        const s = web.app.listen(env.port, env.host, () => resolve(s));
        s.once('error', reject);
      });
    }
    shutdown.push('web server', () => closeServer(server));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : env.port;
    const url = `http://${env.host.includes(':') ? `[${env.host}]` : env.host}:${port}`;
    publicUrl ??= url;
    logger.info({ url, publicUrl }, 'web server listening');

    let stopped: Promise<void> | undefined;
    return {
      env,
      config,
      url,
      db,
      logger,
      settings,
      templates,
      auth,
      web,
      webContext,
      zeebeAddress: env.zeebeAddress,
      inbox,
      analyticsReady,
      stop: () => (stopped ??= shutdown.runAll()),
    };
  } catch (err) {
    await shutdown.runAll();
    throw err;
  }
}

/**
 * The built-in gateway answers on ZEEBE_ADDRESS. On a loopback address only this machine
 * can reach it; on any other address it must check bearer tokens (ZEEBE_GATEWAY_TOKENS,
 * as `npm run engine`), or the start is refused.
 */
function checkGatewayExposure(env: EnvConfig): void {
  if (!env.builtInEngine) return;
  if (!isLoopbackAddress(env.zeebeAddress) && !env.gatewayTokens) {
    throw new ConfigError(
      `ZEEBE_ADDRESS=${env.zeebeAddress} exposes the built-in Zeebe gateway beyond this machine: ` +
        'set ZEEBE_GATEWAY_TOKENS (JSON map token → tenant ids) so that every gRPC call needs a bearer token, ' +
        'or keep the gateway on 127.0.0.1',
    );
  }
  const restHostPort = env.engineRestUrl.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
  if (!isLoopbackAddress(restHostPort) && !env.gatewayTokens) {
    throw new ConfigError(
      `ENGINE_REST_ADDRESS=${env.engineRestAddress} exposes the engine's REST API beyond this machine: ` +
        'set ZEEBE_GATEWAY_TOKENS (the same tokens guard the gRPC gateway and the REST API), or keep it on 127.0.0.1',
    );
  }
}

/** host:port (or [v6]:port) names this machine only. */
function isLoopbackAddress(hostPort: string): boolean {
  const host = hostPort.startsWith('[')
    ? hostPort.slice(1, hostPort.indexOf(']'))
    : hostPort.replace(/:\d+$/, '');
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

const ALERT_INDICATOR_LABELS: Record<AlertIndicator, string> = {
  openIncidents: 'Incidenti aperti',
  dataRequestsPastServiceLevel: 'Richieste di dati oltre il livello di servizio',
  lateTasks: 'Attività in ritardo negli uffici',
};

/** Periodic check of the provinces' alert thresholds (in the process that runs the workers). */
function startAlerts(
  db: Database,
  config: ProductConfig,
  history: HistoryClient,
  logger: Logger,
  shutdown: ShutdownStack,
): void {
  const settings = (tenantId: string) => config.provinces.get(tenantId)?.settings;
  const analytics = (config.defaults.analytics ?? {}) as { alertCheckCron?: string };
  const mailer = createMailer((config.defaults.notifications ?? {}) as never);
  const checker = startAlertChecker(
    {
      connection: db.connection,
      history,
      mailer,
      store: new AlertStore(db.connection),
      province: (tenantId) => {
        const p = config.provinces.get(tenantId);
        const s = settings(tenantId) as
          | {
              dataRequests?: { serviceLevel?: string };
              analytics?: { officeServiceLevels?: Record<string, string> };
            }
          | undefined;
        if (!p) return undefined;
        return {
          name: p.name,
          dataRequestServiceLevel: s?.dataRequests?.serviceLevel ?? 'P30D',
          officeServiceLevels: s?.analytics?.officeServiceLevels ?? {},
        };
      },
      indicatorLabel: (i) => ALERT_INDICATOR_LABELS[i],
      logger: logger.child({ room: 'alerts' }),
    },
    analytics.alertCheckCron,
  );
  shutdown.push('alert checker', async () => {
    checker.stop();
    mailer.close();
  });
}

/** True exactly once per database: marks `what` as done (a unique _id makes it atomic). */
async function claimFirstStart(db: Database, what: string): Promise<boolean> {
  try {
    await db.connection
      .collection<{ _id: string; at: Date }>('product_meta')
      .insertOne({ _id: what, at: new Date() });
    return true;
  } catch (err) {
    if ((err as { code?: number }).code === 11000) return false;
    throw err;
  }
}

async function startMailSinkIfLocal(
  db: Database,
  config: ProductConfig,
  logger: Logger,
  shutdown: ShutdownStack,
): Promise<void> {
  const smtp = (config.defaults.notifications as NotificationSettings | undefined)?.smtp;
  if (!smtp || !/^(127\.|localhost$|::1$)/.test(smtp.host)) return;
  let sink: Awaited<ReturnType<typeof startDemoMailSink>>;
  try {
    sink = await startDemoMailSink(db.connection, smtp.host, smtp.port);
  } catch (err) {
    // Whatever listens there would receive the provinces' e-mail: refuse to start.
    const code = (err as { code?: string }).code;
    throw new MailSinkPortInUseError(
      `The demo mail sink cannot listen on ${smtp.host}:${smtp.port} (${code ?? (err as Error).message}): ` +
        `another program uses that port, and the provinces' e-mail would be sent to it. ` +
        `Free the port, choose another one in the setting notifications.smtp.port ` +
        `(engine-config/default.yaml), or set DEMO_MAIL_SINK=false to send through the configured SMTP server.`,
    );
  }
  shutdown.push('demo mail sink', () => sink.close());
  logger.info(
    { host: smtp.host, port: smtp.port },
    'demo mail sink: outgoing e-mail is stored in the demo_mailbox collection, not delivered',
  );
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Keep-alive connections would otherwise hold the close for minutes.
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 2000).unref();
  });
}
