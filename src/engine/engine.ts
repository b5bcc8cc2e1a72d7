/**
 * The built-in engine: one partition, one processor, event-sourced state with a durable
 * log and snapshots. A facade over its parts: every API call becomes a command for the
 * stream processor; the job activator, result waiters, due-date scheduler and snapshot
 * policy react to what the processed batches did; recovery rebuilds the state.
 */
import type mongoose from 'mongoose';
import { silentLogger, type Logger } from '../logging';
import * as api from './api';
import { DEFAULT_TENANT_ID, EngineError, type CallContext, type EngineApi } from './api';
import { startExporters, type Exporters } from './exporter';
import type { LogStore } from './log/log-store';
import type { LogRecord } from './log/record';
import { recoverPartition } from './log/recovery';
import { SnapshotPolicy } from './log/snapshot-policy';
import type { SnapshotStore } from './log/snapshot-store';
import { parseResources } from './model/resources';
import { requireTenantAccess } from './processing/commands/command-context';
import { evaluateDecisionCommand, latestDecisionProvider } from './processing/commands/decisions';
import { deleteResource, migrateProcessInstance } from './processing/commands/resources';
import {
  checkDeploymentSize,
  checkStoredSize,
  processDeployment,
} from './processing/commands/deployment';
import { broadcast, publishMessage } from './processing/commands/events';
import * as instances from './processing/commands/instances';
import * as jobs from './processing/commands/jobs';
import { JobActivator } from './processing/job-activator';
import { ResultWaiters } from './processing/result-waiters';
import { StreamProcessor } from './processing/stream-processor';
import { ManualClock, systemClock, type Clock, type EngineClock } from './scheduler/clock';
import { DueDateScheduler } from './scheduler/due-date-scheduler';
import { DeployedModels } from './state/deployed-models';
import { EngineState } from './state/engine-state';

export interface EngineOptions {
  connection: mongoose.Connection;
  partitionId?: number;
  snapshotEveryRecords?: number;
  snapshotIntervalMs?: number;
  maxPendingCommands?: number;
  /**
   * Steps an instance may run without reaching a wait state (over many commands, each with
   * its step budget) before its element gets an incident; default 100,000.
   */
  maxStepsWithoutWaitState?: number;
  /** The clock timers, time-outs, back-offs and TTLs run on (tests pass a ManualClock). */
  clock?: Clock;
  /** Only the time source (timers still run on Node timers); prefer `clock`. */
  now?: () => number;
  logger?: Logger;
  /** Start the history exporter (default true). */
  exporters?: boolean;
}

/** How long (real time) engine.clock.advance waits for the engine to settle. */
const SETTLE_LIMIT_MS = 10_000;

export class Engine implements EngineApi {
  private state = new EngineState();
  private logStore!: LogStore;
  private snapshots!: SnapshotStore;
  private exporters?: Exporters;
  private readonly models = new DeployedModels();
  private readonly time: Clock;
  private readonly log: Logger;
  private readonly partitionId: number;
  private readonly processor: StreamProcessor;
  private readonly jobs: JobActivator;
  private readonly results: ResultWaiters;
  private readonly scheduler: DueDateScheduler;
  private readonly snapshotPolicy: SnapshotPolicy;
  private status: api.EngineHealth['status'] = 'starting';
  private recovering?: Promise<void>;
  private recoveries = 0;
  private closed = false;

  constructor(private readonly opts: EngineOptions) {
    this.partitionId = opts.partitionId ?? 1;
    const now = opts.now;
    this.time = opts.clock ?? (now ? { now, schedule: systemClock.schedule } : systemClock);
    this.log = opts.logger ?? silentLogger;
    const decisions = latestDecisionProvider(() => this.state, this.models);
    this.processor = new StreamProcessor({
      partitionId: this.partitionId,
      state: () => this.state,
      logStore: () => this.logStore,
      models: { model: (key) => this.models.process(key) },
      hooks: {
        hasResultWaiter: (key) => this.results.hasResultWaiter(key),
        resultReady: (key, vars) => this.results.resultReady(key, vars),
        evaluateLatestDecision: decisions.evaluateLatestDecision,
      },
      now: () => this.time.now(),
      maxPending: opts.maxPendingCommands ?? 10_000,
      maxStepsWithoutEnd: opts.maxStepsWithoutWaitState,
      onCommitted: (records) => this.exporters?.notify(records),
      onBatchProcessed: () => this.afterBatch(),
      onFailure: (err) => void this.recover(err),
      logError: (err, msg) => this.log.error({ err }, msg),
    });
    this.jobs = new JobActivator(this.processor, this.time);
    this.results = new ResultWaiters(this.processor, this.time);
    this.scheduler = new DueDateScheduler({
      clock: this.time,
      state: () => this.state,
      submit: (run) => this.processor.submit(run, true),
      log: this.log,
    });
    this.snapshotPolicy = new SnapshotPolicy({
      everyRecords: opts.snapshotEveryRecords ?? 10_000,
      intervalMs: opts.snapshotIntervalMs ?? 60_000,
      now: () => this.time.now(),
      log: this.log,
    });
  }

  // ---------------------------------------------------------------- life cycle

  async start(): Promise<void> {
    await this.load();
    if (this.opts.exporters !== false) {
      this.exporters = await startExporters(this.opts.connection, this.logStore);
    }
    this.status = 'ok';
    this.scheduler.start();
    this.continuePostponedWork();
  }

  /** Work postponed before a restart or recovery goes on (it is part of the state). */
  private continuePostponedWork(): void {
    for (const key of this.state.postponed.keys()) this.processor.continueLater(key);
  }

  private async load(): Promise<void> {
    const recovered = await recoverPartition(this.opts.connection, this.partitionId, this.models);
    ({ state: this.state, logStore: this.logStore, snapshots: this.snapshots } = recovered);
    this.snapshotPolicy.reset(recovered.snapshotPosition);
  }

  /** An append failed or state diverged: stop, reload snapshot + log, resume. */
  private recover(err: Error): Promise<void> {
    if (this.recovering || this.closed) return this.recovering ?? Promise.resolve();
    this.recoveries += 1;
    this.log.error({ err }, 'engine processing failed; recovering from the durable log');
    this.status = 'degraded';
    this.scheduler.stop();
    this.processor.stop(new EngineError('UNAVAILABLE', 'the engine is recovering; retry'));
    this.recovering = (async () => {
      while (!this.closed) {
        try {
          await this.logStore.close().catch(() => undefined);
          await this.load();
          if (this.exporters) {
            await this.exporters.stop().catch(() => undefined);
            this.exporters = await startExporters(this.opts.connection, this.logStore);
          }
          this.status = 'ok';
          this.processor.resume();
          this.scheduler.start();
          this.continuePostponedWork();
          return;
        } catch (e) {
          this.log.error({ err: e }, 'recovery failed; retrying');
          // Real time, not the engine's clock: this is about the database coming back.
          await new Promise((r) => setTimeout(r, 1000));
        }
      }
    })().finally(() => {
      this.recovering = undefined;
    });
    return this.recovering;
  }

  private afterBatch(): void {
    this.scheduler.poke();
    const state = this.state;
    if (state.newlyActivatable.size > 0) {
      const types = [...state.newlyActivatable];
      state.newlyActivatable.clear();
      // Activate at once: the activation's own records follow these in the log, so by the
      // time they are durable (and the jobs handed out) what created the jobs is durable
      // too. Both usually land in the same group-commit batch: one write, not two.
      setImmediate(() => this.jobs.jobsAvailable(types));
    }
    this.snapshotPolicy.afterBatch(this.snapshotTarget());
  }

  private snapshotTarget() {
    return {
      state: this.state,
      logStore: this.logStore,
      snapshots: this.snapshots,
      exportedPosition: () => this.exporters?.minPosition ?? this.state.position,
    };
  }

  /** Takes a snapshot of the current state once everything in it is durable. */
  takeSnapshot(): Promise<void> {
    return this.snapshotPolicy.take(this.snapshotTarget());
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.status = 'stopped';
    this.scheduler.stop();
    this.processor.stop(new EngineError('UNAVAILABLE', 'the engine is shutting down'));
    this.jobs.close();
    // A recovery that cannot reach the database retries forever: do not wait for it.
    if (this.recovering) {
      await Promise.race([
        this.recovering.catch(() => undefined),
        new Promise((r) => setTimeout(r, 2000).unref()),
      ]);
    }
    await this.logStore.whenDurable(this.logStore.lastPosition).catch(() => undefined);
    await this.exporters?.stop().catch(() => undefined);
    await this.logStore.close().catch(() => undefined);
  }

  // ---------------------------------------------------------------- EngineApi

  topology(): api.TopologyResponse {
    const health = this.status === 'ok' ? 'HEALTHY' : 'UNHEALTHY';
    return {
      brokers: [
        {
          nodeId: 0,
          host: '127.0.0.1',
          port: 26501,
          partitions: [{ partitionId: this.partitionId, role: 'LEADER', health }],
          version: '8.5.0',
        },
      ],
      clusterSize: 1,
      partitionsCount: 1,
      replicationFactor: 1,
      gatewayVersion: '8.5.0',
    };
  }

  health(): api.EngineHealth {
    return {
      status: this.closed ? 'stopped' : this.status,
      logPosition: this.state.position,
      activeProcessInstances: this.state.activeProcessInstances(),
      pendingCommands: this.processor.pending,
      recoveries: this.recoveries,
    };
  }

  async deployResource(
    req: api.DeployResourceRequest,
    ctx?: CallContext,
  ): Promise<api.DeployResourceResponse> {
    const tenantId = req.tenantId || DEFAULT_TENANT_ID;
    requireTenantAccess(tenantId, ctx);
    if (!req.resources?.length)
      throw new EngineError('INVALID_ARGUMENT', 'resources must not be empty');
    checkDeploymentSize(req.resources);
    const parsed = await parseResources(req.resources);
    checkStoredSize(parsed);
    const registry = {
      putModel: (key: number, m: Parameters<DeployedModels['putProcess']>[1]) =>
        this.models.putProcess(key, m),
      putDrg: (key: number, d: Parameters<DeployedModels['putDrg']>[1]) =>
        this.models.putDrg(key, d),
    };
    return this.processor.submit((c) => processDeployment(c, registry, tenantId, parsed));
  }

  deleteResource(req: api.DeleteResourceRequest, ctx?: CallContext): Promise<void> {
    return this.processor.submit((c) => deleteResource(c, req.resourceKey, ctx));
  }

  createProcessInstance(
    req: api.CreateProcessInstanceRequest,
    ctx?: CallContext,
  ): Promise<api.CreateProcessInstanceResponse> {
    return this.processor.submit((c) => instances.createProcessInstance(c, req, ctx));
  }

  createProcessInstanceWithResult(
    req: api.CreateProcessInstanceWithResultRequest,
    ctx?: CallContext,
  ): Promise<api.CreateProcessInstanceWithResultResponse> {
    return this.results.createWithResult(req, ctx);
  }

  cancelProcessInstance(req: api.CancelProcessInstanceRequest, ctx?: CallContext): Promise<void> {
    return this.processor.submit((c) =>
      instances.cancelProcessInstance(c, req.processInstanceKey, ctx),
    );
  }

  async setVariables(req: api.SetVariablesRequest, ctx?: CallContext): Promise<{ key: string }> {
    const key = await this.processor.submit((c) => instances.setVariables(c, req, ctx));
    return { key: String(key) };
  }

  modifyProcessInstance(req: api.ModifyProcessInstanceRequest, ctx?: CallContext): Promise<void> {
    return this.processor.submit((c) => instances.modifyProcessInstance(c, req, ctx));
  }

  migrateProcessInstance(req: api.MigrateProcessInstanceRequest, ctx?: CallContext): Promise<void> {
    return this.processor.submit((c) => migrateProcessInstance(c, req, ctx));
  }

  async activateJobs(
    req: api.ActivateJobsRequest,
    ctx?: CallContext,
    signal?: AbortSignal,
  ): Promise<api.ActivatedJob[]> {
    const request = jobs.activationRequest(req, ctx);
    return this.jobs.activate(request, req.requestTimeoutMs ?? 0, signal);
  }

  streamActivatedJobs(
    req: api.StreamActivatedJobsRequest,
    onJob: (job: api.ActivatedJob) => void,
    signal: AbortSignal,
    ctx?: CallContext,
  ): void {
    this.jobs.stream(jobs.streamRequest(req, ctx), onJob, signal);
  }

  completeJob(req: api.CompleteJobRequest, ctx?: CallContext): Promise<void> {
    return this.processor.submit((c) => jobs.completeJob(c, req, ctx));
  }

  failJob(req: api.FailJobRequest, ctx?: CallContext): Promise<void> {
    return this.processor.submit((c) => jobs.failJob(c, req, ctx));
  }

  throwError(req: api.ThrowErrorRequest, ctx?: CallContext): Promise<void> {
    return this.processor.submit((c) => jobs.throwJobError(c, req, ctx));
  }

  updateJobRetries(req: api.UpdateJobRetriesRequest, ctx?: CallContext): Promise<void> {
    return this.processor.submit((c) => jobs.updateJobRetries(c, req.jobKey, req.retries, ctx));
  }

  updateJobTimeout(req: api.UpdateJobTimeoutRequest, ctx?: CallContext): Promise<void> {
    return this.processor.submit((c) => jobs.updateJobTimeout(c, req.jobKey, req.timeout, ctx));
  }

  async publishMessage(
    req: api.PublishMessageRequest,
    ctx?: CallContext,
  ): Promise<api.PublishMessageResponse> {
    requireTenantAccess(req.tenantId || DEFAULT_TENANT_ID, ctx);
    const res = await this.processor.submit((c) => publishMessage(c, req));
    return { key: String(res.key), tenantId: res.tenantId };
  }

  async broadcastSignal(
    req: api.BroadcastSignalRequest,
    ctx?: CallContext,
  ): Promise<api.BroadcastSignalResponse> {
    requireTenantAccess(req.tenantId || DEFAULT_TENANT_ID, ctx);
    const res = await this.processor.submit((c) =>
      broadcast(c, req.signalName, req.variables, req.tenantId),
    );
    return { key: String(res.key), tenantId: res.tenantId };
  }

  resolveIncident(req: api.ResolveIncidentRequest, ctx?: CallContext): Promise<void> {
    return this.processor.submit((c) => instances.resolveIncident(c, req.incidentKey, ctx));
  }

  evaluateDecision(
    req: api.EvaluateDecisionRequest,
    ctx?: CallContext,
  ): Promise<api.EvaluateDecisionResponse> {
    return this.processor.submit((c) => evaluateDecisionCommand(c, this.models, req, ctx));
  }

  // ---------------------------------------------------------------- for tests and tools

  /** The engine's clock; on a ManualClock, `advance(ms)` fires what falls due (README: Clock). */
  readonly clock: EngineClock = {
    now: () => this.time.now(),
    advance: (ms) => this.advanceClock(ms),
  };

  private async advanceClock(ms: number): Promise<void> {
    const manual = this.time;
    if (!(manual instanceof ManualClock)) {
      throw new Error(
        'engine.clock.advance needs an engine created with EngineOptions.clock = new ManualClock()',
      );
    }
    manual.advance(ms);
    // Settled: nothing due left to fire, no trigger in flight, no command queued, all durable
    // — twice in a row, since each of them can start the next. Bounded in real time (a loop
    // without a wait state keeps the engine busy for ever).
    const until = Date.now() + SETTLE_LIMIT_MS;
    for (let quiet = 0; quiet < 2;) {
      await new Promise((r) => setImmediate(r));
      await this.logStore.whenDurable(this.logStore.lastPosition);
      const idle = manual.due === 0 && !this.scheduler.busy && this.processor.pending === 0;
      quiet = idle ? quiet + 1 : 0;
      if (Date.now() > until) {
        throw new Error(`the engine was still busy ${SETTLE_LIMIT_MS} ms after the clock moved`);
      }
    }
  }

  /** Records are durable up to here. */
  get logPosition(): number {
    return this.state.position;
  }

  /**
   * The live records since a position (durable log), up to `upTo` if given: a reader
   * that must not chase a log written faster than it reads (e.g. a running loop).
   */
  async readLog(after = 0, upTo = Infinity): Promise<LogRecord[]> {
    const out: LogRecord[] = [];
    for await (const r of this.logStore.readFrom(after)) {
      if (r.position > upTo) break;
      out.push(r);
    }
    return out;
  }
}

export async function createEngine(opts: EngineOptions): Promise<Engine> {
  const engine = new Engine(opts);
  await engine.start();
  return engine;
}
