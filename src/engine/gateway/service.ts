/**
 * The Gateway service: one handler per RPC of gateway.proto, each a thin translation
 * between the proto and the engine API (src/engine/api.ts). Cross-cutting concerns
 * live here once: authentication, back-pressure, error mapping, cancellation.
 */
import type * as grpc from '@grpc/grpc-js';
import type { ActivatedJob, CallContext, EngineApi } from '../api';
import { authenticate, checkTenantAccess, type TokenMap } from './auth';
import { invalidArgument, mapError, toServiceError } from './errors';
import { InFlightLimiter } from './in-flight-limiter';
import type { Logger } from '../../logging';
import { malformedRequestProblem } from './proto';
import * as requests from './requests';
import * as responses from './responses';
import { DEFAULT_TENANT, requireKey } from './values';

export interface GatewayServiceOptions {
  tokens?: TokenMap;
  /** Cap on commands handed to the engine at once. */
  maxConcurrentCalls: number;
  /** Cap on calls that wait (long-polling ActivateJobs, job streams, create-with-result). */
  maxWaitingCalls: number;
  /** Long poll used when ActivateJobs.requestTimeout is 0 (Zeebe: 10 s). */
  defaultLongPollMs: number;
  /** Wait used when CreateProcessInstanceWithResult.requestTimeout is 0. */
  defaultRequestTimeoutMs: number;
  logger: Logger;
  /** Where the gateway listens, reported as the broker's address in Topology. */
  advertisedAddress?: () => { host: string; port: number } | undefined;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- proto-loader messages are untyped */
type Unary = (call: grpc.ServerUnaryCall<any, any>, callback: grpc.sendUnaryData<any>) => void;
type Streaming = (call: grpc.ServerWritableStream<any, any>) => void;

export interface GatewayService {
  implementation: grpc.UntypedServiceImplementation;
  /** Ends every waiting call (long polls, job streams): used on shutdown. */
  abortWaiting(): void;
  stats(): GatewayStats;
}

/** What the gateway is doing right now, and how often it refused for back-pressure. */
export interface GatewayStats {
  /** Commands handed to the engine and not yet answered. */
  callsInFlight: number;
  /** Long polls, job streams and create-with-result calls open now. */
  waitingCalls: number;
  /** Calls refused with RESOURCE_EXHAUSTED since the gateway started. */
  refusedForBackPressure: number;
}

/** A request whose protobuf bytes were not well-formed (see proto.ts) is refused whole. */
function rejectMalformed(request: unknown): void {
  const problem = malformedRequestProblem(request);
  if (problem) throw invalidArgument(problem);
}

export function createGatewayService(
  engine: EngineApi,
  opts: GatewayServiceOptions,
): GatewayService {
  const commands = new InFlightLimiter(opts.maxConcurrentCalls, 'requests');
  const waiting = new InFlightLimiter(opts.maxWaitingCalls, 'waiting requests');
  const waitingAborts = new Set<AbortController>();
  const log = opts.logger;

  function fail(rpc: string, err: unknown): Partial<grpc.ServiceError> {
    const mapped = mapError(err);
    if (mapped.internal) log.error({ rpc, err }, `gateway: ${rpc} failed`);
    return toServiceError(mapped);
  }

  /** A request/response RPC that occupies one command slot while the engine works. */
  function unary(
    rpc: string,
    run: (req: any, ctx: CallContext) => Promise<unknown>,
    limiter = commands,
  ): Unary {
    return (call, callback) => {
      let release: () => void = () => undefined;
      Promise.resolve()
        .then(() => {
          const ctx = authenticate(call.metadata, opts.tokens);
          rejectMalformed(call.request);
          release = limiter.acquire();
          return run(call.request, ctx);
        })
        .then(
          (res) => callback(null, res ?? {}),
          (err: unknown) => callback(fail(rpc, err)),
        )
        .finally(() => release());
    };
  }

  /** Registers a waiting call so that client cancellation and shutdown abort it. */
  function watch(call: grpc.ServerWritableStream<any, any>): AbortController {
    const controller = new AbortController();
    waitingAborts.add(controller);
    controller.signal.addEventListener('abort', () => waitingAborts.delete(controller));
    // The client may have gone before we got here: then there is no event to wait for.
    if (call.cancelled) controller.abort();
    else call.on('cancelled', () => controller.abort());
    return controller;
  }

  /**
   * Jobs activated for a client that went away in the meantime would otherwise wait
   * for their lock timeout: hand them back at once, retries unchanged.
   */
  function returnJobs(jobs: ActivatedJob[]): void {
    for (const job of jobs) {
      engine
        .failJob({
          jobKey: job.key,
          retries: job.retries,
          errorMessage: 'The worker went away before receiving the job; the gateway returned it',
        })
        .catch((err: unknown) =>
          log.warn({ err, jobKey: job.key }, 'gateway: could not return a job'),
        );
    }
  }

  const activateJobs: Streaming = (call) => {
    let release: () => void = () => undefined;
    let controller: AbortController | undefined;
    Promise.resolve()
      .then(() => {
        const ctx = authenticate(call.metadata, opts.tokens);
        rejectMalformed(call.request);
        const req = requests.activateJobs(call.request, opts.defaultLongPollMs);
        checkTenantAccess(ctx, req.tenantIds ?? []);
        release = waiting.acquire();
        controller = watch(call);
        return engine.activateJobs(req, ctx, controller.signal);
      })
      .then(
        (jobs) => {
          if (call.cancelled) return returnJobs(jobs);
          if (jobs.length > 0) call.write({ jobs: jobs.map(responses.activatedJob) });
          call.end();
        },
        (err: unknown) => {
          if (call.cancelled) return;
          // Aborted by shutdown: end quietly, the client polls again elsewhere.
          if (controller?.signal.aborted) return call.end();
          call.emit('error', fail('ActivateJobs', err));
        },
      )
      .finally(() => {
        release();
        if (controller && !controller.signal.aborted) {
          waitingAborts.delete(controller);
        }
      });
  };

  const streamActivatedJobs: Streaming = (call) => {
    let release: () => void = () => undefined;
    try {
      const ctx = authenticate(call.metadata, opts.tokens);
      rejectMalformed(call.request);
      const req = requests.streamActivatedJobs(call.request);
      checkTenantAccess(ctx, req.tenantIds ?? []);
      release = waiting.acquire();
      const controller = watch(call);
      controller.signal.addEventListener('abort', () => {
        release();
        if (!call.cancelled) call.end();
      });
      engine.streamActivatedJobs(
        req,
        (job) => {
          if (!call.cancelled) call.write(responses.activatedJob(job));
        },
        controller.signal,
        ctx,
      );
    } catch (err) {
      release();
      call.emit('error', fail('StreamActivatedJobs', err));
    }
  };

  const implementation: Record<string, Unary | Streaming> = {
    Topology: unary('Topology', async () =>
      responses.topology(engine.topology(), opts.advertisedAddress?.()),
    ),

    DeployResource: unary('DeployResource', (req, ctx) => {
      const r = requests.deployResource(req);
      checkTenantAccess(ctx, [r.tenantId ?? DEFAULT_TENANT]);
      return engine.deployResource(r, ctx);
    }),
    DeployProcess: unary('DeployProcess', async (req, ctx) => {
      checkTenantAccess(ctx, [DEFAULT_TENANT]);
      return responses.deployProcess(await engine.deployResource(requests.deployProcess(req), ctx));
    }),
    DeleteResource: unary('DeleteResource', async (req, ctx) => {
      await engine.deleteResource({ resourceKey: requireKey(req.resourceKey, 'resourceKey') }, ctx);
    }),

    CreateProcessInstance: unary('CreateProcessInstance', (req, ctx) => {
      const r = requests.createProcessInstance(req);
      checkTenantAccess(ctx, [r.tenantId ?? DEFAULT_TENANT]);
      return engine.createProcessInstance(r, ctx);
    }),
    CreateProcessInstanceWithResult: unary(
      'CreateProcessInstanceWithResult',
      async (req, ctx) => {
        const r = requests.createProcessInstanceWithResult(req, opts.defaultRequestTimeoutMs);
        checkTenantAccess(ctx, [r.request.tenantId ?? DEFAULT_TENANT]);
        return responses.createWithResult(await engine.createProcessInstanceWithResult(r, ctx));
      },
      waiting,
    ),
    CancelProcessInstance: unary('CancelProcessInstance', async (req, ctx) => {
      await engine.cancelProcessInstance(
        { processInstanceKey: requireKey(req.processInstanceKey, 'processInstanceKey') },
        ctx,
      );
    }),
    SetVariables: unary('SetVariables', (req, ctx) =>
      engine.setVariables(requests.setVariables(req), ctx),
    ),
    ModifyProcessInstance: unary('ModifyProcessInstance', async (req, ctx) => {
      await engine.modifyProcessInstance(requests.modifyProcessInstance(req), ctx);
    }),
    MigrateProcessInstance: unary('MigrateProcessInstance', async (req, ctx) => {
      await engine.migrateProcessInstance(requests.migrateProcessInstance(req), ctx);
    }),

    ActivateJobs: activateJobs,
    StreamActivatedJobs: streamActivatedJobs,
    CompleteJob: unary('CompleteJob', async (req, ctx) => {
      await engine.completeJob(requests.completeJob(req), ctx);
    }),
    FailJob: unary('FailJob', async (req, ctx) => {
      await engine.failJob(requests.failJob(req), ctx);
    }),
    ThrowError: unary('ThrowError', async (req, ctx) => {
      await engine.throwError(requests.throwError(req), ctx);
    }),
    UpdateJobRetries: unary('UpdateJobRetries', async (req, ctx) => {
      await engine.updateJobRetries(requests.updateJobRetries(req), ctx);
    }),
    UpdateJobTimeout: unary('UpdateJobTimeout', async (req, ctx) => {
      await engine.updateJobTimeout(requests.updateJobTimeout(req), ctx);
    }),

    PublishMessage: unary('PublishMessage', (req, ctx) => {
      const r = requests.publishMessage(req);
      checkTenantAccess(ctx, [r.tenantId ?? DEFAULT_TENANT]);
      return engine.publishMessage(r, ctx);
    }),
    BroadcastSignal: unary('BroadcastSignal', (req, ctx) => {
      const r = requests.broadcastSignal(req);
      checkTenantAccess(ctx, [r.tenantId ?? DEFAULT_TENANT]);
      return engine.broadcastSignal(r, ctx);
    }),
    ResolveIncident: unary('ResolveIncident', async (req, ctx) => {
      await engine.resolveIncident(
        { incidentKey: requireKey(req.incidentKey, 'incidentKey') },
        ctx,
      );
    }),
    EvaluateDecision: unary('EvaluateDecision', (req, ctx) => {
      const r = requests.evaluateDecision(req);
      checkTenantAccess(ctx, [r.tenantId ?? DEFAULT_TENANT]);
      return engine.evaluateDecision(r, ctx);
    }),
  };

  return {
    implementation: implementation as grpc.UntypedServiceImplementation,
    abortWaiting() {
      for (const controller of [...waitingAborts]) controller.abort();
    },
    stats: () => ({
      callsInFlight: commands.current,
      waitingCalls: waiting.current,
      refusedForBackPressure: commands.refused + waiting.refused,
    }),
  };
}
