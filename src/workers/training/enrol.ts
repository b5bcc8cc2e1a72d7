/**
 * Job type training.enrol: enrols the employee on every course of the agreed plan, on
 * a seat while there are any, else on the waiting list (src/training, one conditional
 * update per seat, so concurrent plans never overbook a course).
 */
import { staffMember } from '../../training';
import type { ServiceHandler } from '../context';
import { provinceOf } from '../common/province';
import { nowOf, storeOf } from './common';

interface PlannedCourse {
  courseCode: string;
  title: string;
  hours: number;
  duringWorkingHours: boolean;
}

export const enrolOnCourses: ServiceHandler = async (job, ctx) => {
  const v = job.variables;
  const username = (v.employee as { username: string }).username;
  const member = staffMember(provinceOf(ctx, job.tenantId), username);
  if (!member) throw new Error(`employee: "${username}" is no longer on the staff of a comune`);
  const store = storeOf(ctx);
  const now = nowOf(ctx);
  const enrolments = [];
  for (const c of (v.plannedCourses ?? []) as PlannedCourse[]) {
    const status = await store.enrol(
      job.tenantId,
      c.courseCode,
      member,
      job.processInstanceKey,
      now,
    );
    enrolments.push({ ...c, status });
  }
  const plans = await store.individualPlansOfYear(job.tenantId, Number(v.year));
  const plan = plans.find((p) => p._id === job.processInstanceKey);
  if (plan) await store.saveIndividualPlan({ ...plan, status: 'agreed', updatedAt: now });
  const waiting = enrolments.filter((e) => e.status === 'waiting').map((e) => e.courseCode);
  return {
    variables: { enrolments },
    summary: `Iscrizioni di ${member.name}: ${enrolments.length - waiting.length} confermate${waiting.length ? `, in lista d’attesa per ${waiting.join(', ')}` : ''}`,
    details: {
      username,
      enrolments: enrolments.map((e) => ({ courseCode: e.courseCode, status: e.status })),
    },
  };
};
