/**
 * A first draft of the training plan from the ranked needs: one action per need the
 * priority DMN ranked "alta" or "media", most urgent first, with a first estimate of
 * the hours (settings.planning). The training office edits it in the plan form.
 */
import type { GapRow } from './needs-analysis';
import type { TrainingSettings } from './settings';
import { ROLE_BAND_NAMES, SYLLABUS_AREAS, type PiaoArea } from './syllabus';

export interface RankedNeed extends GapRow {
  priority: string;
  rank: number;
  reason: string;
}

export interface PlanAction {
  area: PiaoArea;
  mandatory: boolean;
  title: string;
  target: string;
  targetCount: number;
  mode: string;
  hoursPerCapita: number;
  resource: string;
  period: string;
}

/** Which PIAO area a mandatory topic belongs to. */
const TOPIC_AREA: Record<string, PiaoArea> = {
  communication: 'public-values',
  safety: 'administrative',
  'anti-corruption': 'public-values',
  'ethics-transparency': 'public-values',
  'public-contracts': 'administrative',
  'smart-working': 'leadership',
  'strategic-planning': 'leadership',
};

export function proposePlanActions(
  needs: RankedNeed[],
  settings: TrainingSettings,
  preferredMode: string,
): PlanAction[] {
  const urgent = needs
    .filter((n) => n.priority === 'alta' || n.priority === 'media')
    .sort((a, b) => a.rank - b.rank || b.shareWithGap - a.shareWithGap || b.gap - a.gap);
  return urgent.map((n): PlanAction => {
    const band = ROLE_BAND_NAMES[n.roleBand];
    const withGap = Math.max(1, Math.round(n.shareWithGap * n.employees));
    if (n.topic) {
      const topic = settings.mandatoryTopics.find((t) => t.id === n.topic);
      return {
        area: TOPIC_AREA[n.topic] ?? 'administrative',
        mandatory: true,
        title: `${topic?.name ?? n.topic} (${topic?.source ?? ''}) – ${band}`,
        target: n.roleBand,
        targetCount: withGap,
        mode: preferredMode,
        hoursPerCapita: settings.planning.mandatoryTopicHours,
        resource: 'sna',
        period: 'q1',
      };
    }
    const area = SYLLABUS_AREAS.find((a) => a.id === n.area);
    return {
      area: 'digital',
      mandatory: false,
      title: `Syllabus – ${area?.name ?? n.area} – ${band}`,
      target: n.roleBand,
      targetCount: withGap,
      mode: 'e-learning',
      hoursPerCapita: Math.max(1, Math.round(n.gap * settings.planning.hoursPerGapLevel)),
      resource: 'syllabus',
      period: n.rank === 1 ? 'q1' : 'q2',
    };
  });
}
