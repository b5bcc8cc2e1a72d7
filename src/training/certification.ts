/**
 * Who gets a certificate for a course: attendance at least the course's threshold and
 * the final test passed (settings.certificate; e.g. 80% and 2/3, UPI "Modulo Appalti").
 * Only a certificate makes hours count towards the annual target. Pure functions.
 */
export interface AttendanceRow {
  username: string;
  attendedHours: number;
  correctAnswers: number;
}

export interface ParticipantOutcome {
  username: string;
  attendedHours: number;
  attendancePercent: number;
  correctAnswers: number;
  scorePercent: number;
  passedTest: boolean;
  certified: boolean;
  certifiedHours: number;
}

export class AttendanceError extends Error {
  override name = 'AttendanceError';
}

const round = (n: number) => Math.round(n * 100) / 100;

export function assessParticipants(
  participants: string[],
  rows: AttendanceRow[],
  course: { hours: number; testQuestions: number },
  thresholds: { minAttendancePercent: number; minTestScorePercent: number },
): ParticipantOutcome[] {
  const problems: string[] = [];
  const byUser = new Map<string, AttendanceRow>();
  for (const r of rows) {
    if (!participants.includes(r.username)) {
      problems.push(`"${r.username}" non è tra i partecipanti del corso`);
    } else if (byUser.has(r.username)) {
      problems.push(`"${r.username}" compare due volte nel registro`);
    }
    if (r.attendedHours > course.hours) {
      problems.push(
        `"${r.username}": ${r.attendedHours} ore di presenza su ${course.hours} ore di corso`,
      );
    }
    if (r.correctAnswers > course.testQuestions) {
      problems.push(
        `"${r.username}": ${r.correctAnswers} risposte corrette su ${course.testQuestions} domande`,
      );
    }
    byUser.set(r.username, r);
  }
  if (problems.length > 0) throw new AttendanceError(problems.join('; '));

  return participants.map((username) => {
    // A participant missing from the register attended nothing.
    const r = byUser.get(username) ?? { username, attendedHours: 0, correctAnswers: 0 };
    const attendancePercent = course.hours > 0 ? round((r.attendedHours / course.hours) * 100) : 0;
    const scorePercent = round((r.correctAnswers / course.testQuestions) * 100);
    const passedTest = scorePercent >= thresholds.minTestScorePercent;
    const certified = passedTest && attendancePercent >= thresholds.minAttendancePercent;
    return {
      username,
      attendedHours: r.attendedHours,
      attendancePercent,
      correctAnswers: r.correctAnswers,
      scorePercent,
      passedTest,
      certified,
      certifiedHours: certified ? course.hours : 0,
    };
  });
}
