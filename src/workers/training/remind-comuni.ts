/**
 * Job type training.remindComuni (header `stage`: reminder | escalation): before the
 * campaign deadline, tells the comuni that have not completed the survey how many
 * self-assessments are missing; the escalation also goes to the heads of office of
 * those comuni and to the province's training office. Sent once per stage.
 */
import type { ServiceHandler } from '../context';
import { provinceOf } from '../common/province';
import { nowOf, sendTemplateOnce, storeOf } from './common';

export const remindLateComuni: ServiceHandler = async (job, ctx) => {
  const stage = job.customHeaders.stage === 'escalation' ? 'escalation' : 'reminder';
  const store = storeOf(ctx);
  const campaignKey = String(job.variables.campaignKey);
  const campaign = await store.campaign(job.tenantId, campaignKey);
  if (!campaign) throw new Error(`Campaign ${campaignKey} not found for province ${job.tenantId}`);
  const done = await store.assessmentsOf(job.tenantId, campaignKey);
  const late = campaign.comuni
    .filter((c) => c.status === 'open')
    .map((c) => ({
      comuneIstat: c.comuneIstat,
      comuneName: c.comuneName,
      missing: c.employees - done.filter((a) => a.comuneIstat === c.comuneIstat).length,
    }));
  if (late.length === 0) {
    return {
      variables: {},
      summary: 'Nessun comune in ritardo: nessun sollecito inviato',
      details: { stage },
    };
  }
  const province = provinceOf(ctx, job.tenantId);
  const lateIstat = new Set(late.map((l) => l.comuneIstat));
  const to = new Set<string>();
  for (const c of province.comuni) if (lateIstat.has(c.istat)) to.add(c.pec ?? c.email ?? '');
  const answered = new Set(done.map((a) => a.username));
  for (const u of province.users) {
    if (!u.comune || !lateIstat.has(u.comune) || !u.email) continue;
    // The reminder goes to those still to answer; the escalation to the heads of office.
    if (stage === 'reminder' ? u.roleBand && !answered.has(u.username) : u.headOfOffice)
      to.add(u.email);
  }
  if (stage === 'escalation') {
    for (const u of province.users)
      if (u.roles.includes('training-officer') && u.email) to.add(u.email);
  }
  to.delete('');
  const template = stage === 'reminder' ? 'formazione-sollecito' : 'formazione-escalation';
  const mail = await sendTemplateOnce(ctx, job, `${job.key}:${template}`, template, [...to], {
    lateComuni: late,
  });
  const now = nowOf(ctx);
  for (const l of late) {
    await store.updateComune(
      job.tenantId,
      campaignKey,
      l.comuneIstat,
      stage === 'reminder' ? { remindedAt: now } : { escalatedAt: now },
    );
  }
  return {
    variables: {},
    summary: `${stage === 'reminder' ? 'Sollecito' : 'Segnalazione'} ai comuni in ritardo: ${late.map((l) => l.comuneName).join(', ')}`,
    details: { stage, lateComuni: late, to: mail.to, sent: mail.sent },
  };
};
