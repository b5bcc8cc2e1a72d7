/**
 * The indicators of DOMAIN.md per service line, for one province, period and
 * (optionally) comune:
 * - procurement: time from request to award per procedure type (median, p90), rebate
 *   distribution and total savings, deserted tenders, appeals, requests per comune;
 * - EU funding: applications per comune, success rate, funds obtained, co-financing
 *   committed, deadlines missed;
 * - data requests: time to deliver against the service level, share published as open
 *   data, refusals by reason, requests per comune and topic.
 * Cases count in the period in which they ended (their indicator record); requests in
 * the period in which they started.
 */
import type { Connection } from 'mongoose';
import type { HistoryClient } from '../monitoring';
import type { IndicatorRecord } from '../workers/common/indicators';
import type { AnalyticsFilter } from './filters';
import type { RequestRow } from './history-feeds';
import { indicatorRecords, requestsInPeriod } from './sources';
import { countBy, mean, median, percentile, round, sum } from './statistics';
import { table, type Table } from './tables';

export interface IndicatorContext {
  connection: Connection;
  history: HistoryClient;
  /** Name of a comune of the province (its ISTAT code when unknown). */
  comuneName: (istat: string) => string;
}

export interface ServiceIndicators {
  /** Headline figures, also the first table. */
  summary: Record<string, number | null>;
  tables: Table[];
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const numbers = (values: unknown[]) => values.map(num).filter((v): v is number => v !== null);

function perComune(ctx: IndicatorContext, id: string, requests: RequestRow[]): Table {
  const counts = countBy(requests, (r) => r.values.comuneIstat ?? '');
  return table(
    id,
    [
      ['comuneIstat', 'text'],
      ['comune', 'text'],
      ['requests', 'integer'],
    ],
    [...counts]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([istat, requests]) => ({
        comuneIstat: istat || null,
        comune: istat ? ctx.comuneName(istat) : null,
        requests,
      })),
  );
}

function summaryTable(
  id: string,
  summary: Record<string, number | null>,
  kinds: Record<string, 'integer' | 'number' | 'percent' | 'money' | 'days'>,
): Table {
  return table(
    id,
    [
      ['indicator', 'text'],
      ['value', 'number'],
      ['unit', 'text'],
    ],
    Object.entries(summary).map(([indicator, value]) => ({
      indicator,
      value,
      unit: kinds[indicator],
    })),
  );
}

// ------------------------------------------------------------------ procurement

export const REBATE_BUCKETS = [
  { bucket: '0-5', min: -Infinity, max: 5 },
  { bucket: '5-10', min: 5, max: 10 },
  { bucket: '10-15', min: 10, max: 15 },
  { bucket: '15-20', min: 15, max: 20 },
  { bucket: '20+', min: 20, max: Infinity },
] as const;

export async function procurementIndicators(
  ctx: IndicatorContext,
  filter: AnalyticsFilter,
): Promise<ServiceIndicators> {
  const [records, requests] = await Promise.all([
    indicatorRecords(ctx.connection, filter, 'procurement'),
    requestsInPeriod(ctx.history, filter, 'procurement', ['comuneIstat']),
  ]);
  // Newest first: the page shows the first rows of the awards table.
  const awarded = records
    .filter((r) => r.outcome === 'awarded')
    .sort((a, b) => b.recordedAt.getTime() - a.recordedAt.getTime());
  const rebates = numbers(awarded.map((r) => r.rebatePercent));
  const savings = awarded
    .map((r) => (num(r.baseAmount) ?? 0) - (num(r.awardedAmount) ?? num(r.baseAmount) ?? 0))
    .filter((s) => Number.isFinite(s));
  const summary = {
    requests: requests.length,
    awarded: awarded.length,
    averageRebatePercent: round(mean(rebates)),
    totalSavings: round(sum(savings)),
    deserted: records.filter((r) => r.outcome === 'deserted').length,
    appeals: records.filter((r) => r.appealOutcome !== null && r.appealOutcome !== undefined)
      .length,
  };
  const byProcedure = new Map<string, IndicatorRecord[]>();
  for (const r of awarded) {
    const type = String(r.procedureType ?? 'unknown');
    const list = byProcedure.get(type) ?? [];
    list.push(r);
    byProcedure.set(type, list);
  }
  const durationRows = [...byProcedure].map(([procedureType, list]) => {
    const days = numbers(list.map((r) => r.durationDays));
    return {
      procedureType,
      cases: list.length,
      medianDays: round(median(days), 1),
      p90Days: round(percentile(days, 90), 1),
    };
  });
  return {
    summary,
    tables: [
      summaryTable('procurement.summary', summary, {
        requests: 'integer',
        awarded: 'integer',
        averageRebatePercent: 'percent',
        totalSavings: 'money',
        deserted: 'integer',
        appeals: 'integer',
      }),
      table(
        'procurement.durationByProcedure',
        [
          ['procedureType', 'text'],
          ['cases', 'integer'],
          ['medianDays', 'days'],
          ['p90Days', 'days'],
        ],
        durationRows.sort((a, b) => a.procedureType.localeCompare(b.procedureType)),
      ),
      table(
        'procurement.rebateDistribution',
        [
          ['bucket', 'text'],
          ['cases', 'integer'],
        ],
        REBATE_BUCKETS.map((b) => ({
          bucket: b.bucket,
          cases: rebates.filter((r) => r >= b.min && r < b.max).length,
        })),
      ),
      table(
        'procurement.awards',
        [
          ['processInstanceKey', 'text'],
          ['comune', 'text'],
          ['procedureType', 'text'],
          ['baseAmount', 'money'],
          ['awardedAmount', 'money'],
          ['rebatePercent', 'percent'],
          ['savings', 'money'],
          ['durationDays', 'days'],
        ],
        awarded.map((r) => ({
          processInstanceKey: r.processInstanceKey,
          comune: r.comuneIstat ? ctx.comuneName(r.comuneIstat) : null,
          procedureType: String(r.procedureType ?? ''),
          baseAmount: num(r.baseAmount),
          awardedAmount: num(r.awardedAmount),
          rebatePercent: num(r.rebatePercent),
          savings: round((num(r.baseAmount) ?? 0) - (num(r.awardedAmount) ?? 0)),
          durationDays: num(r.durationDays),
        })),
      ),
      perComune(ctx, 'procurement.requestsPerComune', requests),
    ],
  };
}

// ------------------------------------------------------------------ EU funding

export async function euFundingIndicators(
  ctx: IndicatorContext,
  filter: AnalyticsFilter,
): Promise<ServiceIndicators> {
  const [records, requests] = await Promise.all([
    indicatorRecords(ctx.connection, filter, 'euFunding'),
    requestsInPeriod(ctx.history, filter, 'eu-funding', ['comuneIstat']),
  ]);
  const funded = records.filter((r) => r.outcome === 'funded');
  const decided = records.filter((r) => r.outcome === 'funded' || r.outcome === 'rejected');
  const summary = {
    applications: requests.length,
    decided: decided.length,
    funded: funded.length,
    successRatePercent: decided.length ? round((funded.length / decided.length) * 100) : null,
    fundsObtained: round(sum(numbers(funded.map((r) => r.grantAmount)))),
    coFinancingCommitted: round(sum(numbers(funded.map((r) => r.coFinancingAmount)))),
    deadlinesMissed: records.filter((r) => r.outcome === 'deadlineMissed').length,
  };
  const byComune = new Map<string, { applications: number; funded: number; funds: number }>();
  for (const r of requests) {
    const c = r.values.comuneIstat ?? '';
    const e = byComune.get(c) ?? { applications: 0, funded: 0, funds: 0 };
    e.applications++;
    byComune.set(c, e);
  }
  for (const r of funded) {
    const c = r.comuneIstat ?? '';
    const e = byComune.get(c) ?? { applications: 0, funded: 0, funds: 0 };
    e.funded++;
    e.funds += num(r.grantAmount) ?? 0;
    byComune.set(c, e);
  }
  return {
    summary,
    tables: [
      summaryTable('euFunding.summary', summary, {
        applications: 'integer',
        decided: 'integer',
        funded: 'integer',
        successRatePercent: 'percent',
        fundsObtained: 'money',
        coFinancingCommitted: 'money',
        deadlinesMissed: 'integer',
      }),
      table(
        'euFunding.perComune',
        [
          ['comuneIstat', 'text'],
          ['comune', 'text'],
          ['applications', 'integer'],
          ['funded', 'integer'],
          ['fundsObtained', 'money'],
        ],
        [...byComune]
          .sort((a, b) => b[1].applications - a[1].applications || a[0].localeCompare(b[0]))
          .map(([istat, e]) => ({
            comuneIstat: istat || null,
            comune: istat ? ctx.comuneName(istat) : null,
            applications: e.applications,
            funded: e.funded,
            fundsObtained: round(e.funds),
          })),
      ),
      table(
        'euFunding.outcomes',
        [
          ['outcome', 'text'],
          ['cases', 'integer'],
        ],
        [...countBy(records, (r) => r.outcome)].map(([outcome, cases]) => ({ outcome, cases })),
      ),
    ],
  };
}

// ------------------------------------------------------------------ data requests

export async function dataRequestIndicators(
  ctx: IndicatorContext,
  filter: AnalyticsFilter,
  serviceLevelDays: number,
): Promise<ServiceIndicators> {
  const [records, requests] = await Promise.all([
    indicatorRecords(ctx.connection, filter, 'dataRequest'),
    requestsInPeriod(ctx.history, filter, 'data-request', ['comuneIstat', 'datasetId']),
  ]);
  const delivered = records.filter((r) => r.outcome === 'delivered');
  const refused = records.filter((r) => r.outcome === 'rejected');
  const days = numbers(delivered.map((r) => r.durationDays));
  const judged = delivered.filter((r) => typeof r.slaMet === 'boolean');
  const summary = {
    requests: requests.length,
    delivered: delivered.length,
    medianDaysToDeliver: round(median(days), 1),
    p90DaysToDeliver: round(percentile(days, 90), 1),
    serviceLevelDays,
    withinServiceLevelPercent: judged.length
      ? round((judged.filter((r) => r.slaMet === true).length / judged.length) * 100)
      : null,
    openDataPercent: delivered.length
      ? round(
          (delivered.filter((r) => r.publishedAsOpenData === true).length / delivered.length) * 100,
        )
      : null,
    refused: refused.length,
  };
  return {
    summary,
    tables: [
      summaryTable('dataRequests.summary', summary, {
        requests: 'integer',
        delivered: 'integer',
        medianDaysToDeliver: 'days',
        p90DaysToDeliver: 'days',
        serviceLevelDays: 'days',
        withinServiceLevelPercent: 'percent',
        openDataPercent: 'percent',
        refused: 'integer',
      }),
      table(
        'dataRequests.refusalsByReason',
        [
          ['reason', 'text'],
          ['cases', 'integer'],
        ],
        [...countBy(refused, (r) => String(r.refusalReason ?? ''))].map(([reason, cases]) => ({
          reason: reason || null,
          cases,
        })),
      ),
      perComune(ctx, 'dataRequests.perComune', requests),
      table(
        'dataRequests.perTopic',
        [
          ['topic', 'text'],
          ['requests', 'integer'],
        ],
        [...countBy(requests, (r) => r.values.datasetId ?? '')]
          .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
          .map(([topic, n]) => ({ topic: topic || null, requests: n })),
      ),
    ],
  };
}
