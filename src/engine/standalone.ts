/**
 * `npm run engine`: the built-in engine alone, behind its Zeebe gateway API, for
 * clients in any language. Opens the database (MONGODB_URI, else the embedded FerretDB
 * in DATA_DIR, default ./data), starts the engine and the gateway on ZEEBE_ADDRESS
 * (default 127.0.0.1:26500), and shuts all down gracefully on SIGINT/SIGTERM.
 *
 * The Camunda 8 REST API v2 search endpoints on ENGINE_REST_ADDRESS (default
 * 127.0.0.1:8080), with the same tokens.
 *
 * Optional: ZEEBE_TLS_CERT_PATH + ZEEBE_TLS_KEY_PATH (TLS), ZEEBE_GATEWAY_TOKENS (JSON
 * map token → tenant ids; enables the bearer-token check), ZEEBE_GATEWAY_MAX_CALLS,
 * LOG_LEVEL.
 */
import path from 'node:path';
import pino from 'pino';
import { openDatabase } from '../db';
import { onParentExit } from '../process/parent-watch';
import { DEFAULT_GATEWAY_ADDRESS, startGateway } from './gateway';
import { DEFAULT_REST_ADDRESS, startRestApi } from './rest';
import { createEngine } from './index';

async function main(): Promise<void> {
  const logger = pino({ level: process.env.LOG_LEVEL || 'info' });
  const address = process.env.ZEEBE_ADDRESS || DEFAULT_GATEWAY_ADDRESS;
  const dataDir = path.resolve(process.env.DATA_DIR || path.join(__dirname, '..', '..', 'data'));
  const tls =
    process.env.ZEEBE_TLS_CERT_PATH && process.env.ZEEBE_TLS_KEY_PATH
      ? { certPath: process.env.ZEEBE_TLS_CERT_PATH, keyPath: process.env.ZEEBE_TLS_KEY_PATH }
      : undefined;
  const tokens = parseTokens(process.env.ZEEBE_GATEWAY_TOKENS);
  const maxConcurrentCalls = process.env.ZEEBE_GATEWAY_MAX_CALLS
    ? Number(process.env.ZEEBE_GATEWAY_MAX_CALLS)
    : undefined;

  const db = await openDatabase({
    mongodbUri: process.env.MONGODB_URI || undefined,
    dataDir,
    log: logger,
  });
  const engine = await createEngine({
    connection: db.connection,
    logger,
    // ENGINE_HISTORY=false runs without the history exporter (for measurements only).
    exporters: process.env.ENGINE_HISTORY !== 'false',
  });
  const gateway = await startGateway(engine, { address, tls, tokens, maxConcurrentCalls, logger });
  const restApi = await startRestApi(engine, db.connection, {
    address: process.env.ENGINE_REST_ADDRESS || DEFAULT_REST_ADDRESS,
    tokens,
    logger,
  });
  logger.info(
    `Engine ready: Zeebe gateway API on ${gateway.address}${tls ? ' (TLS)' : ''}, REST API v2 on ${restApi.url}`,
  );

  const step = async (what: string, run: () => Promise<void>) => {
    logger.info(`closing the ${what}`);
    await run().catch((err: unknown) => logger.error({ err }, `closing the ${what} failed`));
  };
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal} received: shutting down`);
    // Never hang on the way out: a stuck step must not keep the port and data dir.
    setTimeout(() => {
      logger.error('shutdown did not finish in 30 s: exiting');
      process.exit(1);
    }, 30_000).unref();
    // Order matters: stop taking calls, then let the engine flush, then the database.
    await step('gateway', () => gateway.close());
    await step('REST API', () => restApi.close());
    await step('engine', () => engine.close());
    await step('database', () => db.close());
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  // Started by the benchmark or a test with an IPC channel: stop when that parent dies.
  onParentExit(() => void shutdown('parent exited'));
}

function parseTokens(raw: string | undefined): Record<string, string[]> | undefined {
  if (!raw) return undefined;
  const parsed: unknown = JSON.parse(raw);
  const valid =
    parsed !== null &&
    typeof parsed === 'object' &&
    !Array.isArray(parsed) &&
    Object.values(parsed).every((v) => Array.isArray(v) && v.every((t) => typeof t === 'string'));
  if (!valid) {
    throw new Error(
      'ZEEBE_GATEWAY_TOKENS: expected a JSON object mapping each token to a list of tenant ids',
    );
  }
  return parsed as Record<string, string[]>;
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
