/**
 * JSON Schema of the settings a province can customise: default.yaml holds the
 * defaults, a province's `settings:` overrides any part of them.
 */
import { servicesSettingsSchema } from './services';

export const settingsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['procurement'],
  properties: {
    ...servicesSettingsSchema,
    locale: { enum: ['it', 'en'] },
  },
} as const;
