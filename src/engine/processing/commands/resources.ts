/**
 * Resource deletion and (simple) process instance migration.
 * Migration supports mapping active elements to elements of the same type in the
 * target process (explicit mappings or same ids); it does not support changing
 * the element of a waiting message/signal/timer subscription, nor flow scope changes.
 */
import { EngineError, type CallContext, type MigrateProcessInstanceRequest } from '../../api';
import { PROCESS_SCOPE } from '../../model/types';
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
  const targetModel = ctx.models.model(target.key)!;
  const mapping = new Map(
    req.migrationPlan.mappingInstructions.map((m) => [m.sourceElementId, m.targetElementId]),
  );
  const members = [...state.elementInstances.values()].filter(
    (e) => e.processInstanceKey === pi.key,
  );
  const plan = members.map((e) => {
    const targetId =
      e.type === 'PROCESS' ? target.bpmnProcessId : (mapping.get(e.elementId) ?? e.elementId);
    const el = targetModel.elements.get(e.type === 'PROCESS' ? PROCESS_SCOPE : targetId);
    const source = ctx.element(e);
    if (
      !el ||
      el.type !== source.type ||
      (e.type === 'MULTI_INSTANCE_BODY') !== !!el.multiInstance
    ) {
      throw new EngineError(
        'INVALID_ARGUMENT',
        `Expected to migrate element '${e.elementId}', but the target process has no element '${targetId}' of the same type`,
      );
    }
    if (
      targetId !== e.elementId &&
      (state.subscriptionsByOwner.has(e.key) ||
        state.timersByOwner.has(e.key) ||
        state.signalsByOwner.has(e.key))
    ) {
      throw new EngineError(
        'FAILED_PRECONDITION',
        `migrating element '${e.elementId}' with event subscriptions to another element id is not supported`,
      );
    }
    return { e, targetId };
  });
  batch.command('PROCESS_INSTANCE_MIGRATION', 'MIGRATE', pi.key, {
    processInstanceKey: pi.key,
    migrationPlan: req.migrationPlan,
  });
  for (const { e, targetId } of plan) {
    batch.event('PROCESS_INSTANCE', 'ELEMENT_MIGRATED', e.key, {
      bpmnProcessId: target.bpmnProcessId,
      version: target.version,
      processDefinitionKey: target.key,
      processInstanceKey: e.processInstanceKey,
      elementId: targetId,
      flowScopeKey: e.flowScopeKey,
      bpmnElementType: e.type,
      bpmnEventType: 'UNSPECIFIED',
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
  }
  batch.event('PROCESS_INSTANCE_MIGRATION', 'MIGRATED', pi.key, {
    processInstanceKey: pi.key,
    tenantId: pi.tenantId,
  });
}
