/**
 * Job type euFunding.recordOutcome: the application's outcome (header `outcome`:
 * funded, rejected, evaluationTimeout, deadlineMissed) and amounts, for the
 * province's indicators (success rate, funds obtained, co-financing, missed deadlines).
 */
import type { ServiceHandler, Variables } from '../context';
import { recordIndicatorOnce } from '../common/indicators';

export const recordEuFundingOutcome: ServiceHandler = async (job, ctx) => {
  const v = job.variables;
  const outcome = String(job.customHeaders.outcome ?? 'funded');
  const reports = Array.isArray(v.reports) ? (v.reports as Variables[]) : [];
  await recordIndicatorOnce(ctx.connection, {
    key: `${job.key}:indicators`,
    tenantId: job.tenantId,
    processInstanceKey: job.processInstanceKey,
    service: 'euFunding',
    outcome,
    comuneIstat: typeof v.comuneIstat === 'string' ? v.comuneIstat : undefined,
    recordedAt: ctx.now?.() ?? new Date(),
    callId: v.callId ?? null,
    programme: v.programme ?? null,
    requestedAmount: v.requestedAmount ?? null,
    grantAmount: outcome === 'funded' ? (v.grantAmount ?? null) : null,
    coFinancingAmount: v.coFinancingAmount ?? null,
    deadlineMissed: outcome === 'deadlineMissed',
    reportedPeriods: reports.length,
    reportedExpenditure: reports.reduce(
      (s, r) => s + (typeof r?.expenditure === 'number' ? r.expenditure : 0),
      0,
    ),
  });
  const labels: Record<string, string> = {
    funded: 'Progetto finanziato e rendicontato',
    rejected: 'Domanda non finanziata',
    evaluationTimeout: 'Esito non pervenuto nei termini',
    deadlineMissed: 'Scadenza del bando non rispettata',
  };
  return {
    variables: { outcome },
    summary: labels[outcome] ?? outcome,
    details: { outcome, reportedPeriods: reports.length },
  };
};
