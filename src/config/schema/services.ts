/**
 * JSON Schema of the service-line settings (procurement, EU funding, data requests,
 * notifications, documents). Every number that law or a province can change lives in
 * engine-config/, never in code; this schema validates it at start-up.
 */
const positive = { type: 'number', exclusiveMinimum: 0 } as const;
const positiveInteger = { type: 'integer', minimum: 1 } as const;
/** ISO 8601 duration as Zeebe timers accept it (e.g. P35D, PT12H, PT2S). */
/** Where a value comes from, shown next to it in the settings editor (src/settings). */
const law = (source: string) => ({ ...positive, 'x-source': source });
const POLICY = 'Scelta della provincia';
const isoDuration = {
  type: 'string',
  pattern: '^P(?!$)(\\d+Y)?(\\d+M)?(\\d+W)?(\\d+D)?(T(?=\\d)(\\d+H)?(\\d+M)?(\\d+(\\.\\d+)?S)?)?$',
} as const;

export const servicesSettingsSchema = {
  procurement: {
    type: 'object',
    additionalProperties: false,
    required: ['thresholds'],
    properties: {
      thresholds: {
        type: 'object',
        additionalProperties: false,
        description:
          'D.Lgs. 36/2023 art. 14 and 50; EU thresholds 2026-2027 (Reg. del. (UE) 2025/2150-2152)',
        required: [
          'euWorks',
          'euServicesSupplies',
          'euSocialServices',
          'directAwardWorks',
          'directAwardServicesSupplies',
          'negotiatedWorksTenOperators',
        ],
        properties: {
          euWorks: law('D.Lgs. 36/2023, art. 14 c.1 lett. a); Reg. delegato (UE) 2025/2150'),
          euServicesSupplies: law(
            'D.Lgs. 36/2023, art. 14 c.1 lett. c) (stazioni appaltanti sub-centrali); Reg. delegato (UE) 2025/2151',
          ),
          euSocialServices: law(
            'D.Lgs. 36/2023, art. 14 c.1 lett. d) (servizi sociali e assimilati); Reg. delegato (UE) 2025/2152',
          ),
          directAwardWorks: law('D.Lgs. 36/2023, art. 50 c.1 lett. a)'),
          directAwardServicesSupplies: law('D.Lgs. 36/2023, art. 50 c.1 lett. b)'),
          negotiatedWorksTenOperators: law('D.Lgs. 36/2023, art. 50 c.1 lett. d)'),
        },
      },
      minOperators: {
        type: 'object',
        additionalProperties: false,
        description: 'D.Lgs. 36/2023 art. 50 c.1 lett. c), d), e): operators to invite',
        properties: {
          negotiatedWorks: {
            ...positiveInteger,
            'x-source': 'D.Lgs. 36/2023, art. 50 c.1 lett. c)',
          },
          negotiatedWorksTenOperators: {
            ...positiveInteger,
            'x-source': 'D.Lgs. 36/2023, art. 50 c.1 lett. d)',
          },
          negotiatedServicesSupplies: {
            ...positiveInteger,
            'x-source': 'D.Lgs. 36/2023, art. 50 c.1 lett. e)',
          },
        },
      },
      /** Art. 18 c.3: stand-still period before signing (does not apply below EU thresholds, art. 55). */
      standStill: {
        ...isoDuration,
        'x-source': 'D.Lgs. 36/2023, art. 18 c.3 (non si applica sotto le soglie UE: art. 55 c.2)',
      },
      /** Art. 71: minimum time for offers in an open procedure. */
      openProcedureMinOfferDays: { ...positiveInteger, 'x-source': 'D.Lgs. 36/2023, art. 71' },
      /** Integration of missing documents by the comune: reminder and escalation. */
      integrationReminderAfter: { ...isoDuration, 'x-source': POLICY },
      integrationEscalationAfter: { ...isoDuration, 'x-source': POLICY },
      /** Art. 110: an offer is presumed anomalous when its rebate exceeds the average by this share. */
      anomalyMarginPercent: {
        type: 'number',
        minimum: 0,
        'x-source': 'D.Lgs. 36/2023, art. 110 e allegato II.2 (margine scelto dalla provincia)',
      },
      /** Art. 108 c.4: best price-quality, the price component weighs at most 30 points. */
      technicalWeightPercent: {
        type: 'number',
        minimum: 70,
        maximum: 100,
        'x-source': 'D.Lgs. 36/2023, art. 108 c.4 (punteggio economico entro 30 punti)',
      },
    },
  },
  euFunding: {
    type: 'object',
    additionalProperties: false,
    properties: {
      submissionReminderBefore: { ...isoDuration, 'x-source': POLICY },
      submissionEscalationBefore: { ...isoDuration, 'x-source': POLICY },
      evaluationTimeout: { ...isoDuration, 'x-source': POLICY },
      /** Themes the province's SAPE actively scouts (input of the call-matching DMN). */
      scoutedThemes: { type: 'array', items: { type: 'string', minLength: 1 } },
    },
  },
  dataRequests: {
    type: 'object',
    additionalProperties: false,
    properties: {
      serviceLevel: {
        ...isoDuration,
        'x-source':
          'L. 241/1990, art. 2 (30 giorni se non è fissato un altro termine); CAD art. 50',
      },
      reminderBefore: { ...isoDuration, 'x-source': POLICY },
      /** Smallest group size published after aggregation (statistical disclosure control). */
      minCellSize: {
        ...positiveInteger,
        'x-source': 'Reg. (UE) 2016/679 (GDPR), art. 89: garanzie per i fini statistici',
      },
      openData: {
        type: 'object',
        additionalProperties: false,
        properties: {
          catalogueBaseUrl: { type: 'string', format: 'uri' },
          license: {
            type: 'string',
            format: 'uri',
            'x-source': 'D.Lgs. 36/2006 come modificato dal D.Lgs. 200/2021; CAD art. 52',
          },
          licenseName: { type: 'string', minLength: 1 },
        },
      },
    },
  },
  notifications: {
    type: 'object',
    additionalProperties: false,
    properties: {
      from: { type: 'string', minLength: 3 },
      smtp: {
        type: 'object',
        additionalProperties: false,
        required: ['host', 'port'],
        properties: {
          host: { type: 'string', minLength: 1 },
          port: { type: 'integer', minimum: 1, maximum: 65535 },
          secure: { type: 'boolean' },
          user: { type: 'string' },
          /** Name of the environment variable that holds the password (never the password). */
          passwordEnv: { type: 'string', pattern: '^[A-Z_][A-Z0-9_]*$' },
        },
      },
    },
  },
  documents: {
    type: 'object',
    additionalProperties: false,
    properties: {
      /** Base URL used in e-mails to link documents for download. */
      downloadBaseUrl: { type: 'string', format: 'uri' },
    },
  },
} as const;
