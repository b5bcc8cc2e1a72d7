/** OpenAPI description of /api/v1/users (province administrators: permission users.manage). */
import { ROLES } from '../../../auth';
import type { OpenApiFragment } from '../../core/route-table';
import { problemResponse as problem } from '../../core/openapi-parts';

const idParam = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'string', pattern: '^[0-9a-f]{24}$' },
};
const role = { enum: [...ROLES] };
const user = { $ref: '#/components/schemas/User' };

export const usersOpenApi: OpenApiFragment = {
  tags: [
    { name: 'users', description: 'The people of the caller’s province (permission users.manage)' },
  ],
  components: {
    schemas: {
      User: {
        type: 'object',
        required: ['id', 'username', 'displayName', 'tenantId', 'roles', 'active'],
        properties: {
          id: { type: 'string' },
          username: { type: 'string' },
          displayName: { type: 'string' },
          email: { type: ['string', 'null'] },
          codiceFiscale: { type: ['string', 'null'] },
          tenantId: { type: 'string' },
          comune: { type: ['string', 'null'], description: 'ISTAT code, for comune staff' },
          roles: { type: 'array', items: role },
          office: { type: ['string', 'null'] },
          active: { type: 'boolean' },
          mustChangePassword: { type: 'boolean' },
          lastSignInAt: { type: ['string', 'null'], format: 'date-time' },
          createdAt: { type: 'string', format: 'date-time' },
        },
      },
      UserWithPassword: {
        type: 'object',
        required: ['user', 'oneTimePassword'],
        properties: {
          user,
          oneTimePassword: {
            type: 'string',
            description: 'Shown once; must be changed at the first sign-in',
          },
        },
      },
    },
  },
  paths: {
    '/api/v1/users': {
      get: {
        tags: ['users'],
        operationId: 'listUsers',
        summary: 'The people of the caller’s province',
        responses: {
          '200': {
            description: 'Users',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['items'],
                  properties: { items: { type: 'array', items: user } },
                },
              },
            },
          },
          '401': problem,
          '403': problem,
        },
      },
      post: {
        tags: ['users'],
        operationId: 'createUser',
        summary: 'Create a user in the caller’s province, with a one-time password',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                additionalProperties: false,
                required: ['username', 'displayName', 'roles'],
                properties: {
                  username: { type: 'string', pattern: '^[a-z0-9._-]{3,40}$' },
                  displayName: { type: 'string', minLength: 1, maxLength: 100 },
                  email: { type: 'string', format: 'email', maxLength: 254 },
                  codiceFiscale: { type: 'string', pattern: '^[A-Za-z0-9]{16}$' },
                  comune: { type: 'string', pattern: '^[0-9]{6}$' },
                  roles: { type: 'array', minItems: 1, uniqueItems: true, items: role },
                  office: { type: 'string', maxLength: 100 },
                },
              },
              example: {
                username: 'mario.bianchi',
                displayName: 'Mario Bianchi',
                email: 'mario.bianchi@example.org',
                roles: ['sua-officer'],
                office: 'Stazione Unica Appaltante',
              },
            },
          },
        },
        responses: {
          '201': {
            description: 'Created',
            content: {
              'application/json': { schema: { $ref: '#/components/schemas/UserWithPassword' } },
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
    '/api/v1/users/{id}': {
      get: {
        tags: ['users'],
        operationId: 'getUser',
        summary: 'One user of the caller’s province',
        parameters: [idParam],
        responses: {
          '200': { description: 'The user', content: { 'application/json': { schema: user } } },
          '400': problem,
          '401': problem,
          '403': problem,
          '404': problem,
        },
      },
      patch: {
        tags: ['users'],
        operationId: 'updateUser',
        summary: 'Change roles, office, comune, contacts, or (de)activate; null clears a field',
        parameters: [idParam],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                additionalProperties: false,
                minProperties: 1,
                properties: {
                  displayName: { type: 'string', minLength: 1, maxLength: 100 },
                  email: { type: ['string', 'null'], maxLength: 254 },
                  codiceFiscale: { type: ['string', 'null'], pattern: '^[A-Za-z0-9]{16}$' },
                  comune: { type: ['string', 'null'], pattern: '^[0-9]{6}$' },
                  roles: { type: 'array', minItems: 1, uniqueItems: true, items: role },
                  office: { type: ['string', 'null'], maxLength: 100 },
                  active: { type: 'boolean' },
                },
              },
              example: { office: 'Ufficio gare' },
            },
          },
        },
        responses: {
          '200': {
            description: 'The changed user',
            content: { 'application/json': { schema: user } },
          },
          '400': problem,
          '401': problem,
          '403': problem,
          '404': problem,
          '422': problem,
        },
      },
    },
    '/api/v1/users/{id}/password-reset': {
      post: {
        tags: ['users'],
        operationId: 'resetUserPassword',
        summary: 'Replace the password with a one-time password and end the person’s sessions',
        parameters: [idParam],
        responses: {
          '200': {
            description: 'The new one-time password',
            content: {
              'application/json': { schema: { $ref: '#/components/schemas/UserWithPassword' } },
            },
          },
          '400': problem,
          '401': problem,
          '403': problem,
          '404': problem,
        },
      },
    },
  },
};
