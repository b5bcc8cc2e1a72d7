/** EU funding settings of a tenant (engine-config `euFunding`). */
import type { ServiceContext } from '../context';
import { section, settingsOf } from '../common/province';

export interface EuFundingSettings {
  submissionReminderBefore: string;
  submissionEscalationBefore: string;
  evaluationTimeout: string;
  scoutedThemes: string[];
}

export function euFundingSettings(ctx: ServiceContext, tenantId: string): EuFundingSettings {
  const s = section<EuFundingSettings>(settingsOf(ctx, tenantId), 'euFunding');
  return {
    submissionReminderBefore: s.submissionReminderBefore ?? 'P10D',
    submissionEscalationBefore: s.submissionEscalationBefore ?? 'P3D',
    evaluationTimeout: s.evaluationTimeout ?? 'P180D',
    scoutedThemes: s.scoutedThemes ?? [],
  };
}
