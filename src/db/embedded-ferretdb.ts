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

export class EmbeddedDatabaseUnavailableError extends Error {
  override name = 'EmbeddedDatabaseUnavailableError';
}

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

/** Progress of the first start's build is reported at least this often. */
export const BUILD_PROGRESS_EVERY_MS = 10_000;

/**
 * Builds the FerretDB wrapper once (again when its sources change); later calls return
 * at once. The build runs as a
 * child process (the event loop stays free, so the web port can answer meanwhile) and
 * reports progress every BUILD_PROGRESS_EVERY_MS: elapsed time, modules downloaded and
 * packages compiled so far (from `go build -v`).
 */
export async function ensureFerretDbBinary(
  log: Pick<Logger, 'info' | 'warn'> = consoleLogger,
): Promise<string> {
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
    `Building the embedded database FerretDB ${FERRETDB_VERSION} into ${binary} (first start only, a few minutes; progress every ${BUILD_PROGRESS_EVERY_MS / 1000} s)...`,
  );
  mkdirSync(path.dirname(binary), { recursive: true });
  const started = Date.now();
  let downloaded = 0;
  let compiled = 0;
  let lastLine = '';
  let output = '';
  const child = spawn('go', ['build', '-v', '-o', binary, '.'], {
    cwd: WRAPPER_DIR,
    env: {
      ...process.env,
      GOPATH: path.join(TOOLS_DIR, 'go'),
      GOMODCACHE: path.join(TOOLS_DIR, 'go', 'mod'),
      GOFLAGS: '-mod=mod -buildvcs=false',
      CGO_ENABLED: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const onOutput = (chunk: Buffer) => {
    const text = chunk.toString();
    output = (output + text).slice(-4000);
    for (const l of text.split('\n')) {
      const t = l.trim();
      if (!t) continue;
      if (t.startsWith('go: downloading')) downloaded++;
      else if (!t.startsWith('go:')) compiled++;
      lastLine = t;
    }
  };
  child.stdout?.on('data', onOutput);
  child.stderr?.on('data', onOutput);
  // A product that exits mid-build (stopped, or its parent died) takes the build with it.
  const killBuild = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.on('exit', killBuild);
  const ticker = setInterval(() => {
    const seconds = Math.round((Date.now() - started) / 1000);
    log.info(
      `  ...still building FerretDB: ${seconds} s, ${downloaded} modules downloaded, ${compiled} packages compiled${lastLine ? ` (last: ${lastLine.slice(0, 80)})` : ''}`,
    );
  }, BUILD_PROGRESS_EVERY_MS);
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (c) => resolve(c));
    });
    if (code !== 0) {
      throw new EmbeddedDatabaseUnavailableError(
        `Building FerretDB failed (go build exit code ${code}). ` +
          `Set MONGODB_URI to use an existing MongoDB server instead.\n${output}`,
      );
    }
  } finally {
    clearInterval(ticker);
    process.removeListener('exit', killBuild);
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

export type EmbeddedDatabaseState = 'running' | 'restarting' | 'failed' | 'stopped';

export interface EmbeddedDatabase {
  uri: string;
  /** The current FerretDB process (changes when the supervisor restarts it). */
  readonly pid: number;
  dataDir: string;
  /** running; restarting after an unexpected exit; failed = gave up; stopped = stop() called. */
  readonly state: EmbeddedDatabaseState;
  /** How many times the supervisor restarted FerretDB. */
  readonly restarts: number;
  stop(): Promise<void>;
}

export interface SuperviseOptions {
  /** Restart attempts after one unexpected exit before giving up (default 5). */
  maxAttempts?: number;
  /** Wait before the first attempt, doubled for each next one (default 500 ms). */
  firstBackOffMs?: number;
  /**
   * Called once when FerretDB cannot be restarted: the product exits with a clear message
   * so that its own supervisor (systemd, Docker, Kubernetes) restarts it.
   */
  onGiveUp?(err: Error): void;
}

export interface StartOptions {
  dataDir: string;
  port?: number;
  /** Database name used in the returned URI. */
  dbName?: string;
  log?: Logger;
  readyTimeoutMs?: number;
  /** Restart FerretDB when it dies (default on); `false` to leave it dead. */
  supervise?: SuperviseOptions | false;
}

async function waitForPing(uri: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `FerretDB exited with ${child.exitCode !== null ? `code ${child.exitCode}` : child.signalCode} before it was ready`,
      );
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

/**
 * Starts FerretDB on loopback and resolves once it answers `ping`. Then supervises it:
 * when it exits unexpectedly it is started again on the same port and data folder (so
 * the open connections reconnect by themselves), with doubling back-off; after
 * `maxAttempts` failed attempts `onGiveUp` is called.
 */
export async function startEmbeddedDatabase(opts: StartOptions): Promise<EmbeddedDatabase> {
  const log = opts.log ?? consoleLogger;
  const binary = await ensureFerretDbBinary(log);
  mkdirSync(opts.dataDir, { recursive: true });
  const port = opts.port ?? (await findFreePort());
  const uri = `mongodb://127.0.0.1:${port}/${opts.dbName ?? 'province'}`;
  const readyTimeoutMs = opts.readyTimeoutMs ?? 30_000;
  const supervise = opts.supervise === false ? undefined : (opts.supervise ?? {});

  // 'restarting' until the first launch answers, so an early exit is not "restarted".
  let state: EmbeddedDatabaseState = 'restarting';
  let restarts = 0;
  let child: ChildProcess;
  let stderr = '';

  // Last line of defence: if Node exits without stop(), kill FerretDB synchronously.
  const killOnExit = () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.on('exit', killOnExit);

  async function launch(): Promise<void> {
    stderr = '';
    const c = spawn(
      binary,
      ['--listen-addr', `127.0.0.1:${port}`, '--data-dir', opts.dataDir, '--log-level', 'error'],
      { stdio: ['pipe', 'ignore', 'pipe'] },
    );
    child = c;
    c.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    c.once('exit', (code, signal) => {
      if (child !== c || state !== 'running') return;
      void restart(code !== null ? `code ${code}` : `signal ${signal}`);
    });
    try {
      await waitForPing(uri, c, readyTimeoutMs);
    } catch (err) {
      if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      throw new Error(`${(err as Error).message}\nFerretDB output:\n${stderr}`);
    }
  }

  async function restart(how: string): Promise<void> {
    if (!supervise) {
      state = 'failed';
      log.error(`The embedded database FerretDB exited (${how}); it is not supervised.`);
      return;
    }
    state = 'restarting';
    const maxAttempts = supervise.maxAttempts ?? 5;
    let backOff = supervise.firstBackOffMs ?? 500;
    let lastError: Error = new Error(`FerretDB exited (${how})`);
    log.warn(
      `The embedded database FerretDB exited unexpectedly (${how}); restarting it (up to ${maxAttempts} attempts)`,
    );
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      await new Promise((r) => setTimeout(r, backOff));
      backOff *= 2;
      if ((state as EmbeddedDatabaseState) === 'stopped') return;
      try {
        await launch();
        restarts++;
        state = 'running';
        log.info(`The embedded database FerretDB is running again (attempt ${attempt}).`);
        return;
      } catch (err) {
        lastError = err as Error;
        log.warn(
          `Restarting FerretDB failed (attempt ${attempt} of ${maxAttempts}): ${lastError.message}`,
        );
      }
    }
    state = 'failed';
    const giveUp = new Error(
      `The embedded database FerretDB (data in ${opts.dataDir}, port ${port}) stopped and could not be restarted after ${maxAttempts} attempts. Last error: ${lastError.message}`,
    );
    log.error(giveUp.message);
    supervise.onGiveUp?.(giveUp);
  }

  try {
    await launch();
    state = 'running';
  } catch (err) {
    process.removeListener('exit', killOnExit);
    throw err;
  }

  const stop = async () => {
    state = 'stopped';
    process.removeListener('exit', killOnExit);
    const c = child;
    if (c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
    c.stdin?.end();
    c.kill('SIGTERM');
    const timer = setTimeout(() => c.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  return {
    uri,
    get pid() {
      return child.pid ?? -1;
    },
    dataDir: opts.dataDir,
    get state() {
      return state;
    },
    get restarts() {
      return restarts;
    },
    stop,
  };
}
