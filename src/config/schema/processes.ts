/**
 * JSON Schema of the process settings of a province (src/settings edits them): which
 * service lines it runs, which variant of a process runs for which comuni, and its
 * offices. Semantic checks (a variant exists, a comune belongs to the province) are done
 * by src/settings when a province saves them.
 */
import { PROCESS_LINES, ROLES } from './province';

const processId = { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_.-]{0,79}$' } as const;

export const processesSettingsSchema = {
  processes: {
    type: 'object',
    additionalProperties: false,
    properties: {
      /** Service lines the province runs (default: the province file's enabledProcesses). */
      enabled: { type: 'array', items: { enum: PROCESS_LINES }, uniqueItems: true },
      /**
       * Variants: the process `variant` runs instead of the shared process `process` for
       * the listed comuni, or for every comune of the province when `comuni` is empty.
       * The first matching entry wins; a comune without one runs the shared process.
       */
      variants: {
        type: 'array',
        maxItems: 100,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['process', 'variant'],
          properties: {
            process: processId,
            variant: processId,
            comuni: {
              type: 'array',
              items: { type: 'string', pattern: '^[0-9]{6}$' },
              uniqueItems: true,
            },
          },
        },
      },
    },
  },
  /** Offices of the province and the roles (candidate groups) each one covers. */
  offices: {
    type: 'array',
    maxItems: 100,
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['code', 'name'],
      properties: {
        code: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{1,40}$' },
        name: { type: 'string', minLength: 2, maxLength: 120 },
        email: { type: 'string', format: 'email' },
        roles: { type: 'array', items: { enum: ROLES }, uniqueItems: true },
      },
    },
  },
} as const;
