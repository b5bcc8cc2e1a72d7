/**
 * Shapes engine results into gateway.proto responses. Keys stay decimal strings,
 * which protobufjs encodes as int64; JSON documents (variables, headers) become strings.
 */
import type * as api from '../api';

export function activatedJob(job: api.ActivatedJob): Record<string, unknown> {
  return {
    key: job.key,
    type: job.type,
    processInstanceKey: job.processInstanceKey,
    bpmnProcessId: job.bpmnProcessId,
    processDefinitionVersion: job.processDefinitionVersion,
    processDefinitionKey: job.processDefinitionKey,
    elementId: job.elementId,
    elementInstanceKey: job.elementInstanceKey,
    customHeaders: JSON.stringify(job.customHeaders ?? {}),
    worker: job.worker,
    retries: job.retries,
    deadline: String(job.deadline),
    variables: JSON.stringify(job.variables ?? {}),
    tenantId: job.tenantId,
  };
}

export function deployProcess(res: api.DeployResourceResponse): Record<string, unknown> {
  const processes = res.deployments.flatMap((d) => ('process' in d ? [d.process] : []));
  return { key: res.key, processes };
}

export function createWithResult(
  res: api.CreateProcessInstanceWithResultResponse,
): Record<string, unknown> {
  return { ...res, variables: JSON.stringify(res.variables ?? {}) };
}

/**
 * The built-in engine's "broker" runs inside the gateway's process: it is reported at the
 * gateway's own address (where a client can reach it), not at a broker port that nothing
 * listens on.
 */
export function topology(
  res: api.TopologyResponse,
  at?: { host: string; port: number },
): Record<string, unknown> {
  if (!at) return res as unknown as Record<string, unknown>;
  return {
    ...res,
    brokers: res.brokers.map((b) => ({ ...b, host: at.host, port: at.port })),
  } as unknown as Record<string, unknown>;
}
