/**
 * Job type training.proposePlan: a first draft of the plan from the ranked needs. The
 * variables have the names of the plan form's fields, so the form opens pre-filled.
 */
import { proposePlanActions, type RankedNeed } from '../../training';
import type { ServiceHandler } from '../context';
import { trainingSettings } from './common';

export const proposeTrainingPlan: ServiceHandler = async (job, ctx) => {
  const v = job.variables;
  const priorities = (Array.isArray(v.priorities) ? v.priorities : []) as RankedNeed[];
  const modes = (v.preferredModes ?? {}) as Record<string, number>;
  const preferredMode = Object.entries(modes).sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'blended';
  const settings = trainingSettings(ctx, job.tenantId);
  const planActions = proposePlanActions(priorities, settings, preferredMode);
  const urgent = priorities.filter((p) => p.priority === 'alta').length;
  return {
    variables: {
      planTitle: `Piano della formazione ${String(v.year)}`,
      planActions,
      planObjectives: `Colmare i fabbisogni emersi dalla rilevazione ${String(v.caseNumber)} (${urgent} fabbisogni a priorità alta) e garantire a ogni dipendente almeno ${settings.annualHoursTarget} ore di formazione nell'anno.`,
    },
    summary: `Proposta di piano: ${planActions.length} interventi (${urgent} fabbisogni a priorità alta)`,
    details: { actions: planActions.length, urgent },
  };
};
