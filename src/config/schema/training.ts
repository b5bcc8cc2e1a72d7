/**
 * JSON Schema of the training line's settings (engine-config `training:`). Every number
 * comes from the law or from a province's policy, named next to it in default.yaml.
 */
const isoDuration = {
  type: 'string',
  pattern: '^P(?!$)(\\d+Y)?(\\d+M)?(\\d+W)?(\\d+D)?(T(?=\\d)(\\d+H)?(\\d+M)?(\\d+(\\.\\d+)?S)?)?$',
} as const;
const syllabusLevel = { enum: ['none', 'base', 'intermedio', 'avanzato'] } as const;

export const ROLE_BANDS = [
  'dirigente',
  'funzionario',
  'istruttore',
  'operatore-esperto',
  'operatore',
] as const;
export type RoleBand = (typeof ROLE_BANDS)[number];

export const trainingSettingsSchema = {
  training: {
    type: 'object',
    additionalProperties: false,
    properties: {
      /** Hours of training per employee per calendar year (Direttiva 14 gennaio 2025). */
      annualHoursTarget: {
        type: 'number',
        exclusiveMinimum: 0,
        maximum: 2000,
        'x-source': 'Direttiva del Ministro per la pubblica amministrazione del 14 gennaio 2025',
      },
      /** Topics whose training is mandatory and counts towards the annual hours. */
      mandatoryTopics: {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['id', 'name', 'source'],
          properties: {
            id: { type: 'string', pattern: '^[a-z][a-z0-9-]{1,40}$' },
            name: { type: 'string', minLength: 3 },
            source: { type: 'string', minLength: 3 },
          },
        },
      },
      /** Syllabus level each role band should reach in every competence (province policy). */
      requiredLevels: {
        type: 'object',
        additionalProperties: false,
        required: [...ROLE_BANDS],
        properties: Object.fromEntries(ROLE_BANDS.map((b) => [b, syllabusLevel])),
      },
      survey: {
        type: 'object',
        additionalProperties: false,
        properties: {
          reminderBefore: isoDuration,
          escalationBefore: isoDuration,
        },
      },
      certificate: {
        type: 'object',
        additionalProperties: false,
        properties: {
          minAttendancePercent: {
            type: 'number',
            minimum: 0,
            maximum: 100,
            'x-source': 'UPI, «Modulo Appalti» presentato alla SNA il 27 giugno 2025',
          },
          minTestScorePercent: {
            type: 'number',
            minimum: 0,
            maximum: 100,
            'x-source': 'UPI, «Modulo Appalti» presentato alla SNA il 27 giugno 2025',
          },
        },
      },
      /** First estimate of hours in the proposed plan (province policy; the training office edits it). */
      planning: {
        type: 'object',
        additionalProperties: false,
        properties: {
          hoursPerGapLevel: { type: 'number', exclusiveMinimum: 0, maximum: 200 },
          mandatoryTopicHours: { type: 'number', exclusiveMinimum: 0, maximum: 200 },
        },
      },
      evaluation: {
        type: 'object',
        additionalProperties: false,
        properties: {
          /** How long participants and dirigenti have to answer a questionnaire. */
          questionnaireWindow: isoDuration,
          /** Kirkpatrick level 3: follow-up questionnaire to the dirigente after this period. */
          followUpAfter: isoDuration,
        },
      },
    },
  },
} as const;
