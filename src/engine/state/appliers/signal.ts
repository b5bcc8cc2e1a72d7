/** Appliers for SIGNAL_SUBSCRIPTION events. */
import type { Appliers } from './applier-context';

export const signalSubscriptionAppliers: Appliers<'SIGNAL_SUBSCRIPTION'> = {
  CREATED(state, record) {
    const v = record.value;
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
