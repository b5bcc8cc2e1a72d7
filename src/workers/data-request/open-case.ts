/**
 * Job type dataRequest.openCase: opens the case, describes the requested dataset
 * (for the classification DMN) and computes the service-level dates.
 */
import type { ServiceHandler } from '../context';
import { addDurationToDate } from '../../time';
import { caseNumber, comuneOf } from '../common/province';
import { findDataset } from './catalogue';
import { dataRequestSettings } from './settings';

export const openDataRequestCase: ServiceHandler = async (job, ctx) => {
  const v = job.variables;
  const comune = comuneOf(ctx, job.tenantId, v.comuneIstat);
  const info = findDataset(v.datasetId);
  const s = dataRequestSettings(ctx, job.tenantId);
  const now = ctx.now?.() ?? new Date();
  const slaDue = addDurationToDate(now, s.serviceLevel);
  const number = caseNumber('DATI', job.tenantId, job.processInstanceKey, now);
  return {
    variables: {
      caseNumber: number,
      requestedAt: now.toISOString(),
      comuneName: comune.name,
      dataset: {
        id: info.id,
        title: info.title,
        containsPersonalData: info.containsPersonalData,
        openData: info.openData,
      },
      elaboration: typeof v.elaboration === 'string' ? v.elaboration : 'none',
      slaDueAt: slaDue.toISOString(),
      slaReminderAt: addDurationToDate(slaDue, s.reminderBefore, -1).toISOString(),
      publishOpenData: false,
    },
    summary: `Fascicolo ${number} aperto: richiesta di "${info.title}" dal Comune di ${comune.name}`,
    details: { datasetId: info.id, slaDueAt: slaDue.toISOString() },
  };
};
