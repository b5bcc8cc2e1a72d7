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

export function topology(res: api.TopologyResponse): Record<string, unknown> {
  return res as unknown as Record<string, unknown>;
}
