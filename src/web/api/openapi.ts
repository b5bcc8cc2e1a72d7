/**
 * The one OpenAPI 3.1 document of the product's REST API, assembled from the
 * fragments of every area (WebArea.openapi) and served at /api/openapi.json. The same
 * document validates every /api request (express-openapi-validator), so the
 * description cannot drift from what the server accepts.
 */
import type { RequestHandler } from 'express';
import * as OpenApiValidator from 'express-openapi-validator';
import type { OpenApiFragment, WebArea } from '../core/route-table';

export type OpenApiDocument = {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  security: Record<string, string[]>[];
  tags: { name: string; description?: string }[];
  paths: Record<string, Record<string, unknown>>;
  components: {
    securitySchemes: Record<string, unknown>;
    schemas: Record<string, unknown>;
    parameters: Record<string, unknown>;
    responses: Record<string, unknown>;
  };
};

/** Shared pieces every fragment may reference with $ref. */
const CORE_COMPONENTS = {
  schemas: {
    Problem: {
      type: 'object',
      description: 'RFC 9457 problem details; `errors` names every invalid field.',
      required: ['type', 'title', 'status'],
      properties: {
        type: { type: 'string' },
        title: { type: 'string' },
        status: { type: 'integer' },
        detail: { type: 'string' },
        instance: { type: 'string' },
        code: { type: 'string', examples: ['validation-failed', 'not-found', 'csrf-invalid'] },
        errors: {
          type: 'array',
          items: {
            type: 'object',
            required: ['field', 'message'],
            properties: { field: { type: 'string' }, message: { type: 'string' } },
          },
        },
      },
    },
  },
  responses: {
    Problem: {
      description: 'An error, as RFC 9457 problem details',
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    },
  },
};

export function assembleOpenApi(areas: WebArea[], version: string): OpenApiDocument {
  const doc: OpenApiDocument = {
    openapi: '3.1.0',
    info: {
      title: 'Province & Comuni API',
      version,
      description:
        'REST API of the Province & Comuni platform. Authenticate with a personal API token ' +
        '(`Authorization: Bearer <token>`, created from a signed-in browser session with POST /api/v1/tokens) or, from ' +
        'the browser, with the session cookie plus the `X-CSRF-Token` header on state-changing calls. ' +
        'Every answer is limited to the caller’s province (and comune, for comune staff). Errors are ' +
        'RFC 9457 problem+json with an `errors` list naming each field.',
    },
    // No `servers`: the default server is the document's own origin ("/"), and Swagger UI
    // then draws no unlabelled server picker.
    security: [{ bearerAuth: [] }, { cookieAuth: [] }],
    tags: [],
    paths: {},
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'A personal API token (pc_…)' },
        cookieAuth: {
          type: 'apiKey',
          in: 'cookie',
          name: 'pc.sid',
          description: 'The browser session',
        },
      },
      schemas: { ...CORE_COMPONENTS.schemas },
      parameters: {},
      responses: { ...CORE_COMPONENTS.responses },
    },
  };
  for (const area of areas) if (area.openapi) mergeFragment(doc, area.name, area.openapi);
  return doc;
}

function mergeFragment(doc: OpenApiDocument, areaName: string, fragment: OpenApiFragment): void {
  for (const [path, operations] of Object.entries(fragment.paths)) {
    const target = (doc.paths[path] ??= {});
    for (const [method, operation] of Object.entries(operations)) {
      if (target[method])
        throw new Error(
          `OpenAPI: ${method.toUpperCase()} ${path} is described twice (area ${areaName})`,
        );
      target[method] = operation;
    }
  }
  for (const kind of ['schemas', 'parameters', 'responses'] as const) {
    for (const [name, value] of Object.entries(fragment.components?.[kind] ?? {})) {
      if (doc.components[kind][name])
        throw new Error(`OpenAPI: components.${kind}.${name} is defined twice (area ${areaName})`);
      doc.components[kind][name] = value;
    }
  }
  for (const tag of fragment.tags ?? []) {
    if (!doc.tags.some((t) => t.name === tag.name)) doc.tags.push(tag);
  }
}

/** Request validation against the document (responses are checked by the tests). */
export function createApiValidator(doc: OpenApiDocument): RequestHandler[] {
  return OpenApiValidator.middleware({
    // The validator mutates the document it is given; keep ours as served.
    apiSpec: structuredClone(doc) as never,
    validateRequests: { allErrors: true },
    validateResponses: false,
    validateSecurity: false,
    validateFormats: true,
    ignoreUndocumented: false,
  }) as unknown as RequestHandler[];
}
