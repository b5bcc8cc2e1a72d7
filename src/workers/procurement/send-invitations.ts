/**
 * Job type procurement.sendInvitations: one lettera d'invito per invited operator
 * (document from the template in the header `template`), sent by e-mail once.
 */
import { renderEmail } from '../../documents';
import type { ServiceHandler, Variables } from '../context';
import { addDurationToDate } from '../../time';
import { sendOnce } from '../notifications/notification-log';
import { createDocumentOnce } from '../shared/generate-document';
import { templateData } from '../shared/template-data';
import { procurementSettings } from './settings';

export const sendInvitations: ServiceHandler = async (job, ctx) => {
  const template = String(job.customHeaders.template ?? 'lettera-invito');
  const operators = (job.variables.invitedOperators ?? []) as Variables[];
  const now = ctx.now?.() ?? new Date();
  const days = procurementSettings(ctx, job.tenantId).openProcedureMinOfferDays;
  const offersDeadline = addDurationToDate(now, `P${days}D`).toISOString();
  const documents = [];
  for (const operator of operators) {
    const vat = String(operator.vatNumber);
    const extra = { operatore: operator, offersDeadline, fileSuffix: vat };
    const doc = await createDocumentOnce(
      ctx,
      job,
      template,
      `${job.key}:${template}:${vat}`,
      extra,
    );
    documents.push({ ...doc, vatNumber: vat });
    const email = renderEmail(
      template,
      job.tenantId,
      templateData(ctx, job, { ...extra, documento: doc }),
      ctx.templatesDir,
      ctx.templateSources?.[`emails/${template}`],
    );
    await sendOnce(ctx.connection, ctx.mailer, {
      key: `${job.key}:${template}:${vat}`,
      tenantId: job.tenantId,
      processInstanceKey: job.processInstanceKey,
      template,
      message: { to: [String(operator.email)], subject: email.subject, text: email.body },
    });
  }
  return {
    variables: { invitationDocuments: documents, offersDeadline },
    summary: `Inviate ${documents.length} lettere d’invito`,
    details: { operators: documents.map((d) => d.vatNumber), offersDeadline },
  };
};
