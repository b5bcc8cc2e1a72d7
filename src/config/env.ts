/**
 * Settings that come from environment variables, with their defaults.
 */
import path from 'node:path';

export interface EnvConfig {
  port: number;
  host: string;
  zeebeAddress: string;
  /** Run the built-in engine (and its gRPC gateway on zeebeAddress). Off when pointing at Zeebe. */
  builtInEngine: boolean;
  /**
   * The Camunda 8 REST API v2 (history searches): host:port where the built-in engine
   * serves it, or the base URL of a Camunda 8.8+ cluster's REST API.
   */
  engineRestAddress: string;
  /** http(s)://… form of engineRestAddress, what REST clients use. */
  engineRestUrl: string;
  mongodbUri: string | undefined;
  dataDir: string;
  configDir: string;
  logLevel: string;
  sessionSecret: string | undefined;
  loadDemoData: boolean;
  /** Catch outgoing mail locally (see src/workers/notifications/demo-mail-sink.ts). */
  demoMailSink: boolean;
  /** Run the product's service workers in this process. */
  runWorkers: boolean;
  gatewayTlsCertPath: string | undefined;
  gatewayTlsKeyPath: string | undefined;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

function parsePort(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new ConfigError(
      `Environment variable ${name}: expected a port number 0-65535, got "${raw}"`,
    );
  }
  return n;
}

function parseBool(name: string, raw: string | undefined, fallback: boolean): boolean {
  if (raw === undefined || raw === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(`Environment variable ${name}: expected true or false, got "${raw}"`);
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function readEnvConfig(env: NodeJS.ProcessEnv = process.env): EnvConfig {
  const logLevel = env.LOG_LEVEL || 'info';
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(
      `Environment variable LOG_LEVEL: expected one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`,
    );
  }
  const zeebeAddress = env.ZEEBE_ADDRESS || '127.0.0.1:26500';
  if (!/^[^\s:]+:\d{1,5}$/.test(zeebeAddress)) {
    throw new ConfigError(
      `Environment variable ZEEBE_ADDRESS: expected host:port, got "${zeebeAddress}"`,
    );
  }
  const engineRestAddress = env.ENGINE_REST_ADDRESS || '127.0.0.1:8080';
  const restIsUrl = /^https?:\/\/[^\s]+$/.test(engineRestAddress);
  if (!restIsUrl && !/^[^\s:]+:\d{1,5}$/.test(engineRestAddress)) {
    throw new ConfigError(
      `Environment variable ENGINE_REST_ADDRESS: expected host:port or an http(s) URL, got "${engineRestAddress}"`,
    );
  }
  return {
    port: parsePort('PORT', env.PORT, 3000),
    engineRestAddress,
    engineRestUrl: restIsUrl
      ? engineRestAddress.replace(/\/+$/, '')
      : `http://${engineRestAddress}`,
    host: env.HOST || '127.0.0.1',
    zeebeAddress,
    builtInEngine: parseBool('BUILT_IN_ENGINE', env.BUILT_IN_ENGINE, true),
    mongodbUri: env.MONGODB_URI || undefined,
    dataDir: path.resolve(env.DATA_DIR || path.join(PROJECT_ROOT, 'data')),
    configDir: path.resolve(env.CONFIG_DIR || path.join(PROJECT_ROOT, 'engine-config')),
    logLevel,
    sessionSecret: env.SESSION_SECRET || undefined,
    loadDemoData: parseBool('DEMO_DATA', env.DEMO_DATA, true),
    demoMailSink: parseBool(
      'DEMO_MAIL_SINK',
      env.DEMO_MAIL_SINK,
      parseBool('DEMO_DATA', env.DEMO_DATA, true),
    ),
    runWorkers: parseBool('WORKERS', env.WORKERS, true),
    gatewayTlsCertPath: env.ZEEBE_TLS_CERT_PATH || undefined,
    gatewayTlsKeyPath: env.ZEEBE_TLS_KEY_PATH || undefined,
  };
}
