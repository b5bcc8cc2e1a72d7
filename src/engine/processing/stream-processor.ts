/**
 * The partition's single processor. Commands queue up and are processed one at a time:
 * validate → write records (events applied at once) → one atomic log append → after
 * it is durable, run the command's side effects (responses, job pushes, ...). Appends
 * are not awaited between commands; the LogStore groups them into one insert.
 */
import { EngineError } from '../api';
import type { LogStore } from '../log/log-store';
import type { LogRecord } from '../log/record';
import type { EngineState } from '../state/engine-state';
import type { ApplierContext } from '../state/appliers';
import { RecordBatch } from './batch';
import { BpmnContext, type EngineHooks, type ModelLookup } from './bpmn/bpmn-context';
import { withFeelClock } from '../feel';
import { continuePostponed, postpone } from './commands/postponed-work';

/** How long the processor works before it lets I/O in (real time, not the engine clock). */
const SLICE_MS = 20;

export type CommandHandler<T> = (ctx: BpmnContext) => T;

interface QueuedCommand {
  run: CommandHandler<unknown>;
  resolve(value: unknown): void;
  reject(err: Error): void;
  internal: boolean;
}

export interface ProcessorDeps {
  partitionId: number;
  state: () => EngineState;
  logStore: () => LogStore;
  models: ModelLookup & ApplierContext;
  hooks: EngineHooks;
  now: () => number;
  maxPending: number;
  /** Steps a chain of postponed work may run before its elements get an incident. */
  maxStepsWithoutEnd?: number;
  onCommitted(records: LogRecord[]): void;
  onBatchProcessed(): void;
  onFailure(err: Error): void;
  logError(err: unknown, msg: string): void;
}

export class StreamProcessor {
  private readonly queue: QueuedCommand[] = [];
  private scheduled = false;
  private stopped = false;

  constructor(private readonly deps: ProcessorDeps) {}

  get pending(): number {
    return this.queue.length;
  }

  /** External commands are refused beyond the bound; internal triggers always queue. */
  submit<T>(run: CommandHandler<T>, internal = false): Promise<T> {
    if (this.stopped)
      return Promise.reject(
        new EngineError('UNAVAILABLE', 'the engine is not processing commands'),
      );
    if (!internal && this.queue.length >= this.deps.maxPending) {
      return Promise.reject(
        new EngineError(
          'RESOURCE_EXHAUSTED',
          `the engine has ${this.queue.length} pending commands; retry later`,
        ),
      );
    }
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ run, resolve: resolve as (v: unknown) => void, reject, internal });
      this.schedule();
    });
  }

  stop(reason: Error): void {
    this.stopped = true;
    for (const cmd of this.queue.splice(0)) cmd.reject(reason);
  }

  resume(): void {
    this.stopped = false;
    this.schedule();
  }

  /** Queues the continuation of postponed work (also what a recovered state holds). */
  continueLater(key: number): void {
    this.submit((c) => continuePostponed(c, key), true).catch((err: unknown) => {
      if (!this.stopped) this.deps.logError(err, 'postponed work failed');
    });
  }

  private schedule(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    setImmediate(() => this.runLoop());
  }

  private runLoop(): void {
    this.scheduled = false;
    // Yield to I/O (new requests, log writes) after a slice of work.
    const until = Date.now() + SLICE_MS;
    let n = 0;
    while (!this.stopped && this.queue.length > 0 && n++ < 256 && Date.now() < until) {
      this.processOne(this.queue.shift()!);
    }
    this.deps.onBatchProcessed();
    if (this.queue.length > 0) this.schedule();
  }

  private processOne(cmd: QueuedCommand): void {
    const state = this.deps.state();
    const batch = new RecordBatch(state, this.deps.models, this.deps.partitionId, this.deps.now());
    const ctx = new BpmnContext(state, batch, this.deps.models, this.deps.hooks);
    let result: unknown;
    let failure: Error | undefined;
    let postponed: number | undefined;
    try {
      // FEEL's now() is the command's time, as the rest of its processing.
      result = withFeelClock(
        () => batch.now,
        () => {
          const value = cmd.run(ctx);
          const left = ctx.drain();
          if (left.length > 0) {
            const ran = ctx.chainSteps + ctx.stepsRun;
            postponed = postpone(ctx, left, ran, this.deps.maxStepsWithoutEnd);
          }
          return value;
        },
      );
    } catch (err) {
      failure = err instanceof Error ? err : new Error(String(err));
      if (!(err instanceof EngineError)) this.deps.logError(err, 'command processing failed');
    }
    const hasEvents = batch.records.some((r) => r.recordType === 'EVENT');
    if (failure && hasEvents) {
      // The state already changed: keep log and state consistent by recovering.
      cmd.reject(
        failure instanceof EngineError ? failure : new EngineError('INTERNAL', failure.message),
      );
      this.deps.onFailure(failure);
      return;
    }
    if (failure) {
      cmd.reject(failure);
      return;
    }
    if (batch.records.length === 0) {
      cmd.resolve(result);
      for (const f of batch.afterCommit) f();
      return;
    }
    const store = this.deps.logStore();
    const first = store.lastPosition + 1;
    for (let i = 1; i < batch.records.length; i++) {
      if (batch.records[0].recordType === 'COMMAND') batch.records[i].sourceRecordPosition = first;
    }
    let appended: { records: LogRecord[]; durable: Promise<void> };
    try {
      appended = store.append(batch.records);
    } catch (err) {
      cmd.reject(new EngineError('RESOURCE_EXHAUSTED', (err as Error).message));
      this.deps.onFailure(err as Error);
      return;
    }
    state.position = appended.records[appended.records.length - 1].position;
    appended.durable.then(
      () => {
        this.deps.onCommitted(appended.records);
        // Once durable (a long run of work never outpaces the log) and after the commands
        // queued meanwhile (it never starves the others).
        if (postponed !== undefined) this.continueLater(postponed);
        cmd.resolve(result);
        for (const f of batch.afterCommit) {
          try {
            f();
          } catch (err) {
            this.deps.logError(err, 'post-commit action failed');
          }
        }
      },
      (err: Error) => {
        cmd.reject(
          new EngineError('UNAVAILABLE', `the command could not be stored: ${err.message}`),
        );
        this.deps.onFailure(err);
      },
    );
  }
}
