/** What the training workers share: the store, the settings, dates and the mailer. */
import { DateTime } from 'luxon';
import { renderEmail } from '../../documents';
import { TIME_ZONE } from '../../time';
import { createTrainingStore, trainingSettingsOf, type TrainingSettings } from '../../training';
import type { ServiceContext, ServiceJob, Variables } from '../context';
import { sendOnce } from '../notifications/notification-log';
import { settingsOf } from '../common/province';
import { templateData } from '../shared/template-data';

export const storeOf = (ctx: ServiceContext) => createTrainingStore(ctx.connection);

export function trainingSettings(ctx: ServiceContext, tenantId: string): TrainingSettings {
  return trainingSettingsOf(settingsOf(ctx, tenantId));
}

export const nowOf = (ctx: ServiceContext): Date => ctx.now?.() ?? new Date();

/** The end of a calendar day (AAAA-MM-GG) in Europe/Rome: when a "by this date" term expires. */
export function endOfDay(date: unknown, field: string): Date {
  const d = typeof date === 'string' ? DateTime.fromISO(date, { zone: TIME_ZONE }) : undefined;
  if (!d?.isValid)
    throw new Error(`${field}: expected a date AAAA-MM-GG, got ${JSON.stringify(date)}`);
  return d.endOf('day').toJSDate();
}

/** Sends one e-mail once per key (the notification log), from a province's template. */
export async function sendTemplateOnce(
  ctx: ServiceContext,
  job: ServiceJob,
  key: string,
  template: string,
  to: string[],
  extra: Variables = {},
): Promise<{ sent: boolean; subject: string; to: string[] }> {
  const email = renderEmail(
    template,
    job.tenantId,
    templateData(ctx, job, extra),
    ctx.templatesDir,
  );
  if (to.length === 0) return { sent: false, subject: email.subject, to };
  const r = await sendOnce(ctx.connection, ctx.mailer, {
    key,
    tenantId: job.tenantId,
    processInstanceKey: job.processInstanceKey,
    template,
    message: { to, subject: email.subject, text: email.body },
  });
  return { sent: r.sent, subject: email.subject, to };
}

export function text(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}
