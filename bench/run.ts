/**
 * `npm run bench`: end-to-end throughput and latency of the built-in engine through
 * its Zeebe gateway, with durable state on the embedded database and workers on
 * @camunda8/sdk (the product's worker runtime). Not a test: targets are reported,
 * never asserted.
 *
 * Environment: BENCH_SECONDS (default 30) measured seconds per workload,
 * BENCH_WARMUP_SECONDS (5), BENCH_CONCURRENCY (64) callers in the closed loop,
 * BENCH_IDLE_INSTANCES (10000), BENCH_WORKLOADS (comma list of names, default all),
 * BENCH_POLLERS (4) worker registries polling each job type side by side,
 * BENCH_CPU_PROF=1 writes a CPU profile of the engine server into bench/results/.
 * BENCH_SUITES (default "engine,monitoring"): the engine workloads above and/or the
 * monitoring and analytics reads of bench/monitoring.ts (its own BENCH_MONITORING_* knobs);
 * "inbox" (add it to the list) runs bench/inbox.ts (its own BENCH_INBOX_* knobs);
 * "hostile" runs bench/hostile.ts (answer times of bad requests, BENCH_HOSTILE_ROUNDS);
 * "models" runs bench/model-memory.ts (engine memory per deployed model version).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createWorkerRegistry, createZeebeClient } from '../src/workers/runtime';
import { startEngineProcess } from './engine-process';
import { closedLoop, createMany, openLoop } from './load';
import { runBpmnEngineReference, type ReferenceResult } from './reference-bpmn-engine';
import { printHostileBench, runHostileBench, type HostileBenchRow } from './hostile';
import { runInboxBench, type InboxBenchResult } from './inbox';
import { runModelMemoryBench, type ModelMemoryResult } from './model-memory';
import { round, summarize, type LatencySummary } from './stats';
import { runMonitoringBench, type MonitoringBenchRow } from './monitoring';
import { IDLE_WORKLOAD, WORKLOADS } from './workloads';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const WARMUP = Number(process.env.BENCH_WARMUP_SECONDS ?? 5);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const IDLE_INSTANCES = Number(process.env.BENCH_IDLE_INSTANCES ?? 10_000);
const POLLERS = Number(process.env.BENCH_POLLERS ?? 4);
const ONLY = process.env.BENCH_WORKLOADS?.split(',').map((s) => s.trim());
const SUITES = (process.env.BENCH_SUITES ?? 'engine,monitoring').split(',').map((s) => s.trim());

interface WorkloadResult {
  workload: string;
  mode: string;
  seconds: number;
  instancesPerSecond: number;
  jobsPerSecond: number;
  failed: number;
  firstError?: string;
  latency: LatencySummary;
}

async function main(): Promise<void> {
  const engine = SUITES.includes('engine') ? await engineBench() : undefined;
  let monitoring: MonitoringBenchRow[] | undefined;
  if (SUITES.includes('monitoring')) {
    monitoring = await runMonitoringBench();
    console.log('\nMonitoring and analytics reads (target p99 < 500 ms)');
    console.table(
      monitoring.map((r) => ({
        call: r.call,
        calls: r.samples,
        'p50 ms': r.latency.p50Ms,
        'p99 ms': r.latency.p99Ms,
        'max ms': r.latency.maxMs,
        'p99 < 500 ms': r.latency.p99Ms < 500 ? 'met' : 'NOT met',
      })),
    );
  }
  // The inbox: list pages with 100,000 open tasks, completion → next task (bench/inbox.ts).
  let inbox: InboxBenchResult | undefined;
  if (SUITES.includes('inbox')) {
    console.log('bench: inbox lists and completions');
    inbox = await runInboxBench();
  }
  // Bad requests: answer times, also while a loop without a wait state runs (bench/hostile.ts).
  let hostile: HostileBenchRow[] | undefined;
  if (SUITES.includes('hostile')) {
    console.log('bench: answer times of bad requests');
    hostile = await runHostileBench();
    printHostileBench(hostile);
  }
  // Memory per deployed version of the procurement model (bench/model-memory.ts).
  let models: ModelMemoryResult | undefined;
  if (SUITES.includes('models')) {
    console.log('bench: engine memory per deployed model version');
    models = await runModelMemoryBench();
    console.table([models]);
  }
  const out = path.join(__dirname, 'results');
  mkdirSync(out, { recursive: true });
  const file = path.join(out, `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(
    file,
    JSON.stringify(
      {
        date: new Date().toISOString(),
        suites: SUITES,
        config: {
          seconds: SECONDS,
          warmupSeconds: WARMUP,
          concurrency: CONCURRENCY,
          idleInstances: IDLE_INSTANCES,
        },
        machine: { cpus: (await import('node:os')).cpus().length, node: process.version },
        ...engine,
        monitoring,
        inbox,
        hostile,
        models,
        targets: {
          bJobsPerSecond: '>= 1000',
          bInstancesPerSecond: '>= 100',
          aP99AtHalfMaxMs: '< 20',
          rssWith10kActiveMb: '< 500',
          monitoringP99Ms: '< 500',
          inboxListP99Ms: '< 100',
          inboxNextTaskP99Ms: '< 1000',
          hostileAnswerMaxMs: '< 1000',
        },
      },
      null,
      2,
    ),
  );
  console.log(`bench: results written to ${path.relative(process.cwd(), file)}`);
}

async function engineBench() {
  console.log(`bench: ${SECONDS} s per workload after ${WARMUP} s warm-up, ${CONCURRENCY} callers`);
  const engine = await startEngineProcess({ cpuProf: process.env.BENCH_CPU_PROF === '1' });
  console.log(`bench: engine server pid ${engine.pid} on ${engine.address}`);
  const zbc = createZeebeClient(engine.address);
  // Several worker registries poll each job type side by side, as a province scales
  // workers out: one SDK worker keeps only one ActivateJobs call open at a time.
  const pollers = Array.from({ length: POLLERS }, () =>
    createWorkerRegistry({ gatewayAddress: engine.address, longPollMs: 10_000 }),
  );
  const workers = {
    register: (def: Parameters<(typeof pollers)[0]['register']>[0]) =>
      pollers.forEach((p) => p.register(def)),
    start: () => pollers.forEach((p) => p.start()),
    stop: () => Promise.all(pollers.map((p) => p.stop())).then(() => undefined),
  };
  const results: WorkloadResult[] = [];
  let memory: Record<string, number> = {};
  try {
    for (const w of [...WORKLOADS, IDLE_WORKLOAD]) {
      await zbc.deployResource({ name: `${w.bpmnProcessId}.bpmn`, process: Buffer.from(w.xml) });
    }
    for (const w of WORKLOADS) {
      workers.register({
        type: w.jobType,
        handler: () => ({}),
        maxJobsToActivate: 128,
        timeout: 60_000,
      });
    }
    workers.start();

    for (const w of WORKLOADS.filter((x) => !ONLY || ONLY.includes(x.name))) {
      console.log(`bench: ${w.description} — closed loop`);
      const r = await closedLoop(zbc, w.bpmnProcessId, {
        seconds: SECONDS,
        warmupSeconds: WARMUP,
        concurrency: CONCURRENCY,
      });
      const max = toResult(w.name, `closed loop, ${CONCURRENCY} callers`, r, w.jobsPerInstance);
      results.push(max);
      print([max]);
      if (w.name === 'a-one-task' && max.instancesPerSecond > 0) {
        const rate = Math.max(1, Math.floor(max.instancesPerSecond / 2));
        console.log(`bench: ${w.description} — open loop at half the maximum rate (${rate}/s)`);
        const half = await openLoop(zbc, w.bpmnProcessId, {
          seconds: SECONDS,
          ratePerSecond: rate,
        });
        const hr = toResult(w.name, `open loop, ${rate}/s`, half, w.jobsPerInstance);
        results.push(hr);
        print([hr]);
      }
    }
    await workers.stop();

    console.log(`bench: memory with ${IDLE_INSTANCES} active instances waiting on a job`);
    const rssBefore = engine.rssMb();
    const created = await createMany(zbc, IDLE_WORKLOAD.bpmnProcessId, IDLE_INSTANCES);
    await new Promise((r) => setTimeout(r, 2000));
    memory = {
      activeInstancesCreated: created,
      engineRssBeforeMb: round(rssBefore, 1),
      engineRssMb: round(engine.rssMb(), 1),
      embeddedDatabaseRssMb: round(engine.childrenRssMb(), 1),
    };
    console.log(
      `bench: engine RSS ${memory.engineRssMb} MB (database ${memory.embeddedDatabaseRssMb} MB)`,
    );
  } finally {
    await workers.stop().catch(() => undefined);
    await zbc.close().catch(() => undefined);
    await engine.stop();
  }

  console.log('bench: bpmn-engine reference, workload (b) in-process');
  const reference: ReferenceResult = await runBpmnEngineReference(SECONDS, 10);

  console.log('\nResults');
  print(results);
  const b = results.find((r) => r.workload === 'b-ten-in-sequence');
  console.log(
    `\nReference ${reference.engine}: workload (b) ${round(reference.instancesPerSecond)} instances/s, ` +
      `${round(reference.jobsPerSecond)} jobs/s, p50 ${reference.latency.p50Ms} ms, p99 ${reference.latency.p99Ms} ms`,
  );
  const ratio =
    b && reference.instancesPerSecond > 0
      ? b.instancesPerSecond / reference.instancesPerSecond
      : NaN;
  if (b) console.log(`Built-in engine / bpmn-engine on workload (b): ${round(ratio)}x`);
  console.log(`Memory: ${JSON.stringify(memory)}`);

  return { results, reference, builtInVsBpmnEngineOnB: round(ratio), memory };
}

function toResult(
  workload: string,
  mode: string,
  r: Awaited<ReturnType<typeof closedLoop>>,
  jobs: number,
) {
  return {
    workload,
    mode,
    seconds: r.seconds,
    instancesPerSecond: round(r.completed / r.seconds),
    jobsPerSecond: round((r.completed * jobs) / r.seconds),
    failed: r.failed,
    firstError: r.firstError,
    latency: summarize(r.latenciesMs),
  };
}

function print(rows: WorkloadResult[]): void {
  console.table(
    rows.map((r) => ({
      workload: r.workload,
      mode: r.mode,
      'instances/s': r.instancesPerSecond,
      'jobs/s': r.jobsPerSecond,
      'p50 ms': r.latency.p50Ms,
      'p99 ms': r.latency.p99Ms,
      failed: r.failed,
    })),
  );
  for (const r of rows)
    if (r.firstError) console.log(`  first error (${r.workload}): ${r.firstError}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
