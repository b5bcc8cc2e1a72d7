/**
 * Job type euFunding.notifyMatches: e-mails each comune of the province the calls
 * the matching decision marked as relevant (one e-mail per comune, sent once).
 */
import { renderEmail } from '../../documents';
import type { ServiceHandler, Variables } from '../context';
import { provinceOf } from '../common/province';
import { sendOnce } from '../notifications/notification-log';
import { templateData } from '../shared/template-data';

export const notifyMatches: ServiceHandler = async (job, ctx) => {
  const template = String(job.customHeaders.template ?? 'segnalazione-bandi');
  const matches = (
    Array.isArray(job.variables.matches) ? job.variables.matches : []
  ) as Variables[];
  const relevant = matches
    .filter((m) => m && m.notify === true)
    .map((m) => ({ ...(m.call as Variables), relevance: m.relevance }) as Variables);
  const notified: string[] = [];
  if (relevant.length > 0) {
    for (const comune of provinceOf(ctx, job.tenantId).comuni) {
      const to = comune.pec ?? comune.email;
      if (!to) continue;
      const email = renderEmail(
        template,
        job.tenantId,
        templateData(ctx, job, {
          comune: { istat: comune.istat, nome: comune.name },
          bandi: relevant,
        }),
        ctx.templatesDir,
        ctx.templateSources?.[`emails/${template}`],
      );
      await sendOnce(ctx.connection, ctx.mailer, {
        key: `${job.key}:${template}:${comune.istat}`,
        tenantId: job.tenantId,
        processInstanceKey: job.processInstanceKey,
        template,
        message: { to: [to], subject: email.subject, text: email.body },
      });
      notified.push(comune.istat);
    }
  }
  return {
    variables: { relevantCalls: relevant.map((c) => c.callId), notifiedComuni: notified },
    summary: `Segnalati ${relevant.length} bandi a ${notified.length} comuni`,
    details: { relevant: relevant.map((c) => c.callId), notified },
  };
};
