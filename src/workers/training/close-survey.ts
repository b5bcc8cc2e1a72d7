/** Job type training.closeSurvey: at the deadline, the comuni still open are recorded as missed. */
import type { ServiceHandler } from '../context';
import { storeOf } from './common';

export const closeTrainingSurvey: ServiceHandler = async (job, ctx) => {
  const store = storeOf(ctx);
  const campaignKey = String(job.variables.campaignKey);
  const campaign = await store.campaign(job.tenantId, campaignKey);
  if (!campaign) throw new Error(`Campaign ${campaignKey} not found for province ${job.tenantId}`);
  const missed = campaign.comuni.filter((c) => c.status === 'open');
  for (const c of missed)
    await store.updateComune(job.tenantId, campaignKey, c.comuneIstat, { status: 'missed' });
  return {
    variables: {},
    summary: missed.length
      ? `Rilevazione chiusa alla scadenza; non completata da: ${missed.map((c) => c.comuneName).join(', ')}`
      : 'Rilevazione chiusa alla scadenza',
    details: { missed: missed.map((c) => c.comuneIstat) },
  };
};
