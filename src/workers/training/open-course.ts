/**
 * Job type training.openCourse: puts a course in the province's catalogue. The
 * certificate thresholds of the settings are copied onto the course when it opens,
 * so a later change of the settings never changes the rules of a course under way
 * (users of training platforms complain of hours recomputed retroactively).
 */
import { CourseCodeTakenError } from '../../training';
import type { ServiceHandler } from '../context';
import { provinceOf } from '../common/province';
import { endOfDay, nowOf, storeOf, text, trainingSettings } from './common';

interface Session {
  date: string;
  hours: number;
  topic?: string;
}

export const openTrainingCourse: ServiceHandler = async (job, ctx) => {
  const v = job.variables;
  const province = provinceOf(ctx, job.tenantId);
  const settings = trainingSettings(ctx, job.tenantId);
  const sessions = ((v.sessions ?? []) as Session[])
    .slice()
    .sort((a, b) => a.date.localeCompare(b.date));
  if (sessions.length === 0) throw new Error('sessions: il corso non ha sessioni');
  const hours = Math.round(sessions.reduce((s, x) => s + x.hours, 0) * 100) / 100;
  const enrolmentClosesAt = endOfDay(v.enrolmentDeadline, 'enrolmentDeadline');
  if (enrolmentClosesAt > endOfDay(sessions[0].date, 'sessions.date')) {
    throw new Error(
      `enrolmentDeadline: le iscrizioni (${String(v.enrolmentDeadline)}) devono chiudersi entro la prima sessione (${sessions[0].date})`,
    );
  }
  const tutor = String(v.tutorUsername ?? '');
  if (!province.users.some((u) => u.username === tutor)) {
    throw new Error(`tutorUsername: "${tutor}" non è un utente della ${province.name}`);
  }
  const courseCode = String(v.courseCode);
  const year = Number(sessions[sessions.length - 1].date.slice(0, 4));
  try {
    await storeOf(ctx).openCourse({
      _id: `${job.tenantId}:${courseCode}`,
      tenantId: job.tenantId,
      processInstanceKey: job.processInstanceKey,
      courseCode,
      title: String(v.courseTitle),
      source: String(v.source),
      area: String(v.area),
      mandatory: v.mandatory === true,
      mandatoryTopic: text(v.mandatoryTopic),
      mode: String(v.mode),
      hours,
      sessions,
      seats: Number(v.seats),
      testQuestions: Number(v.testQuestions),
      cost: Number(v.cost ?? 0),
      fundingSource: String(v.fundingSource),
      tutorUsername: tutor,
      year,
      enrolmentClosesAt,
      status: 'open',
      createdAt: nowOf(ctx),
    });
  } catch (err) {
    if (err instanceof CourseCodeTakenError) throw new Error(`courseCode: ${err.message}`);
    throw err;
  }
  return {
    variables: {
      courseHours: hours,
      year,
      enrolmentClosesAt: enrolmentClosesAt.toISOString(),
      minAttendancePercent: settings.certificate.minAttendancePercent,
      minTestScorePercent: settings.certificate.minTestScorePercent,
      questionnaireWindow: settings.evaluation.questionnaireWindow,
      followUpAfter: settings.evaluation.followUpAfter,
      annualHoursTarget: settings.annualHoursTarget,
    },
    summary: `Corso ${courseCode} "${String(v.courseTitle)}" nel catalogo: ${hours} ore, ${String(v.seats)} posti, iscrizioni fino al ${String(v.enrolmentDeadline)}`,
    details: { courseCode, hours, seats: v.seats, year },
  };
};
