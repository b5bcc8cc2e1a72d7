import type { ExecutableProcess } from '../../model/types';
import type { LogRecord, ValueType } from '../../log/record';
import type { RecordValue } from '../../log/record-values';
import type { EngineState } from '../engine-state';

/** What an applier may read besides the state: the (deterministic) parsed models. */
export interface ApplierContext {
  model(processDefinitionKey: number): ExecutableProcess | undefined;
}

export type Applier<V = Record<string, unknown>> = (
  state: EngineState,
  record: LogRecord<V>,
  ctx: ApplierContext,
) => void;

/** The appliers of one value type, by intent. */
export type Appliers<T extends ValueType> = Record<string, Applier<RecordValue<T>>>;
