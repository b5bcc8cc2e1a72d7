/**
 * Every operator action (retry, variable change, cancel, token move, migration) is
 * recorded with who, when, why and what came of it. Entries go to the case's audit
 * trail (src/audit, the fascicolo), so the case file shows them; the web layer may add
 * further sinks (the product's security/operator audit log) through `OperatorLog`.
 */
import { randomUUID } from 'node:crypto';
import type { AuditTrail } from '../audit';

export interface Operator {
  username: string;
  displayName?: string;
}

export type OperatorActionName =
  | 'monitoring.incident.retry'
  | 'monitoring.variable.update'
  | 'monitoring.instance.cancel'
  | 'monitoring.instance.modify'
  | 'monitoring.instance.migrate';

export interface OperatorAction {
  action: OperatorActionName;
  operator: Operator;
  tenantId: string;
  processInstanceKey: string;
  bpmnProcessId?: string;
  elementId?: string;
  reason: string;
  /** What was changed: keys, before/after values, mapping… */
  details: Record<string, unknown>;
  outcome: 'ok' | 'failed';
  error?: string;
  at: Date;
}

export interface OperatorLog {
  record(action: OperatorAction): Promise<void>;
}

const SUMMARIES: Record<OperatorActionName, string> = {
  'monitoring.incident.retry': 'Incidente: nuovo tentativo',
  'monitoring.variable.update': 'Variabile modificata',
  'monitoring.instance.cancel': 'Istanza annullata',
  'monitoring.instance.modify': 'Token spostato',
  'monitoring.instance.migrate': 'Istanza migrata a una nuova versione',
};

/** Writes operator actions into the case audit trail. */
export function auditTrailOperatorLog(trail: AuditTrail): OperatorLog {
  return {
    async record(a) {
      const summary = `${SUMMARIES[a.action]}${a.outcome === 'failed' ? ' (non riuscito)' : ''} — motivo: ${a.reason}`;
      await trail.record({
        key: `operator:${randomUUID()}`,
        tenantId: a.tenantId,
        processInstanceKey: a.processInstanceKey,
        bpmnProcessId: a.bpmnProcessId,
        elementId: a.elementId,
        action: a.action,
        actor: a.operator.username,
        summary,
        details: { ...a.details, reason: a.reason, outcome: a.outcome, error: a.error ?? null },
      });
    },
  };
}

/** Several sinks at once (the case trail and the operator audit log). */
export function combinedOperatorLog(...logs: OperatorLog[]): OperatorLog {
  return {
    async record(a) {
      for (const log of logs) await log.record(a);
    },
  };
}
