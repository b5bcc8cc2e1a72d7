/**
 * Job type notification.send: renders the e-mail template named in the header
 * `template` for the tenant and sends it once to the header's `recipients`.
 */
import { renderEmail } from '../../documents';
import type { ServiceHandler } from '../context';
import { sendOnce } from '../notifications/notification-log';
import { resolveRecipients } from './recipients';
import { templateData } from './template-data';

export const sendNotification: ServiceHandler = async (job, ctx) => {
  const template = String(job.customHeaders.template ?? '');
  const recipients = String(job.customHeaders.recipients ?? 'comune');
  if (!template) throw new Error(`${job.elementId}: the task header "template" is missing`);
  const to = resolveRecipients(ctx, job.tenantId, recipients, job.variables);
  const email = renderEmail(
    template,
    job.tenantId,
    templateData(ctx, job),
    ctx.templatesDir,
    ctx.templateSources?.[`emails/${template}`],
  );
  const result = await sendOnce(ctx.connection, ctx.mailer, {
    key: `${job.key}:${template}`,
    tenantId: job.tenantId,
    processInstanceKey: job.processInstanceKey,
    template,
    message: { to, subject: email.subject, text: email.body },
  });
  return {
    variables: {},
    summary: `Notifica "${email.subject}" a ${to.join(', ')}`,
    details: {
      template,
      to,
      subject: email.subject,
      sent: result.sent,
      overridden: email.overridden,
    },
  };
};
