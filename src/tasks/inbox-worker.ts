/**
 * The inbox worker: activates `io.camunda.zeebe:userTask` jobs through the Zeebe client
 * (the same against the built-in engine and a Zeebe cluster) and keeps one inbox task
 * per job.
 *
 * Job locks: a job is activated with a short timeout, then extended with
 * UpdateJobTimeout to the long one once its task is stored — if storing fails, the job
 * comes back within a minute. The keeper then extends every open task's job again
 * before its lock runs out, and that same call tells whether the job still exists: a
 * NOT_FOUND (instance cancelled, interrupting boundary event) makes the task
 * "annullata", within a minute as long as the probes fit the rate limit
 * (probeEveryMs × maxProbesPerSecond tasks; beyond that the cycle is longer).
 *
 * Several product processes may run this worker on one engine: a job is handed to one
 * worker at a time, and the task's `_id` is the job key, so no task is created twice.
 */
import type { ZeebeJob } from '@camunda8/sdk/dist/zeebe/types';
import { silentLogger, type Logger } from '../logging';
import type { ZeebeClient } from '../workers/runtime';
import type { Inbox } from './inbox';
import { USER_TASK_JOB_TYPE, type UserTaskJob } from './task-from-job';

export interface InboxWorkerOptions {
  zeebe: ZeebeClient;
  tenantIds: string[];
  logger?: Logger;
  /** Lock taken at activation, ms (default 60 s). */
  activationTimeoutMs?: number;
  /** Lock kept while the task is open, ms (default 24 h). */
  jobTimeoutMs?: number;
  /** Each open task's job is checked (and its lock extended) at least this often, ms (default 30 s). */
  probeEveryMs?: number;
  /** At most this many checks per second (default 50); 0 turns the keeper off. */
  maxProbesPerSecond?: number;
  /** A completion whose answer was lost is retried after this long, ms (default 30 s). */
  completionRetryMs?: number;
  workerName?: string;
}

function isCode(err: unknown, code: number, name: string): boolean {
  const e = err as { code?: number; message?: string };
  return e?.code === code || new RegExp(`\\b${name}\\b`).test(String(e?.message ?? ''));
}

export function toUserTaskJob(job: ZeebeJob): UserTaskJob {
  return {
    key: String(job.key),
    tenantId: job.tenantId,
    processInstanceKey: String(job.processInstanceKey),
    // Present on the wire, missing from the SDK's typings.
    processDefinitionKey: String(
      (job as { processDefinitionKey?: string }).processDefinitionKey ?? '',
    ),
    processDefinitionVersion: job.processDefinitionVersion,
    bpmnProcessId: job.bpmnProcessId,
    elementId: job.elementId,
    elementInstanceKey: String(job.elementInstanceKey),
    variables: { ...(job.variables as Record<string, unknown>) },
    customHeaders: { ...(job.customHeaders as Record<string, unknown>) },
  };
}

export class InboxWorker {
  private readonly logger: Logger;
  private readonly activationTimeoutMs: number;
  private readonly jobTimeoutMs: number;
  private readonly probeEveryMs: number;
  private readonly maxProbesPerSecond: number;
  private readonly completionRetryMs: number;
  /** When each job was last checked by this process (in memory: after a restart all are checked soon). */
  private readonly lastProbe = new Map<string, number>();
  private worker: { close(): Promise<unknown> } | undefined;
  private keeper: NodeJS.Timeout | undefined;
  private keeping: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly inbox: Inbox,
    private readonly opts: InboxWorkerOptions,
  ) {
    this.logger = opts.logger ?? silentLogger;
    this.activationTimeoutMs = opts.activationTimeoutMs ?? 60_000;
    this.jobTimeoutMs = opts.jobTimeoutMs ?? 24 * 3600_000;
    this.probeEveryMs = opts.probeEveryMs ?? 30_000;
    this.maxProbesPerSecond = opts.maxProbesPerSecond ?? 50;
    this.completionRetryMs = opts.completionRetryMs ?? 30_000;
  }

  start(): void {
    this.worker = this.opts.zeebe.createWorker({
      taskType: USER_TASK_JOB_TYPE,
      taskHandler: (job: unknown) => this.handle(job as ZeebeJob),
      timeout: this.activationTimeoutMs,
      maxJobsToActivate: 64,
      tenantIds: this.opts.tenantIds,
      longPoll: 30_000,
      pollInterval: 10,
      worker: this.opts.workerName ?? 'inbox',
    } as never) as unknown as { close(): Promise<unknown> };
    if (this.maxProbesPerSecond > 0) this.scheduleKeeper();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.keeper) clearTimeout(this.keeper);
    await this.keeping?.catch(() => undefined);
    await this.worker?.close();
  }

  private async handle(job: ZeebeJob) {
    try {
      const { task } = await this.inbox.taskArrived(toUserTaskJob(job));
      if (task.state === 'completing')
        await this.inbox.driveCompletion(task, true).catch(() => undefined);
      await this.extend(task._id);
    } catch (err) {
      // Not failed: failing would cost the job a retry. Its short lock runs out and it comes back.
      this.logger.warn({ err, jobKey: job.key }, 'inbox task not stored; the job will come back');
    }
    return job.forward();
  }

  /** Extends the job's lock; a job that is gone cancels its task. */
  async extend(taskId: string): Promise<'ok' | 'gone' | 'inactive' | 'error'> {
    this.lastProbe.set(taskId, Date.now());
    try {
      await this.opts.zeebe.updateJobTimeout({ jobKey: taskId, timeout: this.jobTimeoutMs });
      return 'ok';
    } catch (err) {
      if (isCode(err, 5, 'NOT_FOUND')) {
        const task = await this.inbox.tasks.get(taskId);
        if (task && task.state === 'open') await this.inbox.cancel(task, 'jobGone');
        // A completion in progress is left to the process doing it; a stuck one is retried.
        else if (task?.state === 'completing' && this.completionIsStuck(task.completion?.at)) {
          await this.inbox.driveCompletion(task, true);
        }
        this.lastProbe.delete(taskId);
        return 'gone';
      }
      // Not activated (its lock ran out): the worker activates it again shortly.
      if (isCode(err, 9, 'FAILED_PRECONDITION')) return 'inactive';
      this.logger.warn({ err, taskId }, 'job lock not extended');
      return 'error';
    }
  }

  private completionIsStuck(at: Date | string | undefined): boolean {
    return at === undefined || Date.now() - new Date(at).getTime() > this.completionRetryMs;
  }

  private scheduleKeeper(): void {
    if (this.stopped) return;
    this.keeper = setTimeout(() => {
      this.keeping = this.keepOnce()
        .then(() => undefined)
        .catch((err: unknown) => this.logger.warn({ err }, 'inbox keeper failed'))
        .finally(() => this.scheduleKeeper());
    }, 1000);
  }

  /** One second of the keeper: the tasks checked longest ago, up to the rate limit. */
  async keepOnce(): Promise<number> {
    const now = Date.now();
    const due: { id: string; last: number }[] = [];
    const tenants = new Set(this.opts.tenantIds);
    for (const row of this.inbox.index.allRows()) {
      if (!tenants.has(row.tenantId)) continue;
      if (row.state === 'completing') {
        const task = await this.inbox.tasks.get(row.id);
        if (task?.state === 'completing' && this.completionIsStuck(task.completion?.at)) {
          await this.inbox.driveCompletion(task, true).catch(() => undefined);
        }
        continue;
      }
      if (row.state !== 'open') continue;
      const last = this.lastProbe.get(row.id) ?? 0;
      if (now - last >= this.probeEveryMs) due.push({ id: row.id, last });
    }
    due.sort((a, b) => a.last - b.last);
    const batch = due.slice(0, this.maxProbesPerSecond);
    await Promise.all(batch.map((d) => this.extend(d.id)));
    return batch.length;
  }
}
