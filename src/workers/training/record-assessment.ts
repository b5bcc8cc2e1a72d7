/** Job type training.recordAssessment: stores a self-assessment its head of office validated. */
import type { RoleBand } from '../../training';
import type { ServiceHandler } from '../context';
import { nowOf, storeOf, text } from './common';

interface Employee {
  username: string;
  name: string;
  office: string;
  roleBand: RoleBand;
  head: string;
}

export const recordTrainingAssessment: ServiceHandler = async (job, ctx) => {
  const v = job.variables;
  const employee = v.employee as Employee;
  const campaignKey = String(v.campaignKey);
  await storeOf(ctx).recordAssessment({
    _id: `${campaignKey}:${employee.username}`,
    tenantId: job.tenantId,
    campaignKey,
    username: employee.username,
    name: employee.name,
    comuneIstat: String(v.comuneIstat),
    office: employee.office,
    // The band the person declared; the registry's band is the default of the form.
    roleBand: (v.roleBand as RoleBand | undefined) ?? employee.roleBand,
    competences: (v.competences ?? {}) as Record<string, string>,
    mandatoryTopicsDone: Array.isArray(v.mandatoryTopicsDone)
      ? (v.mandatoryTopicsDone as string[])
      : [],
    preferredMode: text(v.preferredMode),
    preferredPeriod: text(v.preferredPeriod),
    notes: text(v.assessmentNotes),
    validatedBy: employee.head,
    recordedAt: nowOf(ctx),
  });
  return {
    variables: {},
    summary: `Autovalutazione di ${employee.name} convalidata e registrata`,
    details: { username: employee.username, validatedBy: employee.head },
  };
};
