/**
 * The Zeebe gateway gRPC API in front of the built-in engine: serves gateway.proto
 * (as shipped in @camunda8/sdk) so that any Zeebe client — the product's workers,
 * zeebe-node, zbctl, clients in other languages — talks to the engine as to Zeebe.
 */
import { readFileSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import type { EngineApi } from '../api';
import type { TokenMap } from './auth';
import { silentLogger, type Logger } from '../../logging';
import { loadGatewayService } from './proto';
import { createGatewayService, type GatewayStats } from './service';

export type { TokenMap } from './auth';
export type { GatewayStats } from './service';
export { gatewayProtoPath } from './proto';

export interface GatewayOptions {
  /** host:port; port 0 picks a free port. */
  address: string;
  /** PEM files; plaintext when absent. */
  tls?: { certPath: string; keyPath: string };
  /** token → tenant ids it may use; when set, every call needs `authorization: Bearer <token>`. */
  tokens?: Record<string, string[]>;
  /** Commands handed to the engine at once before RESOURCE_EXHAUSTED (default 1000). */
  maxConcurrentCalls?: number;
  /** Long polls, job streams and create-with-result waits at once (default 10000). */
  maxWaitingCalls?: number;
  /** ActivateJobs long poll when the request says 0 (default 10 s, as Zeebe). */
  defaultLongPollMs?: number;
  /** CreateProcessInstanceWithResult wait when the request says 0 (default 15 s). */
  defaultRequestTimeoutMs?: number;
  logger?: Logger;
}

export interface RunningGateway {
  address: string;
  port: number;
  /** Calls in flight and waiting, and back-pressure refusals (for /health and tests). */
  stats(): GatewayStats;
  close(): Promise<void>;
}

export const DEFAULT_GATEWAY_ADDRESS = '127.0.0.1:26500';

export async function startGateway(
  engine: EngineApi,
  opts: GatewayOptions,
): Promise<RunningGateway> {
  const logger = opts.logger ?? silentLogger;
  const { host, port } = splitAddress(opts.address);
  const advertised: { at?: { host: string; port: number } } = {};
  const service = createGatewayService(engine, {
    advertisedAddress: () => advertised.at,
    tokens: opts.tokens as TokenMap | undefined,
    maxConcurrentCalls: opts.maxConcurrentCalls ?? 1000,
    maxWaitingCalls: opts.maxWaitingCalls ?? 10_000,
    defaultLongPollMs: opts.defaultLongPollMs ?? 10_000,
    defaultRequestTimeoutMs: opts.defaultRequestTimeoutMs ?? 15_000,
    logger,
  });
  const server = new grpc.Server({
    // Zeebe clients keep idle connections alive with pings; answer rather than drop them.
    'grpc.keepalive_time_ms': 60_000,
    'grpc.keepalive_timeout_ms': 20_000,
    'grpc.max_receive_message_length': 4 * 1024 * 1024,
  });
  server.addService(loadGatewayService(), service.implementation);

  const credentials = opts.tls
    ? grpc.ServerCredentials.createSsl(
        null,
        [
          {
            cert_chain: readFileSync(opts.tls.certPath),
            private_key: readFileSync(opts.tls.keyPath),
          },
        ],
        false,
      )
    : grpc.ServerCredentials.createInsecure();

  const boundPort = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`${host}:${port}`, credentials, (err, p) => (err ? reject(err) : resolve(p)));
  });
  const address = `${host}:${boundPort}`;
  advertised.at = { host: host.replace(/^\[(.*)\]$/, '$1'), port: boundPort };
  logger.info(
    { address, tls: Boolean(opts.tls), auth: Boolean(opts.tokens) },
    `Zeebe gateway API listening on ${address}`,
  );

  let closing: Promise<void> | undefined;
  return {
    address,
    port: boundPort,
    stats: () => service.stats(),
    close() {
      closing ??= new Promise<void>((resolve) => {
        service.abortWaiting();
        // Calls still open after the grace period are cut; clients retry elsewhere.
        const force = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, 5000);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      });
      return closing;
    },
  };
}

function splitAddress(address: string): { host: string; port: number } {
  const match = /^(.*):(\d+)$/.exec(address.trim());
  if (!match) throw new Error(`Invalid gateway address '${address}': expected host:port`);
  const host = match[1].replace(/^\[(.*)\]$/, '$1') || '127.0.0.1';
  return { host: host.includes(':') ? `[${host}]` : host, port: Number(match[2]) };
}
