/** Job type procurement.publishNotice: the notice of an open procedure on the platform (art. 71: 30 days for offers). */
import type { ServiceHandler } from '../context';
import { addDurationToDate } from '../../time';
import { procurementSettings } from './settings';

export const publishNotice: ServiceHandler = async (job, ctx) => {
  const v = job.variables;
  const now = ctx.now?.() ?? new Date();
  const s = procurementSettings(ctx, job.tenantId);
  const offersDeadline = addDurationToDate(now, `P${s.openProcedureMinOfferDays}D`).toISOString();
  const procedure = (v.procedure ?? {}) as { standStill?: boolean };
  const euPublication = procedure.standStill === true;
  const notice = await ctx.adapters.platform.publishNotice({
    tenantId: job.tenantId,
    caseNumber: String(v.caseNumber),
    cig: String(v.cig),
    subject: String(v.subject),
    amount: Number(v.amount),
    euPublication,
    offersDeadline,
  });
  return {
    variables: { noticeId: notice.noticeId, noticeUrl: notice.url, offersDeadline, euPublication },
    summary: `Bando pubblicato (${notice.noticeId})${euPublication ? ' anche a livello europeo' : ''}`,
    details: { ...notice, offersDeadline, euPublication },
  };
};
