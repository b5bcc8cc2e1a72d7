/**
 * Job type training.buildReport: certified hours per employee in a calendar year
 * against the annual target, per comune and office, as a document. Started by the
 * yearly timer it reports the year just ended.
 */
import { buildHoursReport, staffOf } from '../../training';
import type { ServiceHandler } from '../context';
import { provinceOf } from '../common/province';
import { createDocumentOnce } from '../shared/generate-document';
import { nowOf, storeOf, trainingSettings } from './common';

export const buildTrainingReport: ServiceHandler = async (job, ctx) => {
  const v = job.variables;
  const year = typeof v.reportYear === 'number' ? v.reportYear : nowOf(ctx).getFullYear() - 1;
  const comuni = Array.isArray(v.comuni) ? (v.comuni as string[]) : undefined;
  const province = provinceOf(ctx, job.tenantId);
  const settings = trainingSettings(ctx, job.tenantId);
  const staff = staffOf(province, comuni);
  const participations = await storeOf(ctx).participationsOfYear(job.tenantId, year);
  const report = buildHoursReport(
    year,
    settings.annualHoursTarget,
    staff,
    participations
      .filter((p) => p.certified)
      .map((p) => ({ username: p.username, hours: p.certifiedHours })),
  );
  const document = await createDocumentOnce(
    ctx,
    job,
    'rendiconto-formazione',
    `${job.key}:rendiconto`,
    {
      report,
      reportSharePercent: report.totals.shareMeetingTarget * 100,
      fileSuffix: String(year),
    },
  );
  return {
    variables: {
      report: { year, target: report.target, totals: report.totals },
      reportDocument: document,
    },
    summary: `Rendiconto ${year}: ${report.totals.certifiedHours} ore certificate per ${report.totals.employees} dipendenti`,
    details: { year, totals: report.totals },
  };
};
