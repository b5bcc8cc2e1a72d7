/** Appliers for SIGNAL_SUBSCRIPTION events. */
import type { Applier, AnyValue } from './applier-context';

export const signalSubscriptionAppliers: Record<string, Applier> = {
  CREATED(state, record) {
    const v = record.value as AnyValue;
    state.addSignalSubscription({
      key: record.key,
      elementInstanceKey: v.catchEventInstanceKey,
      processInstanceKey: v.processInstanceKey,
      processDefinitionKey: v.processDefinitionKey,
      bpmnProcessId: v.bpmnProcessId,
      catchElementId: v.catchEventId,
      signalName: v.signalName,
      tenantId: v.tenantId,
    });
  },
  DELETED(state, record) {
    state.removeSignalSubscription(record.key);
  },
};
