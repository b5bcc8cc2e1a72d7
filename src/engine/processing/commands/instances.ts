/** Process instance commands: create, cancel, set variables, modify, resolve incident. */
import {
  DEFAULT_TENANT_ID,
  EngineError,
  type CallContext,
  type CreateProcessInstanceRequest,
  type CreateProcessInstanceResponse,
  type ModifyProcessInstanceRequest,
  type SetVariablesRequest,
} from '../../api';
import { PROCESS_SCOPE, type ExecutableElement, type ExecutableProcess } from '../../model/types';
import {
  activateWithVariables,
  checkVariableScopes,
  findActivationTarget,
} from '../bpmn/behavior/modification';
import type { DeployedProcess, ElementInstance } from '../../state/types';
import type { BpmnContext } from '../bpmn/bpmn-context';
import { checkTenant, checkVariables, parseKey } from './command-context';

export function findProcess(
  ctx: BpmnContext,
  req: CreateProcessInstanceRequest,
  call?: CallContext,
): DeployedProcess {
  const tenantId = req.tenantId || DEFAULT_TENANT_ID;
  let def: DeployedProcess | undefined;
  if (req.processDefinitionKey && req.processDefinitionKey !== '0') {
    def = ctx.state.processes.get(parseKey(req.processDefinitionKey, 'processDefinitionKey'));
    // A key of another tenant than the one asked for does not exist for the caller.
    if (def && req.tenantId && def.tenantId !== req.tenantId) def = undefined;
    if (!def) {
      throw new EngineError(
        'NOT_FOUND',
        `Expected to find process definition with key '${req.processDefinitionKey}', but none found`,
      );
    }
    checkTenant(def.tenantId, call, `process definition with key '${req.processDefinitionKey}'`);
    return def;
  }
  if (!req.bpmnProcessId) {
    throw new EngineError('INVALID_ARGUMENT', 'bpmnProcessId or processDefinitionKey is required');
  }
  checkTenant(tenantId, call, `process definition '${req.bpmnProcessId}'`);
  if (req.version !== undefined && req.version > 0) {
    const keys = ctx.state.processVersions.get(`${tenantId}\u0000${req.bpmnProcessId}`) ?? [];
    def = keys.map((k) => ctx.state.processes.get(k)!).find((p) => p.version === req.version);
  } else {
    def = ctx.state.latestProcess(tenantId, req.bpmnProcessId);
  }
  if (!def) {
    throw new EngineError(
      'NOT_FOUND',
      `Expected to find process definition with process ID '${req.bpmnProcessId}'${req.version && req.version > 0 ? ` and version '${req.version}'` : ''}, but none found`,
    );
  }
  return def;
}

export function createProcessInstance(
  ctx: BpmnContext,
  req: CreateProcessInstanceRequest,
  call?: CallContext,
): CreateProcessInstanceResponse {
  const def = findProcess(ctx, req, call);
  const vars = checkVariables(req.variables);
  const model = ctx.models.model(def.key)!;
  const root = model.elements.get(PROCESS_SCOPE)!;
  const instructions = req.startInstructions?.map((s) => s.elementId) ?? [];
  for (const id of instructions) {
    const el = model.elements.get(id);
    if (
      !el ||
      el.type === 'SEQUENCE_FLOW' ||
      el.flowScopeId !== PROCESS_SCOPE ||
      el.type === 'BOUNDARY_EVENT'
    ) {
      throw new EngineError(
        'INVALID_ARGUMENT',
        `start instruction: element '${id}' cannot be activated in process '${def.bpmnProcessId}'`,
      );
    }
  }
  if (instructions.length === 0 && !root.noneStartId) {
    throw new EngineError(
      'FAILED_PRECONDITION',
      `Expected to create instance of process with none start event, but there is no such event in process '${def.bpmnProcessId}'`,
    );
  }
  const key = ctx.batch.nextKey();
  ctx.batch.command('PROCESS_INSTANCE_CREATION', 'CREATE', -1, {
    bpmnProcessId: def.bpmnProcessId,
    processDefinitionKey: def.key,
    version: def.version,
    variables: vars,
    tenantId: def.tenantId,
  });
  const pi = ctx.lifecycle.activateProcess(def, {
    key,
    start: instructions.length ? { elementIds: instructions } : undefined,
  });
  ctx.variables.mergeLocal(pi, vars);
  ctx.batch.event('PROCESS_INSTANCE_CREATION', 'CREATED', key, {
    bpmnProcessId: def.bpmnProcessId,
    processDefinitionKey: def.key,
    version: def.version,
    processInstanceKey: key,
    variables: vars,
    tenantId: def.tenantId,
  });
  return {
    processDefinitionKey: String(def.key),
    bpmnProcessId: def.bpmnProcessId,
    version: def.version,
    processInstanceKey: String(key),
    tenantId: def.tenantId,
  };
}

function findInstance(
  ctx: BpmnContext,
  keyText: string,
  field: string,
  call?: CallContext,
): ElementInstance {
  const key = parseKey(keyText, field);
  const inst = ctx.instance(key);
  if (!inst)
    throw new EngineError(
      'NOT_FOUND',
      `Expected to find element instance with key '${keyText}', but none found`,
    );
  checkTenant(inst.tenantId, call, `element instance with key '${keyText}'`);
  return inst;
}

export function cancelProcessInstance(ctx: BpmnContext, keyText: string, call?: CallContext): void {
  const inst = findInstance(ctx, keyText, 'processInstanceKey', call);
  if (inst.type !== 'PROCESS') {
    throw new EngineError(
      'NOT_FOUND',
      `Expected to cancel a process instance with key '${keyText}', but no such process was found`,
    );
  }
  if (inst.parentProcessInstanceKey > 0) {
    throw new EngineError(
      'FAILED_PRECONDITION',
      `Expected to cancel a process instance with key '${keyText}', but it is created by a parent process instance. Cancel the root process instance '${inst.parentProcessInstanceKey}' instead.`,
    );
  }
  if (inst.state === 'TERMINATING') {
    throw new EngineError(
      'FAILED_PRECONDITION',
      `process instance '${keyText}' is already being canceled`,
    );
  }
  ctx.batch.command('PROCESS_INSTANCE', 'CANCEL', inst.key, { processInstanceKey: inst.key });
  ctx.lifecycle.terminate(inst);
}

export function setVariables(
  ctx: BpmnContext,
  req: SetVariablesRequest,
  call?: CallContext,
): number {
  const inst = findInstance(ctx, req.elementInstanceKey, 'elementInstanceKey', call);
  const vars = checkVariables(req.variables);
  const key = ctx.batch.nextKey();
  ctx.batch.command('VARIABLE_DOCUMENT', 'UPDATE', -1, {
    scopeKey: inst.key,
    updateSemantics: req.local ? 'LOCAL' : 'PROPAGATE',
    variables: vars,
  });
  if (req.local) ctx.variables.mergeLocal(inst, vars);
  else ctx.variables.propagate(inst, vars);
  ctx.batch.event('VARIABLE_DOCUMENT', 'UPDATED', key, {
    scopeKey: inst.key,
    updateSemantics: req.local ? 'LOCAL' : 'PROPAGATE',
    variables: vars,
    tenantId: inst.tenantId,
  });
  return key;
}

export function resolveIncident(ctx: BpmnContext, keyText: string, call?: CallContext): void {
  const key = parseKey(keyText, 'incidentKey');
  const incident = ctx.state.incidents.get(key);
  if (!incident)
    throw new EngineError(
      'NOT_FOUND',
      `Expected to resolve incident with key '${keyText}', but no such incident was found`,
    );
  checkTenant(incident.tenantId, call, `incident with key '${keyText}'`);
  ctx.batch.command('INCIDENT', 'RESOLVE', key, { ...incident });
  ctx.incidents.resolve(key);
  if (incident.jobKey > 0) {
    const job = ctx.state.jobs.get(incident.jobKey);
    if (job && job.retries <= 0 && incident.errorType === 'JOB_NO_RETRIES') {
      const inst = ctx.instance(job.elementInstanceKey);
      if (inst)
        ctx.incidents.raise(
          inst,
          'JOB_NO_RETRIES',
          job.errorMessage || 'No more retries left.',
          job.key,
        );
    }
    return;
  }
  const inst = ctx.instance(incident.elementInstanceKey);
  if (!inst) return;
  if (inst.state === 'ACTIVATING') ctx.enqueue({ kind: 'activate', key: inst.key, activation: {} });
  else if (inst.state === 'COMPLETING') {
    ctx.enqueue({ kind: 'complete', key: inst.key, completion: {} });
  } else if (inst.state === 'ACTIVATED' && inst.type === 'MULTI_INSTANCE_BODY') {
    ctx.enqueue({ kind: 'complete', key: inst.key, completion: {} });
  }
}

/** At most this many instructions of each kind per modification (each is validated). */
export const MAX_MODIFICATION_INSTRUCTIONS = 1000;

function listOf(ids: string[]): string {
  const shown = ids.slice(0, 5).map((id) => `'${id}'`);
  return ids.length > 5 ? `${shown.join(', ')} and ${ids.length - 5} more` : shown.join(', ');
}

export function modifyProcessInstance(
  ctx: BpmnContext,
  req: ModifyProcessInstanceRequest,
  call?: CallContext,
): void {
  const pi = findInstance(ctx, req.processInstanceKey, 'processInstanceKey', call);
  if (pi.type !== 'PROCESS')
    throw new EngineError('NOT_FOUND', `process instance '${req.processInstanceKey}' not found`);
  const model = ctx.model(pi);
  // Everything is checked before anything is written: all instructions apply, or none.
  const activate = req.activateInstructions ?? [];
  const terminate = req.terminateInstructions ?? [];
  if (
    activate.length > MAX_MODIFICATION_INSTRUCTIONS ||
    terminate.length > MAX_MODIFICATION_INSTRUCTIONS
  ) {
    throw new EngineError(
      'INVALID_ARGUMENT',
      `a modification may hold at most ${MAX_MODIFICATION_INSTRUCTIONS} activate and ${MAX_MODIFICATION_INSTRUCTIONS} terminate instructions`,
    );
  }
  const unknown = activate.map((a) => a.elementId).filter((id) => !model.elements.has(id));
  if (unknown.length) {
    throw new EngineError(
      'INVALID_ARGUMENT',
      `activate instruction: process '${pi.bpmnProcessId}' has no element ${listOf(unknown)}`,
    );
  }
  const terminations = terminate.map((t) => {
    const inst = ctx.instance(parseKey(t.elementInstanceKey, 'elementInstanceKey'));
    if (!inst || inst.processInstanceKey !== pi.key || inst.state === 'TERMINATING') {
      throw new EngineError(
        'INVALID_ARGUMENT',
        `terminate instruction: element instance '${t.elementInstanceKey}' is not active in process instance '${req.processInstanceKey}'`,
      );
    }
    return inst;
  });
  const activations = activate.map((a) => {
    const el = model.elements.get(a.elementId);
    if (
      !el ||
      el.type === 'SEQUENCE_FLOW' ||
      el.type === 'START_EVENT' ||
      el.type === 'BOUNDARY_EVENT' ||
      el.type === 'PROCESS' ||
      isEventBasedGatewayTarget(model, el)
    ) {
      throw new EngineError(
        'INVALID_ARGUMENT',
        `activate instruction: element '${a.elementId}' cannot be activated`,
      );
    }
    const ancestorKey =
      a.ancestorElementInstanceKey && !['0', '-1'].includes(String(a.ancestorElementInstanceKey))
        ? parseKey(a.ancestorElementInstanceKey, 'ancestorElementInstanceKey')
        : undefined;
    const target = findActivationTarget(ctx, pi, el, ancestorKey);
    const variables = checkVariableScopes(
      ctx,
      pi,
      el,
      (a.variableInstructions ?? []).map((v) => ({
        scopeId: v.scopeId,
        variables: checkVariables(v.variables),
      })),
    );
    return { target, variables };
  });
  if (pi.parentProcessInstanceKey > 0 && activations.length === 0) {
    const terminated = new Set(terminations.map((t) => t.key));
    const survives = (inst: ElementInstance): boolean =>
      !terminated.has(inst.key) &&
      (inst.childCount === 0 || ctx.state.childrenOf(inst.key).some(survives));
    if (!ctx.state.childrenOf(pi.key).some(survives)) {
      throw new EngineError(
        'INVALID_ARGUMENT',
        `the instructions would terminate all element instances of process instance '${req.processInstanceKey}', which was created by a call activity; terminate the call activity instead`,
      );
    }
  }
  ctx.batch.command('PROCESS_INSTANCE_MODIFICATION', 'MODIFY', pi.key, {
    processInstanceKey: pi.key,
  });
  for (const { target, variables } of activations) activateWithVariables(ctx, target, variables);
  for (const inst of terminations) {
    const current = ctx.instance(inst.key);
    if (current && current.state !== 'TERMINATING') ctx.lifecycle.terminate(current);
  }
  ctx.batch.event('PROCESS_INSTANCE_MODIFICATION', 'MODIFIED', pi.key, {
    processInstanceKey: pi.key,
    tenantId: pi.tenantId,
  });
}

function isEventBasedGatewayTarget(model: ExecutableProcess, el: ExecutableElement): boolean {
  return el.incoming.some(
    (f) =>
      model.elements.get(model.elements.get(f)?.sourceId ?? '')?.type === 'EVENT_BASED_GATEWAY',
  );
}
