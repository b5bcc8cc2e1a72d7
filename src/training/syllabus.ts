/**
 * The frameworks the training line speaks in: the Syllabus "Competenze digitali per la
 * PA" (5 areas, 11 competences, levels base / intermedio / avanzato), the five areas of
 * the PIAO training section, and the role bands (CCNL Funzioni Locali 2019-2021 areas,
 * plus dirigenti). These are classifications, not numbers a law or a province changes,
 * so they live in code; targets and thresholds live in engine-config (`training:`).
 */
import { ROLE_BANDS, type RoleBand } from '../config/schema/training';

export const SYLLABUS_LEVELS = ['none', 'base', 'intermedio', 'avanzato'] as const;
export type SyllabusLevel = (typeof SYLLABUS_LEVELS)[number];

/** none = 0, base = 1, intermedio = 2, avanzato = 3: gaps are counted in levels. */
export function levelValue(level: unknown): number {
  const i = SYLLABUS_LEVELS.indexOf(level as SyllabusLevel);
  return i < 0 ? 0 : i;
}

export interface SyllabusArea {
  id: string;
  name: string;
  competences: { id: string; name: string }[];
}

export const SYLLABUS_AREAS: SyllabusArea[] = [
  {
    id: 'data',
    name: 'Dati, informazioni e documenti informatici',
    competences: [
      { id: 'c1_1', name: 'Gestire dati, informazioni e contenuti digitali' },
      { id: 'c1_2', name: 'Produrre, valutare e gestire documenti informatici' },
      { id: 'c1_3', name: 'Conoscere gli open data' },
    ],
  },
  {
    id: 'communication',
    name: 'Comunicazione e condivisione',
    competences: [
      { id: 'c2_1', name: 'Comunicare e condividere all’interno dell’amministrazione' },
      { id: 'c2_2', name: 'Comunicare e condividere con cittadini, imprese e altre PA' },
    ],
  },
  {
    id: 'security',
    name: 'Sicurezza',
    competences: [
      { id: 'c3_1', name: 'Proteggere i dispositivi' },
      { id: 'c3_2', name: 'Proteggere i dati personali e la privacy' },
    ],
  },
  {
    id: 'online-services',
    name: 'Servizi on-line',
    competences: [
      { id: 'c4_1', name: 'Conoscere l’identità digitale' },
      { id: 'c4_2', name: 'Erogare servizi on-line' },
    ],
  },
  {
    id: 'digital-transformation',
    name: 'Trasformazione digitale',
    competences: [
      { id: 'c5_1', name: 'Conoscere gli obiettivi della trasformazione digitale' },
      { id: 'c5_2', name: 'Conoscere le tecnologie emergenti per la trasformazione digitale' },
    ],
  },
];

export const SYLLABUS_COMPETENCE_IDS = SYLLABUS_AREAS.flatMap((a) =>
  a.competences.map((c) => c.id),
);

/** Areas of the PIAO training section (DM 132/2022). */
export const PIAO_AREAS = [
  'leadership',
  'administrative',
  'digital',
  'ecological-transition',
  'public-values',
] as const;
export type PiaoArea = (typeof PIAO_AREAS)[number];

export const PIAO_AREA_NAMES: Record<PiaoArea, string> = {
  leadership: 'Leadership e competenze trasversali',
  administrative: 'Competenze amministrative e giuridiche',
  digital: 'Competenze digitali',
  'ecological-transition': 'Transizione ecologica',
  'public-values': 'Valori e principi della pubblica amministrazione',
};

// The bands are part of the settings schema (a province's hours per band), defined once there.
export { ROLE_BANDS, type RoleBand };

export const ROLE_BAND_NAMES: Record<RoleBand, string> = {
  dirigente: 'Dirigenti',
  funzionario: 'Funzionari ed elevate qualificazioni',
  istruttore: 'Istruttori',
  'operatore-esperto': 'Operatori esperti',
  operatore: 'Operatori',
};
