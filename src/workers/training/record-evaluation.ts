/**
 * Job type training.recordEvaluation (header `level`): records the answers of the
 * reaction questionnaire (Kirkpatrick level 1; the final test is level 2) or of the
 * dirigenti's follow-up (level 3) on each participant's outcome. Unanswered
 * questionnaires (closed by the deadline) are simply missing.
 */
import type { ServiceHandler } from '../context';
import { storeOf } from './common';

type Answer = Record<string, unknown> & { username?: string };

export const recordTrainingEvaluation: ServiceHandler = async (job, ctx) => {
  const level = String(job.customHeaders.level ?? '1');
  const v = job.variables;
  const store = storeOf(ctx);
  const courseCode = String(v.courseCode);
  const answers = ((level === '3' ? v.followUpAnswers : v.reactions) ?? []) as (Answer | null)[];
  let recorded = 0;
  for (const a of answers) {
    if (!a?.username) continue;
    if (level === '3') {
      if (a.applied == null) continue;
      await store.setParticipation(job.tenantId, courseCode, a.username, {
        followUp: {
          applied: String(a.applied),
          improvement: Number(a.improvement),
          examples: a.examples as string | undefined,
        },
      });
    } else {
      if (a.overall == null) continue;
      await store.setParticipation(job.tenantId, courseCode, a.username, {
        reaction: {
          relevance: Number(a.relevance),
          quality: Number(a.quality),
          organisation: Number(a.organisation),
          overall: Number(a.overall),
          comments: a.comments as string | undefined,
        },
      });
    }
    recorded += 1;
  }
  return {
    variables: {},
    summary: `${level === '3' ? 'Verifiche della ricaduta' : 'Questionari di gradimento'} registrati: ${recorded}`,
    details: { level, recorded },
  };
};
