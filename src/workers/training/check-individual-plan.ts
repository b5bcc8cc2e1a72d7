/**
 * Job type training.checkIndividualPlan: checks the courses of an individual plan
 * against the catalogue (they exist and are still open for enrolment), totals the
 * planned hours and compares them with the annual target. Courses that cannot be
 * taken are a business outcome (error PLAN_INVALID): the head of office revises the plan.
 */
import { staffMember } from '../../training';
import { BusinessError } from '../runtime';
import type { ServiceHandler } from '../context';
import { provinceOf } from '../common/province';
import { nowOf, storeOf, trainingSettings } from './common';

interface PlanCourse {
  courseCode: string;
  duringWorkingHours: boolean;
}

export const checkIndividualPlan: ServiceHandler = async (job, ctx) => {
  const v = job.variables;
  const province = provinceOf(ctx, job.tenantId);
  const username = String(v.employeeUsername ?? '');
  const member = staffMember(province, username);
  if (!member) {
    throw new Error(
      `employeeUsername: "${username}" non è nel personale dei comuni della ${province.name} (comune, ufficio e fascia di ruolo)`,
    );
  }
  const employee = {
    username: member.username,
    name: member.name,
    email: member.email,
    comuneIstat: member.comuneIstat,
    office: member.office,
    head: member.head,
  };
  const store = storeOf(ctx);
  const requested = (Array.isArray(v.courses) ? v.courses : []) as PlanCourse[];
  const problems: string[] = [];
  const plannedCourses = [];
  for (const c of requested) {
    const course = await store.course(job.tenantId, c.courseCode);
    if (!course) problems.push(`Il corso ${c.courseCode} non è nel catalogo`);
    else if (course.status !== 'open')
      problems.push(`Le iscrizioni al corso ${c.courseCode} sono chiuse`);
    else
      plannedCourses.push({
        courseCode: course.courseCode,
        title: course.title,
        hours: course.hours,
        duringWorkingHours: c.duringWorkingHours,
      });
  }
  const codes = requested.map((c) => c.courseCode);
  const twice = codes.filter((c, i) => codes.indexOf(c) !== i);
  if (twice.length > 0)
    problems.push(`Corsi indicati due volte: ${[...new Set(twice)].join(', ')}`);
  if (problems.length > 0) {
    throw new BusinessError('PLAN_INVALID', problems.join('; '), {
      employee,
      comuneIstat: member.comuneIstat,
      planProblems: problems,
    });
  }
  const settings = trainingSettings(ctx, job.tenantId);
  const plannedHours = plannedCourses.reduce((s, c) => s + c.hours, 0);
  const year = Number(v.year);
  await store.saveIndividualPlan({
    _id: job.processInstanceKey,
    tenantId: job.tenantId,
    username: member.username,
    comuneIstat: member.comuneIstat,
    office: member.office,
    year,
    courses: plannedCourses,
    plannedHours,
    meetsTarget: plannedHours >= settings.annualHoursTarget,
    status: 'proposed',
    updatedAt: nowOf(ctx),
  });
  return {
    variables: {
      employee,
      comuneIstat: member.comuneIstat,
      plannedCourses,
      plannedHours,
      annualHoursTarget: settings.annualHoursTarget,
      meetsTarget: plannedHours >= settings.annualHoursTarget,
      planProblems: [],
    },
    summary: `Piano individuale di ${member.name}: ${plannedHours} ore previste su un obiettivo di ${settings.annualHoursTarget}`,
    details: {
      username: member.username,
      plannedHours,
      courses: plannedCourses.map((c) => c.courseCode),
    },
  };
};
