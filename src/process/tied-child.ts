/**
 * Parent side of "a child never outlives its parent", for the node processes that tests,
 * the benchmark and tools start (the product, the engine server, test children):
 * - spawned directly with the node binary (never through `npm` or a wrapper that would
 *   not forward signals, so a signal reaches the process that does the work);
 * - with an IPC channel, so the child sees its parent die even by SIGKILL
 *   (onParentExit in parent-watch.ts) and shuts down with its own children;
 * - in a process group of its own, killed when this process exits while the child still
 *   runs (e.g. a test worker that ends without stopping what it started).
 */
import { spawn, type ChildProcess, type StdioNull, type StdioPipe } from 'node:child_process';

export interface TiedSpawnOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** stdin, stdout, stderr (the IPC channel is added as the fourth). */
  stdio?: [
    StdioNull | StdioPipe,
    StdioNull | StdioPipe | 'inherit',
    StdioNull | StdioPipe | 'inherit',
  ];
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Kills the process group of every tied child still running (synchronously, at exit). */
function killRunningGroups(): void {
  for (const child of running) {
    // Only a child that has not exited yet: its pid (= group id) is still ours, never a
    // reused number.
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) continue;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Starts `node <args>` tied to this process (see the module comment). */
export function spawnTiedNode(args: string[], options: TiedSpawnOptions = {}): ChildProcess {
  if (!exitHookInstalled) {
    process.on('exit', killRunningGroups);
    exitHookInstalled = true;
  }
  const [stdin, stdout, stderr] = options.stdio ?? ['ignore', 'pipe', 'pipe'];
  const child = spawn(process.execPath, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: [stdin, stdout, stderr, 'ipc'],
    detached: true,
  });
  // Neither the channel nor the child keeps this process alive by itself.
  child.channel?.unref();
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}
