/** OpenAPI description of the API core's own endpoints. */
import type { OpenApiFragment } from '../core/route-table';
import { problemResponse as problem } from '../core/openapi-parts';

export const apiOpenApiFragment: OpenApiFragment = {
  tags: [
    { name: 'api', description: 'The API description itself' },
    { name: 'me', description: 'The caller: identity, province, roles, permissions' },
    { name: 'tokens', description: 'The caller’s personal API tokens' },
  ],
  components: {
    schemas: {
      Me: {
        type: 'object',
        required: ['id', 'username', 'displayName', 'tenantId', 'roles', 'permissions'],
        properties: {
          id: { type: 'string' },
          username: { type: 'string' },
          displayName: { type: 'string' },
          email: { type: ['string', 'null'] },
          tenantId: {
            type: 'string',
            description: 'ISTAT code of the province',
            pattern: '^[0-9]{3}$',
          },
          provinceName: { type: 'string' },
          comune: {
            type: ['string', 'null'],
            description: 'ISTAT code of the comune, for comune staff',
          },
          comuneName: { type: ['string', 'null'] },
          roles: { type: 'array', items: { type: 'string' } },
          office: { type: ['string', 'null'] },
          permissions: { type: 'array', items: { type: 'string' } },
          authenticatedBy: { enum: ['password', 'oidc', 'token'] },
        },
      },
      ApiToken: {
        type: 'object',
        required: ['id', 'name', 'prefix', 'createdAt'],
        properties: {
          id: { type: 'string' },
          name: { type: 'string' },
          prefix: { type: 'string', description: 'The first characters, to recognise the token' },
          createdAt: { type: 'string', format: 'date-time' },
          expiresAt: { type: ['string', 'null'], format: 'date-time' },
          lastUsedAt: { type: ['string', 'null'], format: 'date-time' },
        },
      },
    },
  },
  paths: {
    '/api/openapi.json': {
      get: {
        tags: ['api'],
        summary: 'This OpenAPI 3.1 document',
        security: [],
        responses: { '200': { description: 'The document', content: { 'application/json': {} } } },
      },
    },
    '/api/docs': {
      get: {
        tags: ['api'],
        summary: 'Interactive documentation (HTML)',
        security: [],
        responses: { '200': { description: 'An HTML page', content: { 'text/html': {} } } },
      },
    },
    '/api/v1/me': {
      get: {
        tags: ['me'],
        operationId: 'getMe',
        summary: 'Who am I',
        responses: {
          '200': {
            description: 'The caller',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Me' } } },
          },
          '401': problem,
        },
      },
    },
    '/api/v1/tokens': {
      get: {
        tags: ['tokens'],
        operationId: 'listTokens',
        summary: 'The caller’s active API tokens (never the secrets)',
        responses: {
          '200': {
            description: 'Tokens',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['items'],
                  properties: {
                    items: { type: 'array', items: { $ref: '#/components/schemas/ApiToken' } },
                  },
                },
              },
            },
          },
          '401': problem,
        },
      },
      post: {
        tags: ['tokens'],
        operationId: 'createToken',
        summary:
          'Create a personal API token (from a browser session only); the secret is shown once',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                additionalProperties: false,
                required: ['name'],
                properties: {
                  name: { type: 'string', minLength: 1, maxLength: 80 },
                  expiresInDays: { type: 'integer', minimum: 1, maximum: 366 },
                },
              },
              example: { name: 'esportazione notturna', expiresInDays: 90 },
            },
          },
        },
        responses: {
          '201': {
            description: 'The token, with its secret',
            content: {
              'application/json': {
                schema: {
                  allOf: [
                    { $ref: '#/components/schemas/ApiToken' },
                    {
                      type: 'object',
                      required: ['token'],
                      properties: { token: { type: 'string' } },
                    },
                  ],
                },
              },
            },
          },
          '400': problem,
          '401': problem,
          '403': problem,
          '409': problem,
          '422': problem,
        },
      },
    },
    '/api/v1/tokens/{id}': {
      delete: {
        tags: ['tokens'],
        operationId: 'revokeToken',
        summary: 'Revoke one of the caller’s tokens',
        parameters: [
          {
            name: 'id',
            in: 'path',
            required: true,
            schema: { type: 'string', pattern: '^[0-9a-f]{24}$' },
          },
        ],
        responses: { '204': { description: 'Revoked' }, '401': problem, '404': problem },
      },
    },
  },
};
