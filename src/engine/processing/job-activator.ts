/**
 * Hands jobs to workers: ActivateJobs long polls wait here until a job of their type
 * becomes activatable or their request time-out passes; job streams (StreamActivatedJobs)
 * get every job of their type pushed. Activation itself is a command (JOB_BATCH ACTIVATE)
 * processed like any other, so jobs leave only once their activation is durable.
 */
import { EngineError, type ActivatedJob } from '../api';
import type { Clock } from '../scheduler/clock';
import { activateJobs, type ActivationRequest } from './commands/jobs';
import type { StreamProcessor } from './stream-processor';

interface JobWaiter {
  req: ActivationRequest;
  resolve(jobs: ActivatedJob[]): void;
  reject(err: Error): void;
  done: boolean;
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
    const jobs = await this.processor.submit((c) => activateJobs(c, req));
    if (jobs.length > 0 || waitMs <= 0) return jobs;
    return new Promise<ActivatedJob[]>((resolve, reject) => {
      const w: JobWaiter = { req, resolve, reject, done: false };
      w.cancelTimer = this.clock.schedule(this.clock.now() + waitMs, () => {
        w.done = true;
        resolve([]);
      });
      signal?.addEventListener('abort', () => {
        if (w.done) return;
        w.done = true;
        w.cancelTimer?.();
        reject(new EngineError('UNAVAILABLE', 'the request was cancelled'));
      });
      this.addWaiter(w);
    });
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
        for (const w of list.splice(0)) if (!w.done) this.tryActivate(w);
        if (list.length === 0) this.waiters.delete(type);
      }
      for (const stream of this.streams.get(type) ?? []) this.pushToStream(stream);
    }
  }

  /** Shutdown: waiting requests get no jobs, streams end. */
  close(): void {
    for (const list of this.waiters.values()) {
      for (const w of list) {
        if (!w.done) {
          w.done = true;
          w.cancelTimer?.();
          w.resolve([]);
        }
      }
    }
    this.waiters.clear();
    for (const set of this.streams.values()) for (const s of set) s.closed = true;
  }

  private tryActivate(w: JobWaiter): void {
    this.processor
      .submit((ctx) => activateJobs(ctx, w.req), true)
      .then(
        (jobs) => {
          if (w.done) return;
          if (jobs.length > 0) {
            w.done = true;
            w.cancelTimer?.();
            w.resolve(jobs);
          } else this.addWaiter(w);
        },
        (err: Error) => {
          if (w.done) return;
          w.done = true;
          w.cancelTimer?.();
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
}
