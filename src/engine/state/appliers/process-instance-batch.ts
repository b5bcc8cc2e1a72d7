/** Appliers for PROCESS_INSTANCE_BATCH events: work postponed to a later command, and continued. */
import type { Appliers } from './applier-context';

export const processInstanceBatchAppliers: Appliers<'PROCESS_INSTANCE_BATCH'> = {
  POSTPONED(state, record) {
    const { steps, chainSteps, processInstanceKeys } = record.value;
    state.postponed.set(record.key, {
      key: record.key,
      steps: steps ?? [],
      chainSteps,
      processInstanceKeys,
    });
  },
  CONTINUED(state, record) {
    state.postponed.delete(record.key);
  },
};
