/** Job type training.recordComuneSurvey: every employee of the comune has a validated self-assessment. */
import type { ServiceHandler } from '../context';
import { nowOf, storeOf } from './common';

export const recordComuneSurvey: ServiceHandler = async (job, ctx) => {
  const v = job.variables;
  const survey = v.comuneSurvey as { comuneIstat: string; comuneName: string };
  await storeOf(ctx).updateComune(job.tenantId, String(v.campaignKey), survey.comuneIstat, {
    status: 'completed',
    completedAt: nowOf(ctx),
  });
  return {
    variables: {},
    summary: `Rilevazione completata dal Comune di ${survey.comuneName}`,
    details: { comuneIstat: survey.comuneIstat },
  };
};
