/** Appliers for messages, process message subscriptions and message start correlations. */
import { k, type EngineState } from '../engine-state';
import type { Appliers } from './applier-context';

export const messageAppliers: Appliers<'MESSAGE'> = {
  PUBLISHED(state, record) {
    const v = record.value;
    state.addMessage({
      key: record.key,
      name: v.name,
      correlationKey: v.correlationKey,
      timeToLive: v.timeToLive,
      deadline: v.deadline,
      messageId: v.messageId,
      variables: v.variables,
      tenantId: v.tenantId,
      correlatedProcessIds: [],
    });
  },
  EXPIRED(state, record) {
    state.removeMessage(record.key);
  },
};

function markCorrelated(state: EngineState, messageKey: number, bpmnProcessId: string) {
  const m = state.messages.get(messageKey);
  if (m && !m.correlatedProcessIds.includes(bpmnProcessId))
    m.correlatedProcessIds.push(bpmnProcessId);
}

export const processMessageSubscriptionAppliers: Appliers<'PROCESS_MESSAGE_SUBSCRIPTION'> = {
  CREATED(state, record) {
    const v = record.value;
    state.addSubscription({
      key: record.key,
      elementInstanceKey: v.elementInstanceKey,
      processInstanceKey: v.processInstanceKey,
      processDefinitionKey: v.processDefinitionKey,
      bpmnProcessId: v.bpmnProcessId,
      elementId: v.elementId,
      messageName: v.messageName,
      correlationKey: v.correlationKey,
      interrupting: v.interrupting,
      tenantId: v.tenantId,
    });
  },
  CORRELATED(state, record) {
    const v = record.value;
    if (v.messageKey !== undefined) markCorrelated(state, v.messageKey, v.bpmnProcessId);
  },
  DELETED(state, record) {
    state.removeSubscription(record.key);
  },
};

export const messageStartAppliers: Appliers<'MESSAGE_START_EVENT_SUBSCRIPTION'> = {
  CORRELATED(state, record) {
    const v = record.value;
    markCorrelated(state, v.messageKey, v.bpmnProcessId);
    if (v.correlationKey) {
      const mk = k(v.tenantId, v.bpmnProcessId, v.correlationKey);
      state.messageStartInstances.set(mk, v.processInstanceKey);
      const pi = state.elementInstances.get(v.processInstanceKey);
      if (pi) pi.messageStartKey = mk;
    }
  },
};
