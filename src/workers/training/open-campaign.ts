/**
 * Job type training.openCampaign: opens a needs-survey campaign. Finds the staff of the
 * comuni involved (users with a comune and a role band), groups them per comune for
 * the per-comune survey, and computes the reminder and escalation dates before the
 * deadline from the province's settings.
 */
import { addDurationToDate } from '../../time';
import { staffOf } from '../../training';
import type { ServiceHandler } from '../context';
import { caseNumber, provinceOf } from '../common/province';
import { endOfDay, nowOf, storeOf, trainingSettings } from './common';

export const openTrainingCampaign: ServiceHandler = async (job, ctx) => {
  const v = job.variables;
  const province = provinceOf(ctx, job.tenantId);
  const settings = trainingSettings(ctx, job.tenantId);
  const now = nowOf(ctx);
  const deadlineAt = endOfDay(v.deadline, 'deadline');
  if (deadlineAt <= now) {
    throw new Error(`deadline: il termine ${String(v.deadline)} è già passato`);
  }
  const comuni = Array.isArray(v.comuni) ? (v.comuni as string[]) : undefined;
  const unknown = (comuni ?? []).filter((c) => !province.comuni.some((pc) => pc.istat === c));
  if (unknown.length > 0) {
    throw new Error(`comuni: ${unknown.join(', ')} non sono comuni della ${province.name}`);
  }
  const staff = staffOf(province, comuni);
  if (staff.length === 0) {
    throw new Error(
      `Nessun dipendente registrato per i comuni scelti della ${province.name}: indicare comune, ufficio e fascia di ruolo degli utenti`,
    );
  }
  const comuneSurveys = province.comuni
    .filter((c) => staff.some((s) => s.comuneIstat === c.istat))
    .map((c) => ({
      comuneIstat: c.istat,
      comuneName: c.name,
      employees: staff
        .filter((s) => s.comuneIstat === c.istat)
        .map(({ username, name, office, roleBand, head }) => ({
          username,
          name,
          office,
          roleBand,
          head,
        })),
    }));
  const number = caseNumber('FORM', job.tenantId, job.processInstanceKey, now);
  const campaignKey = job.processInstanceKey;
  await storeOf(ctx).createCampaign({
    _id: campaignKey,
    tenantId: job.tenantId,
    caseNumber: number,
    title: String(v.campaignTitle ?? ''),
    year: Number(v.year),
    deadlineAt,
    comuni: comuneSurveys.map((c) => ({
      comuneIstat: c.comuneIstat,
      comuneName: c.comuneName,
      employees: c.employees.length,
      status: 'open' as const,
    })),
    status: 'surveying',
    createdAt: now,
  });
  return {
    variables: {
      caseNumber: number,
      campaignKey,
      deadlineAt: deadlineAt.toISOString(),
      reminderAt: addDurationToDate(deadlineAt, settings.survey.reminderBefore, -1).toISOString(),
      escalationAt: addDurationToDate(
        deadlineAt,
        settings.survey.escalationBefore,
        -1,
      ).toISOString(),
      comuneSurveys,
      participantsCount: staff.length,
    },
    summary: `Rilevazione ${number} aperta: ${staff.length} dipendenti di ${comuneSurveys.length} comuni, termine ${deadlineAt.toISOString().slice(0, 10)}`,
    details: { comuni: comuneSurveys.map((c) => c.comuneIstat), employees: staff.length },
  };
};
