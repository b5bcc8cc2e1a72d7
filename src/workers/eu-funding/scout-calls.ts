/** Job type euFunding.scoutCalls: open calls from the funding portal, with the days left to each deadline. */
import type { ServiceHandler } from '../context';
import { euFundingSettings } from './settings';

export const scoutCalls: ServiceHandler = async (job, ctx) => {
  const now = ctx.now?.() ?? new Date();
  const calls = (await ctx.adapters.fundingPortal.listOpenCalls(now)).map((c) => ({
    ...c,
    daysToDeadline: Math.floor((new Date(c.deadline).getTime() - now.getTime()) / 86_400_000),
  }));
  return {
    variables: {
      calls,
      scoutedThemes: euFundingSettings(ctx, job.tenantId).scoutedThemes,
      scoutedAt: now.toISOString(),
    },
    summary: `Ricognizione: ${calls.length} bandi aperti`,
    details: { callIds: calls.map((c) => c.callId) },
  };
};
