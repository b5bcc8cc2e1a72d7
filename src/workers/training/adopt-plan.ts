/**
 * Job type training.adoptPlan: records the adopted plan (decree of the Presidente, the
 * comuni's approvals) and produces the plan document.
 */
import type { ServiceHandler } from '../context';
import { createDocumentOnce } from '../shared/generate-document';
import { storeOf } from './common';

export const adoptTrainingPlan: ServiceHandler = async (job, ctx) => {
  const v = job.variables;
  const campaignKey = String(v.campaignKey);
  const approvals = (Array.isArray(v.comuneApprovals) ? v.comuneApprovals : []) as {
    approved?: boolean;
  }[];
  const plan = {
    title: v.planTitle,
    objectives: v.planObjectives,
    actions: v.planActions,
    financialResources: v.financialResources,
    deliveryMethods: v.deliveryMethods,
    internalTrainers: v.internalTrainers ?? [],
    decree: { number: v.decreeNumber, date: v.decreeDate, signedBy: v.decreeSignedBy },
    comuneApprovals: approvals,
  };
  const document = await createDocumentOnce(
    ctx,
    job,
    'piano-formazione',
    `${job.key}:piano-formazione`,
    {
      fileSuffix: String(v.year ?? ''),
    },
  );
  await storeOf(ctx).setCampaign(job.tenantId, campaignKey, {
    status: 'adopted',
    plan: { ...plan, documentId: document.documentId },
  });
  const approved = approvals.filter((a) => a.approved === true).length;
  return {
    variables: { planDocument: document },
    summary: `Piano della formazione adottato (decreto n. ${String(v.decreeNumber)}); sezioni approvate da ${approved} comuni su ${approvals.length}`,
    details: { documentId: document.documentId, approved, comuni: approvals.length },
  };
};
