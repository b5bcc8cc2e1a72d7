/**
 * Starts and stops the whole product: configuration, database (embedded FerretDB or
 * MONGODB_URI), the built-in engine with its Zeebe gateway (unless pointed at an
 * external Zeebe), the web server. Everything after the engine talks to it through
 * the Zeebe gRPC client only.
 */
import type { Server } from 'node:http';
import type { Logger } from 'pino';
import { loadProductConfig, readEnvConfig, type EnvConfig, type ProductConfig } from './config';
import { openDatabase, type Database } from './db';
import { createEngine, type EngineApi } from './engine';
import { startGateway } from './engine/gateway';
import { createLogger } from './logger';
import { createWebApp } from './web/app';
import type { HealthSources } from './web/health';
import { createZeebeClient } from './workers/runtime';

export interface RunningProduct {
  env: EnvConfig;
  config: ProductConfig;
  url: string;
  db: Database;
  logger: Logger;
  stop(): Promise<void>;
}

type ZeebeClient = ReturnType<typeof createZeebeClient>;

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
): Promise<RunningProduct> {
  const env = readEnvConfig(envVars);
  const logger = createLogger(env.logLevel);
  // Validate configuration before starting anything that must then be stopped.
  const config = loadProductConfig(env.configDir);
  logger.info({ provinces: [...config.provinces.keys()] }, 'configuration loaded');

  const shutdown = new ShutdownStack(logger);
  try {
    const db = await openDatabase({
      mongodbUri: env.mongodbUri,
      dataDir: env.dataDir,
      log: { info: (m) => logger.info(m), warn: (m) => logger.warn(m) },
    });
    shutdown.push('database', () => db.close());
    logger.info(
      { embedded: Boolean(db.embedded), dataDir: db.embedded?.dataDir },
      'database ready',
    );

    let engine: EngineApi | undefined;
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
        logger: logger.child({ room: 'gateway' }),
      });
      shutdown.push('gateway', () => gateway.close());
      logger.info({ address: gateway.address }, 'built-in engine serving the Zeebe gateway API');
    }

    const zeebe = createZeebeClient(env.zeebeAddress);
    shutdown.push('zeebe client', async () => {
      await zeebe.close();
    });

    const app = createWebApp({
      config,
      logger: logger.child({ room: 'web' }),
      health: {
        database: async () => ({
          status: (await db.ping()) ? 'ok' : 'down',
          kind: db.embedded ? 'embedded-ferretdb' : 'mongodb',
        }),
        engine: engineHealthSource(zeebe, env),
      },
    });
    const server: Server = await new Promise((resolve, reject) => {
      const s = app.listen(env.port, env.host, () => resolve(s));
      s.once('error', reject);
    });
    shutdown.push('web server', () => closeServer(server));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : env.port;
    const url = `http://${env.host}:${port}`;
    logger.info({ url }, 'web server listening');

    let stopped: Promise<void> | undefined;
    return {
      env,
      config,
      url,
      db,
      logger,
      stop: () => (stopped ??= shutdown.runAll()),
    };
  } catch (err) {
    await shutdown.runAll();
    throw err;
  }
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Keep-alive connections would otherwise hold the close for minutes.
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 2000).unref();
  });
}
