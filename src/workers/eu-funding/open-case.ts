/**
 * Job type euFunding.openCase: opens the application's case and computes the
 * reminder, escalation and deadline dates relative to the call deadline, and the
 * evaluation time-out, from the province's settings.
 */
import type { ServiceHandler } from '../context';
import { addDurationToDate } from '../../time';
import { caseNumber, comuneOf } from '../common/province';
import { euFundingSettings } from './settings';

export const openEuFundingCase: ServiceHandler = async (job, ctx) => {
  const v = job.variables;
  const comune = comuneOf(ctx, job.tenantId, v.comuneIstat);
  const deadline = new Date(String(v.callDeadline));
  if (Number.isNaN(deadline.getTime())) throw new Error('callDeadline must be an ISO date-time');
  const s = euFundingSettings(ctx, job.tenantId);
  const now = ctx.now?.() ?? new Date();
  const number = caseNumber('SAPE', job.tenantId, job.processInstanceKey, now);
  const variables = {
    caseNumber: number,
    openedAt: now.toISOString(),
    comuneName: comune.name,
    callDeadlineAt: deadline.toISOString(),
    submissionReminderAt: addDurationToDate(deadline, s.submissionReminderBefore, -1).toISOString(),
    submissionEscalationAt: addDurationToDate(
      deadline,
      s.submissionEscalationBefore,
      -1,
    ).toISOString(),
    evaluationTimeout: s.evaluationTimeout,
  };
  return {
    variables,
    summary: `Fascicolo ${number} aperto: bando ${String(v.callId)} del Comune di ${comune.name}`,
    details: variables,
  };
};
