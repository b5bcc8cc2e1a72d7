/**
 * The training line's indicators as tables (issue 14, research note step 9): the figures
 * come from src/training (computed from the records of one calendar year), this module
 * only lays them out as the page, the charts and the exports show them. Shares are
 * percentages here, like every other percentage of the analytics pages.
 */
import type { TrainingIndicators } from '../training/indicators';
import type { ServiceIndicators } from './service-indicators';
import { round } from './statistics';
import { table } from './tables';

const percent = (share: number) => round(share * 100);

export interface ComuneTrainingIndicators {
  istat: string;
  name: string;
  indicators: TrainingIndicators;
}

export function trainingTables(
  total: TrainingIndicators,
  perComune: ComuneTrainingIndicators[],
): ServiceIndicators {
  const summary = {
    employees: total.employees,
    hoursPerCapita: total.hoursPerCapita,
    shareAtTargetPercent: percent(total.shareAtTarget),
    shareWithIndividualPlanPercent: percent(total.shareWithIndividualPlan),
    passRatePercent: percent(total.passRate),
    meanReactionScore: total.meanReactionScore,
    spendTotal: round(total.spendBySource.own + total.spendBySource.state + total.spendBySource.eu),
  };
  const kinds = {
    employees: 'integer',
    hoursPerCapita: 'number',
    shareAtTargetPercent: 'percent',
    shareWithIndividualPlanPercent: 'percent',
    passRatePercent: 'percent',
    meanReactionScore: 'number',
    spendTotal: 'money',
  } as const;
  return {
    summary,
    tables: [
      table(
        'training.summary',
        [
          ['indicator', 'text'],
          ['value', 'number'],
          ['unit', 'text'],
        ],
        Object.entries(summary).map(([indicator, value]) => ({
          indicator,
          value,
          unit: kinds[indicator as keyof typeof kinds],
        })),
      ),
      table(
        'training.perComune',
        [
          ['comuneIstat', 'text'],
          ['comune', 'text'],
          ['employees', 'integer'],
          ['hoursPerCapita', 'number'],
          ['shareAtTargetPercent', 'percent'],
          ['shareWithIndividualPlanPercent', 'percent'],
          ['passRatePercent', 'percent'],
        ],
        perComune
          .filter((c) => c.indicators.employees > 0)
          .map((c) => ({
            comuneIstat: c.istat,
            comune: c.name,
            employees: c.indicators.employees,
            hoursPerCapita: c.indicators.hoursPerCapita,
            shareAtTargetPercent: percent(c.indicators.shareAtTarget),
            shareWithIndividualPlanPercent: percent(c.indicators.shareWithIndividualPlan),
            passRatePercent: percent(c.indicators.passRate),
          })),
      ),
      table(
        'training.spendBySource',
        [
          ['fundingSource', 'text'],
          ['spend', 'money'],
        ],
        (['own', 'state', 'eu'] as const).map((source) => ({
          fundingSource: source,
          spend: total.spendBySource[source],
        })),
      ),
    ],
  };
}
