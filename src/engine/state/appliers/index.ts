/**
 * The one place where records change state: EVENT records are dispatched to the
 * applier registered for their value type and intent. Commands and rejections, and
 * events that carry no state (e.g. DEPLOYMENT CREATED), change nothing.
 */
import type { LogRecord, ValueType } from '../../log/record';
import type { EngineState } from '../engine-state';
import type { Applier, ApplierContext, Appliers } from './applier-context';
import { compensationSubscriptionAppliers } from './compensation-subscription';
import {
  decisionAppliers,
  decisionRequirementsAppliers,
  formAppliers,
  processAppliers,
} from './deployment';
import { incidentAppliers } from './incident';
import { jobAppliers } from './job';
import {
  messageAppliers,
  messageStartAppliers,
  processMessageSubscriptionAppliers,
} from './message';
import { processInstanceAppliers } from './process-instance';
import { processInstanceBatchAppliers } from './process-instance-batch';
import { signalSubscriptionAppliers } from './signal';
import { timerAppliers } from './timer';
import { variableAppliers } from './variable';

const registry: { [T in ValueType]?: Appliers<T> } = {
  PROCESS: processAppliers,
  DECISION: decisionAppliers,
  DECISION_REQUIREMENTS: decisionRequirementsAppliers,
  FORM: formAppliers,
  PROCESS_INSTANCE: processInstanceAppliers,
  VARIABLE: variableAppliers,
  JOB: jobAppliers,
  INCIDENT: incidentAppliers,
  MESSAGE: messageAppliers,
  PROCESS_MESSAGE_SUBSCRIPTION: processMessageSubscriptionAppliers,
  MESSAGE_START_EVENT_SUBSCRIPTION: messageStartAppliers,
  TIMER: timerAppliers,
  SIGNAL_SUBSCRIPTION: signalSubscriptionAppliers,
  COMPENSATION_SUBSCRIPTION: compensationSubscriptionAppliers,
  PROCESS_INSTANCE_BATCH: processInstanceBatchAppliers,
};

export type { ApplierContext } from './applier-context';

export function applyRecord(
  state: EngineState,
  record: Omit<LogRecord, 'position'> & { position?: number },
  ctx: ApplierContext,
): void {
  if (record.key > 0) state.observeKey(record.key);
  if (record.recordType !== 'EVENT') return;
  const appliers = registry[record.valueType] as Record<string, Applier<unknown>> | undefined;
  appliers?.[record.intent]?.(state, record as LogRecord<unknown>, ctx);
}
