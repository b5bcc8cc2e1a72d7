/** OpenAPI description of the modeling API (/api/v1/models…, /api/v1/packages…). */
import type { OpenApiFragment } from '../core/route-table';
import { problemResponse as problem, jsonContent as json } from '../core/openapi-parts';

const errors = {
  '400': problem,
  '401': problem,
  '403': problem,
  '404': problem,
  '409': problem,
  '422': problem,
};
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const idParam = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'string', maxLength: 40 },
};
const versionParam = {
  name: 'version',
  in: 'path',
  required: true,
  schema: { type: 'integer', minimum: 1 },
};

const author = {
  type: 'object',
  properties: { username: { type: 'string' }, displayName: { type: 'string' } },
};

export const modelingOpenApi: OpenApiFragment = {
  tags: [
    {
      name: 'models',
      description:
        'Process models (BPMN), decisions (DMN) and forms of the province: drafts, versions, deploy, diff',
    },
    { name: 'packages', description: 'Packages of models exchanged between provinces' },
  ],
  components: {
    schemas: {
      ModelKind: { enum: ['bpmn', 'dmn', 'form'] },
      ModelSummary: {
        type: 'object',
        required: ['id', 'kind', 'key', 'name', 'origin', 'draft', 'deployed'],
        properties: {
          id: { type: 'string' },
          kind: ref('ModelKind'),
          key: { type: 'string', description: 'Process id, decision id or form key' },
          name: { type: 'string' },
          origin: { enum: ['seed', 'created', 'variant', 'package'] },
          variantOf: { type: ['string', 'null'] },
          latestVersion: {
            type: ['object', 'null'],
            properties: {
              version: { type: 'integer' },
              author,
              createdAt: { type: 'string', format: 'date-time' },
              message: { type: 'string' },
            },
          },
          draft: {
            type: 'object',
            properties: {
              revision: { type: 'integer' },
              updatedAt: { type: 'string', format: 'date-time' },
              updatedBy: author,
              baseVersion: { type: 'integer' },
              unsaved: {
                type: 'boolean',
                description: 'The draft differs from the latest version',
              },
            },
          },
          deployed: {
            type: 'array',
            description: 'The latest deployment per engine',
            items: {
              type: 'object',
              properties: {
                engine: { type: 'string' },
                version: { type: 'integer' },
                deployedAt: { type: 'string', format: 'date-time' },
                deployedBy: author,
                definitionVersion: { type: ['integer', 'null'] },
              },
            },
          },
        },
      },
      ModelDetail: {
        allOf: [
          ref('ModelSummary'),
          {
            type: 'object',
            properties: {
              draftContent: { type: 'string' },
              versions: { type: 'array', items: ref('Version') },
            },
          },
        ],
      },
      Version: {
        type: 'object',
        required: ['version', 'author', 'createdAt', 'message'],
        properties: {
          version: { type: 'integer' },
          name: { type: 'string' },
          author,
          message: { type: 'string' },
          createdAt: { type: 'string', format: 'date-time' },
          restoredFrom: { type: ['integer', 'null'] },
          content: { type: 'string', description: 'Only in GET …/versions/{version}' },
        },
      },
      LintIssue: {
        type: 'object',
        properties: {
          elementId: { type: 'string' },
          elementName: { type: ['string', 'null'] },
          rule: { type: 'string' },
          message: { type: 'string' },
          category: { enum: ['error', 'warn', 'info'] },
        },
      },
      ImportReport: {
        type: 'object',
        description:
          'What an import would change: models, templates and settings as new, changed (with diff), unchanged or conflicting; groups that are not roles here',
        properties: {
          id: { type: 'string' },
          package: { type: 'object' },
          models: { type: 'array', items: { type: 'object' } },
          templates: { type: 'array', items: { type: 'object' } },
          settings: { type: 'array', items: { type: 'object' } },
          groups: { type: 'array', items: { type: 'object' } },
          counts: { type: 'object' },
        },
      },
    },
  },
  paths: {
    '/api/v1/models': {
      get: {
        tags: ['models'],
        operationId: 'listModels',
        summary: 'The province’s models',
        parameters: [{ name: 'kind', in: 'query', schema: ref('ModelKind') }],
        responses: {
          '200': {
            description: 'Models',
            content: json({ type: 'array', items: ref('ModelSummary') }),
          },
          ...errors,
        },
      },
      post: {
        tags: ['models'],
        operationId: 'createModel',
        summary: 'Create a model with its first draft',
        requestBody: {
          required: true,
          content: json({
            type: 'object',
            additionalProperties: false,
            required: ['kind', 'key', 'content'],
            properties: {
              kind: ref('ModelKind'),
              key: { type: 'string', maxLength: 80 },
              name: { type: 'string', maxLength: 200 },
              content: { type: 'string', maxLength: 2097152 },
            },
            example: {
              kind: 'form',
              key: 'modulo-esempio',
              name: 'Modulo di esempio',
              content:
                '{"title":"Esempio","type":"object","properties":{"nota":{"type":"string","title":"Nota"}}}',
            },
          }),
        },
        responses: {
          '201': { description: 'Created', content: json(ref('ModelSummary')) },
          ...errors,
        },
      },
    },
    '/api/v1/models/lint': {
      post: {
        tags: ['models'],
        operationId: 'lintModel',
        summary:
          'Lint a model as the server does before deploying (bpmnlint camunda-cloud-8-5, DMN FEEL, form schema)',
        requestBody: {
          required: true,
          content: json({
            type: 'object',
            additionalProperties: false,
            required: ['kind', 'content'],
            properties: { kind: ref('ModelKind'), content: { type: 'string', maxLength: 2097152 } },
            example: { kind: 'form', content: '{"type":"object","properties":{}}' },
          }),
        },
        responses: {
          '200': {
            description: 'The issues',
            content: json({
              type: 'object',
              properties: {
                errors: { type: 'integer' },
                warnings: { type: 'integer' },
                issues: { type: 'array', items: ref('LintIssue') },
              },
            }),
          },
          ...errors,
        },
      },
    },
    '/api/v1/models/{id}': {
      parameters: [idParam],
      get: {
        tags: ['models'],
        operationId: 'getModel',
        summary: 'A model with its draft and versions',
        responses: {
          '200': { description: 'The model', content: json(ref('ModelDetail')) },
          ...errors,
        },
      },
      put: {
        tags: ['models'],
        operationId: 'updateDraft',
        summary:
          'Save the draft (autosave); expectedRevision refuses to overwrite a newer draft (409)',
        requestBody: {
          required: true,
          content: json({
            type: 'object',
            additionalProperties: false,
            required: ['content'],
            properties: {
              content: { type: 'string', maxLength: 2097152 },
              expectedRevision: { type: 'integer', minimum: 0 },
            },
            example: { content: '{"title":"Esempio","type":"object","properties":{}}' },
          }),
        },
        responses: {
          '200': {
            description: 'Saved',
            content: json({
              type: 'object',
              properties: {
                revision: { type: 'integer' },
                updatedAt: { type: 'string', format: 'date-time' },
              },
            }),
          },
          ...errors,
        },
      },
    },
    '/api/v1/models/{id}/versions': {
      parameters: [idParam],
      get: {
        tags: ['models'],
        operationId: 'listVersions',
        summary: 'Version history, newest first',
        responses: {
          '200': {
            description: 'Versions',
            content: json({ type: 'array', items: ref('Version') }),
          },
          ...errors,
        },
      },
      post: {
        tags: ['models'],
        operationId: 'createVersion',
        summary: 'Save the draft (or the given content) as the next version, with a message',
        requestBody: {
          required: true,
          content: json({
            type: 'object',
            additionalProperties: false,
            properties: {
              message: { type: 'string', maxLength: 500 },
              content: { type: 'string', maxLength: 2097152 },
            },
            example: { message: 'Nuova versione' },
          }),
        },
        responses: {
          '201': {
            description: 'The version and the lint report',
            content: json({
              type: 'object',
              properties: { version: ref('Version'), lint: { type: 'object' } },
            }),
          },
          ...errors,
        },
      },
    },
    '/api/v1/models/{id}/versions/{version}': {
      parameters: [idParam, versionParam],
      get: {
        tags: ['models'],
        operationId: 'getVersion',
        summary: 'One version with its content',
        responses: {
          '200': { description: 'The version', content: json(ref('Version')) },
          ...errors,
        },
      },
    },
    '/api/v1/models/{id}/versions/{version}/deploy': {
      parameters: [idParam, versionParam],
      post: {
        tags: ['models'],
        operationId: 'deployVersion',
        summary:
          'Deploy a version for the province (tenant); refused (422) when lint finds errors, each naming element and rule',
        responses: {
          '201': { description: 'Deployed', content: json({ type: 'object' }) },
          ...errors,
        },
      },
    },
    '/api/v1/models/{id}/versions/{version}/rollback': {
      parameters: [idParam, versionParam],
      post: {
        tags: ['models'],
        operationId: 'rollbackToVersion',
        summary: 'Roll back: the version’s content becomes a new version, which is deployed',
        responses: {
          '201': { description: 'Deployed', content: json({ type: 'object' }) },
          ...errors,
        },
      },
    },
    '/api/v1/models/{id}/diff': {
      parameters: [
        idParam,
        {
          name: 'from',
          in: 'query',
          // Checked by the handler after the model is found: another province's model is 404.
          description: 'Version number or "draft" (needed; 400 when missing)',
          required: false,
          schema: { type: 'string', pattern: '^([1-9][0-9]*|draft)$' },
        },
        {
          name: 'to',
          in: 'query',
          // Checked by the handler after the model is found: another province's model is 404.
          description: 'Version number or "draft" (needed; 400 when missing)',
          required: false,
          schema: { type: 'string', pattern: '^([1-9][0-9]*|draft)$' },
        },
      ],
      get: {
        tags: ['models'],
        operationId: 'diffModel',
        summary:
          'Differences between two versions (or a version and the draft): changed elements with their properties, or changed rules, plus the text diff',
        responses: {
          '200': { description: 'The diff', content: json({ type: 'object' }) },
          ...errors,
        },
      },
    },
    '/api/v1/models/{id}/variants': {
      parameters: [idParam],
      post: {
        tags: ['models'],
        operationId: 'createVariant',
        summary: 'Copy a shared process into a variant of the province (new process id)',
        requestBody: {
          required: true,
          content: json({
            type: 'object',
            additionalProperties: false,
            required: ['key'],
            properties: {
              key: { type: 'string', maxLength: 80 },
              name: { type: 'string', maxLength: 200 },
            },
            example: { key: 'procurement-variante', name: 'Variante' },
          }),
        },
        responses: {
          '201': { description: 'The variant', content: json(ref('ModelSummary')) },
          ...errors,
        },
      },
    },
    '/api/v1/decisions/evaluate': {
      post: {
        tags: ['models'],
        operationId: 'evaluateDecision',
        summary:
          'Evaluate a deployed decision of the province with sample inputs (Zeebe EvaluateDecision); returns the matched rules',
        requestBody: {
          required: true,
          content: json({
            type: 'object',
            additionalProperties: false,
            required: ['decisionId', 'variables'],
            properties: {
              decisionId: { type: 'string', maxLength: 80 },
              variables: { type: 'object' },
            },
            example: {
              decisionId: 'procurementProcedure',
              variables: { contractType: 'works', amount: 100000 },
            },
          }),
        },
        responses: {
          '200': { description: 'The evaluation', content: json({ type: 'object' }) },
          ...errors,
        },
      },
    },
    '/api/v1/forms/preview': {
      post: {
        tags: ['models'],
        operationId: 'previewForm',
        summary: 'Render a form schema with the server-side renderer the inbox uses',
        requestBody: {
          required: true,
          content: json({
            type: 'object',
            additionalProperties: false,
            required: ['schema'],
            properties: { schema: { type: 'string', maxLength: 2097152 } },
            example: {
              schema:
                '{"title":"Esempio","type":"object","properties":{"nota":{"type":"string","title":"Nota"}}}',
            },
          }),
        },
        responses: {
          '200': {
            description: 'The HTML, or the problems of the schema',
            content: json({
              type: 'object',
              properties: {
                html: { type: 'string' },
                problems: { type: 'array', items: { type: 'string' } },
              },
            }),
          },
          ...errors,
        },
      },
    },
    '/api/v1/element-templates': {
      get: {
        tags: ['models'],
        operationId: 'elementTemplates',
        summary: 'Element templates generated from the product’s workers (one per job type)',
        responses: {
          '200': {
            description: 'Zeebe element templates',
            content: json({ type: 'array', items: { type: 'object' } }),
          },
          ...errors,
        },
      },
    },
    '/api/v1/packages/export': {
      post: {
        tags: ['packages'],
        operationId: 'exportPackage',
        summary:
          'Export a package (zip with manifest, publiccode.yml-style metadata and SHA-256 checksums)',
        requestBody: {
          required: true,
          content: json({
            type: 'object',
            additionalProperties: false,
            required: ['name', 'models'],
            properties: {
              name: { type: 'string', maxLength: 120 },
              version: { type: 'string', maxLength: 40 },
              description: { type: 'string', maxLength: 10000 },
              license: { type: 'string', maxLength: 64 },
              models: { type: 'array', maxItems: 500, items: { type: 'string' } },
              includeDependencies: { type: 'boolean' },
              templates: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['kind', 'name'],
                  properties: { kind: { enum: ['emails', 'documents'] }, name: { type: 'string' } },
                },
              },
              settingsSections: { type: 'array', items: { type: 'string' } },
            },
            example: { name: 'Pacchetto di esempio', models: [] },
          }),
        },
        responses: {
          '200': {
            description: 'The zip',
            content: { 'application/zip': { schema: { type: 'string', format: 'binary' } } },
          },
          ...errors,
        },
      },
    },
    '/api/v1/packages/import': {
      post: {
        tags: ['packages'],
        operationId: 'importPackage',
        summary:
          'Upload a package: checks it (≤ 20 MiB, ≤ 2,000 entries, no paths outside, checksums) and returns the import report; nothing is applied',
        requestBody: {
          required: true,
          content: { 'application/zip': { schema: { type: 'string', format: 'binary' } } },
        },
        responses: {
          '201': { description: 'The report', content: json(ref('ImportReport')) },
          '413': problem,
          ...errors,
        },
      },
    },
    '/api/v1/packages/import/{id}': {
      parameters: [idParam],
      get: {
        tags: ['packages'],
        operationId: 'getImport',
        summary: 'A pending or applied import with its report',
        responses: {
          '200': { description: 'The import', content: json({ type: 'object' }) },
          ...errors,
        },
      },
    },
    '/api/v1/packages/import/{id}/apply': {
      parameters: [idParam],
      post: {
        tags: ['packages'],
        operationId: 'applyImport',
        summary:
          'Create drafts from the package (never versions, never deployments); conflicting models are skipped',
        responses: {
          '200': { description: 'Drafts created and updated', content: json({ type: 'object' }) },
          ...errors,
        },
      },
    },
  },
};
