/**
 * JSON Schema of the settings a province can customise: default.yaml holds the
 * defaults, a province's `settings:` overrides any part of them.
 */
import { analyticsSettingsSchema } from './analytics';
import { inboxSettingsSchema } from './inbox';
import { processesSettingsSchema } from './processes';
import { servicesSettingsSchema } from './services';
import { trainingSettingsSchema } from './training';

export const settingsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['procurement'],
  properties: {
    ...servicesSettingsSchema,
    ...analyticsSettingsSchema,
    ...inboxSettingsSchema,
    ...processesSettingsSchema,
    ...trainingSettingsSchema,
    locale: { enum: ['it', 'en'] },
  },
} as const;
