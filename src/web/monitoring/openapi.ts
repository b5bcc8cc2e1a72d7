/** OpenAPI description of the monitoring endpoints under /api/v1/monitoring. */
import type { OpenApiFragment } from '../core/route-table';
import { problemResponse as problem } from '../core/openapi-parts';

const key = {
  name: 'key',
  in: 'path',
  required: true,
  description: 'Process instance key',
  schema: { type: 'string', pattern: '^[0-9]{1,19}$' },
};
const str = (description: string) => ({ type: 'string', description });
const filterParams = [
  ['processo', 'BPMN process id'],
  ['versione', 'Process version'],
  ['stato', 'ACTIVE, COMPLETED or TERMINATED'],
  ['incidenti', '1 = only instances with open incidents'],
  ['comune', 'ISTAT code of the comune'],
  ['pratica', 'Part of the case number'],
  ['avvioDal', 'Started on or after (yyyy-mm-dd)'],
  ['avvioAl', 'Started on or before (yyyy-mm-dd)'],
  ['fineDal', 'Ended on or after (yyyy-mm-dd)'],
  ['fineAl', 'Ended on or before (yyyy-mm-dd)'],
  ['variabile', 'Name of a process variable'],
  ['valore', 'Its value (JSON scalar or text)'],
].map(([name, description]) => ({ name, in: 'query', required: false, schema: str(description) }));

const results = {
  type: 'object',
  required: ['results'],
  properties: {
    results: { type: 'array', items: { $ref: '#/components/schemas/MonitoringItemResult' } },
  },
};

export const monitoringOpenApi: OpenApiFragment = {
  tags: [
    { name: 'monitoring', description: 'Process instances and incidents of the caller’s province' },
  ],
  components: {
    schemas: {
      MonitoringInstanceRow: {
        type: 'object',
        required: [
          'processInstanceKey',
          'bpmnProcessId',
          'version',
          'state',
          'hasIncident',
          'startDate',
        ],
        properties: {
          processInstanceKey: { type: 'string' },
          bpmnProcessId: { type: 'string' },
          processName: { type: 'string' },
          version: { type: 'integer' },
          processDefinitionKey: { type: 'string' },
          state: { enum: ['ACTIVE', 'COMPLETED', 'TERMINATED'] },
          hasIncident: { type: 'boolean' },
          startDate: { type: 'string', format: 'date-time' },
          endDate: { type: ['string', 'null'], format: 'date-time' },
          caseNumber: { type: ['string', 'null'] },
          comuneIstat: { type: ['string', 'null'] },
        },
      },
      MonitoringItemResult: {
        type: 'object',
        required: ['key', 'ok'],
        properties: { key: { type: 'string' }, ok: { type: 'boolean' }, error: { type: 'string' } },
      },
    },
  },
  paths: {
    '/api/v1/monitoring/instances': {
      get: {
        tags: ['monitoring'],
        operationId: 'listMonitoringInstances',
        summary: 'Process instances of the province, newest first, with the list page’s filters',
        parameters: [
          ...filterParams,
          {
            name: 'limit',
            in: 'query',
            required: false,
            schema: { type: 'integer', minimum: 1, maximum: 200 },
          },
          {
            name: 'after',
            in: 'query',
            required: false,
            schema: str('Cursor from a previous answer (next)'),
          },
        ],
        responses: {
          '200': {
            description: 'A page of instances',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['items', 'total'],
                  properties: {
                    items: {
                      type: 'array',
                      items: { $ref: '#/components/schemas/MonitoringInstanceRow' },
                    },
                    total: { type: 'integer' },
                    next: { type: ['string', 'null'] },
                  },
                },
              },
            },
          },
          '401': problem,
          '403': problem,
          '422': problem,
        },
      },
    },
    '/api/v1/monitoring/instances/{key}': {
      get: {
        tags: ['monitoring'],
        operationId: 'getMonitoringInstance',
        summary: 'One instance: element history, variables, incidents, per-element counts',
        parameters: [key],
        responses: {
          '200': {
            description: 'The instance',
            content: { 'application/json': { schema: { type: 'object' } } },
          },
          '401': problem,
          '403': problem,
          '404': problem,
        },
      },
    },
    '/api/v1/monitoring/instances/{key}/cancellation': {
      post: {
        tags: ['monitoring'],
        operationId: 'cancelMonitoringInstance',
        summary: 'Cancel a running instance (recorded in the operator log with the reason)',
        parameters: [key],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                additionalProperties: false,
                required: ['reason'],
                properties: { reason: { type: 'string', minLength: 1, maxLength: 500 } },
              },
              example: { reason: 'Richiesta ritirata dal comune' },
            },
          },
        },
        responses: {
          '200': {
            description: 'Cancelled',
            content: {
              'application/json': { schema: { $ref: '#/components/schemas/MonitoringItemResult' } },
            },
          },
          '401': problem,
          '403': problem,
          '404': problem,
          '409': problem,
          '422': problem,
        },
      },
    },
    '/api/v1/monitoring/incidents': {
      get: {
        tags: ['monitoring'],
        operationId: 'listMonitoringIncidents',
        summary: 'Open incidents grouped by process and error',
        responses: {
          '200': {
            description: 'The groups',
            content: { 'application/json': { schema: { type: 'object' } } },
          },
          '401': problem,
          '403': problem,
        },
      },
    },
    '/api/v1/monitoring/incidents/retry': {
      post: {
        tags: ['monitoring'],
        operationId: 'retryMonitoringIncidents',
        summary: 'Raise the retries of each incident’s job and resolve it; one result per incident',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                additionalProperties: false,
                required: ['incidentKeys', 'reason'],
                properties: {
                  incidentKeys: {
                    type: 'array',
                    minItems: 1,
                    maxItems: 500,
                    items: { type: 'string', pattern: '^[0-9]{1,19}$' },
                  },
                  reason: { type: 'string', minLength: 1, maxLength: 500 },
                },
              },
              example: {
                incidentKeys: ['2251799813685300'],
                reason: 'Servizio esterno di nuovo disponibile',
              },
            },
          },
        },
        responses: {
          '200': {
            description: 'One result per incident',
            content: { 'application/json': { schema: results } },
          },
          '401': problem,
          '403': problem,
          '422': problem,
        },
      },
    },
  },
};
