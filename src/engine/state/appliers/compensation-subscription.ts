/** Appliers for COMPENSATION_SUBSCRIPTION events. */
import type { CompensationSubscription } from '../types';
import type { Applier } from './applier-context';

function put(state: Parameters<Applier>[0], record: Parameters<Applier>[1]): void {
  const v = record.value as Omit<CompensationSubscription, 'key'>;
  state.compensation.put({
    key: record.key,
    tenantId: v.tenantId,
    processInstanceKey: v.processInstanceKey,
    processDefinitionKey: v.processDefinitionKey,
    compensableActivityId: v.compensableActivityId,
    compensableActivityScopeKey: v.compensableActivityScopeKey,
    compensableActivityInstanceKey: v.compensableActivityInstanceKey,
    compensationHandlerId: v.compensationHandlerId,
    throwEventId: v.throwEventId,
    throwEventInstanceKey: v.throwEventInstanceKey,
    compensationHandlerInstanceKey: v.compensationHandlerInstanceKey,
  });
}

export const compensationSubscriptionAppliers: Record<string, Applier> = {
  CREATED: put,
  TRIGGERED: put,
  COMPLETED(state, record) {
    state.compensation.remove(record.key);
  },
  DELETED(state, record) {
    state.compensation.remove(record.key);
  },
};
