/** Appliers for COMPENSATION_SUBSCRIPTION events. */
import type { CompensationSubscriptionRecordValue } from '../../log/record-values';
import type { Applier, Appliers } from './applier-context';

const put: Applier<CompensationSubscriptionRecordValue> = (state, record) => {
  const v = record.value;
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
};

export const compensationSubscriptionAppliers: Appliers<'COMPENSATION_SUBSCRIPTION'> = {
  CREATED: put,
  TRIGGERED: put,
  COMPLETED(state, record) {
    state.compensation.remove(record.key);
  },
  DELETED(state, record) {
    state.compensation.remove(record.key);
  },
};
