/**
 * Resource deletion and process instance migration as Zeebe 8.5 documents it ("Process
 * instance migration"): every active element needs a mapping to an element of the same
 * type in the same flow scope; service tasks, user tasks and embedded sub-processes (with
 * message boundary events) migrate; jobs keep their values, boundary subscriptions follow
 * the target element.
 */
import { EngineError, type CallContext, type MigrateProcessInstanceRequest } from '../../api';
import { PROCESS_SCOPE, type ExecutableElement, type ExecutableProcess } from '../../model/types';
import type { ElementInstance } from '../../state/types';
import type { BpmnContext } from '../bpmn/bpmn-context';
import { checkTenant, parseKey } from './command-context';
import { replaceStartTimers } from './deployment';

export function deleteResource(ctx: BpmnContext, keyText: string, call?: CallContext): void {
  const key = parseKey(keyText, 'resourceKey');
  const { state, batch } = ctx;
  const process = state.processes.get(key);
  const drg = state.drgs.get(key);
  const form = state.forms.get(key);
  const tenantId = process?.tenantId ?? drg?.tenantId ?? form?.tenantId;
  if (!tenantId)
    throw new EngineError(
      'NOT_FOUND',
      `Expected to delete resource but no resource found with key '${keyText}'`,
    );
  checkTenant(tenantId, call, `resource with key '${keyText}'`);
  batch.command('RESOURCE_DELETION', 'DELETE', key, { resourceKey: key, tenantId });
  if (process) {
    for (const e of state.elementInstances.values()) {
      if (e.processDefinitionKey === key && e.type === 'PROCESS') {
        throw new EngineError(
          'FAILED_PRECONDITION',
          `Expected to delete process definition with key '${keyText}', but there are running instances`,
        );
      }
    }
    const wasLatest = state.latestProcess(tenantId, process.bpmnProcessId)?.key === key;
    batch.event('PROCESS', 'DELETED', key, { ...process, processDefinitionKey: key, resource: '' });
    if (wasLatest) {
      const previous = state.latestProcess(tenantId, process.bpmnProcessId);
      replaceStartTimers(
        ctx,
        process,
        previous,
        previous ? ctx.models.model(previous.key) : undefined,
      );
    }
  }
  if (drg) {
    for (const d of [...state.decisions.values()]) {
      if (d.decisionRequirementsKey === key)
        batch.event('DECISION', 'DELETED', d.key, { ...d, decisionKey: d.key });
    }
    batch.event('DECISION_REQUIREMENTS', 'DELETED', key, {
      ...drg,
      decisionRequirementsVersion: drg.version,
      decisionRequirementsKey: key,
      resource: '',
    });
  }
  if (form) batch.event('FORM', 'DELETED', key, { ...form, formKey: key, resource: '' });
  batch.event('RESOURCE_DELETION', 'DELETED', key, { resourceKey: key, tenantId });
}

export function migrateProcessInstance(
  ctx: BpmnContext,
  req: MigrateProcessInstanceRequest,
  call?: CallContext,
): void {
  const { state, batch } = ctx;
  const pi = ctx.instance(parseKey(req.processInstanceKey, 'processInstanceKey'));
  if (!pi || pi.type !== 'PROCESS')
    throw new EngineError('NOT_FOUND', `process instance '${req.processInstanceKey}' not found`);
  checkTenant(pi.tenantId, call, `process instance '${req.processInstanceKey}'`);
  const target = state.processes.get(
    parseKey(req.migrationPlan.targetProcessDefinitionKey, 'targetProcessDefinitionKey'),
  );
  if (!target || target.tenantId !== pi.tenantId) {
    throw new EngineError(
      'NOT_FOUND',
      `target process definition '${req.migrationPlan.targetProcessDefinitionKey}' not found`,
    );
  }
  const plan = planMigration(ctx, pi, ctx.models.model(target.key)!, req);
  batch.command('PROCESS_INSTANCE_MIGRATION', 'MIGRATE', pi.key, {
    processInstanceKey: pi.key,
    migrationPlan: req.migrationPlan,
  });
  for (const { inst: e, targetEl } of plan) {
    const targetId = e.type === 'PROCESS' ? target.bpmnProcessId : targetEl.id;
    batch.event('PROCESS_INSTANCE', 'ELEMENT_MIGRATED', e.key, {
      bpmnProcessId: target.bpmnProcessId,
      version: target.version,
      processDefinitionKey: target.key,
      processInstanceKey: e.processInstanceKey,
      elementId: targetId,
      flowScopeKey: e.flowScopeKey,
      bpmnElementType: e.type,
      bpmnEventType: targetEl.eventType,
      parentProcessInstanceKey: e.parentProcessInstanceKey,
      parentElementInstanceKey: e.parentElementInstanceKey,
      tenantId: e.tenantId,
    });
    const jobKey = state.jobsByInstance.get(e.key);
    const job = jobKey !== undefined ? state.jobs.get(jobKey) : undefined;
    if (job) {
      const { state: _s, key: _k, ...value } = job;
      batch.event('JOB', 'MIGRATED', job.key, {
        ...value,
        elementId: targetId,
        bpmnProcessId: target.bpmnProcessId,
        processDefinitionKey: target.key,
        processDefinitionVersion: target.version,
      });
    }
    // Boundary subscriptions follow the target: the source's close, the target's open.
    if (e.type !== 'PROCESS') {
      ctx.subscriptions.closeAll(e.key);
      ctx.subscriptions.openFor(ctx.instance(e.key)!, targetEl);
    }
  }
  batch.event('PROCESS_INSTANCE_MIGRATION', 'MIGRATED', pi.key, {
    processInstanceKey: pi.key,
    tenantId: pi.tenantId,
  });
}

/** Element types Zeebe 8.5 migrates (besides the process instance itself). */
const MIGRATABLE = new Set(['SERVICE_TASK', 'USER_TASK', 'SUB_PROCESS']);

/**
 * Checks a migration plan the way the gateway docs describe (INVALID_ARGUMENT for a plan
 * that names unknown elements or maps one twice, FAILED_PRECONDITION for what cannot be
 * migrated) and pairs every active element instance with its target element.
 */
function planMigration(
  ctx: BpmnContext,
  pi: ElementInstance,
  targetModel: ExecutableProcess,
  req: MigrateProcessInstanceRequest,
): { inst: ElementInstance; targetEl: ExecutableElement }[] {
  const sourceModel = ctx.model(pi);
  const refused = (message: string) => new EngineError('FAILED_PRECONDITION', message);
  const mapping = new Map<string, string>();
  for (const m of req.migrationPlan.mappingInstructions) {
    const source = sourceModel.elements.get(m.sourceElementId);
    if (!source || source.type === 'SEQUENCE_FLOW') {
      throw new EngineError(
        'INVALID_ARGUMENT',
        `Expected to migrate process instance '${pi.key}' but mapping instructions contain a non-existing source element id '${m.sourceElementId}'`,
      );
    }
    const targetEl = targetModel.elements.get(m.targetElementId);
    if (!targetEl || targetEl.type === 'SEQUENCE_FLOW') {
      throw new EngineError(
        'INVALID_ARGUMENT',
        `Expected to migrate process instance '${pi.key}' but mapping instructions contain a non-existing target element id '${m.targetElementId}'`,
      );
    }
    if (mapping.has(m.sourceElementId)) {
      throw new EngineError(
        'INVALID_ARGUMENT',
        `Expected to migrate process instance '${pi.key}' but the mapping instructions contain duplicate source element id '${m.sourceElementId}'`,
      );
    }
    mapping.set(m.sourceElementId, m.targetElementId);
  }
  if (pi.parentProcessInstanceKey > 0) {
    throw refused(
      `Expected to migrate process instance '${pi.key}' but it is a child process instance (created by a call activity); migrating child process instances is not supported`,
    );
  }
  const hasEventSubProcess = (m: ExecutableProcess) =>
    [...m.elements.values()].some((el) => el.type === 'EVENT_SUB_PROCESS');
  if (hasEventSubProcess(sourceModel) || hasEventSubProcess(targetModel)) {
    throw refused(
      `Expected to migrate process instance '${pi.key}' but the source or the target process contains an event sub-process; migrating with event sub-processes is not supported`,
    );
  }
  const members = [...ctx.state.elementInstances.values()].filter(
    (e) => e.processInstanceKey === pi.key,
  );
  return members.map((inst) => {
    const sourceEl = ctx.element(inst);
    if (inst.type === 'PROCESS')
      return { inst, targetEl: targetModel.elements.get(PROCESS_SCOPE)! };
    const targetId = mapping.get(inst.elementId);
    if (targetId === undefined) {
      throw refused(
        `Expected to migrate process instance '${pi.key}' but no mapping instruction is defined for active element with id '${inst.elementId}'. Elements cannot be migrated without a mapping.`,
      );
    }
    const targetEl = targetModel.elements.get(targetId)!;
    const type = (el: ExecutableElement) => (el.multiInstance ? 'MULTI_INSTANCE_BODY' : el.type);
    if (type(sourceEl) !== type(targetEl) || sourceEl.eventType !== targetEl.eventType) {
      throw refused(
        `Expected to migrate process instance '${pi.key}' but active element with id '${inst.elementId}' and type '${type(sourceEl)}' is mapped to an element with id '${targetId}' and different type '${type(targetEl)}'. Elements must be mapped to elements of the same type.`,
      );
    }
    if (!MIGRATABLE.has(inst.type)) {
      throw refused(
        `Expected to migrate process instance '${pi.key}' but active element with id '${inst.elementId}' has an unsupported type '${inst.type}'. The migration of a ${inst.type} is not supported.`,
      );
    }
    const sourceScope =
      sourceEl.flowScopeId === PROCESS_SCOPE
        ? PROCESS_SCOPE
        : mapping.get(sourceEl.flowScopeId ?? '');
    if (sourceScope !== targetEl.flowScopeId) {
      throw refused(
        `Expected to migrate process instance '${pi.key}' but the flow scope of active element with id '${inst.elementId}' is changed. The flow scope of an active element cannot be changed.`,
      );
    }
    const boundaries = (el: ExecutableElement, m: ExecutableProcess) =>
      el.boundaryIds.map((b) => m.elements.get(b)!);
    const sourceBoundaries = boundaries(sourceEl, sourceModel);
    const targetBoundaries = boundaries(targetEl, targetModel);
    const unsupported = [...sourceBoundaries, ...targetBoundaries].find(
      (b) => b.eventType !== 'MESSAGE',
    );
    if (unsupported) {
      throw refused(
        `Expected to migrate process instance '${pi.key}' but active element with id '${inst.elementId}' has a ${unsupported.eventType} boundary event '${unsupported.id}'. Only message boundary events are supported in migrations.`,
      );
    }
    const sourceNames = new Set(sourceBoundaries.map((b) => b.message?.name));
    const shared = targetBoundaries.find((b) => sourceNames.has(b.message?.name));
    if (shared) {
      throw refused(
        `Expected to migrate process instance '${pi.key}' but active element with id '${inst.elementId}' would be subscribed to the message '${shared.message?.name}' in both processes. Migrate it in two steps (first to a process without that boundary event).`,
      );
    }
    return { inst, targetEl };
  });
}
