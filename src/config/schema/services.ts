/**
 * JSON Schema of the service-line settings (procurement, EU funding, data requests,
 * notifications, documents). Every number that law or a province can change lives in
 * engine-config/, never in code; this schema validates it at start-up.
 */
export const servicesSettingsSchema = {
  procurement: {
    type: 'object',
    additionalProperties: false,
    required: ['thresholds'],
    properties: {
      thresholds: {
        type: 'object',
        additionalProperties: false,
        description: 'D.Lgs. 36/2023 art. 14 and 50; EU thresholds 2026-2027 (Reg. del. (UE) 2025/2150-2152)',
        required: [
          'euWorks',
          'euServicesSupplies',
          'euSocialServices',
          'directAwardWorks',
          'directAwardServicesSupplies',
          'negotiatedWorksTenOperators',
        ],
        properties: {
          euWorks: { type: 'number', exclusiveMinimum: 0 },
          euServicesSupplies: { type: 'number', exclusiveMinimum: 0 },
          euSocialServices: { type: 'number', exclusiveMinimum: 0 },
          directAwardWorks: { type: 'number', exclusiveMinimum: 0 },
          directAwardServicesSupplies: { type: 'number', exclusiveMinimum: 0 },
          negotiatedWorksTenOperators: { type: 'number', exclusiveMinimum: 0 },
        },
      },
    },
  },
} as const;
