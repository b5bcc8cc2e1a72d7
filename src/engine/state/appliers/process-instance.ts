/** Appliers for PROCESS_INSTANCE events: element instance lifecycle and join bookkeeping. */
import type { EngineState } from '../engine-state';
import type { BpmnElementType } from '../../model/types';
import type { Appliers } from './applier-context';

export const processInstanceAppliers: Appliers<'PROCESS_INSTANCE'> = {
  ELEMENT_ACTIVATING(state, record, ctx) {
    const v = record.value;
    const type = v.bpmnElementType as BpmnElementType;
    state.addElementInstance({
      key: record.key,
      elementId: v.elementId,
      type,
      state: 'ACTIVATING',
      flowScopeKey: v.flowScopeKey,
      processInstanceKey: v.processInstanceKey,
      processDefinitionKey: v.processDefinitionKey,
      bpmnProcessId: v.bpmnProcessId,
      version: v.version,
      tenantId: v.tenantId,
      parentProcessInstanceKey: v.parentProcessInstanceKey,
      parentElementInstanceKey: v.parentElementInstanceKey,
      childCount: 0,
      loop: type === 'MULTI_INSTANCE_BODY' ? { total: 0, completed: 0, started: 0 } : undefined,
    });
    const scope = state.elementInstances.get(v.flowScopeKey);
    if (type === 'PROCESS' && v.parentElementInstanceKey > 0) {
      const caller = state.elementInstances.get(v.parentElementInstanceKey);
      if (caller) caller.calledChildKey = record.key;
    }
    if (!scope) return;
    if (scope.type === 'MULTI_INSTANCE_BODY' && scope.loop) scope.loop.started += 1;
    if ((type === 'PARALLEL_GATEWAY' || type === 'INCLUSIVE_GATEWAY') && scope.takenFlows) {
      // A join consumes one token from every incoming flow that has one.
      const taken = scope.takenFlows[v.elementId];
      if (taken) {
        for (const flow of Object.keys(taken)) {
          if (taken[flow] > 1) taken[flow] -= 1;
          else delete taken[flow];
        }
        if (Object.keys(taken).length === 0) delete scope.takenFlows[v.elementId];
      }
    }
    if (type === 'EVENT_SUB_PROCESS') {
      const model = ctx.model(v.processDefinitionKey);
      const esp = model?.elements.get(v.elementId);
      const start = esp?.startEventId ? model?.elements.get(esp.startEventId) : undefined;
      if (start?.interrupting) scope.interrupted = true;
    }
  },
  ELEMENT_ACTIVATED(state, record) {
    const e = state.elementInstances.get(record.key);
    if (e) e.state = 'ACTIVATED';
  },
  ELEMENT_COMPLETING(state, record) {
    const e = state.elementInstances.get(record.key);
    if (e) e.state = 'COMPLETING';
  },
  ELEMENT_TERMINATING(state, record) {
    const e = state.elementInstances.get(record.key);
    if (e) e.state = 'TERMINATING';
  },
  ELEMENT_COMPLETED(state, record) {
    leave(state, record.key, true);
  },
  ELEMENT_TERMINATED(state, record) {
    leave(state, record.key, false);
  },
  ELEMENT_MIGRATED(state, record) {
    const v = record.value;
    const e = state.elementInstances.get(record.key);
    if (!e) return;
    e.processDefinitionKey = v.processDefinitionKey;
    e.version = v.version;
    e.bpmnProcessId = v.bpmnProcessId;
    e.elementId = v.elementId;
  },
  SEQUENCE_FLOW_TAKEN(state, record, ctx) {
    const v = record.value;
    const model = ctx.model(v.processDefinitionKey);
    const flow = model?.elements.get(v.elementId);
    const target = flow?.targetId ? model?.elements.get(flow.targetId) : undefined;
    if (!target || target.incoming.length < 2) return;
    if (target.type !== 'PARALLEL_GATEWAY' && target.type !== 'INCLUSIVE_GATEWAY') return;
    const scope = state.elementInstances.get(v.flowScopeKey);
    if (!scope) return;
    scope.takenFlows ??= {};
    const taken = (scope.takenFlows[target.id] ??= {});
    taken[v.elementId] = (taken[v.elementId] ?? 0) + 1;
  },
};

function leave(state: EngineState, key: number, completed: boolean): void {
  const e = state.elementInstances.get(key);
  if (!e) return;
  const scope = state.elementInstances.get(e.flowScopeKey);
  if (completed && scope?.type === 'MULTI_INSTANCE_BODY' && scope.loop) scope.loop.completed += 1;
  if (e.messageStartKey && state.messageStartInstances.get(e.messageStartKey) === key) {
    state.messageStartInstances.delete(e.messageStartKey);
  }
  if (e.type === 'PROCESS' && e.parentElementInstanceKey > 0) {
    const caller = state.elementInstances.get(e.parentElementInstanceKey);
    if (caller && caller.calledChildKey === key) caller.calledChildKey = undefined;
  }
  state.removeElementInstance(key);
}
