/** /api/v1/practices in the OpenAPI document, and the JSON the API answers with. */
import {
  ADOPTION_OUTCOMES,
  LANGUAGES,
  MATURITY,
  SERVICE_LINES,
  THEMES,
  type AdoptionDoc,
  type CommentDoc,
  type PracticeDoc,
} from '../../practices';
import type { OpenApiFragment } from '../core/route-table';
import { problemResponse as problem } from '../core/openapi-parts';

export function practiceJson(d: PracticeDoc) {
  return {
    id: d._id,
    province: { istat: d.tenantId, name: d.provinceName },
    status: d.status,
    revision: d.revision,
    name: d.name,
    version: d.version,
    licence: d.licence,
    maturity: d.maturity,
    maintainer: d.maintainer,
    languages: d.languages,
    serviceLine: d.serviceLine,
    theme: d.theme,
    summary: d.summary,
    problem: d.problem,
    solution: d.solution,
    results: d.results,
    figures: d.figures,
    contacts: d.contacts,
    documents: d.documents.map((f) => ({
      id: f.id,
      fileName: f.fileName,
      size: f.size,
      contentType: f.contentType,
      href: `/buone-pratiche/documenti/${f.id}`,
    })),
    ...(d.package
      ? {
          package: {
            name: d.package.name,
            version: d.package.version,
            license: d.package.license,
            sha256: d.package.sha256,
            size: d.package.file.size,
            models: d.package.models,
            href: `/buone-pratiche/${d._id}/pacchetto`,
          },
        }
      : {}),
    createdAt: d.createdAt.toISOString(),
    createdBy: d.createdBy,
    updatedAt: d.updatedAt.toISOString(),
    updatedBy: d.updatedBy,
    ...(d.withdrawal ? { withdrawal: { ...d.withdrawal, at: d.withdrawal.at.toISOString() } } : {}),
  };
}

export function adoptionJson(a: AdoptionDoc) {
  return {
    province: { istat: a.tenantId, name: a.provinceName },
    adoptedAt: a.adoptedAt?.toISOString(),
    adoptedBy: a.adoptedBy,
    imports: a.imports.map((i) => ({
      at: i.at.toISOString(),
      by: i.by,
      packageVersion: i.packageVersion,
      created: i.result.created.length,
      updated: i.result.updated.length,
      skipped: i.result.skipped.length,
    })),
    ...(a.report ? { report: { ...a.report, updatedAt: a.report.updatedAt.toISOString() } } : {}),
  };
}

export function commentJson(c: CommentDoc) {
  return {
    id: c._id,
    province: { istat: c.tenantId, name: c.provinceName },
    author: c.author,
    text: c.text,
    createdAt: c.createdAt.toISOString(),
  };
}

const id = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'Id of the good practice',
  schema: { type: 'string', pattern: '^bp-[0-9a-f]{16}$' },
};
const json = (schema: unknown, description = 'OK') => ({
  description,
  content: { 'application/json': { schema } },
});
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const person = {
  type: 'object',
  properties: { username: { type: 'string' }, displayName: { type: 'string' } },
};
const province = {
  type: 'object',
  properties: { istat: { type: 'string' }, name: { type: 'string' } },
};

const inputProperties = {
  name: { type: 'string', minLength: 3, maxLength: 120 },
  version: { type: 'string', description: 'Semantic version (publiccode.yml softwareVersion)' },
  licence: { type: 'string', description: 'SPDX identifier, e.g. EUPL-1.2 or CC-BY-4.0' },
  maturity: { enum: [...MATURITY], description: 'publiccode.yml developmentStatus' },
  maintainer: {
    type: 'object',
    properties: { name: { type: 'string' }, email: { type: 'string' } },
  },
  languages: { type: 'array', items: { enum: [...LANGUAGES] } },
  serviceLine: { enum: [...SERVICE_LINES] },
  theme: { enum: [...THEMES] },
  summary: { type: 'string', maxLength: 150 },
  problem: { type: 'string', maxLength: 10000 },
  solution: { type: 'string', maxLength: 10000 },
  results: { type: 'string', maxLength: 10000 },
  figures: {
    type: 'array',
    maxItems: 10,
    items: {
      type: 'object',
      properties: {
        label: { type: 'string' },
        value: { type: 'number' },
        unit: { type: 'string' },
      },
    },
  },
  contacts: {
    type: 'array',
    maxItems: 5,
    items: {
      type: 'object',
      properties: {
        name: { type: 'string' },
        email: { type: 'string' },
        phone: { type: 'string' },
      },
    },
  },
  package: {
    type: ['object', 'null'],
    description:
      'Export these models of the province’s workspace (with what they depend on) as the package; null removes it (PUT)',
    properties: {
      models: {
        type: 'array',
        minItems: 1,
        items: { type: 'string', pattern: '^(bpmn|dmn|form):[A-Za-z_][A-Za-z0-9_.-]{0,79}$' },
      },
    },
  },
};

const example = {
  name: 'Richieste di dati dei comuni in cinque giorni',
  version: '1.0.0',
  licence: 'CC-BY-4.0',
  maturity: 'stable',
  maintainer: { name: 'Servizio statistica', email: 'statistica@example.it' },
  languages: ['it'],
  serviceLine: 'data-request',
  theme: 'data',
  summary: 'Un modulo unico e l’anonimizzazione automatica per le richieste di dati dei comuni.',
  problem: 'Le richieste arrivavano per posta elettronica senza i dati necessari.',
  solution: 'Un modulo unico con le informazioni obbligatorie e un controllo automatico.',
  results: 'I tempi di risposta si sono ridotti nel primo anno.',
  figures: [{ label: 'Giorni medi di risposta', value: 5, unit: 'giorni' }],
  contacts: [{ name: 'Ufficio statistica', email: 'statistica@example.it' }],
};

export const practicesOpenApi: OpenApiFragment = {
  tags: [
    {
      name: 'practices',
      description:
        'The good-practice catalogue of the province network: readable by every signed-in person of every province; only the publishing province changes or withdraws an entry',
    },
  ],
  components: {
    schemas: {
      PracticeInput: {
        type: 'object',
        required: ['name'],
        properties: {
          ...inputProperties,
          revision: {
            type: 'integer',
            description: 'PUT: the revision the change starts from (409 if newer)',
          },
        },
      },
      Practice: {
        type: 'object',
        required: ['id', 'province', 'status', 'revision', 'name'],
        properties: {
          id: { type: 'string' },
          province,
          status: { enum: ['published', 'withdrawn'] },
          revision: { type: 'integer' },
          ...inputProperties,
          documents: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                id: { type: 'string' },
                fileName: { type: 'string' },
                size: { type: 'integer' },
                contentType: { type: 'string' },
                href: { type: 'string' },
              },
            },
          },
          package: {
            type: 'object',
            properties: {
              name: { type: 'string' },
              version: { type: 'string' },
              license: { type: 'string' },
              sha256: { type: 'string' },
              size: { type: 'integer' },
              models: { type: 'array', items: { type: 'object' } },
              href: { type: 'string' },
            },
          },
          createdAt: { type: 'string', format: 'date-time' },
          createdBy: person,
          updatedAt: { type: 'string', format: 'date-time' },
          updatedBy: person,
          withdrawal: {
            type: 'object',
            properties: {
              at: { type: 'string', format: 'date-time' },
              by: person,
              reason: { type: 'string' },
            },
          },
        },
      },
      PracticeAdoption: {
        type: 'object',
        properties: {
          province,
          adoptedAt: { type: 'string', format: 'date-time' },
          adoptedBy: person,
          imports: { type: 'array', items: { type: 'object' } },
          report: {
            type: 'object',
            properties: {
              outcome: { enum: [...ADOPTION_OUTCOMES] },
              text: { type: 'string' },
              updatedAt: { type: 'string', format: 'date-time' },
              by: person,
            },
          },
        },
      },
      PracticeComment: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          province,
          author: person,
          text: { type: 'string' },
          createdAt: { type: 'string', format: 'date-time' },
        },
      },
    },
  },
  paths: {
    '/api/v1/practices': {
      get: {
        tags: ['practices'],
        summary: 'Search the catalogue (withdrawn entries only for their province and adopters)',
        parameters: [
          { name: 'q', in: 'query', required: false, schema: { type: 'string', maxLength: 200 } },
          {
            name: 'serviceLine',
            in: 'query',
            required: false,
            schema: { enum: [...SERVICE_LINES] },
          },
          { name: 'theme', in: 'query', required: false, schema: { enum: [...THEMES] } },
          {
            name: 'province',
            in: 'query',
            required: false,
            description: 'ISTAT code of the publishing province',
            schema: { type: 'string', pattern: '^[0-9]{3}$' },
          },
        ],
        responses: {
          200: json({
            type: 'object',
            properties: { items: { type: 'array', items: ref('Practice') } },
          }),
          401: problem,
        },
      },
      post: {
        tags: ['practices'],
        summary: 'Publish a good practice of the caller’s province (practices.publish)',
        requestBody: {
          required: true,
          content: { 'application/json': { schema: ref('PracticeInput'), example } },
        },
        responses: { 201: json(ref('Practice')), 401: problem, 403: problem, 422: problem },
      },
    },
    '/api/v1/practices/{id}': {
      get: {
        tags: ['practices'],
        summary:
          'One entry, with the provinces that adopted it (and their reports) and the comments',
        parameters: [id],
        responses: {
          200: json({
            allOf: [
              ref('Practice'),
              {
                type: 'object',
                properties: {
                  adoptions: { type: 'array', items: ref('PracticeAdoption') },
                  comments: { type: 'array', items: ref('PracticeComment') },
                },
              },
            ],
          }),
          401: problem,
          404: problem,
        },
      },
      put: {
        tags: ['practices'],
        summary: 'Change an entry (publishing province only; the whole editable part)',
        parameters: [id],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: ref('PracticeInput'), example } },
        },
        responses: {
          200: json(ref('Practice')),
          401: problem,
          403: problem,
          404: problem,
          409: problem,
          422: problem,
        },
      },
    },
    '/api/v1/practices/{id}/withdrawal': {
      post: {
        tags: ['practices'],
        summary:
          'Withdraw an entry (publishing province only): hidden from the catalogue, still readable by its adopters',
        parameters: [id],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['reason'],
                properties: { reason: { type: 'string', maxLength: 1000 } },
              },
              example: { reason: 'Sostituita dalla versione 2 del processo' },
            },
          },
        },
        responses: {
          200: json(ref('Practice')),
          401: problem,
          403: problem,
          404: problem,
          409: problem,
          422: problem,
        },
      },
    },
    '/api/v1/practices/{id}/import': {
      post: {
        tags: ['practices'],
        summary:
          'Check the entry’s package against the caller’s workspace: the modeling import report (new / changed / conflicting); nothing applied (models.edit)',
        parameters: [id],
        responses: {
          201: json({ type: 'object', description: 'The import report of src/modeling/packages' }),
          401: problem,
          403: problem,
          404: problem,
          409: problem,
          422: problem,
        },
      },
    },
    '/api/v1/practices/{id}/import/confirmation': {
      post: {
        tags: ['practices'],
        summary:
          'Apply the waiting import: drafts only, never a version or a deployment; records the adoption (models.edit)',
        parameters: [id],
        responses: {
          200: json({
            type: 'object',
            properties: {
              created: { type: 'array', items: { type: 'object' } },
              updated: { type: 'array', items: { type: 'object' } },
              skipped: { type: 'array', items: { type: 'object' } },
            },
          }),
          401: problem,
          403: problem,
          404: problem,
          409: problem,
        },
      },
    },
    '/api/v1/practices/{id}/adoption': {
      put: {
        tags: ['practices'],
        summary:
          'The caller’s province adopts the practice and writes its short adoption report (practices.adopt)',
        parameters: [id],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['outcome', 'text'],
                properties: {
                  outcome: { enum: [...ADOPTION_OUTCOMES] },
                  text: { type: 'string', maxLength: 2000 },
                },
              },
              example: { outcome: 'trial', text: 'In prova in due comuni da gennaio.' },
            },
          },
        },
        responses: {
          200: json(ref('PracticeAdoption')),
          401: problem,
          403: problem,
          404: problem,
          409: problem,
          422: problem,
        },
      },
    },
    '/api/v1/practices/{id}/comments': {
      post: {
        tags: ['practices'],
        summary: 'Comment on the practice (practices.adopt)',
        parameters: [id],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['text'],
                properties: { text: { type: 'string', maxLength: 2000 } },
              },
              example: { text: 'Il modulo è stato adattato ai nostri uffici.' },
            },
          },
        },
        responses: {
          201: json(ref('PracticeComment')),
          401: problem,
          403: problem,
          404: problem,
          422: problem,
        },
      },
    },
  },
};
