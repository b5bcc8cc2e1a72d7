/** Appliers for VARIABLE events: a variable's value in its scope. */
import type { Applier, AnyValue } from './applier-context';

export const variableAppliers: Record<string, Applier> = {
  CREATED(state, record) {
    const v = record.value as AnyValue;
    state.setVariable(v.scopeKey, v.name, JSON.parse(v.value));
  },
  UPDATED(state, record) {
    const v = record.value as AnyValue;
    state.setVariable(v.scopeKey, v.name, JSON.parse(v.value));
  },
};
