/**
 * Fires what the state says is due (timers, job time-outs, back-off ends, message TTL
 * ends) as internal commands, on the engine's clock. It sleeps until the earliest due date
 * of the state's DueDateIndex and is poked after every processed batch, since a batch may
 * have added an earlier one. After a restart the rebuilt state's index holds what was due
 * while the engine was down: it fires at once, and cycles go on from there.
 */
import type { Logger } from '../../logging';
import type { BpmnContext } from '../processing/bpmn/bpmn-context';
import { expireMessage, triggerTimer } from '../processing/commands/events';
import { recurJob, timeOutJob } from '../processing/commands/jobs';
import type { DueEntry, DueKind } from '../state/due-dates';
import type { EngineState } from '../state/engine-state';
import type { Clock } from './clock';

const COMMANDS: Record<DueKind, (ctx: BpmnContext, key: number) => void> = {
  timer: triggerTimer,
  jobDeadline: timeOutJob,
  jobBackoff: recurJob,
  messageTtl: expireMessage,
};

/** A trigger that ran and left its entry due is retried only after this long. */
const RETRY_MS = 1000;

export interface DueDateSchedulerDeps {
  clock: Clock;
  state(): EngineState;
  /** Submits an internal command. */
  submit(run: (ctx: BpmnContext) => void): Promise<void>;
  log: Logger;
}

export class DueDateScheduler {
  private wakeAt = Infinity;
  private cancelWake?: () => void;
  private readonly inFlight = new Set<string>();
  private readonly retryAfter = new Map<string, number>();
  private running = false;

  constructor(private readonly deps: DueDateSchedulerDeps) {}

  start(): void {
    this.running = true;
    this.wake(this.deps.clock.now());
  }

  stop(): void {
    this.running = false;
    this.cancelWake?.();
    this.wakeAt = Infinity;
  }

  /** Internal triggers submitted and not yet done. */
  get busy(): boolean {
    return this.inFlight.size > 0;
  }

  /** The state changed: wake earlier if something became due earlier. */
  poke(): void {
    const first = this.deps.state().dueDates.peek();
    if (first && first.at < this.wakeAt) this.wake(first.at);
  }

  private wake(at: number): void {
    if (!this.running) return;
    this.cancelWake?.();
    this.wakeAt = at;
    this.cancelWake = this.deps.clock.schedule(at, () => this.fire());
  }

  private fire(): void {
    this.wakeAt = Infinity;
    this.cancelWake = undefined;
    if (!this.running) return;
    const now = this.deps.clock.now();
    const { due, next } = this.deps.state().dueDates.dueBy(now);
    let wakeNext = next;
    for (const entry of due) {
      const id = `${entry.kind}:${entry.key}:${entry.at}`;
      if (this.inFlight.has(id)) continue;
      const retry = this.retryAfter.get(id);
      if (retry !== undefined && retry > now) {
        wakeNext = Math.min(wakeNext, retry);
        continue;
      }
      this.trigger(id, entry);
    }
    if (wakeNext < Infinity) this.wake(wakeNext);
  }

  private trigger(id: string, entry: DueEntry): void {
    this.inFlight.add(id);
    this.retryAfter.delete(id);
    this.deps
      .submit((ctx) => COMMANDS[entry.kind](ctx, entry.key))
      .catch((err) => this.deps.log.warn({ err, due: entry }, 'internal trigger failed'))
      .finally(() => {
        this.inFlight.delete(id);
        const still = this.deps.state().dueDates.get(entry.kind, entry.key);
        if (still && still.at === entry.at) {
          // Still due after its command: never retry in a tight loop.
          this.retryAfter.set(id, this.deps.clock.now() + RETRY_MS);
          this.poke();
        }
      });
  }
}
