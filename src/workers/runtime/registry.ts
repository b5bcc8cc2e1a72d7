/**
 * Binds job types to typed handlers and runs them as @camunda8/sdk job workers.
 *
 * A handler returns the variables to complete the job with. Throwing a BusinessError
 * throws a BPMN error with its code; throwing anything else fails the job with the
 * error's message and one retry less, after `retryBackOffMs`.
 */
import type { JSONDoc, ZeebeJob } from '@camunda8/sdk/dist/zeebe/types';
import { BusinessError } from './business-error';
import { silentLogger, type Logger } from '../../logging';
import { createZeebeClient, type ZeebeClient, type ZeebeClientOptions } from './zeebe-client';

export type JsonObject = Record<string, unknown>;

/** What a handler sees: the job with typed variables and custom headers. */
export interface WorkerJob<V extends JsonObject = JsonObject, H extends JsonObject = JsonObject> {
  key: string;
  type: string;
  processInstanceKey: string;
  bpmnProcessId: string;
  processDefinitionVersion: number;
  processDefinitionKey: string;
  elementId: string;
  elementInstanceKey: string;
  retries: number;
  /** Epoch ms after which the engine may hand the job to another worker. */
  deadline: number;
  tenantId: string;
  variables: V;
  customHeaders: H;
}

export type JobHandler<V extends JsonObject, H extends JsonObject> = (
  job: WorkerJob<V, H>,
) => Promise<JsonObject | void> | JsonObject | void;

export interface WorkerDefinition<
  V extends JsonObject = JsonObject,
  H extends JsonObject = JsonObject,
> {
  type: string;
  handler: JobHandler<V, H>;
  /** Job lock timeout, ms (default 30 s). */
  timeout?: number;
  /** Jobs handled at once by this worker (default 32). */
  maxJobsToActivate?: number;
  /** Only these variables are fetched; all when absent. */
  fetchVariables?: (keyof V & string)[];
  /** Back-off before a failed job is retried, ms (default 0). */
  retryBackOffMs?: number;
}

export interface WorkerRegistryOptions extends ZeebeClientOptions {
  gatewayAddress: string;
  logger?: Logger;
  tenantIds?: string[];
  /** How long an ActivateJobs long poll waits, ms (default 30 s). */
  longPollMs?: number;
  /**
   * How often the SDK worker may start a new poll once the previous one ended, ms
   * (default 10). The SDK polls only on this tick, so it bounds job pick-up latency;
   * while a long poll is open a tick costs nothing.
   */
  pollIntervalMs?: number;
}

export interface WorkerRegistry {
  register<V extends JsonObject = JsonObject, H extends JsonObject = JsonObject>(
    def: WorkerDefinition<V, H>,
  ): WorkerRegistry;
  /** Job types registered so far. */
  readonly types: string[];
  start(): void;
  /** Stops activating jobs and waits for running handlers to finish. */
  stop(): Promise<void>;
  /** The underlying client, e.g. to publish messages from a handler. */
  readonly client: ZeebeClient;
}

export function createWorkerRegistry(opts: WorkerRegistryOptions): WorkerRegistry {
  const log = opts.logger ?? silentLogger;
  const definitions = new Map<string, WorkerDefinition<JsonObject, JsonObject>>();
  let client: ZeebeClient | undefined;
  const workers: { close(): Promise<unknown> }[] = [];
  let started = false;
  let running = 0;
  let idle: (() => void) | undefined;

  const getClient = () => (client ??= createZeebeClient(opts.gatewayAddress, opts));

  async function handle(def: WorkerDefinition<JsonObject, JsonObject>, job: ZeebeJob) {
    running++;
    try {
      const result = await def.handler(toWorkerJob(job));
      return await job.complete((result ?? {}) as Parameters<ZeebeJob['complete']>[0]);
    } catch (err) {
      if (err instanceof BusinessError) {
        return await job.error({
          errorCode: err.errorCode,
          errorMessage: err.message,
          variables: (err.variables ?? {}) as JSONDoc,
        });
      }
      const message = err instanceof Error ? err.message : String(err);
      // "Not now" (e.g. another delivery of this job is still at work): wait, and keep
      // the retries, since nothing failed.
      const retryAfterMs = (err as { retryAfterMs?: unknown } | null)?.retryAfterMs;
      if (typeof retryAfterMs === 'number') {
        log.info(
          {
            type: job.type,
            jobKey: job.key,
            processInstanceKey: job.processInstanceKey,
            retryAfterMs,
          },
          `job ${job.type} postponed: ${message}`,
        );
        return await job.fail({
          errorMessage: message,
          retries: job.retries,
          retryBackOff: retryAfterMs,
        });
      }
      const retries = Math.max(job.retries - 1, 0);
      log.warn(
        {
          type: job.type,
          jobKey: job.key,
          processInstanceKey: job.processInstanceKey,
          bpmnProcessId: job.bpmnProcessId,
          elementId: job.elementId,
          tenantId: job.tenantId,
          retriesLeft: retries,
          err: message,
        },
        retries > 0
          ? `job ${job.type} failed at ${job.elementId}: ${message} (${retries} retries left)`
          : `job ${job.type} failed at ${job.elementId}: ${message} (no retries left: the engine raises an incident)`,
      );
      return await job.fail({
        errorMessage: message,
        retries,
        retryBackOff: def.retryBackOffMs ?? 0,
      });
    } finally {
      running--;
      if (running === 0) idle?.();
    }
  }

  const registry: WorkerRegistry = {
    register(def) {
      if (started)
        throw new Error(`Cannot register '${def.type}': the worker registry is already started`);
      if (definitions.has(def.type))
        throw new Error(`Job type '${def.type}' is already registered`);
      definitions.set(def.type, def as unknown as WorkerDefinition<JsonObject, JsonObject>);
      return registry;
    },
    get types() {
      return [...definitions.keys()];
    },
    get client() {
      return getClient();
    },
    start() {
      if (started) return;
      started = true;
      const zbc = getClient();
      for (const def of definitions.values()) {
        const worker = zbc.createWorker({
          taskType: def.type,
          taskHandler: (job) => handle(def, job as ZeebeJob),
          timeout: def.timeout ?? 30_000,
          maxJobsToActivate: def.maxJobsToActivate ?? 32,
          fetchVariable: def.fetchVariables,
          tenantIds: opts.tenantIds,
          longPoll: opts.longPollMs ?? 30_000,
          pollInterval: opts.pollIntervalMs ?? 10,
        });
        workers.push(worker);
        log.info({ type: def.type }, 'job worker started');
      }
    },
    async stop() {
      if (!client) return;
      // Stop polling first, let running handlers finish (and report), then disconnect.
      const closingWorkers = workers.splice(0).map((w) => w.close());
      if (running > 0) await new Promise<void>((resolve) => (idle = resolve));
      await Promise.all(closingWorkers);
      await client.close();
      client = undefined;
      started = false;
    },
  };
  return registry;
}

function toWorkerJob(job: ZeebeJob): WorkerJob<JsonObject, JsonObject> {
  return {
    key: job.key,
    type: job.type,
    processInstanceKey: job.processInstanceKey,
    bpmnProcessId: job.bpmnProcessId,
    processDefinitionVersion: job.processDefinitionVersion,
    // Present on the wire, missing from the SDK's typings.
    processDefinitionKey: String(
      (job as { processDefinitionKey?: string }).processDefinitionKey ?? '',
    ),
    elementId: job.elementId,
    elementInstanceKey: job.elementInstanceKey,
    retries: job.retries,
    deadline: Number(job.deadline),
    tenantId: job.tenantId,
    variables: { ...(job.variables as JsonObject) },
    customHeaders: { ...(job.customHeaders as JsonObject) },
  };
}
