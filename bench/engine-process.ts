/**
 * Runs the engine server (`npm run engine`, i.e. src/engine/standalone.ts) in its own
 * child process on a fresh data dir, so the benchmark measures it end to end through
 * gRPC and can read its resident memory.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findFreePort } from '../src/db';
import { spawnTiedNode } from '../src/process/tied-child';
import { createZeebeClient } from '../src/workers/runtime';

const ROOT = path.resolve(__dirname, '..');

export interface EngineProcess {
  address: string;
  pid: number;
  /** Resident memory of the engine process (MB); the embedded database runs apart. */
  rssMb(): number;
  /** Resident memory of the engine's child processes, i.e. the embedded FerretDB (MB). */
  childrenRssMb(): number;
  stop(): Promise<void>;
}

export async function startEngineProcess(opts: { cpuProf?: boolean } = {}): Promise<EngineProcess> {
  const port = await findFreePort();
  const address = `127.0.0.1:${port}`;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pc-bench-data-'));
  const args = ['--import', 'tsx'];
  if (opts.cpuProf) args.push('--cpu-prof', '--cpu-prof-dir', path.join(ROOT, 'bench', 'results'));
  args.push(path.join(ROOT, 'src', 'engine', 'standalone.ts'));
  const child: ChildProcess = spawnTiedNode(args, {
    cwd: ROOT,
    env: {
      ...process.env,
      ZEEBE_ADDRESS: address,
      DATA_DIR: dataDir,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  let stopping = false;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // A benchmark against a dead engine would only hang in client retries: stop at once.
  child.once('exit', (code, signal) => {
    if (stopping) return;
    console.error(`bench: the engine server exited unexpectedly (code ${code}, signal ${signal})`);
    process.exit(1);
  });
  await waitForTopology(address, child);
  const pid = child.pid ?? -1;
  return {
    address,
    pid,
    rssMb: () => rssMb(pid),
    childrenRssMb: () => childPids(pid).reduce((sum, p) => sum + rssMb(p), 0),
    async stop() {
      stopping = true;
      if (child.exitCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 40_000);
      await exited;
      clearTimeout(timer);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function waitForTopology(address: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`The engine server exited with code ${child.exitCode}`);
    const zbc = createZeebeClient(address);
    try {
      await zbc.topology();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 500));
    } finally {
      await zbc.close().catch(() => undefined);
    }
  }
  throw new Error(`The engine server did not answer Topology on ${address} in time`);
}

function rssMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
    return kb / 1024;
  } catch {
    return NaN;
  }
}

function childPids(pid: number): number[] {
  const result: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) result.push(Number(entry));
    } catch {
      // process ended meanwhile
    }
  }
  return result;
}
