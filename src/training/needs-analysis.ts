/**
 * Needs analysis of a campaign: for every validated self-assessment, the gap between
 * the level the person's role band should reach (settings.requiredLevels) and the
 * level they declared, per Syllabus area; and the mandatory topics not yet done.
 * Aggregated twice: per comune, office and area (the report the training office
 * reads) and per area (or topic) and role band across the province (the rows the
 * priority DMN ranks). Pure functions: no database, no clock.
 */
import type { MandatoryTopic, TrainingSettings } from './settings';
import { levelValue, ROLE_BANDS, SYLLABUS_AREAS, type RoleBand } from './syllabus';

export interface Assessment {
  username: string;
  comuneIstat: string;
  office: string;
  roleBand: RoleBand;
  competences: Record<string, string>;
  mandatoryTopicsDone: string[];
  preferredMode?: string;
}

/** One row for the priority DMN (trainingPriority). */
export interface GapRow {
  /** Syllabus area id, or null for a mandatory topic row. */
  area: string | null;
  /** Mandatory topic id, or null for an area row. */
  topic: string | null;
  roleBand: RoleBand;
  mandatory: boolean;
  /** Mean gap in levels (0-3) over the people of the row; 0 for topic rows. */
  gap: number;
  /** Share (0-1) of the people of the row with a gap (or the topic missing). */
  shareWithGap: number;
  employees: number;
}

/** Per comune, office and area (or topic): the detail the plan and reports show. */
export interface GapDetail {
  comuneIstat: string;
  office: string;
  area: string | null;
  topic: string | null;
  employees: number;
  employeesWithGap: number;
  meanGap: number;
}

export interface NeedsAnalysis {
  assessments: number;
  gapRows: GapRow[];
  details: GapDetail[];
  preferredModes: Record<string, number>;
}

const round = (n: number) => Math.round(n * 100) / 100;

/** Mean gap of one person in one Syllabus area (0 when at or above the required level). */
export function areaGap(a: Assessment, areaId: string, settings: TrainingSettings): number {
  const area = SYLLABUS_AREAS.find((x) => x.id === areaId);
  if (!area) throw new Error(`Unknown Syllabus area "${areaId}"`);
  const required = levelValue(settings.requiredLevels[a.roleBand]);
  const gaps = area.competences.map((c) => Math.max(0, required - levelValue(a.competences[c.id])));
  return gaps.reduce((s, g) => s + g, 0) / gaps.length;
}

function topicMissing(a: Assessment, topic: MandatoryTopic): boolean {
  return !a.mandatoryTopicsDone.includes(topic.id);
}

export function analyseNeeds(assessments: Assessment[], settings: TrainingSettings): NeedsAnalysis {
  const gapRows: GapRow[] = [];
  for (const band of ROLE_BANDS) {
    const people = assessments.filter((a) => a.roleBand === band);
    if (people.length === 0) continue;
    for (const area of SYLLABUS_AREAS) {
      const gaps = people.map((p) => areaGap(p, area.id, settings));
      gapRows.push({
        area: area.id,
        topic: null,
        roleBand: band,
        mandatory: false,
        gap: round(gaps.reduce((s, g) => s + g, 0) / people.length),
        shareWithGap: round(gaps.filter((g) => g > 0).length / people.length),
        employees: people.length,
      });
    }
    for (const topic of settings.mandatoryTopics) {
      const missing = people.filter((p) => topicMissing(p, topic)).length;
      gapRows.push({
        area: null,
        topic: topic.id,
        roleBand: band,
        mandatory: true,
        gap: 0,
        shareWithGap: round(missing / people.length),
        employees: people.length,
      });
    }
  }

  const details: GapDetail[] = [];
  const groups = new Map<string, Assessment[]>();
  for (const a of assessments) {
    const k = `${a.comuneIstat}\u0000${a.office}`;
    groups.set(k, [...(groups.get(k) ?? []), a]);
  }
  for (const people of groups.values()) {
    const { comuneIstat, office } = people[0];
    for (const area of SYLLABUS_AREAS) {
      const gaps = people.map((p) => areaGap(p, area.id, settings));
      details.push({
        comuneIstat,
        office,
        area: area.id,
        topic: null,
        employees: people.length,
        employeesWithGap: gaps.filter((g) => g > 0).length,
        meanGap: round(gaps.reduce((s, g) => s + g, 0) / people.length),
      });
    }
    for (const topic of settings.mandatoryTopics) {
      const missing = people.filter((p) => topicMissing(p, topic)).length;
      details.push({
        comuneIstat,
        office,
        area: null,
        topic: topic.id,
        employees: people.length,
        employeesWithGap: missing,
        meanGap: 0,
      });
    }
  }

  const preferredModes: Record<string, number> = {};
  for (const a of assessments) {
    if (a.preferredMode)
      preferredModes[a.preferredMode] = (preferredModes[a.preferredMode] ?? 0) + 1;
  }
  return { assessments: assessments.length, gapRows, details, preferredModes };
}
