/** OpenAPI description of /api/v1/settings and /api/v1/templates. */
import type { OpenApiFragment } from '../../core/route-table';
import { problemResponse as problem, jsonContent as json } from '../../core/openapi-parts';

const errors = {
  '400': problem,
  '401': problem,
  '403': problem,
  '404': problem,
  '409': problem,
  '422': problem,
};
const author = {
  type: 'object',
  properties: { username: { type: 'string' }, displayName: { type: 'string' } },
};
const templateParams = [
  { name: 'kind', in: 'path', required: true, schema: { enum: ['emails', 'documents'] } },
  {
    name: 'name',
    in: 'path',
    required: true,
    schema: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,80}$' },
  },
];

export const settingsOpenApi: OpenApiFragment = {
  tags: [
    {
      name: 'settings',
      description: 'Province settings as versions over the engine-config defaults',
    },
    {
      name: 'templates',
      description: 'Document and e-mail templates of the province (handlebars)',
    },
  ],
  components: {
    schemas: {
      CurrentSettings: {
        type: 'object',
        required: ['tenantId', 'version', 'effective', 'overrides'],
        properties: {
          tenantId: { type: 'string' },
          version: { type: 'integer', description: '0 = the engine-config files as they are' },
          effective: {
            type: 'object',
            description: 'The settings in force (engine-config + the saved version)',
          },
          overrides: {
            type: 'object',
            description: 'What the saved version changes with respect to engine-config',
          },
          author,
          message: { type: 'string' },
          createdAt: { type: 'string', format: 'date-time' },
        },
      },
    },
  },
  paths: {
    '/api/v1/settings': {
      get: {
        tags: ['settings'],
        operationId: 'getSettings',
        summary: 'The province’s current settings',
        responses: {
          '200': {
            description: 'Current settings',
            content: json({ $ref: '#/components/schemas/CurrentSettings' }),
          },
          ...errors,
        },
      },
      put: {
        tags: ['settings'],
        operationId: 'putSettings',
        summary:
          'Save the settings as a new version; an invalid value answers 422 naming the field path (e.g. procurement/thresholds/directAwardWorks) and nothing is saved',
        requestBody: {
          required: true,
          content: json({
            type: 'object',
            additionalProperties: false,
            required: ['settings'],
            properties: {
              settings: {
                type: 'object',
                description: 'The complete settings; omitted values fall back to engine-config',
              },
              message: { type: 'string', maxLength: 500 },
              expectedVersion: {
                type: 'integer',
                minimum: 0,
                description: 'Refuse (409) if another version was saved meanwhile',
              },
            },
            example: {
              settings: { procurement: { thresholds: { directAwardWorks: 150000 } } },
              message: 'Esempio',
            },
          }),
        },
        responses: {
          '200': { description: 'The new version', content: json({ type: 'object' }) },
          ...errors,
        },
      },
    },
    '/api/v1/settings/versions': {
      get: {
        tags: ['settings'],
        operationId: 'listSettingsVersions',
        summary: 'Who changed what and when, newest first',
        responses: {
          '200': {
            description: 'Versions',
            content: json({ type: 'array', items: { type: 'object' } }),
          },
          ...errors,
        },
      },
    },
    '/api/v1/settings/versions/{version}': {
      parameters: [
        { name: 'version', in: 'path', required: true, schema: { type: 'integer', minimum: 0 } },
      ],
      get: {
        tags: ['settings'],
        operationId: 'getSettingsVersion',
        summary: 'The settings of one version',
        responses: {
          '200': {
            description: 'The version',
            content: json({ $ref: '#/components/schemas/CurrentSettings' }),
          },
          ...errors,
        },
      },
    },
    '/api/v1/settings/compare': {
      parameters: [
        { name: 'from', in: 'query', required: true, schema: { type: 'integer', minimum: 0 } },
        { name: 'to', in: 'query', required: true, schema: { type: 'integer', minimum: 0 } },
      ],
      get: {
        tags: ['settings'],
        operationId: 'compareSettings',
        summary: 'The values that differ between two versions',
        responses: {
          '200': {
            description: 'Changed values',
            content: json({ type: 'array', items: { type: 'object' } }),
          },
          ...errors,
        },
      },
    },
    '/api/v1/templates': {
      get: {
        tags: ['templates'],
        operationId: 'listTemplates',
        summary: 'The province’s templates and where each comes from',
        responses: {
          '200': {
            description: 'Templates',
            content: json({ type: 'array', items: { type: 'object' } }),
          },
          ...errors,
        },
      },
    },
    '/api/v1/templates/{kind}/{name}': {
      parameters: templateParams,
      get: {
        tags: ['templates'],
        operationId: 'getTemplate',
        summary: 'A template’s current text',
        responses: {
          '200': { description: 'The template', content: json({ type: 'object' }) },
          ...errors,
        },
      },
      put: {
        tags: ['templates'],
        operationId: 'putTemplate',
        summary:
          'Save a new version (text null = back to the file); refused (422) with the line and the reason when it does not compile',
        requestBody: {
          required: true,
          content: json({
            type: 'object',
            additionalProperties: false,
            required: ['text'],
            properties: {
              text: { type: ['string', 'null'], maxLength: 200000 },
              message: { type: 'string', maxLength: 500 },
              expectedVersion: { type: 'integer', minimum: 0 },
            },
            example: { text: 'Oggetto: Esempio {{caseNumber}}\n\nTesto.\n' },
          }),
        },
        responses: {
          '200': { description: 'The new version', content: json({ type: 'object' }) },
          ...errors,
        },
      },
    },
    '/api/v1/templates/{kind}/{name}/preview': {
      parameters: templateParams,
      post: {
        tags: ['templates'],
        operationId: 'previewTemplate',
        summary: 'Render a template text on sample data (or its problem: line and reason)',
        requestBody: {
          required: true,
          content: json({
            type: 'object',
            additionalProperties: false,
            properties: { text: { type: 'string', maxLength: 200000 } },
            example: { text: 'Oggetto: Esempio {{caseNumber}}\n\nTesto.\n' },
          }),
        },
        responses: {
          '200': { description: 'Preview', content: json({ type: 'object' }) },
          ...errors,
        },
      },
    },
  },
};
