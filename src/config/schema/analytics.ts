/**
 * JSON Schema of the analytics settings: the service level of each office (the
 * candidate group of a user task), used for "SLA compliance per office", and how often
 * alert thresholds are checked.
 */
const isoDuration = {
  type: 'string',
  pattern: '^P(?!$)(\\d+Y)?(\\d+M)?(\\d+W)?(\\d+D)?(T(?=\\d)(\\d+H)?(\\d+M)?(\\d+(\\.\\d+)?S)?)?$',
} as const;

export const analyticsSettingsSchema = {
  analytics: {
    type: 'object',
    additionalProperties: false,
    properties: {
      /** office (candidate group) → longest time a task of that office should wait. */
      officeServiceLevels: {
        type: 'object',
        propertyNames: { pattern: '^[a-z][a-z0-9-]{0,49}$' },
        additionalProperties: isoDuration,
      },
      /** cron expression (croner) for the alert check. */
      alertCheckCron: { type: 'string', minLength: 9, maxLength: 100 },
    },
  },
} as const;
