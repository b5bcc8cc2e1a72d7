/** Job type procurement.checkRequirements: the proposed operator's requirements through the FVOE (art. 99). */
import type { ServiceHandler, Variables } from '../context';

export const checkRequirements: ServiceHandler = async (job, ctx) => {
  const proposal = (job.variables.awardProposal ?? {}) as Variables;
  const vat = String(proposal.vatNumber);
  const result = await ctx.adapters.fvoe.checkRequirements(vat);
  return {
    variables: { requirementsMet: result.ok, requirementsChecks: result.checks },
    summary: result.ok
      ? `Requisiti verificati per ${String(proposal.operatorName)}`
      : `Verifica dei requisiti negativa per ${String(proposal.operatorName)}`,
    details: { vatNumber: vat, checks: result.checks },
  };
};
