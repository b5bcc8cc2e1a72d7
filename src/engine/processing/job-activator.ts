/**
 * Hands jobs to workers: ActivateJobs long polls wait here until a job of their type
 * becomes activatable or their request time-out passes; job streams (StreamActivatedJobs)
 * get every job of their type pushed. Activation itself is a command (JOB_BATCH ACTIVATE)
 * processed like any other, so jobs leave only once their activation is durable.
 *
 * Activated jobs are either handed to a live request or not activated at all: the
 * activation command claims its request when it runs (a request that already expired or
 * went away gets nothing activated); a claimed request no longer expires, and if its
 * client goes away before the activation is durable, the jobs are yielded back at once.
 */
import { EngineError, type ActivatedJob } from '../api';
import type { Clock } from '../scheduler/clock';
import { activateJobs, yieldJob, type ActivationRequest } from './commands/jobs';
import type { StreamProcessor } from './stream-processor';

interface JobWaiter {
  req: ActivationRequest;
  resolve(jobs: ActivatedJob[]): void;
  reject(err: Error): void;
  /** waiting → claimed (an activation for it is being stored) → done. */
  state: 'waiting' | 'claimed' | 'done';
  /** The client went away while claimed: its jobs go back once stored. */
  gone?: boolean;
  cancelTimer?: () => void;
}

interface JobStream {
  req: ActivationRequest;
  onJob(job: ActivatedJob): void;
  closed: boolean;
}

export class JobActivator {
  private readonly waiters = new Map<string, JobWaiter[]>();
  private readonly streams = new Map<string, Set<JobStream>>();

  constructor(
    private readonly processor: StreamProcessor,
    private readonly clock: Clock,
  ) {}

  /** Activates at once; with nothing to activate, waits up to `waitMs` for a job. */
  async activate(
    req: ActivationRequest,
    waitMs: number,
    signal?: AbortSignal,
  ): Promise<ActivatedJob[]> {
    if (signal?.aborted) throw new EngineError('UNAVAILABLE', 'the request was cancelled');
    const w: JobWaiter = {
      req,
      resolve: () => undefined,
      reject: () => undefined,
      state: 'waiting',
    };
    const result = new Promise<ActivatedJob[]>((resolve, reject) => {
      w.resolve = resolve;
      w.reject = reject;
    });
    signal?.addEventListener('abort', () => this.abandon(w));
    this.submitFor(w, false, () => {
      if (waitMs <= 0) return this.finish(w, []);
      w.cancelTimer = this.clock.schedule(this.clock.now() + waitMs, () => {
        if (w.state === 'waiting') this.finish(w, []);
      });
      this.addWaiter(w);
    });
    return result;
  }

  /** Pushes every activatable job of the stream's type until `signal` aborts. */
  stream(req: ActivationRequest, onJob: (job: ActivatedJob) => void, signal: AbortSignal): void {
    const stream: JobStream = { req, onJob, closed: false };
    const set = this.streams.get(req.type) ?? new Set();
    set.add(stream);
    this.streams.set(req.type, set);
    signal.addEventListener('abort', () => {
      stream.closed = true;
      set.delete(stream);
    });
    this.pushToStream(stream);
  }

  /** Jobs of these types became activatable: serve the waiting requests and streams. */
  jobsAvailable(types: string[]): void {
    for (const type of types) {
      const list = this.waiters.get(type);
      if (list) {
        this.waiters.delete(type);
        for (const w of list) {
          if (w.state === 'waiting') this.submitFor(w, true, () => this.addWaiter(w));
        }
      }
      for (const stream of this.streams.get(type) ?? []) this.pushToStream(stream);
    }
  }

  /** Shutdown: waiting requests get no jobs, streams end. */
  close(): void {
    for (const list of this.waiters.values()) {
      for (const w of list) if (w.state === 'waiting') this.finish(w, []);
    }
    this.waiters.clear();
    for (const set of this.streams.values()) for (const s of set) s.closed = true;
  }

  /**
   * One activation for a request: it runs only if the request still waits, and claims it
   * when it activates something. `none` runs when there was nothing to activate.
   */
  private submitFor(w: JobWaiter, internal: boolean, none: () => void): void {
    this.processor
      .submit((ctx) => {
        if (w.state !== 'waiting') return [];
        const jobs = activateJobs(ctx, w.req);
        if (jobs.length > 0) w.state = 'claimed';
        return jobs;
      }, internal)
      .then(
        (jobs) => {
          if (jobs.length === 0) {
            if (w.state === 'waiting') none();
          } else if (w.gone) {
            w.state = 'done';
            this.giveBack(jobs);
          } else this.finish(w, jobs);
        },
        (err: Error) => {
          if (w.state === 'done') return;
          w.state = 'done';
          w.cancelTimer?.();
          w.reject(err);
        },
      );
  }

  private finish(w: JobWaiter, jobs: ActivatedJob[]): void {
    if (w.state === 'done') return;
    w.state = 'done';
    w.cancelTimer?.();
    w.resolve(jobs);
  }

  /** The client went away. */
  private abandon(w: JobWaiter): void {
    if (w.state === 'done') return;
    if (w.state === 'claimed') w.gone = true;
    else w.state = 'done';
    w.cancelTimer?.();
    w.reject(new EngineError('UNAVAILABLE', 'the request was cancelled'));
  }

  private addWaiter(w: JobWaiter): void {
    const list = this.waiters.get(w.req.type) ?? [];
    list.push(w);
    this.waiters.set(w.req.type, list);
  }

  private pushToStream(stream: JobStream): void {
    if (stream.closed) return;
    this.processor
      .submit((ctx) => (stream.closed ? [] : activateJobs(ctx, stream.req)), true)
      .then(
        (jobs) => {
          const undelivered = jobs.filter((job) => {
            if (stream.closed) return true;
            stream.onJob(job);
            return false;
          });
          this.giveBack(undelivered);
        },
        () => undefined,
      );
  }

  /** Jobs that were activated but reached nobody: activatable again at once. */
  private giveBack(jobs: ActivatedJob[]): void {
    if (jobs.length === 0) return;
    this.processor
      .submit((ctx) => {
        for (const job of jobs) yieldJob(ctx, job);
      }, true)
      .catch(() => undefined); // after a recovery they time out as usual
  }
}
