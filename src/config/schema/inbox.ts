/**
 * JSON Schema of the inbox and calendar settings (engine-config default.yaml, overridable
 * per province): closure days, deadline lights, office heads for escalations, and per
 * process the business columns of the task lists and the deadlines of its user tasks.
 */
const roleName = { type: 'string', pattern: '^[a-z][a-z0-9-]{1,40}$' } as const;
const variableName = { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]{0,60}$' } as const;

export const inboxSettingsSchema = {
  calendar: {
    type: 'object',
    additionalProperties: false,
    properties: {
      /** Closure days of the offices: "MM-DD" every year (patron saint) or "YYYY-MM-DD" once. */
      closureDays: {
        type: 'array',
        items: { type: 'string', pattern: '^([0-9]{4}-)?[0-9]{2}-[0-9]{2}$' },
        uniqueItems: true,
      },
      /** Yellow light when at most this many working days are left. */
      warnWorkingDays: { type: 'integer', minimum: 0, maximum: 30 },
    },
  },
  inbox: {
    type: 'object',
    additionalProperties: false,
    properties: {
      /** Candidate group -> role of the office head who receives escalations of overdue tasks. */
      officeHeads: { type: 'object', additionalProperties: roleName },
      /** Reminder to the assignee (or the office) this many working days before the due day. */
      reminderWorkingDaysBefore: { type: 'integer', minimum: 0, maximum: 30 },
      /** Hour of the day (Europe/Rome) at which daily digests are sent. */
      digestHour: { type: 'integer', minimum: 0, maximum: 23 },
      processes: {
        type: 'object',
        additionalProperties: {
          type: 'object',
          additionalProperties: false,
          properties: {
            /** Process variable holding the comune's ISTAT code (default comuneIstat). */
            comuneVariable: variableName,
            /** Process variable holding the subject shown in the lists (default subject). */
            subjectVariable: variableName,
            columns: {
              type: 'array',
              maxItems: 12,
              items: {
                type: 'object',
                additionalProperties: false,
                required: ['variable', 'label'],
                properties: {
                  variable: variableName,
                  label: { type: 'string', minLength: 1, maxLength: 60 },
                  type: { enum: ['text', 'currency', 'number', 'date'] },
                  /** Searched by the free-text search of the lists. */
                  searchable: { type: 'boolean' },
                },
              },
            },
            tasks: {
              type: 'object',
              additionalProperties: {
                type: 'object',
                additionalProperties: false,
                properties: {
                  /** Due this many working days after the task was created (unless the model sets a due date). */
                  dueInWorkingDays: { type: 'integer', minimum: 0, maximum: 365 },
                  priority: { type: 'integer', minimum: 0, maximum: 100 },
                },
              },
            },
          },
        },
      },
    },
  },
} as const;
