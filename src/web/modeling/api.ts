/**
 * The modeling REST API (/api/v1/models…, /api/v1/packages…): the same domain functions
 * the pages call; errors are problem+json naming the field (src/web/core/problem.ts).
 */
import express, { type Request, type Response } from 'express';
import { ValidationError } from '../../errors';
import { compileForm, renderForm, type FormSchema } from '../../forms';
import {
  applyImport,
  exportPackage,
  getImport,
  inspectPackage,
  MAX_PACKAGE_BYTES,
  type ModelKind,
} from '../../modeling';
import { principalOf } from '../core/context';
import type { RouteDef } from '../core/route-table';
import { translate } from '../i18n';
import type { ModelingServices } from './services';

const idParam = { id: { resource: 'model' } } as const;
const importParam = { id: { resource: 'model-import' } } as const;
const versionExample = { version: { example: '1' } } as const;

function versionOf(req: Request): number {
  const v = Number(req.params.version);
  if (!Number.isInteger(v) || v < 1) {
    throw new ValidationError('version must be a positive integer', [
      { field: 'version', message: 'version: a positive integer' },
    ]);
  }
  return v;
}

export function whichOf(value: unknown, field: string): number | 'draft' {
  if (value === 'draft' || value === 'bozza') return 'draft';
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    throw new ValidationError(`${field} must be a version number or "draft"`, [
      { field, message: `${field}: a version number or "draft"` },
    ]);
  }
  return n;
}

/** Renders a form schema with the one renderer (the inbox's), or lists its problems. */
export function previewForm(req: Request, text: string): { html?: string; problems: string[] } {
  let schema: FormSchema;
  try {
    schema = JSON.parse(text) as FormSchema;
  } catch (err) {
    return { problems: [`JSON: ${(err as Error).message}`] };
  }
  if (!schema || schema.type !== 'object' || typeof schema.properties !== 'object') {
    return { problems: [translate(req.locale, 'modeling.forms.notAForm')] };
  }
  try {
    compileForm(schema);
  } catch (err) {
    return { problems: [(err as Error).message] };
  }
  const html = renderForm(schema, {
    t: (key, params) => translate(req.locale, key, params),
    action: '#',
    readOnly: false,
    idPrefix: 'anteprima',
    locale: req.locale,
  });
  return { html, problems: [] };
}

export function modelingApiRoutes(s: ModelingServices): RouteDef[] {
  const { modeling } = s;
  const repo = modeling.repo;
  return [
    {
      method: 'get',
      path: '/api/v1/models',
      permission: 'models.edit',
      handler: async (req, res) => {
        const kind = typeof req.query.kind === 'string' ? (req.query.kind as ModelKind) : undefined;
        const p = principalOf(req);
        await modeling.seed(p.tenantId);
        res.json(await repo.list(p, { kind }));
      },
    },
    {
      method: 'post',
      path: '/api/v1/models',
      permission: 'models.edit',
      bodyLimit: '3mb',
      handler: async (req, res) => {
        const p = principalOf(req);
        const doc = await repo.create(p, req.body);
        res.status(201).json((await repo.list(p)).find((m) => m.id === doc._id));
      },
    },
    {
      method: 'post',
      path: '/api/v1/models/lint',
      permission: 'models.edit',
      bodyLimit: '3mb',
      handler: async (req, res) => res.json(await modeling.lint(req.body.kind, req.body.content)),
    },
    {
      method: 'get',
      path: '/api/v1/models/:id',
      permission: 'models.edit',
      params: idParam,
      handler: async (req, res) =>
        res.json(await repo.get(principalOf(req), req.params.id as string)),
    },
    {
      method: 'put',
      path: '/api/v1/models/:id',
      permission: 'models.edit',
      params: idParam,
      bodyLimit: '3mb',
      handler: async (req, res) => {
        const p = principalOf(req);
        await repo.get(p, req.params.id as string);
        res.json(
          await repo.saveDraft(p, req.params.id as string, req.body.content, {
            expectedRevision: req.body.expectedRevision,
          }),
        );
      },
    },
    {
      method: 'get',
      path: '/api/v1/models/:id/versions',
      permission: 'models.edit',
      params: idParam,
      handler: async (req, res) =>
        res.json(await repo.versions(principalOf(req), req.params.id as string)),
    },
    {
      method: 'post',
      path: '/api/v1/models/:id/versions',
      permission: 'models.edit',
      params: idParam,
      bodyLimit: '3mb',
      handler: async (req, res) => {
        const p = principalOf(req);
        await repo.get(p, req.params.id as string);
        res.status(201).json(
          await repo.createVersion(p, req.params.id as string, {
            message: req.body.message,
            content: req.body.content,
          }),
        );
      },
    },
    {
      method: 'get',
      path: '/api/v1/models/:id/versions/:version',
      permission: 'models.edit',
      params: { ...idParam, ...versionExample },
      handler: async (req, res) => {
        const {
          tenantId: _t,
          modelId: _m,
          ...v
        } = await repo.version(principalOf(req), req.params.id as string, versionOf(req));
        res.json(v);
      },
    },
    {
      method: 'post',
      path: '/api/v1/models/:id/versions/:version/deploy',
      permission: 'models.deploy',
      params: { ...idParam, ...versionExample },
      body: 'none',
      handler: async (req, res) =>
        res
          .status(201)
          .json(await modeling.deploy(principalOf(req), req.params.id as string, versionOf(req))),
    },
    {
      method: 'post',
      path: '/api/v1/models/:id/versions/:version/rollback',
      permission: 'models.deploy',
      params: { ...idParam, ...versionExample },
      body: 'none',
      handler: async (req, res) =>
        res
          .status(201)
          .json(await modeling.rollback(principalOf(req), req.params.id as string, versionOf(req))),
    },
    {
      method: 'get',
      path: '/api/v1/models/:id/diff',
      permission: 'models.edit',
      params: idParam,
      handler: async (req, res) => {
        // Another province's (or an unknown) model is 404 before the query is checked.
        await repo.get(principalOf(req), req.params.id as string);
        res.json(
          await modeling.diff(
            principalOf(req),
            req.params.id as string,
            whichOf(req.query.from, 'from'),
            whichOf(req.query.to, 'to'),
          ),
        );
      },
    },
    {
      method: 'post',
      path: '/api/v1/models/:id/variants',
      permission: 'models.edit',
      params: idParam,
      handler: async (req, res) => {
        const p = principalOf(req);
        await repo.get(p, req.params.id as string);
        const doc = await modeling.createVariant(p, req.params.id as string, req.body);
        res.status(201).json((await repo.list(p)).find((m) => m.id === doc._id));
      },
    },
    {
      method: 'post',
      path: '/api/v1/decisions/evaluate',
      permission: 'models.edit',
      handler: async (req, res) =>
        res.json(
          await modeling.testDecision(principalOf(req), req.body.decisionId, req.body.variables),
        ),
    },
    {
      method: 'post',
      path: '/api/v1/forms/preview',
      permission: 'models.edit',
      bodyLimit: '3mb',
      handler: (req, res) => {
        res.json(previewForm(req, req.body.schema));
      },
    },
    {
      method: 'get',
      path: '/api/v1/element-templates',
      permission: 'models.edit',
      handler: async (req, res) =>
        res.json(await modeling.elementTemplates(principalOf(req).tenantId)),
    },
    {
      method: 'post',
      path: '/api/v1/packages/export',
      permission: 'practices.publish',
      handler: async (req: Request, res: Response) => {
        const { fileName, data } = await exportPackage(s.imports, principalOf(req), req.body);
        res.type('application/zip').attachment(fileName).send(data);
      },
    },
    {
      method: 'post',
      path: '/api/v1/packages/import',
      permission: 'models.edit',
      // A little above the limit, so the domain names a 20 MiB + 1 package itself.
      bodyParsers: [express.raw({ type: () => true, limit: MAX_PACKAGE_BYTES + 1024 * 1024 })],
      handler: async (req, res) => {
        const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        res.status(201).json(await inspectPackage(s.imports, principalOf(req), body));
      },
    },
    {
      method: 'get',
      path: '/api/v1/packages/import/:id',
      permission: 'models.edit',
      params: importParam,
      handler: async (req, res) =>
        res.json(await getImport(s.imports, principalOf(req), req.params.id as string)),
    },
    {
      method: 'post',
      path: '/api/v1/packages/import/:id/apply',
      permission: 'models.edit',
      params: importParam,
      body: 'none',
      handler: async (req, res) =>
        res.json(await applyImport(s.imports, principalOf(req), req.params.id as string)),
    },
  ];
}
