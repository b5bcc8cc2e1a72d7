/**
 * Runs a TypeScript child script as ONE node process (node --import tsx), so that a
 * SIGKILL really kills the process that writes (npx/tsx would leave a grandchild alive).
 * The child script calls onParentExit (src/process/parent-watch.ts) so it never outlives
 * the test.
 */
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { spawnTiedNode } from '../../../src/process/tied-child';

export interface Child {
  process: ChildProcess;
  /** Resolves when the child has exited (by itself or killed). */
  exited: Promise<void>;
  stderr(): string;
}

export function spawnTsChild(
  script: string,
  env: Record<string, string>,
  onLine: (line: string) => void,
): Child {
  // Tied to this test process: the child exits when the test worker dies (even by SIGKILL).
  const child = spawnTiedNode(['--import', 'tsx', script], {
    cwd: path.resolve(__dirname, '../../..'),
    env: { ...process.env, ...env },
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-8000);
  });
  readline.createInterface({ input: child.stdout! }).on('line', onLine);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { process: child, exited, stderr: () => stderr };
}

export async function killHard(child: Child): Promise<void> {
  if (child.process.exitCode === null && child.process.signalCode === null) {
    child.process.kill('SIGKILL');
  }
  await child.exited;
}
