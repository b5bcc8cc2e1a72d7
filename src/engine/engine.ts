/**
 * The built-in engine: one partition, one processor, event-sourced state with a
 * durable log and snapshots. Implements EngineApi; every call becomes a command.
 */
import type mongoose from 'mongoose';
import { silentLogger, type Logger } from '../logging';
import {
  DEFAULT_TENANT_ID,
  EngineError,
  type ActivateJobsRequest,
  type ActivatedJob,
  type BroadcastSignalRequest,
  type BroadcastSignalResponse,
  type CallContext,
  type CancelProcessInstanceRequest,
  type CompleteJobRequest,
  type CreateProcessInstanceRequest,
  type CreateProcessInstanceResponse,
  type CreateProcessInstanceWithResultRequest,
  type CreateProcessInstanceWithResultResponse,
  type DeleteResourceRequest,
  type DeployResourceRequest,
  type DeployResourceResponse,
  type EngineApi,
  type EngineHealth,
  type EvaluateDecisionRequest,
  type EvaluateDecisionResponse,
  type FailJobRequest,
  type MigrateProcessInstanceRequest,
  type ModifyProcessInstanceRequest,
  type PublishMessageRequest,
  type PublishMessageResponse,
  type ResolveIncidentRequest,
  type SetVariablesRequest,
  type StreamActivatedJobsRequest,
  type ThrowErrorRequest,
  type TopologyResponse,
  type UpdateJobRetriesRequest,
  type UpdateJobTimeoutRequest,
} from './api';
import { evaluateDecision, parseDmn, type ParsedDrg } from './dmn';
import { startExporters, type Exporters } from './exporter';
import { LogStore } from './log/log-store';
import type { LogRecord } from './log/record';
import { SnapshotStore } from './log/snapshot-store';
import { parseBpmn } from './model/bpmn-parser';
import { parseResources } from './model/resources';
import type { ExecutableProcess } from './model/types';
import type { DecisionResult } from './processing/bpmn/behavior/decisions';
import type { BpmnContext } from './processing/bpmn/bpmn-context';
import { requireTenantAccess } from './processing/commands/command-context';
import { processDeployment } from './processing/commands/deployment';
import {
  broadcast,
  expireMessage,
  publishMessage,
  triggerTimer,
} from './processing/commands/events';
import {
  cancelProcessInstance,
  createProcessInstance,
  modifyProcessInstance,
  resolveIncident,
  setVariables,
} from './processing/commands/instances';
import {
  activateJobs,
  completeJob,
  defaultTenants,
  failJob,
  recurJob,
  throwJobError,
  timeOutJob,
  updateJobRetries,
  updateJobTimeout,
  type ActivationRequest,
} from './processing/commands/jobs';
import { deleteResource, migrateProcessInstance } from './processing/commands/resources';
import { StreamProcessor } from './processing/stream-processor';
import { applyRecord } from './state/appliers';
import { EngineState } from './state/engine-state';

export interface EngineOptions {
  connection: mongoose.Connection;
  partitionId?: number;
  snapshotEveryRecords?: number;
  snapshotIntervalMs?: number;
  maxPendingCommands?: number;
  now?: () => number;
  logger?: Logger;
  /** Start the history exporter (default true). */
  exporters?: boolean;
}

interface JobWaiter {
  req: ActivationRequest;
  resolve(jobs: ActivatedJob[]): void;
  reject(err: Error): void;
  done: boolean;
  timer?: NodeJS.Timeout;
}

interface JobStream {
  req: ActivationRequest;
  onJob(job: ActivatedJob): void;
  closed: boolean;
}

export class Engine implements EngineApi {
  private state = new EngineState();
  private readonly models = new Map<number, ExecutableProcess>();
  private readonly drgModels = new Map<number, ParsedDrg>();
  private logStore!: LogStore;
  private snapshots!: SnapshotStore;
  private exporters?: Exporters;
  private readonly processor: StreamProcessor;
  private readonly waiters = new Map<string, JobWaiter[]>();
  private readonly streams = new Map<string, Set<JobStream>>();
  private readonly resultWaiters = new Map<number, (vars: Record<string, unknown>) => void>();
  private readonly partitionId: number;
  private readonly now: () => number;
  private readonly log: Logger;
  private status: EngineHealth['status'] = 'starting';
  private dueTimer?: NodeJS.Timeout;
  private dueAt = Infinity;
  private readonly inFlightTriggers = new Set<string>();
  private lastSnapshotPosition = 0;
  private lastSnapshotAt = 0;
  private snapshotting = false;
  private recovering?: Promise<void>;
  private closed = false;

  constructor(private readonly opts: EngineOptions) {
    this.partitionId = opts.partitionId ?? 1;
    this.now = opts.now ?? Date.now;
    this.log = opts.logger ?? silentLogger;
    const models = {
      model: (key: number) => this.models.get(key),
    };
    this.processor = new StreamProcessor({
      partitionId: this.partitionId,
      state: () => this.state,
      logStore: () => this.logStore,
      models,
      hooks: {
        hasResultWaiter: (key) => this.resultWaiters.has(key),
        resultReady: (key, vars) => {
          const w = this.resultWaiters.get(key);
          this.resultWaiters.delete(key);
          w?.(vars);
        },
        evaluateLatestDecision: (tenantId, decisionId, vars) =>
          this.evaluateLatest(tenantId, decisionId, vars),
      },
      now: this.now,
      maxPending: opts.maxPendingCommands ?? 10_000,
      onCommitted: (records) => this.exporters?.notify(records),
      onBatchProcessed: () => this.afterBatch(),
      onFailure: (err) => void this.recover(err),
      logError: (err, msg) => this.log.error({ err }, msg),
    });
  }

  // ---------------------------------------------------------------- start / recovery

  async start(): Promise<void> {
    await this.load();
    if (this.opts.exporters !== false) {
      this.exporters = await startExporters(this.opts.connection, this.logStore);
    }
    this.status = 'ok';
    this.scheduleDue(0);
  }

  private async load(): Promise<void> {
    this.logStore = await LogStore.open(this.opts.connection, { partitionId: this.partitionId });
    this.snapshots = await SnapshotStore.open(this.opts.connection, {
      partitionId: this.partitionId,
    });
    const snapshot = await this.snapshots.loadLatest();
    const data = typeof snapshot?.state === 'string' ? JSON.parse(snapshot.state) : snapshot?.state;
    const state = snapshot ? EngineState.fromSnapshot(data) : new EngineState();
    this.models.clear();
    this.drgModels.clear();
    for (const p of state.processes.values()) {
      await this.loadProcessModel(p.key, p.bpmnProcessId, p.resource, p.resourceName);
    }
    for (const d of state.drgs.values()) await this.loadDrg(d.key, d.resource, d.resourceName);
    const ctx = { model: (key: number) => this.models.get(key) };
    let position = snapshot?.position ?? 0;
    for await (const record of this.logStore.readFrom(position)) {
      if (record.recordType === 'EVENT') {
        const v = record.value as {
          resource?: string;
          resourceName?: string;
          bpmnProcessId?: string;
        };
        if (record.valueType === 'PROCESS' && record.intent === 'CREATED') {
          await this.loadProcessModel(record.key, v.bpmnProcessId!, v.resource!, v.resourceName!);
        }
        if (record.valueType === 'DECISION_REQUIREMENTS' && record.intent === 'CREATED') {
          await this.loadDrg(record.key, v.resource!, v.resourceName!);
        }
      }
      applyRecord(state, record, ctx);
      position = record.position;
    }
    state.position = position;
    state.newlyActivatable.clear();
    state.dueHint = 0;
    this.state = state;
    this.lastSnapshotPosition = snapshot?.position ?? 0;
    this.lastSnapshotAt = this.now();
  }

  private async loadProcessModel(
    key: number,
    bpmnProcessId: string,
    xml: string,
    name: string,
  ): Promise<void> {
    const processes = await parseBpmn(xml, name);
    // A resource may hold several processes: pick the one this key stands for.
    const model = processes.find((m) => m.bpmnProcessId === bpmnProcessId);
    if (model) this.models.set(key, model);
  }

  private async loadDrg(key: number, xml: string, name: string): Promise<void> {
    this.drgModels.set(key, await parseDmn(xml, name));
  }

  /** An append failed or state diverged: stop, reload snapshot + log, resume. */
  private recover(err: Error): Promise<void> {
    if (this.recovering || this.closed) return this.recovering ?? Promise.resolve();
    this.log.error({ err }, 'engine processing failed; recovering from the durable log');
    this.status = 'degraded';
    this.processor.stop(new EngineError('UNAVAILABLE', 'the engine is recovering; retry'));
    this.recovering = (async () => {
      for (;;) {
        try {
          await this.logStore.close().catch(() => undefined);
          await this.loadAfterFailure();
          this.status = 'ok';
          this.processor.resume();
          this.scheduleDue(0);
          return;
        } catch (e) {
          this.log.error({ err: e }, 'recovery failed; retrying');
          await new Promise((r) => setTimeout(r, 1000));
          if (this.closed) return;
        }
      }
    })().finally(() => {
      this.recovering = undefined;
    });
    return this.recovering;
  }

  private async loadAfterFailure(): Promise<void> {
    const exporters = this.exporters;
    await this.load();
    if (exporters) {
      await exporters.stop().catch(() => undefined);
      this.exporters = await startExporters(this.opts.connection, this.logStore);
    }
  }

  // ---------------------------------------------------------------- after each processed batch

  private afterBatch(): void {
    const state = this.state;
    if (state.dueHint < Infinity) {
      const hint = state.dueHint;
      state.dueHint = Infinity;
      if (hint < this.dueAt) this.scheduleDue(hint);
    }
    if (state.newlyActivatable.size > 0) {
      const types = [...state.newlyActivatable];
      state.newlyActivatable.clear();
      // Activate at once: the activation's own records follow these in the log, so by the
      // time they are durable (and the jobs handed out) what created the jobs is durable
      // too. Both usually land in the same group-commit batch: one write, not two.
      setImmediate(() => {
        for (const type of types) this.serveWaiters(type);
      });
    }
    this.maybeSnapshot();
  }

  private serveWaiters(type: string): void {
    const list = this.waiters.get(type);
    if (list) {
      for (const w of list.splice(0)) if (!w.done) this.tryActivate(w);
      if (list.length === 0) this.waiters.delete(type);
    }
    for (const stream of this.streams.get(type) ?? []) this.pushToStream(stream);
  }

  private tryActivate(w: JobWaiter): void {
    this.processor
      .submit((ctx) => activateJobs(ctx, w.req), true)
      .then(
        (jobs) => {
          if (w.done) return;
          if (jobs.length > 0) {
            w.done = true;
            clearTimeout(w.timer);
            w.resolve(jobs);
          } else this.addWaiter(w);
        },
        (err: Error) => {
          if (w.done) return;
          w.done = true;
          clearTimeout(w.timer);
          w.reject(err);
        },
      );
  }

  private addWaiter(w: JobWaiter): void {
    const list = this.waiters.get(w.req.type) ?? [];
    list.push(w);
    this.waiters.set(w.req.type, list);
  }

  private pushToStream(stream: JobStream): void {
    if (stream.closed) return;
    this.processor
      .submit((ctx) => activateJobs(ctx, stream.req), true)
      .then(
        (jobs) => {
          for (const job of jobs) {
            if (!stream.closed) stream.onJob(job);
          }
        },
        () => undefined,
      );
  }

  // ---------------------------------------------------------------- due dates

  private scheduleDue(at: number): void {
    if (this.closed) return;
    clearTimeout(this.dueTimer);
    this.dueAt = at;
    const delay = Math.min(Math.max(0, at - this.now()), 2 ** 31 - 1);
    this.dueTimer = setTimeout(() => this.fireDue(), delay);
    this.dueTimer.unref?.();
  }

  private fireDue(): void {
    this.dueAt = Infinity;
    if (this.status !== 'ok') return;
    const now = this.now();
    let next = Infinity;
    const state = this.state;
    const fire = (id: string, run: (ctx: BpmnContext) => void) => {
      if (this.inFlightTriggers.has(id)) return;
      this.inFlightTriggers.add(id);
      this.processor
        .submit(run, true)
        .catch((err) => this.log.warn({ err }, 'internal trigger failed'))
        .finally(() => this.inFlightTriggers.delete(id));
    };
    for (const t of state.timers.values()) {
      if (t.dueDate <= now) fire(`t${t.key}`, (ctx) => triggerTimer(ctx, t.key));
      else next = Math.min(next, t.dueDate);
    }
    for (const j of state.jobs.values()) {
      if (j.state === 'ACTIVATED') {
        if (j.deadline <= now) fire(`j${j.key}`, (ctx) => timeOutJob(ctx, j.key));
        else next = Math.min(next, j.deadline);
      } else if (j.state === 'FAILED' && j.retries > 0 && j.recurringTime > 0) {
        if (j.recurringTime <= now) fire(`b${j.key}`, (ctx) => recurJob(ctx, j.key));
        else next = Math.min(next, j.recurringTime);
      }
    }
    for (const m of state.messages.values()) {
      if (m.deadline <= now) fire(`m${m.key}`, (ctx) => expireMessage(ctx, m.key));
      else next = Math.min(next, m.deadline);
    }
    if (next < Infinity) this.scheduleDue(next);
  }

  // ---------------------------------------------------------------- snapshots

  private maybeSnapshot(): void {
    if (this.snapshotting || this.closed) return;
    const every = this.opts.snapshotEveryRecords ?? 10_000;
    const interval = this.opts.snapshotIntervalMs ?? 60_000;
    const position = this.state.position;
    if (position <= this.lastSnapshotPosition) return;
    if (position - this.lastSnapshotPosition < every && this.now() - this.lastSnapshotAt < interval)
      return;
    void this.takeSnapshot();
  }

  /** Takes a snapshot of the current state once everything in it is durable. */
  async takeSnapshot(): Promise<void> {
    if (this.snapshotting) return;
    this.snapshotting = true;
    try {
      const position = this.state.position;
      const json = JSON.stringify(this.state.toSnapshot());
      await this.logStore.whenDurable(position);
      // Stored as the JSON text itself: serialised once, at the moment it was consistent.
      await this.snapshots.save(position, json);
      this.lastSnapshotPosition = position;
      this.lastSnapshotAt = this.now();
      const exported = this.exporters ? this.exporters.minPosition : position;
      await this.logStore.compact(Math.min(position, exported));
    } catch (err) {
      this.log.warn({ err }, 'snapshot failed');
    } finally {
      this.snapshotting = false;
    }
  }

  // ---------------------------------------------------------------- decisions

  private evaluateLatest(
    tenantId: string,
    decisionId: string,
    vars: Record<string, unknown>,
  ): DecisionResult | undefined {
    const decision = this.state.latestDecision(tenantId, decisionId);
    if (!decision) return undefined;
    const drg = this.drgModels.get(decision.decisionRequirementsKey);
    if (!drg) return undefined;
    const result = evaluateDecision(drg, decisionId, vars);
    const ok = !result.failureMessage;
    return {
      ok,
      output: result.output,
      failureMessage: result.failureMessage,
      record: {
        decisionKey: decision.key,
        decisionId,
        decisionName: decision.decisionName,
        decisionVersion: decision.version,
        decisionRequirementsId: decision.decisionRequirementsId,
        decisionRequirementsKey: decision.decisionRequirementsKey,
        decisionOutput: JSON.stringify(result.output ?? null),
        evaluatedDecisions: result.evaluatedDecisions.map((d) => ({
          ...d,
          decisionOutput: JSON.stringify(d.output ?? null),
          decisionVersion: decision.version,
          tenantId,
        })),
        failedDecisionId: result.failedDecisionId ?? '',
        evaluationFailureMessage: result.failureMessage ?? '',
        variables: {},
        tenantId,
      },
    };
  }

  // ---------------------------------------------------------------- EngineApi

  topology(): TopologyResponse {
    return {
      brokers: [
        {
          nodeId: 0,
          host: '127.0.0.1',
          port: 26501,
          partitions: [
            {
              partitionId: this.partitionId,
              role: 'LEADER',
              health: this.status === 'ok' ? 'HEALTHY' : 'UNHEALTHY',
            },
          ],
          version: '8.5.0',
        },
      ],
      clusterSize: 1,
      partitionsCount: 1,
      replicationFactor: 1,
      gatewayVersion: '8.5.0',
    };
  }

  health(): EngineHealth {
    return {
      status: this.closed ? 'stopped' : this.status,
      logPosition: this.state.position,
      activeProcessInstances: this.state.activeProcessInstances(),
      pendingCommands: this.processor.pending,
    };
  }

  async deployResource(
    req: DeployResourceRequest,
    ctx?: CallContext,
  ): Promise<DeployResourceResponse> {
    const tenantId = req.tenantId || DEFAULT_TENANT_ID;
    requireTenantAccess(tenantId, ctx);
    if (!req.resources?.length)
      throw new EngineError('INVALID_ARGUMENT', 'resources must not be empty');
    const parsed = await parseResources(req.resources);
    return this.processor.submit((c) =>
      processDeployment(
        c,
        {
          putModel: (key, model) => this.models.set(key, model),
          putDrg: (key, drg) => this.drgModels.set(key, drg),
        },
        tenantId,
        parsed,
      ),
    );
  }

  deleteResource(req: DeleteResourceRequest, ctx?: CallContext): Promise<void> {
    return this.processor.submit((c) => deleteResource(c, req.resourceKey, ctx));
  }

  createProcessInstance(
    req: CreateProcessInstanceRequest,
    ctx?: CallContext,
  ): Promise<CreateProcessInstanceResponse> {
    return this.processor.submit((c) => createProcessInstance(c, req, ctx));
  }

  async createProcessInstanceWithResult(
    req: CreateProcessInstanceWithResultRequest,
    ctx?: CallContext,
  ): Promise<CreateProcessInstanceWithResultResponse> {
    let settle!: (vars: Record<string, unknown>) => void;
    const result = new Promise<Record<string, unknown>>((resolve) => (settle = resolve));
    let key = 0;
    const created = await this.processor.submit((c) => {
      const res = createProcessInstance(c, req.request, ctx);
      key = Number(res.processInstanceKey);
      this.resultWaiters.set(key, settle);
      return res;
    });
    const timeoutMs =
      req.requestTimeoutMs && req.requestTimeoutMs > 0 ? req.requestTimeoutMs : 30_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.resultWaiters.delete(key);
        reject(
          new EngineError(
            'DEADLINE_EXCEEDED',
            `process instance ${key} did not complete within ${timeoutMs} ms`,
          ),
        );
      }, timeoutMs);
    });
    try {
      let variables = await Promise.race([result, timeout]);
      if (req.fetchVariables?.length) {
        variables = Object.fromEntries(
          req.fetchVariables.filter((n) => n in variables).map((n) => [n, variables[n]]),
        );
      }
      return { ...created, variables };
    } finally {
      clearTimeout(timer);
    }
  }

  cancelProcessInstance(req: CancelProcessInstanceRequest, ctx?: CallContext): Promise<void> {
    return this.processor.submit((c) => cancelProcessInstance(c, req.processInstanceKey, ctx));
  }

  async setVariables(req: SetVariablesRequest, ctx?: CallContext): Promise<{ key: string }> {
    const key = await this.processor.submit((c) => setVariables(c, req, ctx));
    return { key: String(key) };
  }

  modifyProcessInstance(req: ModifyProcessInstanceRequest, ctx?: CallContext): Promise<void> {
    return this.processor.submit((c) => modifyProcessInstance(c, req, ctx));
  }

  migrateProcessInstance(req: MigrateProcessInstanceRequest, ctx?: CallContext): Promise<void> {
    return this.processor.submit((c) => migrateProcessInstance(c, req, ctx));
  }

  activateJobs(
    req: ActivateJobsRequest,
    ctx?: CallContext,
    signal?: AbortSignal,
  ): Promise<ActivatedJob[]> {
    if (!req.type)
      return Promise.reject(new EngineError('INVALID_ARGUMENT', 'type must not be empty'));
    if (!(req.maxJobsToActivate > 0)) {
      return Promise.reject(
        new EngineError('INVALID_ARGUMENT', 'maxJobsToActivate must be greater than 0'),
      );
    }
    let tenantIds: string[];
    try {
      tenantIds = defaultTenants(req.tenantIds, ctx);
    } catch (err) {
      return Promise.reject(err);
    }
    const request: ActivationRequest = {
      type: req.type,
      worker: req.worker ?? '',
      timeout: req.timeout,
      maxJobsToActivate: req.maxJobsToActivate,
      fetchVariable: req.fetchVariable,
      tenantIds,
    };
    return this.processor
      .submit((c) => activateJobs(c, request))
      .then((jobs) => {
        const wait = req.requestTimeoutMs ?? 0;
        if (jobs.length > 0 || wait <= 0) return jobs;
        return new Promise<ActivatedJob[]>((resolve, reject) => {
          const w: JobWaiter = { req: request, resolve, reject, done: false };
          w.timer = setTimeout(() => {
            w.done = true;
            resolve([]);
          }, wait);
          signal?.addEventListener('abort', () => {
            if (w.done) return;
            w.done = true;
            clearTimeout(w.timer);
            reject(new EngineError('UNAVAILABLE', 'the request was cancelled'));
          });
          this.addWaiter(w);
        });
      });
  }

  streamActivatedJobs(
    req: StreamActivatedJobsRequest,
    onJob: (job: ActivatedJob) => void,
    signal: AbortSignal,
    ctx?: CallContext,
  ): void {
    const stream: JobStream = {
      req: {
        type: req.type,
        worker: req.worker ?? '',
        timeout: req.timeout,
        maxJobsToActivate: 32,
        fetchVariable: req.fetchVariable,
        tenantIds: defaultTenants(req.tenantIds, ctx),
      },
      onJob,
      closed: false,
    };
    const set = this.streams.get(req.type) ?? new Set();
    set.add(stream);
    this.streams.set(req.type, set);
    signal.addEventListener('abort', () => {
      stream.closed = true;
      set.delete(stream);
    });
    this.pushToStream(stream);
  }

  completeJob(req: CompleteJobRequest, ctx?: CallContext): Promise<void> {
    return this.processor.submit((c) => completeJob(c, req, ctx));
  }

  failJob(req: FailJobRequest, ctx?: CallContext): Promise<void> {
    return this.processor.submit((c) => failJob(c, req, ctx));
  }

  throwError(req: ThrowErrorRequest, ctx?: CallContext): Promise<void> {
    return this.processor.submit((c) => throwJobError(c, req, ctx));
  }

  updateJobRetries(req: UpdateJobRetriesRequest, ctx?: CallContext): Promise<void> {
    return this.processor.submit((c) => updateJobRetries(c, req.jobKey, req.retries, ctx));
  }

  updateJobTimeout(req: UpdateJobTimeoutRequest, ctx?: CallContext): Promise<void> {
    return this.processor.submit((c) => updateJobTimeout(c, req.jobKey, req.timeout, ctx));
  }

  async publishMessage(
    req: PublishMessageRequest,
    ctx?: CallContext,
  ): Promise<PublishMessageResponse> {
    requireTenantAccess(req.tenantId || DEFAULT_TENANT_ID, ctx);
    const res = await this.processor.submit((c) => publishMessage(c, req));
    return { key: String(res.key), tenantId: res.tenantId };
  }

  async broadcastSignal(
    req: BroadcastSignalRequest,
    ctx?: CallContext,
  ): Promise<BroadcastSignalResponse> {
    requireTenantAccess(req.tenantId || DEFAULT_TENANT_ID, ctx);
    const res = await this.processor.submit((c) =>
      broadcast(c, req.signalName, req.variables, req.tenantId),
    );
    return { key: String(res.key), tenantId: res.tenantId };
  }

  resolveIncident(req: ResolveIncidentRequest, ctx?: CallContext): Promise<void> {
    return this.processor.submit((c) => resolveIncident(c, req.incidentKey, ctx));
  }

  async evaluateDecision(
    req: EvaluateDecisionRequest,
    ctx?: CallContext,
  ): Promise<EvaluateDecisionResponse> {
    const tenantId = req.tenantId || DEFAULT_TENANT_ID;
    return this.processor.submit((c) => {
      let decision;
      if (req.decisionKey && req.decisionKey !== '0') {
        decision = c.state.decisions.get(Number(req.decisionKey));
        if (
          decision &&
          ctx?.authorizedTenants &&
          !ctx.authorizedTenants.includes(decision.tenantId)
        )
          decision = undefined;
      } else if (req.decisionId) {
        requireTenantAccess(tenantId, ctx);
        decision = c.state.latestDecision(tenantId, req.decisionId);
      } else throw new EngineError('INVALID_ARGUMENT', 'decisionKey or decisionId is required');
      if (!decision) {
        throw new EngineError(
          'NOT_FOUND',
          `Expected to evaluate decision '${req.decisionId ?? req.decisionKey}', but no decision found`,
        );
      }
      const result = this.evaluateLatest(
        decision.tenantId,
        decision.decisionId,
        req.variables ?? {},
      )!;
      const key = c.batch.nextKey();
      c.batch.event('DECISION_EVALUATION', result.ok ? 'EVALUATED' : 'FAILED', key, result.record);
      const r = result.record as Record<string, unknown> & {
        evaluatedDecisions: Record<string, unknown>[];
      };
      return {
        decisionKey: String(decision.key),
        decisionId: decision.decisionId,
        decisionName: decision.decisionName,
        decisionVersion: decision.version,
        decisionRequirementsId: decision.decisionRequirementsId,
        decisionRequirementsKey: String(decision.decisionRequirementsKey),
        decisionOutput: String(r.decisionOutput),
        evaluatedDecisions: r.evaluatedDecisions.map((d) => {
          const dd = d as {
            decisionId: string;
            decisionName: string;
            decisionType: string;
            decisionOutput: string;
            matchedRules: {
              ruleId: string;
              ruleIndex: number;
              evaluatedOutputs: { outputId: string; outputName: string; outputValue: unknown }[];
            }[];
            evaluatedInputs: { inputId: string; inputName: string; inputValue: unknown }[];
          };
          const other = c.state.latestDecision(decision.tenantId, dd.decisionId);
          return {
            decisionKey: String(other?.key ?? ''),
            decisionId: dd.decisionId,
            decisionName: dd.decisionName,
            decisionVersion: other?.version ?? 0,
            decisionType: dd.decisionType,
            decisionOutput: dd.decisionOutput,
            matchedRules: dd.matchedRules.map((m) => ({
              ruleId: m.ruleId,
              ruleIndex: m.ruleIndex,
              evaluatedOutputs: m.evaluatedOutputs.map((o) => ({
                ...o,
                outputValue: JSON.stringify(o.outputValue ?? null),
              })),
            })),
            evaluatedInputs: dd.evaluatedInputs.map((i) => ({
              ...i,
              inputValue: JSON.stringify(i.inputValue ?? null),
            })),
            tenantId: decision.tenantId,
          };
        }),
        failedDecisionId: result.record.failedDecisionId as string,
        failureMessage: result.failureMessage ?? '',
        tenantId: decision.tenantId,
        decisionInstanceKey: String(key),
      };
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.status = 'stopped';
    clearTimeout(this.dueTimer);
    this.processor.stop(new EngineError('UNAVAILABLE', 'the engine is shutting down'));
    for (const list of this.waiters.values()) {
      for (const w of list) {
        if (!w.done) {
          w.done = true;
          clearTimeout(w.timer);
          w.resolve([]);
        }
      }
    }
    this.waiters.clear();
    for (const set of this.streams.values()) for (const s of set) s.closed = true;
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

  /** For tests and tools: records are durable up to here. */
  get logPosition(): number {
    return this.state.position;
  }

  /** Exported for tests: the live records since a position (durable log). */
  async readLog(after = 0): Promise<LogRecord[]> {
    const out: LogRecord[] = [];
    for await (const r of this.logStore.readFrom(after)) out.push(r);
    return out;
  }
}

export async function createEngine(opts: EngineOptions): Promise<Engine> {
  const engine = new Engine(opts);
  await engine.start();
  return engine;
}
