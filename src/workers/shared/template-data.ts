/** The data a template sees: the instance's variables plus province and comune. */
import type { ServiceContext, ServiceJob, Variables } from '../context';
import { provinceOf, section } from '../common/province';

export function templateData(
  ctx: ServiceContext,
  job: ServiceJob,
  extra: Variables = {},
): Variables {
  const province = provinceOf(ctx, job.tenantId);
  const comune = province.comuni.find((c) => c.istat === job.variables.comuneIstat);
  const documents = section<{ downloadBaseUrl: string }>(province.settings, 'documents');
  return {
    ...job.variables,
    provincia: {
      istat: province.tenantId,
      nome: province.name,
      pec: province.pec,
      email: province.email,
    },
    comune: comune
      ? { istat: comune.istat, nome: comune.name, pec: comune.pec, email: comune.email }
      : undefined,
    downloadBaseUrl: documents.downloadBaseUrl ?? '',
    oggi: (ctx.now?.() ?? new Date()).toISOString(),
    processInstanceKey: job.processInstanceKey,
    ...extra,
  };
}
