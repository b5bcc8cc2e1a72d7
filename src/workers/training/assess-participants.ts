/**
 * Job type training.assessParticipants: attendance and final test of every participant
 * against the thresholds copied onto the course; certified hours only with both. A
 * register that does not add up goes back to the tutor (error ATTENDANCE_INVALID).
 */
import { assessParticipants, AttendanceError, type AttendanceRow } from '../../training';
import { BusinessError } from '../runtime';
import type { ServiceHandler } from '../context';
import { nowOf, storeOf } from './common';

interface Participant {
  username: string;
  name: string;
  email?: string;
  head: string;
  comuneIstat: string;
  office: string;
}

export const assessCourseParticipants: ServiceHandler = async (job, ctx) => {
  const v = job.variables;
  const store = storeOf(ctx);
  const courseCode = String(v.courseCode);
  const course = await store.course(job.tenantId, courseCode);
  if (!course)
    throw new Error(`Course ${courseCode} is not in the catalogue of province ${job.tenantId}`);
  const participants = (v.participants ?? []) as Participant[];
  let outcomes;
  try {
    outcomes = assessParticipants(
      participants.map((p) => p.username),
      (v.results ?? []) as AttendanceRow[],
      course,
      {
        minAttendancePercent: Number(v.minAttendancePercent),
        minTestScorePercent: Number(v.minTestScorePercent),
      },
    );
  } catch (err) {
    if (err instanceof AttendanceError) {
      throw new BusinessError('ATTENDANCE_INVALID', err.message, {
        attendanceProblems: err.message,
      });
    }
    throw err;
  }
  const byName = new Map(participants.map((p) => [p.username, p]));
  await store.recordOutcomes(
    outcomes.map((o) => {
      const p = byName.get(o.username)!;
      return {
        ...o,
        _id: `${job.tenantId}:${courseCode}:${o.username}`,
        tenantId: job.tenantId,
        courseCode,
        courseTitle: course.title,
        year: course.year,
        name: p.name,
        comuneIstat: p.comuneIstat,
        office: p.office,
        recordedAt: nowOf(ctx),
      };
    }),
  );
  await store.setCourseStatus(job.tenantId, courseCode, 'completed');
  const certified = outcomes.filter((o) => o.certified).map((o) => byName.get(o.username)!);
  const passed = outcomes.filter((o) => o.passedTest).length;
  return {
    variables: {
      certified,
      outcomes,
      passRate: outcomes.length ? Math.round((passed / outcomes.length) * 10000) / 100 : 0,
      attendanceProblems: null,
    },
    summary: `Esiti del corso ${courseCode}: ${certified.length} attestati su ${outcomes.length} partecipanti`,
    details: { outcomes },
  };
};
