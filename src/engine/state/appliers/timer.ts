/** Appliers for TIMER events. */
import type { Appliers } from './applier-context';

export const timerAppliers: Appliers<'TIMER'> = {
  CREATED(state, record) {
    const v = record.value;
    state.addTimer({
      key: record.key,
      elementInstanceKey: v.elementInstanceKey,
      processInstanceKey: v.processInstanceKey,
      processDefinitionKey: v.processDefinitionKey,
      targetElementId: v.targetElementId,
      dueDate: v.dueDate,
      repetitions: v.repetitions,
      interval: v.interval,
      tenantId: v.tenantId,
      bpmnProcessId: v.bpmnProcessId,
    });
  },
  TRIGGERED(state, record) {
    state.removeTimer(record.key);
  },
  CANCELED(state, record) {
    state.removeTimer(record.key);
  },
};
