/**
 * Runs the real product (`src/main.ts`, as `npm start` does) in a child process on
 * free ports, with its own embedded FerretDB in a temporary data folder.
 */
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { findFreePort } from '../../src/db/embedded-ferretdb';
import { spawnTiedNode } from '../../src/process/tied-child';

const ROOT = path.resolve(__dirname, '../..');

export interface ProductProcess {
  child: ChildProcess;
  url: string;
  zeebeAddress: string;
  output(): string;
  /** Resolves with the exit code (or signal name). */
  exited: Promise<number | string>;
}

export async function startProductProcess(
  dataDir: string,
  extraEnv: Record<string, string> = {},
): Promise<ProductProcess> {
  const port = await findFreePort();
  const zeebePort = await findFreePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    ZEEBE_ADDRESS: `127.0.0.1:${zeebePort}`,
    ENGINE_REST_ADDRESS: `127.0.0.1:${await findFreePort()}`,
    DATA_DIR: dataDir,
    DEMO_DATA: 'false',
    LOG_LEVEL: 'warn',
    ...extraEnv,
  };
  delete env.MONGODB_URI;
  // One process (no npm or tsx wrapper), so that SIGKILL hits the product itself; tied
  // to this test process, so it stops when the test worker dies (even by SIGKILL).
  const child = spawnTiedNode(['--import', 'tsx', 'src/main.ts'], { cwd: ROOT, env });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    zeebeAddress: `127.0.0.1:${zeebePort}`,
    output: () => out,
    exited,
  };
}

/** Polls /health until it reports ok; fails with the product's output otherwise. */
export async function waitForHealthy(p: ProductProcess, timeoutMs = 120_000): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  let exitedWith: number | string | undefined;
  void p.exited.then((c) => (exitedWith = c));
  while (Date.now() < deadline) {
    if (exitedWith !== undefined) {
      throw new Error(`product exited (${exitedWith}) before it was healthy:\n${p.output()}`);
    }
    try {
      const res = await fetch(`${p.url}/health`);
      const body = (await res.json()) as { status: string };
      if (body.status === 'ok') return body;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`product not healthy within ${timeoutMs} ms:\n${p.output()}`);
}

/** PIDs of processes whose command line mentions `needle` (e.g. a data folder). */
export async function processesMentioning(needle: string): Promise<number[]> {
  const { readdirSync, readFileSync } = await import('node:fs');
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmd.includes(needle)) pids.push(Number(entry));
    } catch {
      // process went away
    }
  }
  return pids;
}
