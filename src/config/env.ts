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
  /** With DEMO_DATA: also start the demo process instances on first start (default true). */
  loadDemoInstances: boolean;
  /** Catch outgoing mail locally (see src/workers/notifications/demo-mail-sink.ts). */
  demoMailSink: boolean;
  /** Run the product's service workers in this process. */
  runWorkers: boolean;
  gatewayTlsCertPath: string | undefined;
  gatewayTlsKeyPath: string | undefined;
  /**
   * PUBLIC_URL: the address people reach the web app at (links in e-mails, the OIDC
   * redirect, Secure cookies when https). Unset = the address the server listens on.
   */
  publicUrl: string | undefined;
  /** Password of the demo accounts (only while loadDemoData is on). */
  demoPassword: string;
  sessionIdleTimeoutMs: number;
  sessionAbsoluteTimeoutMs: number;
  /** Failed sign-ins per client address per 15 minutes. */
  loginLimitPerIp: number;
  /** Failed sign-ins per username per 15 minutes (the lock-out comes first, at 5). */
  loginLimitPerUsername: number;
  /** Bearer token → tenant ids the built-in gateway accepts (as `npm run engine`). */
  gatewayTokens: Record<string, string[]> | undefined;
  /** The bearer token this process's Zeebe client sends. */
  zeebeToken: string | undefined;
  /** Reads a secret named in configuration (e.g. an OIDC client secret's variable). */
  secret(name: string): string | undefined;
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

function parsePositive(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) {
    throw new ConfigError(`Environment variable ${name}: expected a positive number, got "${raw}"`);
  }
  return n;
}

/** ZEEBE_GATEWAY_TOKENS: a JSON object mapping each token to the tenant ids it may use. */
export function parseGatewayTokens(raw: string | undefined): Record<string, string[]> | undefined {
  if (!raw) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = undefined;
  }
  const valid =
    parsed !== null &&
    typeof parsed === 'object' &&
    !Array.isArray(parsed) &&
    Object.keys(parsed).length > 0 &&
    Object.values(parsed).every((v) => Array.isArray(v) && v.every((t) => typeof t === 'string'));
  if (!valid) {
    throw new ConfigError(
      'Environment variable ZEEBE_GATEWAY_TOKENS: expected a JSON object mapping each token to a list of tenant ids, e.g. {"s3cret":["039","100"]}',
    );
  }
  return parsed as Record<string, string[]>;
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
  const port = parsePort('PORT', env.PORT, 3000);
  const host = env.HOST || '127.0.0.1';
  const publicUrl = env.PUBLIC_URL ? env.PUBLIC_URL.replace(/\/+$/, '') : undefined;
  if (publicUrl !== undefined && !/^https?:\/\/[^\s/]+(\/[^\s]*)?$/.test(publicUrl)) {
    throw new ConfigError(
      `Environment variable PUBLIC_URL: expected an http(s) address like https://servizi.provincia.it, got "${publicUrl}"`,
    );
  }
  return {
    port,
    engineRestAddress,
    engineRestUrl: restIsUrl
      ? engineRestAddress.replace(/\/+$/, '')
      : `http://${engineRestAddress}`,
    host,
    zeebeAddress,
    builtInEngine: parseBool('BUILT_IN_ENGINE', env.BUILT_IN_ENGINE, true),
    mongodbUri: env.MONGODB_URI || undefined,
    dataDir: path.resolve(env.DATA_DIR || path.join(PROJECT_ROOT, 'data')),
    configDir: path.resolve(env.CONFIG_DIR || path.join(PROJECT_ROOT, 'engine-config')),
    logLevel,
    sessionSecret: env.SESSION_SECRET || undefined,
    loadDemoData: parseBool('DEMO_DATA', env.DEMO_DATA, true),
    loadDemoInstances: parseBool('DEMO_INSTANCES', env.DEMO_INSTANCES, true),
    demoMailSink: parseBool(
      'DEMO_MAIL_SINK',
      env.DEMO_MAIL_SINK,
      parseBool('DEMO_DATA', env.DEMO_DATA, true),
    ),
    runWorkers: parseBool('WORKERS', env.WORKERS, true),
    gatewayTlsCertPath: env.ZEEBE_TLS_CERT_PATH || undefined,
    gatewayTlsKeyPath: env.ZEEBE_TLS_KEY_PATH || undefined,
    publicUrl,
    demoPassword: env.DEMO_PASSWORD || 'demo',
    sessionIdleTimeoutMs:
      parsePositive('SESSION_IDLE_MINUTES', env.SESSION_IDLE_MINUTES, 30) * 60_000,
    sessionAbsoluteTimeoutMs:
      parsePositive('SESSION_ABSOLUTE_HOURS', env.SESSION_ABSOLUTE_HOURS, 12) * 3_600_000,
    loginLimitPerIp: Math.floor(parsePositive('LOGIN_LIMIT_PER_IP', env.LOGIN_LIMIT_PER_IP, 50)),
    loginLimitPerUsername: Math.floor(
      parsePositive('LOGIN_LIMIT_PER_USERNAME', env.LOGIN_LIMIT_PER_USERNAME, 10),
    ),
    gatewayTokens: parseGatewayTokens(env.ZEEBE_GATEWAY_TOKENS),
    zeebeToken: env.ZEEBE_TOKEN || undefined,
    secret: (name) => env[name] || undefined,
  };
}
