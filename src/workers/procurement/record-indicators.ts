/**
 * Job type procurement.recordIndicators: duration from request to award, rebate,
 * procedure type and outcome (header `outcome`: awarded, deserted) for the
 * province's indicators.
 */
import type { ServiceHandler, Variables } from '../context';
import { daysBetween } from '../../time';
import { recordIndicatorOnce } from '../common/indicators';

export const recordProcurementIndicators: ServiceHandler = async (job, ctx) => {
  const v = job.variables;
  const outcome = String(job.customHeaders.outcome ?? 'awarded');
  const now = ctx.now?.() ?? new Date();
  const requestedAt = typeof v.requestedAt === 'string' ? new Date(v.requestedAt) : now;
  const durationDays = daysBetween(requestedAt, now);
  const proposal = (v.awardProposal ?? {}) as Variables;
  const procedure = (v.procedure ?? {}) as Variables;
  const rebate =
    outcome === 'awarded' && typeof proposal.rebatePercent === 'number'
      ? proposal.rebatePercent
      : null;
  await recordIndicatorOnce(ctx.connection, {
    key: `${job.key}:indicators`,
    tenantId: job.tenantId,
    processInstanceKey: job.processInstanceKey,
    service: 'procurement',
    outcome,
    comuneIstat: typeof v.comuneIstat === 'string' ? v.comuneIstat : undefined,
    recordedAt: now,
    procedureType: procedure.procedureType ?? null,
    contractType: v.contractType ?? null,
    baseAmount: v.amount ?? null,
    awardedAmount: outcome === 'awarded' ? (proposal.amount ?? null) : null,
    rebatePercent: rebate,
    durationDays,
    appealOutcome: v.appealOutcome ?? null,
    offersCount: Array.isArray(v.offers) ? v.offers.length : null,
  });
  return {
    variables: { durationDays, rebatePercent: rebate },
    summary:
      outcome === 'deserted'
        ? `Gara deserta registrata dopo ${durationDays} giorni`
        : `Aggiudicazione registrata: ribasso ${rebate ?? 0}%, ${durationDays} giorni dalla richiesta`,
    details: { outcome, durationDays, rebatePercent: rebate },
  };
};
