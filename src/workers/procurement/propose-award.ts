/**
 * Job type procurement.proposeAward: ranks the admitted offers (lowest price, or
 * best price-quality with the technical scores of the board, art. 108), proposes the
 * award to the first, computes the rebate and writes the verbale di gara. For a
 * direct award the operator chosen by the RUP is the proposal.
 */
import type { ServiceHandler, Variables } from '../context';
import { createDocumentOnce } from '../shared/generate-document';
import { offersOf, rebatePercent, type Offer } from './offers';
import { procurementSettings } from './settings';

interface Ranked extends Offer {
  rebatePercent: number;
  technicalScore?: number;
  totalScore?: number;
}

export const proposeAward: ServiceHandler = async (job, ctx) => {
  const v = job.variables;
  const base = Number(v.amount);
  const procedure = (v.procedure ?? {}) as { procedureType?: string };
  let ranking: Ranked[];
  if (procedure.procedureType === 'directAward') {
    ranking = [
      {
        operatorName: String(v.operatorName),
        vatNumber: String(v.operatorVatNumber),
        email: typeof v.operatorEmail === 'string' ? v.operatorEmail : undefined,
        amount: Number(v.offeredAmount),
        rebatePercent: rebatePercent(base, Number(v.offeredAmount)),
      },
    ];
  } else {
    const excluded = new Set(
      Array.isArray(v.excludedOperators) ? (v.excludedOperators as string[]) : [],
    );
    const admitted = offersOf(v).filter((o) => !excluded.has(o.vatNumber));
    if (admitted.length === 0) throw new Error('No admitted offer left to propose the award to');
    if (v.awardCriterion === 'bestPriceQuality') {
      const weight = procurementSettings(ctx, job.tenantId).technicalWeightPercent;
      const scores = new Map(
        ((v.technicalScores ?? []) as Variables[]).map((s) => [
          String(s.vatNumber),
          Number(s.score),
        ]),
      );
      const lowest = Math.min(...admitted.map((o) => o.amount));
      ranking = admitted
        .map((o) => {
          const technicalScore = scores.get(o.vatNumber) ?? 0;
          const priceScore = (100 * lowest) / o.amount;
          const totalScore =
            Math.round(
              ((technicalScore * weight) / 100 + (priceScore * (100 - weight)) / 100) * 100,
            ) / 100;
          return { ...o, technicalScore, totalScore, rebatePercent: rebatePercent(base, o.amount) };
        })
        .sort((a, b) => b.totalScore - a.totalScore || a.amount - b.amount);
    } else {
      ranking = admitted
        .map((o) => ({ ...o, rebatePercent: rebatePercent(base, o.amount) }))
        .sort((a, b) => a.amount - b.amount);
    }
  }
  const winner = ranking[0];
  const awardProposal = {
    operatorName: winner.operatorName,
    vatNumber: winner.vatNumber,
    email: winner.email,
    amount: winner.amount,
    rebatePercent: winner.rebatePercent,
  };
  const template = String(job.customHeaders.template ?? 'verbale-gara');
  const verbale = await createDocumentOnce(ctx, job, template, `${job.key}:${template}`, {
    ranking,
    awardProposal,
  });
  return {
    variables: { awardProposal, ranking, verbaleDocument: verbale },
    summary: `Proposta di aggiudicazione a ${winner.operatorName} (ribasso ${winner.rebatePercent}%)`,
    details: { awardProposal, offersRanked: ranking.length, verbale },
  };
};
