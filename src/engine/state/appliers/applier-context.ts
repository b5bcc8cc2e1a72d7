import type { ExecutableProcess } from '../../model/types';
import type { LogRecord } from '../../log/record';
import type { EngineState } from '../engine-state';

/** What an applier may read besides the state: the (deterministic) parsed models. */
export interface ApplierContext {
  model(processDefinitionKey: number): ExecutableProcess | undefined;
}

export type Applier = (state: EngineState, record: LogRecord, ctx: ApplierContext) => void;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyValue = any;
