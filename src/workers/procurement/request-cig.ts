/** Job type procurement.requestCig: the CIG from ANAC's BDNCP (adapter). */
import type { ServiceHandler } from '../context';

export const requestCig: ServiceHandler = async (job, ctx) => {
  const v = job.variables;
  const procedure = (v.procedure ?? {}) as { procedureType?: string };
  const { cig } = await ctx.adapters.anac.requestCig({
    tenantId: job.tenantId,
    caseNumber: String(v.caseNumber),
    subject: String(v.subject),
    amount: Number(v.amount),
    cpv: String(v.cpv),
    procedureType: String(procedure.procedureType),
  });
  return { variables: { cig }, summary: `CIG acquisito: ${cig}`, details: { cig } };
};
