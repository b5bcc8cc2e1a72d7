/**
 * Job type procurement.openCase: opens the case (fascicolo) of a comune's request and
 * puts the province's thresholds and durations on the instance, for the procedure
 * decision (DMN) and the timers.
 */
import type { ServiceHandler } from '../context';
import { caseNumber, comuneOf, provinceOf } from '../common/province';
import { procurementSettings } from './settings';

export const openProcurementCase: ServiceHandler = async (job, ctx) => {
  const v = job.variables;
  const comune = comuneOf(ctx, job.tenantId, v.comuneIstat);
  if (typeof v.amount !== 'number' || !(v.amount > 0))
    throw new Error('amount must be a positive number');
  const s = procurementSettings(ctx, job.tenantId);
  const now = ctx.now?.() ?? new Date();
  const number = caseNumber('SUA', job.tenantId, job.processInstanceKey, now);
  return {
    variables: {
      caseNumber: number,
      requestedAt: now.toISOString(),
      comuneName: comune.name,
      provinceName: provinceOf(ctx, job.tenantId).name,
      thresholds: s.thresholds,
      operatorMinimums: s.minOperators,
      standStillDuration: s.standStill,
      integrationReminderAfter: s.integrationReminderAfter,
      integrationEscalationAfter: s.integrationEscalationAfter,
    },
    summary: `Fascicolo ${number} aperto per la richiesta del Comune di ${comune.name}`,
    details: { caseNumber: number, amount: v.amount, contractType: v.contractType },
  };
};
