/**
 * Job type procurement.checkAnomalousOffers (art. 110): an offer is presumed
 * anomalous when its rebate exceeds the average rebate by more than the province's
 * margin (procurement.anomalyMarginPercent). The RUP then weighs the explanations.
 */
import type { ServiceHandler } from '../context';
import { offersOf, rebatePercent } from './offers';
import { procurementSettings } from './settings';

export const checkAnomalousOffers: ServiceHandler = async (job, ctx) => {
  const base = Number(job.variables.amount);
  const offers = offersOf(job.variables);
  const margin = procurementSettings(ctx, job.tenantId).anomalyMarginPercent;
  const rebates = offers.map((o) => ({
    vatNumber: o.vatNumber,
    rebate: rebatePercent(base, o.amount),
  }));
  const average = rebates.length ? rebates.reduce((s, r) => s + r.rebate, 0) / rebates.length : 0;
  const anomalousOffers =
    rebates.length >= 2
      ? rebates.filter((r) => r.rebate > average + margin).map((r) => r.vatNumber)
      : [];
  return {
    variables: { anomalousOffers, hasAnomalousOffers: anomalousOffers.length > 0 },
    summary: anomalousOffers.length
      ? `Offerte anomale da verificare: ${anomalousOffers.length}`
      : 'Nessuna offerta anomala',
    details: { averageRebate: Math.round(average * 100) / 100, margin, rebates },
  };
};
