/** Appliers for VARIABLE events: a variable's value in its scope. */
import type { Appliers } from './applier-context';

export const variableAppliers: Appliers<'VARIABLE'> = {
  CREATED(state, record) {
    const v = record.value;
    state.setVariable(v.scopeKey, v.name, JSON.parse(v.value));
  },
  UPDATED(state, record) {
    const v = record.value;
    state.setVariable(v.scopeKey, v.name, JSON.parse(v.value));
  },
};
