/**
 * Translates gateway.proto requests (as decoded by proto-loader: keepCase, int64 as
 * decimal strings, defaults filled) into the engine's typed requests, validating as
 * Zeebe's gateway does before anything reaches the engine.
 */
import type * as api from '../api';
import { invalidArgument } from './errors';
import {
  limitLength,
  MAX_ID_LENGTH,
  MAX_KEY_TEXT_LENGTH,
  optionalKey,
  optionalTenantId,
  parseVariables,
  requireKey,
  requireText,
  tenantIds,
  toNumber,
} from './values';

type Int64 = string;

export interface ProtoResource {
  name: string;
  content: Buffer;
}

export function deployResource(req: {
  resources?: ProtoResource[];
  tenantId?: string;
}): api.DeployResourceRequest {
  const resources = req.resources ?? [];
  if (resources.length === 0) {
    throw invalidArgument(
      "Property 'resources' is invalid: expected at least one resource, but got none",
    );
  }
  resources.forEach((r, i) => requireText(r.name, `resources[${i}].name`, MAX_KEY_TEXT_LENGTH));
  return {
    resources: resources.map((r) => ({ name: r.name, content: r.content })),
    tenantId: optionalTenantId(req.tenantId),
  };
}

export function deployProcess(req: {
  processes?: { name: string; definition: Buffer }[];
}): api.DeployResourceRequest {
  const processes = req.processes ?? [];
  if (processes.length === 0) {
    throw invalidArgument(
      "Property 'processes' is invalid: expected at least one process, but got none",
    );
  }
  processes.forEach((p, i) => requireText(p.name, `processes[${i}].name`, MAX_KEY_TEXT_LENGTH));
  return { resources: processes.map((p) => ({ name: p.name, content: p.definition })) };
}

export interface ProtoCreateProcessInstance {
  processDefinitionKey?: Int64;
  bpmnProcessId?: string;
  version?: number;
  variables?: string;
  startInstructions?: { elementId: string }[];
  tenantId?: string;
}

export function createProcessInstance(
  req: ProtoCreateProcessInstance,
  field = '',
): api.CreateProcessInstanceRequest {
  const processDefinitionKey = optionalKey(
    req.processDefinitionKey,
    `${field}processDefinitionKey`,
  );
  const bpmnProcessId =
    limitLength(req.bpmnProcessId, `${field}bpmnProcessId`, MAX_ID_LENGTH) || undefined;
  if (!processDefinitionKey && !bpmnProcessId) {
    throw invalidArgument(
      `Expected either '${field}processDefinitionKey' or '${field}bpmnProcessId' to be set, but got neither`,
    );
  }
  const startInstructions = (req.startInstructions ?? []).map((s, i) => ({
    elementId: requireText(s.elementId, `${field}startInstructions[${i}].elementId`),
  }));
  // Zeebe: version -1 (and the proto default 0) means "latest".
  const version = req.version !== undefined && req.version > 0 ? req.version : undefined;
  return {
    processDefinitionKey,
    bpmnProcessId: processDefinitionKey ? undefined : bpmnProcessId,
    version: processDefinitionKey ? undefined : version,
    variables: parseVariables(req.variables, `${field}variables`),
    startInstructions: startInstructions.length > 0 ? startInstructions : undefined,
    tenantId: optionalTenantId(req.tenantId, `${field}tenantId`),
  };
}

export function createProcessInstanceWithResult(
  req: {
    request?: ProtoCreateProcessInstance | null;
    requestTimeout?: Int64;
    fetchVariables?: string[];
  },
  defaultTimeoutMs: number,
): api.CreateProcessInstanceWithResultRequest {
  if (!req.request)
    throw invalidArgument("Property 'request' is invalid: expected a request, but got none");
  const timeout = toNumber(req.requestTimeout);
  return {
    request: createProcessInstance(req.request, 'request.'),
    requestTimeoutMs: timeout > 0 ? timeout : defaultTimeoutMs,
    fetchVariables: variableNames(req.fetchVariables, 'fetchVariables'),
  };
}

export function activateJobs(
  req: {
    type?: string;
    worker?: string;
    timeout?: Int64;
    maxJobsToActivate?: number;
    fetchVariable?: string[];
    requestTimeout?: Int64;
    tenantIds?: string[];
  },
  defaultLongPollMs: number,
): api.ActivateJobsRequest {
  const type = requireText(req.type, 'type');
  const timeout = toNumber(req.timeout);
  if (!(timeout >= 1)) {
    throw invalidArgument(`Property 'timeout' is invalid: expected at least 1, but got ${timeout}`);
  }
  const max = req.maxJobsToActivate ?? 0;
  if (max < 1) {
    throw invalidArgument(
      `Property 'maxJobsToActivate' is invalid: expected at least 1, but got ${max}`,
    );
  }
  // 0 = the gateway's default long poll; negative = no long polling.
  const requested = toNumber(req.requestTimeout);
  const requestTimeoutMs = requested === 0 ? defaultLongPollMs : requested < 0 ? 0 : requested;
  return {
    type,
    worker: limitLength(req.worker, 'worker', MAX_ID_LENGTH) || undefined,
    timeout,
    maxJobsToActivate: max,
    fetchVariable: variableNames(req.fetchVariable, 'fetchVariable'),
    requestTimeoutMs,
    tenantIds: tenantIds(req.tenantIds),
  };
}

export function streamActivatedJobs(req: {
  type?: string;
  worker?: string;
  timeout?: Int64;
  fetchVariable?: string[];
  tenantIds?: string[];
}): api.StreamActivatedJobsRequest {
  const type = requireText(req.type, 'type');
  const timeout = toNumber(req.timeout);
  if (!(timeout >= 1)) {
    throw invalidArgument(`Property 'timeout' is invalid: expected at least 1, but got ${timeout}`);
  }
  return {
    type,
    worker: limitLength(req.worker, 'worker', MAX_ID_LENGTH) || undefined,
    timeout,
    fetchVariable: variableNames(req.fetchVariable, 'fetchVariable'),
    tenantIds: tenantIds(req.tenantIds),
  };
}

export function completeJob(req: { jobKey?: Int64; variables?: string }): api.CompleteJobRequest {
  return {
    jobKey: requireKey(req.jobKey, 'jobKey'),
    variables: parseVariables(req.variables, 'variables'),
  };
}

export function failJob(req: {
  jobKey?: Int64;
  retries?: number;
  errorMessage?: string;
  retryBackOff?: Int64;
  variables?: string;
}): api.FailJobRequest {
  const backOff = toNumber(req.retryBackOff);
  return {
    jobKey: requireKey(req.jobKey, 'jobKey'),
    retries: req.retries ?? 0,
    errorMessage: req.errorMessage || undefined,
    retryBackOff: backOff > 0 ? backOff : undefined,
    variables: parseVariables(req.variables, 'variables'),
  };
}

export function throwError(req: {
  jobKey?: Int64;
  errorCode?: string;
  errorMessage?: string;
  variables?: string;
}): api.ThrowErrorRequest {
  return {
    jobKey: requireKey(req.jobKey, 'jobKey'),
    errorCode: requireText(req.errorCode, 'errorCode'),
    errorMessage: req.errorMessage || undefined,
    variables: parseVariables(req.variables, 'variables'),
  };
}

export function updateJobRetries(req: {
  jobKey?: Int64;
  retries?: number;
}): api.UpdateJobRetriesRequest {
  const retries = req.retries ?? 0;
  if (retries < 1) {
    throw invalidArgument(
      `Property 'retries' is invalid: expected a value greater than 0, but got ${retries}`,
    );
  }
  return { jobKey: requireKey(req.jobKey, 'jobKey'), retries };
}

export function updateJobTimeout(req: {
  jobKey?: Int64;
  timeout?: Int64;
}): api.UpdateJobTimeoutRequest {
  const timeout = toNumber(req.timeout);
  if (!(timeout >= 1)) {
    throw invalidArgument(`Property 'timeout' is invalid: expected at least 1, but got ${timeout}`);
  }
  return { jobKey: requireKey(req.jobKey, 'jobKey'), timeout };
}

export function publishMessage(req: {
  name?: string;
  correlationKey?: string;
  timeToLive?: Int64;
  messageId?: string;
  variables?: string;
  tenantId?: string;
}): api.PublishMessageRequest {
  const ttl = toNumber(req.timeToLive);
  if (ttl < 0) {
    throw invalidArgument(`Property 'timeToLive' is invalid: expected 0 or more, but got ${ttl}`);
  }
  return {
    name: requireText(req.name, 'name'),
    correlationKey: limitLength(req.correlationKey ?? '', 'correlationKey', MAX_KEY_TEXT_LENGTH),
    timeToLive: ttl,
    messageId: limitLength(req.messageId, 'messageId', MAX_KEY_TEXT_LENGTH) || undefined,
    variables: parseVariables(req.variables, 'variables'),
    tenantId: optionalTenantId(req.tenantId),
  };
}

export function broadcastSignal(req: {
  signalName?: string;
  variables?: string;
  tenantId?: string;
}): api.BroadcastSignalRequest {
  return {
    signalName: requireText(req.signalName, 'signalName'),
    variables: parseVariables(req.variables, 'variables'),
    tenantId: optionalTenantId(req.tenantId),
  };
}

export function setVariables(req: {
  elementInstanceKey?: Int64;
  variables?: string;
  local?: boolean;
}): api.SetVariablesRequest {
  const variables = parseVariables(req.variables, 'variables');
  if (!variables) {
    throw invalidArgument(
      "Property 'variables' is invalid: expected a JSON object, but got nothing",
    );
  }
  return {
    elementInstanceKey: requireKey(req.elementInstanceKey, 'elementInstanceKey'),
    variables,
    local: req.local ?? false,
  };
}

export function evaluateDecision(req: {
  decisionKey?: Int64;
  decisionId?: string;
  variables?: string;
  tenantId?: string;
}): api.EvaluateDecisionRequest {
  const decisionKey = optionalKey(req.decisionKey, 'decisionKey');
  const decisionId = limitLength(req.decisionId, 'decisionId', MAX_ID_LENGTH) || undefined;
  if (!decisionKey === !decisionId) {
    throw invalidArgument(
      "Expected exactly one of 'decisionKey' or 'decisionId' to be set, but got " +
        (decisionKey ? 'both' : 'neither'),
    );
  }
  return {
    decisionKey,
    decisionId,
    variables: parseVariables(req.variables, 'variables'),
    tenantId: optionalTenantId(req.tenantId),
  };
}

export function modifyProcessInstance(req: {
  processInstanceKey?: Int64;
  activateInstructions?: {
    elementId: string;
    ancestorElementInstanceKey?: Int64;
    variableInstructions?: { variables: string; scopeId?: string }[];
  }[];
  terminateInstructions?: { elementInstanceKey?: Int64 }[];
}): api.ModifyProcessInstanceRequest {
  return {
    processInstanceKey: requireKey(req.processInstanceKey, 'processInstanceKey'),
    activateInstructions: (req.activateInstructions ?? []).map((a, i) => ({
      elementId: requireText(a.elementId, `activateInstructions[${i}].elementId`),
      ancestorElementInstanceKey: optionalKey(
        a.ancestorElementInstanceKey,
        `activateInstructions[${i}].ancestorElementInstanceKey`,
      ),
      variableInstructions: (a.variableInstructions ?? []).map((v, j) => ({
        variables:
          parseVariables(
            v.variables,
            `activateInstructions[${i}].variableInstructions[${j}].variables`,
          ) ?? {},
        scopeId:
          limitLength(
            v.scopeId,
            `activateInstructions[${i}].variableInstructions[${j}].scopeId`,
            MAX_ID_LENGTH,
          ) || undefined,
      })),
    })),
    terminateInstructions: (req.terminateInstructions ?? []).map((t, i) => ({
      elementInstanceKey: requireKey(
        t.elementInstanceKey,
        `terminateInstructions[${i}].elementInstanceKey`,
      ),
    })),
  };
}

export function migrateProcessInstance(req: {
  processInstanceKey?: Int64;
  migrationPlan?: {
    targetProcessDefinitionKey?: Int64;
    mappingInstructions?: { sourceElementId: string; targetElementId: string }[];
  } | null;
}): api.MigrateProcessInstanceRequest {
  const plan = req.migrationPlan;
  if (!plan)
    throw invalidArgument("Property 'migrationPlan' is invalid: expected a plan, but got none");
  return {
    processInstanceKey: requireKey(req.processInstanceKey, 'processInstanceKey'),
    migrationPlan: {
      targetProcessDefinitionKey: requireKey(
        plan.targetProcessDefinitionKey,
        'migrationPlan.targetProcessDefinitionKey',
      ),
      mappingInstructions: (plan.mappingInstructions ?? []).map((m, i) => ({
        sourceElementId: requireText(
          m.sourceElementId,
          `migrationPlan.mappingInstructions[${i}].sourceElementId`,
        ),
        targetElementId: requireText(
          m.targetElementId,
          `migrationPlan.mappingInstructions[${i}].targetElementId`,
        ),
      })),
    },
  };
}

/** A list of variable names to fetch; absent or empty = all. */
function variableNames(list: string[] | undefined, field: string): string[] | undefined {
  if (!list || list.length === 0) return undefined;
  list.forEach((name, i) => limitLength(name, `${field}[${i}]`, MAX_ID_LENGTH));
  return list;
}
