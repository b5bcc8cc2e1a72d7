/**
 * Load generation through the Zeebe client: closed loop (N callers, each creating an
 * instance and waiting for its result, to find the maximum rate) and open loop (a
 * fixed arrival rate, to measure latency below saturation).
 */
import type { ZeebeClient } from '../src/workers/runtime';

export interface LoadResult {
  completed: number;
  failed: number;
  seconds: number;
  latenciesMs: number[];
  firstError?: string;
}

function createAndWait(zbc: ZeebeClient, bpmnProcessId: string) {
  return zbc.createProcessInstanceWithResult({
    bpmnProcessId,
    variables: {},
    requestTimeout: 60_000,
  });
}

/** `concurrency` callers in a loop for warmup + seconds; only the measured window counts. */
export async function closedLoop(
  zbc: ZeebeClient,
  bpmnProcessId: string,
  opts: { seconds: number; warmupSeconds: number; concurrency: number },
): Promise<LoadResult> {
  const measureFrom = Date.now() + opts.warmupSeconds * 1000;
  const measureTo = measureFrom + opts.seconds * 1000;
  const result: LoadResult = { completed: 0, failed: 0, seconds: opts.seconds, latenciesMs: [] };
  const caller = async () => {
    while (Date.now() < measureTo) {
      const started = performance.now();
      const startedAt = Date.now();
      try {
        await createAndWait(zbc, bpmnProcessId);
        if (startedAt >= measureFrom && Date.now() <= measureTo) {
          result.completed++;
          result.latenciesMs.push(performance.now() - started);
        }
      } catch (err) {
        result.failed++;
        result.firstError ??= (err as Error).message;
      }
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, caller));
  return result;
}

/** Starts instances at `ratePerSecond` for `seconds`, whatever the answers take. */
export async function openLoop(
  zbc: ZeebeClient,
  bpmnProcessId: string,
  opts: { seconds: number; ratePerSecond: number },
): Promise<LoadResult> {
  const result: LoadResult = { completed: 0, failed: 0, seconds: opts.seconds, latenciesMs: [] };
  const pending: Promise<void>[] = [];
  const total = Math.floor(opts.seconds * opts.ratePerSecond);
  const begin = performance.now();
  for (let i = 0; i < total; i++) {
    const due = begin + (i * 1000) / opts.ratePerSecond;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const started = performance.now();
    pending.push(
      createAndWait(zbc, bpmnProcessId).then(
        () => {
          result.completed++;
          result.latenciesMs.push(performance.now() - started);
        },
        (err: Error) => {
          result.failed++;
          result.firstError ??= err.message;
        },
      ),
    );
  }
  await Promise.all(pending);
  return result;
}

/** Creates `count` instances (no waiting for completion), `concurrency` at a time. */
export async function createMany(
  zbc: ZeebeClient,
  bpmnProcessId: string,
  count: number,
  concurrency = 100,
): Promise<number> {
  let next = 0;
  let created = 0;
  const caller = async () => {
    while (next < count) {
      next++;
      await zbc.createProcessInstance({ bpmnProcessId, variables: { n: next } });
      created++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, caller));
  return created;
}
