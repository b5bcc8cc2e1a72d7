/** OpenAPI description of /api/v1/analytics. */
import type { OpenApiFragment } from '../core/route-table';
import { problemResponse as problem } from '../core/openapi-parts';

const day = (name: string, description: string) => ({
  name,
  in: 'query',
  required: false,
  description,
  schema: { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' },
});

export const analyticsOpenApi: OpenApiFragment = {
  tags: [
    { name: 'analytics', description: 'Indicators of the caller’s province per service line' },
  ],
  components: {
    schemas: {
      AnalyticsTable: {
        type: 'object',
        required: ['id', 'columns', 'rows'],
        properties: {
          id: { type: 'string' },
          columns: {
            type: 'array',
            items: {
              type: 'object',
              required: ['key', 'kind'],
              properties: {
                key: { type: 'string' },
                kind: { enum: ['text', 'integer', 'number', 'percent', 'money', 'days'] },
              },
            },
          },
          rows: { type: 'array', items: { type: 'object' } },
        },
      },
    },
  },
  paths: {
    '/api/v1/analytics/{section}': {
      get: {
        tags: ['analytics'],
        operationId: 'getAnalyticsSection',
        summary:
          'The indicator tables of a service line (the same numbers as the /indicatori page)',
        parameters: [
          {
            name: 'section',
            in: 'path',
            required: true,
            schema: { enum: ['procurement', 'euFunding', 'dataRequests', 'training', 'across'] },
          },
          day('dal', 'First day of the period (default: one year ago)'),
          day('al', 'Last day of the period (default: today)'),
          {
            name: 'comune',
            in: 'query',
            required: false,
            description: 'ISTAT code of a comune of the province',
            schema: { type: 'string', pattern: '^[0-9]{6}$' },
          },
        ],
        responses: {
          '200': {
            description: 'The tables',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['tables'],
                  properties: {
                    tables: {
                      type: 'array',
                      items: { $ref: '#/components/schemas/AnalyticsTable' },
                    },
                  },
                },
              },
            },
          },
          '401': problem,
          '403': problem,
          '404': problem,
          '422': problem,
        },
      },
    },
  },
};
