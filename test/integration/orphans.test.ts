/**
 * No orphans: when the process that started the product or an engine child dies by
 * SIGKILL (a jest worker killed at a time-out, a killed CI run), its children go with it
 * instead of running on with PPID 1, holding CPU, ports and data folders. The product
 * takes its embedded FerretDB down too. A parent that exits by itself kills the process
 * group of a tied child still running, even one that does not watch its parent.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { spawnTiedNode } from '../../src/process/tied-child';
import { openTestDatabase, type TestDatabase } from '../support/database';
import { processesMentioning } from '../support/product-process';
import { waitFor } from '../support/wait-for';

jest.setTimeout(240_000);

const ROOT = path.resolve(__dirname, '..', '..');

/** Alive and not a zombie waiting to be reaped. */
function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The state follows the command name in parentheses: "pid (comm) S ...".
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

function parentOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

let db: TestDatabase;
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pc-orphans-'));
beforeAll(async () => {
  db = await openTestDatabase('orphans');
});
afterAll(async () => {
  await db.close();
  rmSync(dataDir, { recursive: true, force: true });
});

it('the product, its FerretDB and an engine child exit when their parent is SIGKILLed', async () => {
  const parent = spawnTiedNode(['--import', 'tsx', 'test/integration/fixtures/tied-parent.ts'], {
    cwd: ROOT,
    env: { ...process.env, ORPHANS_DATA_DIR: dataDir, ORPHANS_DB_URI: db.uri, LOG_LEVEL: 'warn' },
  });
  let stderr = '';
  parent.stderr?.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-8000)));
  const parentExited = new Promise<void>((resolve) => parent.once('exit', () => resolve()));
  let all: number[] = [];
  try {
    const children = await new Promise<{ product: number; engine: number }>((resolve, reject) => {
      readline.createInterface({ input: parent.stdout! }).on('line', (line) => {
        if (line.startsWith('children ')) resolve(JSON.parse(line.slice('children '.length)));
      });
      void parentExited.then(() => reject(new Error(`the parent exited early:\n${stderr}`)));
    });
    const ferretDb = (await processesMentioning(dataDir)).filter(
      (pid) => pid !== children.product && isRunning(pid),
    );
    // Really the parent's children (and the product's database), all running now.
    expect(parentOf(children.product)).toBe(parent.pid);
    expect(parentOf(children.engine)).toBe(parent.pid);
    expect(ferretDb.length).toBeGreaterThan(0);
    expect(ferretDb.map(parentOf)).toContain(children.product);
    all = [children.product, children.engine, ...ferretDb];
    expect(all.every(isRunning)).toBe(true);

    parent.kill('SIGKILL');
    await parentExited;

    await waitFor('every child of the killed parent to exit', () => !all.some(isRunning), {
      timeoutMs: 60_000,
      intervalMs: 100,
    }).catch((err: Error) => {
      const left = all.filter(isRunning).map((pid) => `${pid} (parent ${parentOf(pid)})`);
      throw new Error(`${err.message}; still running: ${left.join(', ')}`);
    });
    expect((await processesMentioning(dataDir)).filter(isRunning)).toEqual([]);
  } finally {
    if (parent.exitCode === null && parent.signalCode === null) parent.kill('SIGKILL');
    // A failed run must not leave its own orphans behind either.
    for (const pid of all.filter(isRunning)) process.kill(pid, 'SIGKILL');
  }
});

it('a parent that exits kills the process group of a child still running', async () => {
  const parent = spawnTiedNode(['--import', 'tsx', 'test/integration/fixtures/exiting-parent.ts'], {
    cwd: ROOT,
  });
  let stderr = '';
  parent.stderr?.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-8000)));
  let line = '';
  readline.createInterface({ input: parent.stdout! }).on('line', (l) => {
    if (l.startsWith('children ')) line = l;
  });
  await new Promise<void>((resolve) => parent.once('exit', () => resolve()));
  expect({ exit: parent.exitCode, stderr: parent.exitCode === 0 ? '' : stderr }).toEqual({
    exit: 0,
    stderr: '',
  });
  const { child, grandchild } = JSON.parse(line.slice('children '.length)) as {
    child: number;
    grandchild: number;
  };
  expect(child).toBeGreaterThan(0);
  expect(grandchild).toBeGreaterThan(0);
  try {
    await waitFor('the child and its own child to be killed', () =>
      [child, grandchild].every((pid) => !isRunning(pid)),
    );
  } finally {
    for (const pid of [child, grandchild].filter(isRunning)) process.kill(pid, 'SIGKILL');
  }
});
