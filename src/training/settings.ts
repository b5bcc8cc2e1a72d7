/** The training settings of a province (engine-config `training:`), with the defaults' types. */
import type { SyllabusLevel, RoleBand } from './syllabus';

export interface MandatoryTopic {
  id: string;
  name: string;
  source: string;
}

export interface TrainingSettings {
  annualHoursTarget: number;
  mandatoryTopics: MandatoryTopic[];
  requiredLevels: Record<RoleBand, SyllabusLevel>;
  survey: { reminderBefore: string; escalationBefore: string };
  certificate: { minAttendancePercent: number; minTestScorePercent: number };
  planning: { hoursPerGapLevel: number; mandatoryTopicHours: number };
  evaluation: { questionnaireWindow: string; followUpAfter: string };
}

/**
 * Reads the `training` section of a province's merged settings. default.yaml always
 * provides every value (the schema validated it at start), so a missing value here is
 * a configuration error, named as such.
 */
export function trainingSettingsOf(settings: Record<string, unknown>): TrainingSettings {
  const t = settings.training as Partial<TrainingSettings> | undefined;
  const missing = (name: string): never => {
    throw new Error(`training settings: "training.${name}" is missing from engine-config`);
  };
  return {
    annualHoursTarget: t?.annualHoursTarget ?? missing('annualHoursTarget'),
    mandatoryTopics: t?.mandatoryTopics ?? missing('mandatoryTopics'),
    requiredLevels: t?.requiredLevels ?? missing('requiredLevels'),
    survey: {
      reminderBefore: t?.survey?.reminderBefore ?? missing('survey.reminderBefore'),
      escalationBefore: t?.survey?.escalationBefore ?? missing('survey.escalationBefore'),
    },
    certificate: {
      minAttendancePercent:
        t?.certificate?.minAttendancePercent ?? missing('certificate.minAttendancePercent'),
      minTestScorePercent:
        t?.certificate?.minTestScorePercent ?? missing('certificate.minTestScorePercent'),
    },
    planning: {
      hoursPerGapLevel: t?.planning?.hoursPerGapLevel ?? missing('planning.hoursPerGapLevel'),
      mandatoryTopicHours:
        t?.planning?.mandatoryTopicHours ?? missing('planning.mandatoryTopicHours'),
    },
    evaluation: {
      questionnaireWindow:
        t?.evaluation?.questionnaireWindow ?? missing('evaluation.questionnaireWindow'),
      followUpAfter: t?.evaluation?.followUpAfter ?? missing('evaluation.followUpAfter'),
    },
  };
}
