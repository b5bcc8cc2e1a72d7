/**
 * The embedded MongoDB-compatible database: FerretDB v1.24.2 with its SQLite
 * backend, built once from the Go module proxy into .tools/ and run as a child
 * process that can never outlive the product (see tools/ferretdb/main.go).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import mongoose from 'mongoose';
import { consoleLogger, type Logger } from '../logging';

export const FERRETDB_VERSION = 'v1.24.2';
const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
const TOOLS_DIR = path.join(PROJECT_ROOT, '.tools');
export const FERRETDB_BINARY = path.join(TOOLS_DIR, 'bin', 'ferretdb-embedded');

/** Where the binary is (FERRETDB_BINARY overrides it, e.g. for a prebuilt one). */
function binaryPath(): string {
  return process.env.FERRETDB_BINARY || FERRETDB_BINARY;
}

export class EmbeddedDatabaseUnavailableError extends Error {}

function goAvailable(): boolean {
  const r = spawnSync('go', ['version'], { stdio: 'ignore', env: process.env });
  return r.status === 0 && !r.error;
}

const WRAPPER_DIR = path.join(PROJECT_ROOT, 'tools', 'ferretdb');

/** A digest of the wrapper's sources: a binary built from older sources is rebuilt. */
function wrapperSourceDigest(): string {
  const hash = createHash('sha256');
  for (const f of readdirSync(WRAPPER_DIR)
    .filter((n) => /\.(go|mod|sum)$/.test(n))
    .sort()) {
    hash.update(f).update(readFileSync(path.join(WRAPPER_DIR, f)));
  }
  return hash.digest('hex');
}

/** Builds the FerretDB wrapper once (again when its sources change); later calls return at once. */
export function ensureFerretDbBinary(log: Pick<Logger, 'info' | 'warn'> = consoleLogger): string {
  const binary = binaryPath();
  // A binary given through FERRETDB_BINARY is the caller's business.
  if (process.env.FERRETDB_BINARY) {
    if (existsSync(binary)) return binary;
  }
  const stampFile = `${binary}.sources`;
  const digest = wrapperSourceDigest();
  const stamp = existsSync(stampFile) ? readFileSync(stampFile, 'utf8').trim() : '';
  if (existsSync(binary) && stamp === digest) return binary;
  if (!goAvailable()) {
    throw new EmbeddedDatabaseUnavailableError(
      'No database available: MONGODB_URI is not set and Go is not installed, so the embedded ' +
        'FerretDB cannot be built. Either set MONGODB_URI to a MongoDB 6+ server ' +
        '(e.g. MONGODB_URI=mongodb://127.0.0.1:27017/province) or install Go 1.22+ ' +
        '(https://go.dev/dl/) and start again.',
    );
  }
  log.info(
    `Building the embedded database FerretDB ${FERRETDB_VERSION} (first start only, about 2-3 minutes)...`,
  );
  mkdirSync(path.dirname(binary), { recursive: true });
  const started = Date.now();
  const ticker = setInterval(() => {
    log.info(`  ...still building FerretDB (${Math.round((Date.now() - started) / 1000)} s)`);
  }, 15_000);
  try {
    const result = spawnSync('go', ['build', '-o', binary, '.'], {
      cwd: WRAPPER_DIR,
      env: {
        ...process.env,
        GOPATH: path.join(TOOLS_DIR, 'go'),
        GOMODCACHE: path.join(TOOLS_DIR, 'go', 'mod'),
        GOFLAGS: '-mod=mod -buildvcs=false',
        CGO_ENABLED: '0',
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    if (result.status !== 0) {
      throw new EmbeddedDatabaseUnavailableError(
        `Building FerretDB failed (go build exit code ${result.status}). ` +
          'Set MONGODB_URI to use an existing MongoDB server instead.',
      );
    }
  } finally {
    clearInterval(ticker);
  }
  writeFileSync(stampFile, `${digest}\n`);
  log.info(`FerretDB built in ${Math.round((Date.now() - started) / 1000)} s.`);
  return binary;
}

export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface EmbeddedDatabase {
  uri: string;
  pid: number;
  dataDir: string;
  stop(): Promise<void>;
}

export interface StartOptions {
  dataDir: string;
  port?: number;
  /** Database name used in the returned URI. */
  dbName?: string;
  log?: Logger;
  readyTimeoutMs?: number;
}

async function waitForPing(uri: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`FerretDB exited with code ${child.exitCode} before it was ready`);
    }
    const conn = mongoose.createConnection(uri, { serverSelectionTimeoutMS: 1000 });
    try {
      await conn.asPromise();
      await conn.db!.admin().command({ ping: 1 });
      return;
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      await conn.close().catch(() => undefined);
    }
  }
  throw new Error(`FerretDB did not answer ping within ${timeoutMs} ms: ${String(lastError)}`);
}

/** Starts FerretDB on loopback and resolves once it answers `ping`. */
export async function startEmbeddedDatabase(opts: StartOptions): Promise<EmbeddedDatabase> {
  const log = opts.log ?? consoleLogger;
  const binary = ensureFerretDbBinary(log);
  mkdirSync(opts.dataDir, { recursive: true });
  const port = opts.port ?? (await findFreePort());
  const child = spawn(
    binary,
    ['--listen-addr', `127.0.0.1:${port}`, '--data-dir', opts.dataDir, '--log-level', 'error'],
    { stdio: ['pipe', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  // Last line of defence: if Node exits without stop(), kill FerretDB synchronously.
  const killOnExit = () => {
    if (child.exitCode === null) child.kill('SIGKILL');
  };
  process.on('exit', killOnExit);

  const uri = `mongodb://127.0.0.1:${port}/${opts.dbName ?? 'province'}`;
  try {
    await waitForPing(uri, child, opts.readyTimeoutMs ?? 30_000);
  } catch (err) {
    killOnExit();
    throw new Error(`${(err as Error).message}\nFerretDB output:\n${stderr}`);
  }

  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.stdin?.end();
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  return { uri, pid: child.pid ?? -1, dataDir: opts.dataDir, stop };
}
