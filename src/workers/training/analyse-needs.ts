/**
 * Job type training.analyseNeeds: the gaps between required and declared levels per
 * comune, office and area, and the rows the priority DMN ranks (src/training).
 */
import { analyseNeeds } from '../../training';
import type { ServiceHandler } from '../context';
import { storeOf, trainingSettings } from './common';

export const analyseTrainingNeeds: ServiceHandler = async (job, ctx) => {
  const store = storeOf(ctx);
  const campaignKey = String(job.variables.campaignKey);
  const campaign = await store.campaign(job.tenantId, campaignKey);
  if (!campaign) throw new Error(`Campaign ${campaignKey} not found for province ${job.tenantId}`);
  const assessments = await store.assessmentsOf(job.tenantId, campaignKey);
  const analysis = analyseNeeds(assessments, trainingSettings(ctx, job.tenantId));
  await store.setCampaign(job.tenantId, campaignKey, { status: 'analysed', analysis });
  const surveySummary = {
    assessments: assessments.length,
    comuni: campaign.comuni.length,
    comuniCompleted: campaign.comuni.filter((c) => c.status === 'completed').length,
    comuniMissed: campaign.comuni.filter((c) => c.status !== 'completed').length,
  };
  return {
    variables: {
      gapRows: analysis.gapRows,
      surveySummary,
      preferredModes: analysis.preferredModes,
    },
    summary: `Fabbisogni analizzati: ${assessments.length} autovalutazioni, ${analysis.gapRows.length} righe da ordinare per priorità`,
    details: surveySummary,
  };
};
