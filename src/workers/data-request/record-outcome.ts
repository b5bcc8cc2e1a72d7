/**
 * Job type dataRequest.recordOutcome: time to deliver, open-data publication,
 * refusals and why (header `outcome`: delivered, rejected) for the indicators.
 */
import type { ServiceHandler } from '../context';
import { daysBetween } from '../../time';
import { recordIndicatorOnce } from '../common/indicators';

export const recordDataRequestOutcome: ServiceHandler = async (job, ctx) => {
  const v = job.variables;
  const outcome = String(job.customHeaders.outcome ?? 'delivered');
  const now = ctx.now?.() ?? new Date();
  const requestedAt = typeof v.requestedAt === 'string' ? new Date(v.requestedAt) : now;
  const durationDays = daysBetween(requestedAt, now);
  const slaMet = typeof v.slaDueAt === 'string' ? now <= new Date(v.slaDueAt) : null;
  await recordIndicatorOnce(ctx.connection, {
    key: `${job.key}:indicators`,
    tenantId: job.tenantId,
    processInstanceKey: job.processInstanceKey,
    service: 'dataRequest',
    outcome,
    comuneIstat: typeof v.comuneIstat === 'string' ? v.comuneIstat : undefined,
    recordedAt: now,
    datasetId: v.datasetId ?? null,
    topic: (v.dataset as { title?: string } | undefined)?.title ?? null,
    durationDays,
    slaMet,
    publishedAsOpenData: v.openDataPublished === true,
    refusalReason: outcome === 'rejected' ? (v.dpoMotivation ?? null) : null,
  });
  return {
    variables: { durationDays },
    summary:
      outcome === 'rejected'
        ? 'Richiesta respinta registrata'
        : `Richiesta evasa in ${durationDays} giorni`,
    details: { outcome, durationDays, slaMet },
  };
};
