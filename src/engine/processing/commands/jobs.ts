/** Job commands: activate (batch), complete, fail, throw error, update retries / timeout, time out, back-off end. */
import {
  DEFAULT_TENANT_ID,
  EngineError,
  type ActivateJobsRequest,
  type ActivatedJob,
  type CallContext,
  type CompleteJobRequest,
  type FailJobRequest,
  type StreamActivatedJobsRequest,
  type ThrowErrorRequest,
} from '../../api';
import type { Job, JobValue } from '../../state/types';
import type { BpmnContext } from '../bpmn/bpmn-context';
import { checkTenant, checkVariables, parseKey } from './command-context';

function jobValue(job: Job): JobValue {
  const { state: _state, key: _key, ...value } = job;
  return value;
}

function findJob(
  ctx: BpmnContext,
  keyText: string,
  call: CallContext | undefined,
  action: string,
): Job {
  const key = parseKey(keyText, 'jobKey');
  const job = ctx.state.jobs.get(key);
  if (!job) {
    throw new EngineError(
      'NOT_FOUND',
      `Expected to ${action} job with key '${keyText}', but no such job was found`,
    );
  }
  checkTenant(job.tenantId, call, `job with key '${keyText}'`);
  return job;
}

export interface ActivationRequest {
  type: string;
  worker: string;
  timeout: number;
  maxJobsToActivate: number;
  fetchVariable?: string[];
  tenantIds: string[];
}

export function activateJobs(ctx: BpmnContext, req: ActivationRequest): ActivatedJob[] {
  const keys = ctx.state.activatableJobs.get(req.type);
  if (!keys || keys.size === 0) return [];
  const chosen: Job[] = [];
  for (const key of keys) {
    const job = ctx.state.jobs.get(key)!;
    if (!req.tenantIds.includes(job.tenantId)) continue;
    chosen.push(job);
    if (chosen.length >= req.maxJobsToActivate) break;
  }
  if (chosen.length === 0) return [];
  const deadline = ctx.now + req.timeout;
  ctx.batch.command('JOB_BATCH', 'ACTIVATE', -1, {
    type: req.type,
    worker: req.worker,
    timeout: req.timeout,
    maxJobsToActivate: req.maxJobsToActivate,
    tenantIds: req.tenantIds,
  });
  const out: ActivatedJob[] = [];
  for (const job of chosen) {
    ctx.batch.event('JOB', 'ACTIVATED', job.key, {
      ...jobValue(job),
      worker: req.worker,
      deadline,
      timeout: req.timeout,
    });
    let variables = ctx.state.visibleVariables(job.elementInstanceKey);
    if (req.fetchVariable && req.fetchVariable.length > 0) {
      const picked: Record<string, unknown> = {};
      for (const name of req.fetchVariable) if (name in variables) picked[name] = variables[name];
      variables = picked;
    }
    out.push({
      key: String(job.key),
      type: job.type,
      processInstanceKey: String(job.processInstanceKey),
      bpmnProcessId: job.bpmnProcessId,
      processDefinitionVersion: job.processDefinitionVersion,
      processDefinitionKey: String(job.processDefinitionKey),
      elementId: job.elementId,
      elementInstanceKey: String(job.elementInstanceKey),
      customHeaders: job.customHeaders,
      worker: req.worker,
      retries: job.retries,
      deadline,
      variables,
      tenantId: job.tenantId,
    });
  }
  ctx.batch.event('JOB_BATCH', 'ACTIVATED', ctx.batch.nextKey(), {
    type: req.type,
    worker: req.worker,
    timeout: req.timeout,
    maxJobsToActivate: req.maxJobsToActivate,
    jobKeys: chosen.map((j) => j.key),
    tenantIds: req.tenantIds,
    truncated: false,
  });
  return out;
}

export function completeJob(ctx: BpmnContext, req: CompleteJobRequest, call?: CallContext): void {
  const job = findJob(ctx, req.jobKey, call, 'complete');
  if (job.state !== 'ACTIVATED' && job.state !== 'ACTIVATABLE') {
    throw new EngineError(
      'FAILED_PRECONDITION',
      `Expected to complete job with key '${req.jobKey}', but it is in state '${job.state}'`,
    );
  }
  const vars = checkVariables(req.variables);
  ctx.batch.command('JOB', 'COMPLETE', job.key, { ...jobValue(job), variables: vars });
  ctx.batch.event('JOB', 'COMPLETED', job.key, { ...jobValue(job), variables: vars });
  const inst = ctx.instance(job.elementInstanceKey);
  if (!inst || inst.state !== 'ACTIVATED') return;
  ctx.variables.setEventVariables(inst, ctx.element(inst), vars);
  ctx.lifecycle.complete(inst);
}

export function failJob(ctx: BpmnContext, req: FailJobRequest, call?: CallContext): void {
  const job = findJob(ctx, req.jobKey, call, 'fail');
  if (job.state !== 'ACTIVATED') {
    throw new EngineError(
      'FAILED_PRECONDITION',
      `Expected to fail job with key '${req.jobKey}', but it is in state '${job.state}'`,
    );
  }
  const retries = Math.max(0, Math.trunc(req.retries));
  const backoff = Math.max(0, req.retryBackOff ?? 0);
  const vars = checkVariables(req.variables);
  const value = {
    ...jobValue(job),
    retries,
    errorMessage: req.errorMessage ?? '',
    retryBackoff: backoff,
    recurringTime: retries > 0 && backoff > 0 ? ctx.now + backoff : -1,
    variables: vars,
  };
  ctx.batch.command('JOB', 'FAIL', job.key, value);
  ctx.batch.event('JOB', 'FAILED', job.key, value);
  const inst = ctx.instance(job.elementInstanceKey);
  if (inst && Object.keys(vars).length) ctx.variables.mergeLocal(inst, vars);
  if (retries === 0 && inst) {
    ctx.incidents.raise(
      inst,
      'JOB_NO_RETRIES',
      req.errorMessage || 'No more retries left.',
      job.key,
    );
  }
}

export function throwJobError(ctx: BpmnContext, req: ThrowErrorRequest, call?: CallContext): void {
  const job = findJob(ctx, req.jobKey, call, 'throw an error for');
  if (job.state !== 'ACTIVATED' && job.state !== 'ACTIVATABLE') {
    throw new EngineError(
      'FAILED_PRECONDITION',
      `Expected to throw an error for job with key '${req.jobKey}', but it is in state '${job.state}'`,
    );
  }
  if (!req.errorCode) throw new EngineError('INVALID_ARGUMENT', 'errorCode must not be empty');
  const vars = checkVariables(req.variables);
  const value = {
    ...jobValue(job),
    errorCode: req.errorCode,
    errorMessage: req.errorMessage ?? '',
    variables: vars,
  };
  ctx.batch.command('JOB', 'THROW_ERROR', job.key, value);
  ctx.batch.event('JOB', 'ERROR_THROWN', job.key, value);
  const inst = ctx.instance(job.elementInstanceKey);
  if (!inst) return;
  if (!ctx.errors.findCatcher(inst, 'ERROR', req.errorCode)) {
    ctx.incidents.raise(
      inst,
      'UNHANDLED_ERROR_EVENT',
      `Expected to throw an error event with the code '${req.errorCode}'${req.errorMessage ? ` with message '${req.errorMessage}'` : ''}, but it was not caught. No error events are available in the scope.`,
      job.key,
    );
    return;
  }
  ctx.errors.throwError(inst, req.errorCode, vars);
}

export function updateJobRetries(
  ctx: BpmnContext,
  jobKey: string,
  retries: number,
  call?: CallContext,
): void {
  const job = findJob(ctx, jobKey, call, 'update retries of');
  if (!Number.isInteger(retries) || retries < 1) {
    throw new EngineError('INVALID_ARGUMENT', `retries must be at least 1, got ${retries}`);
  }
  ctx.batch.command('JOB', 'UPDATE_RETRIES', job.key, { ...jobValue(job), retries });
  ctx.batch.event('JOB', 'RETRIES_UPDATED', job.key, { ...jobValue(job), retries });
}

export function updateJobTimeout(
  ctx: BpmnContext,
  jobKey: string,
  timeout: number,
  call?: CallContext,
): void {
  const job = findJob(ctx, jobKey, call, 'update the timeout of');
  if (job.state !== 'ACTIVATED') {
    throw new EngineError(
      'FAILED_PRECONDITION',
      `Expected to update the timeout of job with key '${jobKey}', but it is not activated`,
    );
  }
  const deadline = ctx.now + Math.max(0, timeout);
  ctx.batch.command('JOB', 'UPDATE_TIMEOUT', job.key, { ...jobValue(job), timeout });
  ctx.batch.event('JOB', 'TIMEOUT_UPDATED', job.key, { ...jobValue(job), deadline, timeout });
}

/**
 * Gives back a job that was activated but could not be handed out (the request or stream
 * went away meanwhile): activatable again at once, retries unchanged. Only the activation
 * it was (same worker and deadline): a job that timed out and went to another worker stays.
 */
export function yieldJob(ctx: BpmnContext, job: ActivatedJob): void {
  const current = ctx.state.jobs.get(Number(job.key));
  if (!current || current.state !== 'ACTIVATED') return;
  if (current.worker !== job.worker || current.deadline !== job.deadline) return;
  ctx.batch.command('JOB', 'YIELD', current.key, jobValue(current));
  ctx.batch.event('JOB', 'YIELDED', current.key, jobValue(current));
}

export function timeOutJob(ctx: BpmnContext, jobKey: number): void {
  const job = ctx.state.jobs.get(jobKey);
  if (!job || job.state !== 'ACTIVATED' || job.deadline > ctx.now) return;
  ctx.batch.command('JOB', 'TIME_OUT', job.key, jobValue(job));
  ctx.batch.event('JOB', 'TIMED_OUT', job.key, jobValue(job));
}

export function recurJob(ctx: BpmnContext, jobKey: number): void {
  const job = ctx.state.jobs.get(jobKey);
  if (!job || job.state !== 'FAILED' || job.retries <= 0 || job.recurringTime > ctx.now) return;
  ctx.batch.command('JOB', 'RECUR_AFTER_BACKOFF', job.key, jobValue(job));
  ctx.batch.event('JOB', 'RECURRED_AFTER_BACKOFF', job.key, jobValue(job));
}

/** Validates an ActivateJobs request into what the activation command needs. */
export function activationRequest(req: ActivateJobsRequest, call?: CallContext): ActivationRequest {
  if (!req.type) throw new EngineError('INVALID_ARGUMENT', 'type must not be empty');
  if (!(req.maxJobsToActivate > 0)) {
    throw new EngineError('INVALID_ARGUMENT', 'maxJobsToActivate must be greater than 0');
  }
  return {
    type: req.type,
    worker: req.worker ?? '',
    timeout: req.timeout,
    maxJobsToActivate: req.maxJobsToActivate,
    fetchVariable: req.fetchVariable,
    tenantIds: defaultTenants(req.tenantIds, call),
  };
}

/** Jobs pushed to a stream are activated in batches of this many. */
const STREAM_BATCH = 32;

export function streamRequest(
  req: StreamActivatedJobsRequest,
  call?: CallContext,
): ActivationRequest {
  return {
    type: req.type,
    worker: req.worker ?? '',
    timeout: req.timeout,
    maxJobsToActivate: STREAM_BATCH,
    fetchVariable: req.fetchVariable,
    tenantIds: defaultTenants(req.tenantIds, call),
  };
}

export const defaultTenants = (ids: string[] | undefined, call?: CallContext): string[] => {
  const wanted = ids && ids.length ? ids : [DEFAULT_TENANT_ID];
  const allowed = call?.authorizedTenants;
  if (allowed) {
    for (const t of wanted) {
      if (!allowed.includes(t))
        throw new EngineError('PERMISSION_DENIED', `not authorized for tenant '${t}'`);
    }
  }
  return wanted;
};
