/** Raising and resolving incidents (INCIDENT CREATED / RESOLVED). */
import type { ElementInstance } from '../../../state/types';
import type { BpmnContext } from '../bpmn-context';

export type IncidentErrorType =
  | 'JOB_NO_RETRIES'
  | 'EXTRACT_VALUE_ERROR'
  | 'CONDITION_ERROR'
  | 'IO_MAPPING_ERROR'
  | 'CALLED_ELEMENT_ERROR'
  | 'UNHANDLED_ERROR_EVENT'
  | 'DECISION_EVALUATION_ERROR'
  | 'FORM_NOT_FOUND'
  | 'UNKNOWN';

export class IncidentBehavior {
  constructor(private readonly ctx: BpmnContext) {}

  raise(
    inst: ElementInstance,
    errorType: IncidentErrorType,
    errorMessage: string,
    jobKey = -1,
  ): number {
    const key = this.ctx.batch.nextKey();
    this.ctx.batch.event('INCIDENT', 'CREATED', key, {
      errorType,
      errorMessage,
      bpmnProcessId: inst.bpmnProcessId,
      processDefinitionKey: inst.processDefinitionKey,
      processInstanceKey: inst.processInstanceKey,
      elementId: inst.elementId,
      elementInstanceKey: inst.key,
      jobKey,
      variableScopeKey: inst.key,
      tenantId: inst.tenantId,
    });
    return key;
  }

  resolve(incidentKey: number): void {
    const incident = this.ctx.state.incidents.get(incidentKey);
    if (!incident) return;
    this.ctx.batch.event('INCIDENT', 'RESOLVED', incidentKey, { ...incident });
  }

  /** A terminated element takes its incidents with it. */
  resolveAllOf(elementInstanceKey: number): void {
    const keys = this.ctx.state.incidentsByElement.get(elementInstanceKey);
    if (!keys) return;
    for (const key of [...keys]) this.resolve(key);
  }
}
