/** Procurement settings of a tenant (engine-config `procurement`). */
import type { ServiceContext } from '../context';
import { section, settingsOf } from '../common/province';

export interface ProcurementSettings {
  thresholds: Record<string, number>;
  minOperators: {
    negotiatedWorks: number;
    negotiatedWorksTenOperators: number;
    negotiatedServicesSupplies: number;
  };
  standStill: string;
  openProcedureMinOfferDays: number;
  integrationReminderAfter: string;
  integrationEscalationAfter: string;
  anomalyMarginPercent: number;
  technicalWeightPercent: number;
}

export function procurementSettings(ctx: ServiceContext, tenantId: string): ProcurementSettings {
  const s = section<ProcurementSettings>(settingsOf(ctx, tenantId), 'procurement');
  if (!s.thresholds) throw new Error(`Province ${tenantId}: procurement.thresholds missing`);
  return {
    thresholds: s.thresholds,
    minOperators: s.minOperators ?? {
      negotiatedWorks: 5,
      negotiatedWorksTenOperators: 10,
      negotiatedServicesSupplies: 5,
    },
    standStill: s.standStill ?? 'P35D',
    openProcedureMinOfferDays: s.openProcedureMinOfferDays ?? 30,
    integrationReminderAfter: s.integrationReminderAfter ?? 'P7D',
    integrationEscalationAfter: s.integrationEscalationAfter ?? 'P15D',
    anomalyMarginPercent: s.anomalyMarginPercent ?? 10,
    technicalWeightPercent: s.technicalWeightPercent ?? 70,
  };
}
