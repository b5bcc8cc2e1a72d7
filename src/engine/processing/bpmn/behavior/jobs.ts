/**
 * Creating and cancelling the job of a job-worker element. Type and retries may be
 * FEEL expressions; user task settings become Zeebe's well-known headers, with lists
 * as JSON-array strings.
 */
import {
  evaluateExpressionOrStatic,
  evaluateString,
  FeelFailure,
  isExpression,
} from '../../../feel';
import type { ExecutableElement } from '../../../model/types';
import type { ElementInstance } from '../../../state/types';
import type { BpmnContext } from '../bpmn-context';

const LIST_HEADERS = new Set([
  'io.camunda.zeebe:candidateGroups',
  'io.camunda.zeebe:candidateUsers',
]);

export class JobBehavior {
  constructor(private readonly ctx: BpmnContext) {}

  /** Returns false if an incident was raised. */
  create(inst: ElementInstance, el: ExecutableElement): boolean {
    const def = el.job!;
    let type: string;
    let retries: number;
    const headers: Record<string, string> = {};
    try {
      const vars = this.ctx.state.visibleVariables(inst.key);
      type = evaluateString(def.type, vars);
      const r = evaluateExpressionOrStatic(def.retries, vars);
      retries = typeof r === 'number' ? r : Number(r);
      if (!Number.isInteger(retries)) {
        throw new FeelFailure(
          `Expected job retries '${def.retries}' to be a number, but was '${String(r)}'`,
        );
      }
      for (const [name, raw] of Object.entries(def.headers)) {
        headers[name] = this.header(name, raw, vars);
      }
    } catch (err) {
      this.ctx.incidents.raise(inst, 'EXTRACT_VALUE_ERROR', (err as Error).message);
      return false;
    }
    this.ctx.batch.event('JOB', 'CREATED', this.ctx.batch.nextKey(), {
      type,
      worker: '',
      retries,
      retryBackoff: 0,
      recurringTime: -1,
      deadline: -1,
      timeout: -1,
      errorMessage: '',
      errorCode: '',
      customHeaders: headers,
      elementId: inst.elementId,
      elementInstanceKey: inst.key,
      processInstanceKey: inst.processInstanceKey,
      bpmnProcessId: inst.bpmnProcessId,
      processDefinitionKey: inst.processDefinitionKey,
      processDefinitionVersion: inst.version,
      tenantId: inst.tenantId,
      variables: {},
    });
    return true;
  }

  private header(name: string, raw: string, vars: Record<string, unknown>): string {
    if (!name.startsWith('io.camunda.zeebe:')) return raw;
    if (LIST_HEADERS.has(name)) {
      const value = isExpression(raw)
        ? evaluateExpressionOrStatic(raw, vars)
        : raw
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean);
      const list = Array.isArray(value) ? value : [value];
      if (!list.every((x) => typeof x === 'string')) {
        throw new FeelFailure(
          `Expected '${name}' to be a list of strings, but was '${JSON.stringify(value)}'`,
        );
      }
      return JSON.stringify(list);
    }
    return isExpression(raw) ? evaluateString(raw, vars) : raw;
  }

  /** Cancels the element's job, if it has one. */
  cancel(inst: ElementInstance): void {
    const jobKey = this.ctx.state.jobsByInstance.get(inst.key);
    if (jobKey === undefined) return;
    const job = this.ctx.state.jobs.get(jobKey);
    if (!job) return;
    const incident = this.ctx.state.incidentsByJob.get(jobKey);
    if (incident !== undefined) this.ctx.incidents.resolve(incident);
    const { state: _s, key: _k, ...value } = job;
    this.ctx.batch.event('JOB', 'CANCELED', jobKey, { ...value, variables: {} });
  }
}
