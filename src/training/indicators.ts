/**
 * The training line's indicators for a calendar year (research note, step 9): hours per
 * capita, share of employees at the annual target, share with an individual plan, pass
 * rate of final tests, mean reaction score (Kirkpatrick level 1) and spend by funding
 * source, optionally for one comune. Computed from the records, never stored.
 */
import type { ProvinceConfig } from '../config';
import { buildHoursReport } from './hours-report';
import type { TrainingSettings } from './settings';
import { staffOf } from './staff';
import type { TrainingStore } from './training-store';

export interface TrainingIndicators {
  year: number;
  comune?: string;
  employees: number;
  certifiedHours: number;
  hoursPerCapita: number;
  annualHoursTarget: number;
  employeesAtTarget: number;
  shareAtTarget: number;
  employeesWithPlan: number;
  shareWithIndividualPlan: number;
  participants: number;
  passedTests: number;
  passRate: number;
  reactionAnswers: number;
  meanReactionScore: number | null;
  spendBySource: { own: number; state: number; eu: number };
}

const round = (n: number) => Math.round(n * 100) / 100;

export async function trainingIndicators(
  store: TrainingStore,
  province: ProvinceConfig,
  settings: TrainingSettings,
  year: number,
  comune?: string,
): Promise<TrainingIndicators> {
  const staff = staffOf(province, comune ? [comune] : undefined);
  const inScope = new Set(staff.map((s) => s.username));
  const [participations, plans, courses] = await Promise.all([
    store.participationsOfYear(province.tenantId, year),
    store.individualPlansOfYear(province.tenantId, year),
    store.coursesOfYear(province.tenantId, year),
  ]);
  const mine = participations.filter((p) => inScope.has(p.username));
  const report = buildHoursReport(
    year,
    settings.annualHoursTarget,
    staff,
    mine.filter((p) => p.certified).map((p) => ({ username: p.username, hours: p.certifiedHours })),
  );
  const withPlan = new Set(
    plans.filter((p) => p.status === 'agreed' && inScope.has(p.username)).map((p) => p.username),
  );
  const reactions = mine.flatMap((p) => (p.reaction ? [p.reaction.overall] : []));
  const passed = mine.filter((p) => p.passedTest).length;
  const spendBySource = { own: 0, state: 0, eu: 0 };
  // Spend is the province's: a comune's view shows the courses its staff attended.
  const attended = new Set(mine.map((p) => p.courseCode));
  for (const c of courses) {
    if (c.status === 'cancelled') continue;
    if (comune && !attended.has(c.courseCode)) continue;
    const source = c.fundingSource as keyof typeof spendBySource;
    if (source in spendBySource) spendBySource[source] = round(spendBySource[source] + c.cost);
  }
  const employees = staff.length;
  return {
    year,
    ...(comune ? { comune } : {}),
    employees,
    certifiedHours: report.totals.certifiedHours,
    hoursPerCapita: report.totals.hoursPerCapita,
    annualHoursTarget: settings.annualHoursTarget,
    employeesAtTarget: report.employees.filter((e) => e.meetsTarget).length,
    shareAtTarget: report.totals.shareMeetingTarget,
    employeesWithPlan: withPlan.size,
    shareWithIndividualPlan: employees ? round(withPlan.size / employees) : 0,
    participants: mine.length,
    passedTests: passed,
    passRate: mine.length ? round(passed / mine.length) : 0,
    reactionAnswers: reactions.length,
    meanReactionScore: reactions.length
      ? round(reactions.reduce((s, r) => s + r, 0) / reactions.length)
      : null,
    spendBySource,
  };
}
