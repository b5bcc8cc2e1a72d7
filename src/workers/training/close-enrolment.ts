/** Job type training.closeEnrolment: the seat holders become the course's participants. */
import type { ServiceHandler } from '../context';
import { storeOf } from './common';

export const closeCourseEnrolment: ServiceHandler = async (job, ctx) => {
  const store = storeOf(ctx);
  const courseCode = String(job.variables.courseCode);
  const { participants, waiting } = await store.closeEnrolment(job.tenantId, courseCode);
  if (participants.length === 0) await store.setCourseStatus(job.tenantId, courseCode, 'cancelled');
  return {
    variables: {
      participants: participants.map(({ username, name, email, head, comuneIstat, office }) => ({
        username,
        name,
        email,
        head,
        comuneIstat,
        office,
      })),
      waitingListCount: waiting.length,
    },
    summary: participants.length
      ? `Iscrizioni chiuse: ${participants.length} partecipanti, ${waiting.length} in lista d’attesa`
      : 'Iscrizioni chiuse senza iscritti: corso annullato',
    details: {
      participants: participants.map((p) => p.username),
      waiting: waiting.map((w) => w.username),
    },
  };
};
