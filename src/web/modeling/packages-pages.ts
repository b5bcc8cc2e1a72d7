/**
 * The packages pages ("trasferimento dei modelli" between provinces):
 *
 *   /modellazione/pacchetti                          export form + import upload
 *   POST /modellazione/pacchetti/esporta             downloads the zip
 *   POST /modellazione/pacchetti/importa             checks the zip; nothing applied yet
 *   /modellazione/pacchetti/importazioni/:id         the report (new / changed / conflicting)
 *   …/confronto?file=models/bpmn/x.bpmn              visual diff of one changed model
 *   POST …/applica                                   drafts only, never a deployment
 *   POST …/impostazioni, …/modelli-documento         accept settings / a template (settings.edit)
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import multer from 'multer';
import type { TemplateKind } from '../../documents';
import { NotFoundError, ValidationError } from '../../errors';
import {
  acceptImportedSettings,
  acceptImportedTemplate,
  applyImport,
  exportPackage,
  getImport,
  importedFile,
  inspectPackage,
  MAX_PACKAGE_BYTES,
  PackageRejectedError,
  type DmnDiff,
} from '../../modeling';
import { principalOf } from '../core/context';
import type { RouteDef } from '../core/route-table';
import { redirectAfterSave } from '../core/session';
import { translate } from '../i18n';
import { formatValue, propertyLabel } from './labels';
import { editorHref, renderDiff } from './pages';
import type { ModelingServices } from './services';

const LICENSES = ['EUPL-1.2', 'CC-BY-4.0', 'Apache-2.0', 'AGPL-3.0-or-later', 'MIT'];

/** multer for one zip in memory; its size error becomes the package's own refusal. */
function uploadOne(): (req: Request, res: Response, next: NextFunction) => void {
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: MAX_PACKAGE_BYTES + 1, files: 1, fields: 10 },
  }).single('package');
  return (req, res, next) =>
    upload(req, res, (err: unknown) => {
      if (!err) return next();
      if ((err as { code?: string }).code === 'LIMIT_FILE_SIZE') {
        return next(
          new PackageRejectedError(
            'tooLarge',
            `the package is above the limit of ${MAX_PACKAGE_BYTES} bytes (20 MiB)`,
            { max: MAX_PACKAGE_BYTES },
          ),
        );
      }
      next(
        new ValidationError(`upload refused: ${(err as Error).message}`, [
          { field: 'package', message: `package: ${(err as Error).message}` },
        ]),
      );
    });
}

function list(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  return typeof value === 'string' && value ? [value] : [];
}

export function packagePageRoutes(s: ModelingServices): RouteDef[] {
  const importParam = { id: { resource: 'model-import' } } as const;

  const packagesPage = async (
    req: Request,
    res: Response,
    status = 200,
    errors: { field: string; message: string }[] = [],
  ) => {
    const p = principalOf(req);
    await s.modeling.seed(p.tenantId);
    const models = await s.modeling.repo.list(p);
    const templates = await s.imports.templates.list(p.tenantId);
    const settings = (await s.imports.settings.current(p.tenantId)).effective as Record<
      string,
      unknown
    >;
    res.status(status).render('modeling/views/packages', {
      title: translate(req.locale, 'modeling.packages.title'),
      errors,
      groups: ['bpmn', 'dmn', 'form'].map((kind) => ({
        kind,
        title: translate(req.locale, `modeling.list.group.${kind}`),
        models: models
          .filter((m) => m.kind === kind)
          .map((m) => ({ ...m, exportable: Boolean(m.latestVersion) })),
      })),
      templates,
      sections: Object.keys(settings).map((k) => ({
        value: k,
        label: translate(req.locale, `admin.settings.section.${k}`),
      })),
      licenses: LICENSES,
    });
  };

  const exportZip = async (req: Request, res: Response) => {
    const p = principalOf(req);
    try {
      const { fileName, data } = await exportPackage(s.imports, p, {
        name: String(req.body.name ?? ''),
        version: String(req.body.version ?? '1.0.0'),
        description: String(req.body.description ?? ''),
        license: String(req.body.license ?? 'EUPL-1.2'),
        models: list(req.body.models),
        includeDependencies: req.body.includeDependencies === 'on',
        templates: list(req.body.templates).map((t) => {
          const [kind, name] = t.split('/');
          return { kind: kind as TemplateKind, name };
        }),
        settingsSections: list(req.body.settingsSections),
      });
      res.type('application/zip').attachment(fileName).send(data);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await packagesPage(
        req,
        res,
        422,
        err.errors.map((e) => ({
          field: e.field,
          message: e.key ? translate(req.locale, e.key, e.params ?? {}) : e.message,
        })),
      );
    }
  };

  const importZip = async (req: Request, res: Response) => {
    const p = principalOf(req);
    const file = (req as Request & { file?: { buffer: Buffer } }).file;
    try {
      const report = await inspectPackage(s.imports, p, file?.buffer ?? Buffer.alloc(0));
      await redirectAfterSave(req, res, `/modellazione/pacchetti/importazioni/${report.id}`);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await packagesPage(
        req,
        res,
        422,
        err.errors.map((e) => ({
          field: 'package',
          message: e.key ? translate(req.locale, e.key, e.params ?? {}) : e.message,
        })),
      );
    }
  };

  const reportPage = async (req: Request, res: Response) => {
    const p = principalOf(req);
    const doc = await getImport(s.imports, p, req.params.id as string);
    const r = doc.report;
    const status = (x: string) => translate(req.locale, `modeling.import.status.${x}`);
    const conflictText = (c: { key: string; message: string; params?: Record<string, unknown> }) =>
      translate(req.locale, c.key, c.params ?? {});
    res.render('modeling/views/import-report', {
      title: translate(req.locale, 'modeling.import.title', { name: r.package.name }),
      doc,
      report: r,
      applied: doc.status === 'applied',
      models: r.models.map((m) => ({
        ...m,
        statusLabel: status(m.status),
        conflictTexts: m.conflicts.map(conflictText),
        diffHref:
          m.status !== 'new' && m.kind !== 'form'
            ? `/modellazione/pacchetti/importazioni/${r.id}/confronto?file=${encodeURIComponent(m.path)}`
            : undefined,
        changedRules:
          m.kind === 'dmn' && m.diff
            ? (m.diff.semantic as DmnDiff).decisions.filter((d) => d.status !== 'unchanged')
            : undefined,
      })),
      templates: r.templates.map((t) => ({
        ...t,
        statusLabel: status(t.status),
        conflictTexts: t.conflicts.map(conflictText),
      })),
      settings: r.settings
        .filter((x) => x.status !== 'unchanged')
        .map((x) => ({
          ...x,
          label: propertyLabel(req.locale, x.path),
          statusLabel: status(x.status),
          packageText: formatValue(x.packageValue),
          currentText: formatValue(x.currentValue),
          defaultText: formatValue(x.defaultValue),
        })),
      unchangedSettings: r.settings.filter((x) => x.status === 'unchanged').length,
      groups: r.groups.map((g) => ({
        ...g,
        statusLabel: status(g.status === 'ok' ? 'unchanged' : 'conflicting'),
      })),
      result: doc.result
        ? {
            created: doc.result.created.map((c) => ({
              ...c,
              href: editorHref({ id: c.modelId, kind: c.kind as 'bpmn' }),
            })),
            updated: doc.result.updated.map((c) => ({
              ...c,
              href: editorHref({ id: c.modelId, kind: c.kind as 'bpmn' }),
            })),
            skipped: doc.result.skipped,
          }
        : undefined,
    });
  };

  const importDiff = async (req: Request, res: Response) => {
    const p = principalOf(req);
    const doc = await getImport(s.imports, p, req.params.id as string);
    // Without ?file= (a bookmark, the page crawl): the first changed model, else the report.
    const file =
      typeof req.query.file === 'string'
        ? req.query.file
        : doc.report.models.find((m) => m.diff && m.modelId)?.path;
    if (!file) return res.redirect(303, `/modellazione/pacchetti/importazioni/${doc.report.id}`);
    const item = doc.report.models.find((m) => m.path === file);
    if (!item || !item.diff || !item.modelId)
      throw new NotFoundError('no such changed model in the import');
    const current = await s.modeling.repo.get(p, item.modelId);
    const fromXml = current.latestVersion
      ? (await s.modeling.repo.version(p, item.modelId, current.latestVersion.version)).content
      : current.draftContent;
    const toXml = await importedFile(s.imports, p, doc._id, item.path);
    renderDiff(req, res, {
      title: translate(req.locale, 'modeling.import.diffTitle', { name: item.name }),
      fromLabel: translate(req.locale, 'modeling.import.province'),
      toLabel: translate(req.locale, 'modeling.import.package'),
      kind: item.kind,
      diff: item.diff,
      fromXml,
      toXml,
      backHref: `/modellazione/pacchetti/importazioni/${doc._id}`,
    });
  };

  const apply = async (req: Request, res: Response) => {
    const p = principalOf(req);
    await applyImport(s.imports, p, req.params.id as string);
    req.session.flash = { kind: 'success', key: 'modeling.flash.importApplied' };
    await redirectAfterSave(req, res, `/modellazione/pacchetti/importazioni/${req.params.id}`);
  };

  const acceptSettings = async (req: Request, res: Response) => {
    const p = principalOf(req);
    await acceptImportedSettings(s.imports, p, req.params.id as string, list(req.body.paths));
    req.session.flash = { kind: 'success', key: 'modeling.flash.settingsAccepted' };
    await redirectAfterSave(req, res, `/modellazione/pacchetti/importazioni/${req.params.id}`);
  };

  const acceptTemplate = async (req: Request, res: Response) => {
    const p = principalOf(req);
    const [kind, name] = String(req.body.template ?? '').split('/');
    await acceptImportedTemplate(s.imports, p, req.params.id as string, kind as TemplateKind, name);
    req.session.flash = { kind: 'success', key: 'modeling.flash.templateAccepted' };
    await redirectAfterSave(req, res, `/modellazione/pacchetti/importazioni/${req.params.id}`);
  };

  return [
    {
      method: 'get',
      path: '/modellazione/pacchetti',
      permission: 'models.edit',
      handler: (req, res) => packagesPage(req, res),
    },
    {
      method: 'post',
      path: '/modellazione/pacchetti/esporta',
      permission: 'practices.publish',
      handler: exportZip,
    },
    {
      method: 'post',
      path: '/modellazione/pacchetti/importa',
      permission: 'models.edit',
      // A form posted without a file (urlencoded) still carries its CSRF token.
      bodyParsers: [express.urlencoded({ extended: false, limit: '20kb' }), uploadOne()],
      handler: importZip,
    },
    {
      method: 'get',
      path: '/modellazione/pacchetti/importazioni/:id',
      permission: 'models.edit',
      params: importParam,
      handler: reportPage,
    },
    {
      method: 'get',
      path: '/modellazione/pacchetti/importazioni/:id/confronto',
      permission: 'models.edit',
      params: importParam,
      handler: importDiff,
    },
    {
      method: 'post',
      path: '/modellazione/pacchetti/importazioni/:id/applica',
      permission: 'models.edit',
      params: importParam,
      handler: apply,
    },
    {
      method: 'post',
      path: '/modellazione/pacchetti/importazioni/:id/impostazioni',
      permission: 'settings.edit',
      params: importParam,
      handler: acceptSettings,
    },
    {
      method: 'post',
      path: '/modellazione/pacchetti/importazioni/:id/modelli-documento',
      permission: 'settings.edit',
      params: importParam,
      handler: acceptTemplate,
    },
  ];
}
