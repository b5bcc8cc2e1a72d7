/**
 * /buone-pratiche — the province network's good-practice catalogue (src/practices):
 *
 *   GET  /buone-pratiche                        list and search (text, service line, theme, province)
 *   GET  /buone-pratiche/nuova                  publish form (practices.publish)
 *   POST /buone-pratiche                        publish (documents, package exported from the workspace)
 *   GET  /buone-pratiche/:id                    the entry: description, figures, documents, package,
 *                                               adoptions with reports, comments
 *   GET/POST /buone-pratiche/:id/modifica       change it (publishing province only)
 *   POST /buone-pratiche/:id/ritiro             withdraw it (publishing province only)
 *   GET  /buone-pratiche/documenti/:fileId      a document (download)
 *   GET  /buone-pratiche/:id/pacchetto          the package zip (download)
 *   POST /buone-pratiche/:id/importazione       the modeling import's report for the package
 *   GET  /buone-pratiche/:id/importazione       the report waiting for confirmation / the last import
 *   POST /buone-pratiche/:id/importazione/conferma   drafts only, never deployed
 *   POST /buone-pratiche/:id/adozione           the province's adoption report
 *   POST /buone-pratiche/:id/commenti           a comment
 *   /api/v1/practices/...                       the same as JSON (openapi.ts)
 *
 * The catalogue is shared by every province on purpose: its routes carry `crossProvince`
 * (the IDOR matrix then does not require them to hide the other province's name).
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import path from 'node:path';
import express from 'express';
import multer from 'multer';
import { ValidationError, type FieldError } from '../../errors';
import { createModeling, type ImportReport, type ModelDiff } from '../../modeling';
import {
  ADOPTION_OUTCOMES,
  createPractices,
  LANGUAGES,
  MATURITY,
  MAX_DOCUMENT_BYTES,
  MAX_DOCUMENTS,
  SERVICE_LINES,
  THEMES,
  type AdoptionDoc,
  type CommentDoc,
  type PracticeActor,
  type PracticeDoc,
  type SearchQuery,
  type UploadedFile,
} from '../../practices';
import { principalOf, type WebContext } from '../core/context';
import { errorSummary, fieldMessages } from '../core/form-errors';
import type { RouteDef, WebArea } from '../core/route-table';
import { redirectAfterSave } from '../core/session';
import { translate, hasKey, type Locale } from '../i18n';
import { entryValues, formValues, inputFromForm, list, packageModelsFromForm } from './form-input';
import { practicesOpenApi, practiceJson, adoptionJson, commentJson } from './openapi';

const CROSS = {
  reason: 'the good-practice catalogue is shared by every province of the network (issue 14)',
};
const PRACTICE = { id: { resource: 'practice' } } as const;
/** The same entries, for the routes only their publishing province may use. */
const OWN_PRACTICE = { id: { resource: 'practice-own' } } as const;
const LICENCES = ['EUPL-1.2', 'CC-BY-4.0', 'CC0-1.0', 'AGPL-3.0-or-later', 'Apache-2.0', 'MIT'];

const actorOf = (req: Request): PracticeActor => principalOf(req);
const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** Domain field paths → the ids of the form's controls (for the error summary links). */
function toFormField(field: string): string {
  const m = /^(figures|contacts)\.(\d+)\.(\w+)$/.exec(field);
  if (m) {
    const prefix = m[1] === 'figures' ? 'figure' : 'contact';
    return `${prefix}${m[3][0].toUpperCase()}${m[3].slice(1)}${m[2]}`;
  }
  switch (field) {
    case 'maintainer.name':
      return 'maintainerName';
    case 'maintainer.email':
      return 'maintainerEmail';
    case 'figures':
      return 'figureLabel0';
    case 'contacts':
      return 'contactName0';
    case 'package':
      return 'models';
    default:
      return field;
  }
}

function formErrors(locale: Locale, errors: FieldError[]) {
  const mapped = errors.map((e) => ({ ...e, field: toFormField(e.field) }));
  return { errors: errorSummary(locale, mapped), fieldErrors: fieldMessages(locale, mapped) };
}

/** Multer for the documents of the form; a refused upload becomes a form error. */
function documentsUpload(): RequestHandler[] {
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: MAX_DOCUMENT_BYTES + 1, files: MAX_DOCUMENTS + 1, fields: 200 },
  }).array('documents', MAX_DOCUMENTS + 1);
  return [
    express.urlencoded({ extended: false, limit: '200kb', parameterLimit: 500 }),
    (req, res, next) =>
      upload(req, res, (err: unknown) => {
        if (!err) return next();
        const code = (err as { code?: string }).code;
        const field = 'documents';
        res.locals.uploadError = {
          field,
          message: `${field}: ${(err as Error).message}`,
          key:
            code === 'LIMIT_FILE_SIZE'
              ? 'practices.error.fileTooLarge'
              : code === 'LIMIT_FILE_COUNT' || code === 'LIMIT_UNEXPECTED_FILE'
                ? 'practices.error.tooManyDocuments'
                : 'practices.error.upload',
          params: { name: '', max: code === 'LIMIT_FILE_SIZE' ? '10 MiB' : MAX_DOCUMENTS },
        } satisfies FieldError;
        req.body ??= {};
        next();
      }),
  ];
}

function uploadedFiles(req: Request): UploadedFile[] {
  const files = (req.files ?? []) as Express.Multer.File[];
  return files
    .filter((f) => f.size > 0 || f.originalname)
    .map((f) => ({
      fileName: Buffer.from(f.originalname, 'latin1').toString('utf8'),
      content: f.buffer,
    }));
}

export function practicesArea(ctx: WebContext): WebArea {
  const modeling = createModeling({ connection: ctx.connection, templates: ctx.templates });
  // Seeding is idempotent but reads every seed model: once per province and process.
  const seeded = new Map<string, Promise<unknown>>();
  const seedWorkspace = (tenantId: string) => {
    let p = seeded.get(tenantId);
    if (!p) {
      p = modeling.seed(tenantId);
      p.catch(() => seeded.delete(tenantId));
      seeded.set(tenantId, p);
    }
    return p;
  };
  const { catalogue, adoptions } = createPractices({
    connection: ctx.connection,
    config: ctx.config,
    settings: ctx.settings,
    templates: ctx.templates,
    repo: modeling.repo,
    seedWorkspace,
  });

  const label = (locale: Locale, group: string, value: string) =>
    translate(locale, `practices.${group}.${value}`);

  const options = (
    locale: Locale,
    group: string,
    values: readonly string[],
    chosen: string | string[],
  ) => {
    const set = new Set(Array.isArray(chosen) ? chosen : [chosen]);
    return values.map((value) => ({
      value,
      label: label(locale, group, value),
      selected: set.has(value),
    }));
  };

  const card = (locale: Locale, actor: PracticeActor, d: PracticeDoc) => ({
    id: d._id,
    name: d.name,
    summary: d.summary,
    provinceName: d.provinceName,
    serviceLine: label(locale, 'serviceLine', d.serviceLine),
    theme: label(locale, 'theme', d.theme),
    maturity: label(locale, 'maturity', d.maturity),
    version: d.version,
    hasPackage: Boolean(d.package),
    withdrawn: d.status === 'withdrawn',
    own: d.tenantId === actor.tenantId,
    updatedAt: d.updatedAt,
  });

  const queryOf = (req: Request): SearchQuery => ({
    q: str(req.query.q).slice(0, 200) || undefined,
    serviceLine: str(req.query.linea) || undefined,
    theme: str(req.query.tema) || undefined,
    province: str(req.query.provincia) || undefined,
  });

  const listPage = async (req: Request, res: Response) => {
    const actor = actorOf(req);
    const query = queryOf(req);
    const found = await catalogue.search(actor, query);
    const provinces = [...ctx.config.provinces.values()]
      .map((p) => ({ tenantId: p.tenantId, name: p.name }))
      .sort((a, b) => a.name.localeCompare(b.name));
    res.render('practices/views/list', {
      title: translate(req.locale, 'practices.list.title'),
      query,
      filtered: Boolean(query.q || query.serviceLine || query.theme || query.province),
      serviceLines: options(req.locale, 'serviceLine', SERVICE_LINES, query.serviceLine ?? ''),
      themes: options(req.locale, 'theme', THEMES, query.theme ?? ''),
      provinces: provinces.map((p) => ({ ...p, selected: p.tenantId === query.province })),
      practices: found.map((d) => card(req.locale, actor, d)),
      count: found.length,
    });
  };

  const formModel = async (
    req: Request,
    values: ReturnType<typeof formValues>,
    errors: FieldError[],
    chosenModels: string[],
    extra: Record<string, unknown>,
  ) => {
    // Processes and decisions: the forms they use come along as dependencies.
    const models = (await catalogue.exportableModels(actorOf(req))).filter(
      (m) => m.kind !== 'form',
    );
    const chosen = new Set(chosenModels);
    return {
      values,
      maturities: options(req.locale, 'maturity', MATURITY, values.maturity),
      serviceLines: options(req.locale, 'serviceLine', SERVICE_LINES, values.serviceLine),
      themes: options(req.locale, 'theme', THEMES, values.theme),
      languages: options(req.locale, 'language', LANGUAGES, values.languages),
      licences: LICENCES.map((l) => ({ value: l, selected: l === values.licence })),
      licenceOther: LICENCES.includes(values.licence) ? '' : values.licence,
      models: models.map((m) => ({
        ...m,
        id: `model-${m.kind}-${m.key}`.replace(/[^A-Za-z0-9_-]/g, '-'),
        kindLabel: label(req.locale, 'modelKind', m.kind),
        checked: chosen.has(m.ref),
      })),
      maxDocuments: MAX_DOCUMENTS,
      ...formErrors(req.locale, errors),
      ...extra,
    };
  };

  const newPage = async (req: Request, res: Response) => {
    res.render('practices/views/form', {
      title: translate(req.locale, 'practices.form.newTitle'),
      creating: true,
      action: '/buone-pratiche',
      ...(await formModel(req, formValues({}), [], [], {})),
    });
  };

  const bodyOf = (req: Request) => (req.body ?? {}) as Record<string, unknown>;

  /** The licence: a choice of the list or, with "other", the SPDX id typed next to it. */
  const withLicence = (body: Record<string, unknown>) => {
    const input = inputFromForm(body);
    if (input.licence === 'other') input.licence = str(body.licenceOther);
    return input;
  };

  const publishFromForm = async (req: Request, res: Response, next: NextFunction) => {
    const body = bodyOf(req);
    const input = withLicence(body);
    const models = packageModelsFromForm(body);
    try {
      if (res.locals.uploadError)
        throw new ValidationError('upload refused', [res.locals.uploadError as FieldError]);
      const doc = await catalogue.publish(actorOf(req), input, {
        addDocuments: uploadedFiles(req),
        package: models.length > 0 ? { models } : undefined,
      });
      req.session.flash = { kind: 'success', key: 'practices.flash.published' };
      await redirectAfterSave(req, res, `/buone-pratiche/${doc._id}`);
    } catch (err) {
      if (!(err instanceof ValidationError)) return next(err);
      res.status(422).render('practices/views/form', {
        title: translate(req.locale, 'practices.form.newTitle'),
        creating: true,
        action: '/buone-pratiche',
        ...(await formModel(req, formValues(input), err.errors, list(body.models), {})),
      });
    }
  };

  const entryPage = async (req: Request, res: Response) => {
    const actor = actorOf(req);
    const doc = await catalogue.get(actor, String(req.params.id));
    const [adopted, comments, mine] = await Promise.all([
      adoptions.list(actor, doc._id),
      adoptions.comments(actor, doc._id),
      adoptions.ownAdoption(actor, doc._id),
    ]);
    const own = doc.tenantId === actor.tenantId;
    res.render('practices/views/entry', {
      title: doc.name,
      styles: ['/static/practices/practices.css'],
      practice: {
        ...card(req.locale, actor, doc),
        licence: doc.licence,
        maintainer: doc.maintainer,
        languages: doc.languages.map((l) => label(req.locale, 'language', l)).join(', '),
        problem: doc.problem,
        solution: doc.solution,
        results: doc.results,
        figures: doc.figures,
        contacts: doc.contacts,
        documents: doc.documents.map((d) => ({
          ...d,
          sizeKb: Math.max(1, Math.round(d.size / 1024)),
        })),
        package: doc.package && {
          ...doc.package,
          sizeKb: Math.max(1, Math.round(doc.package.file.size / 1024)),
          models: doc.package.models.map((m) => ({
            ...m,
            kindLabel: label(req.locale, 'modelKind', m.kind),
          })),
        },
        createdAt: doc.createdAt,
        createdBy: doc.createdBy.displayName,
        updatedBy: doc.updatedBy.displayName,
        withdrawal: doc.withdrawal,
      },
      own,
      canEdit: own && actor.permissions.has('practices.publish'),
      canImport: !own && Boolean(doc.package) && actor.permissions.has('models.edit'),
      canAdopt: !own && actor.permissions.has('practices.adopt'),
      canComment: actor.permissions.has('practices.adopt'),
      adoptions: adopted.map((a) => adoptionView(req.locale, a)),
      mine: mine?.adoptedAt ? adoptionView(req.locale, mine) : undefined,
      outcomes: options(req.locale, 'outcome', ADOPTION_OUTCOMES, mine?.report?.outcome ?? ''),
      reportText: mine?.report?.text ?? '',
      comments: comments.map(commentView),
    });
  };

  const adoptionView = (locale: Locale, a: AdoptionDoc) => ({
    provinceName: a.provinceName,
    own: false,
    adoptedAt: a.adoptedAt,
    imports: a.imports.length,
    lastImport: a.imports.at(-1),
    report: a.report && { ...a.report, outcomeLabel: label(locale, 'outcome', a.report.outcome) },
  });

  const commentView = (c: CommentDoc) => ({
    provinceName: c.provinceName,
    author: c.author.displayName,
    text: c.text,
    createdAt: c.createdAt,
  });

  const editPage = async (req: Request, res: Response) => {
    const doc = await catalogue.getOwned(actorOf(req), String(req.params.id));
    res.render('practices/views/form', {
      title: translate(req.locale, 'practices.form.editTitle', { name: doc.name }),
      creating: false,
      action: `/buone-pratiche/${doc._id}/modifica`,
      ...(await formModel(req, entryValues(doc), [], [], editExtra(doc))),
    });
  };

  const editExtra = (doc: PracticeDoc) => ({
    practice: {
      id: doc._id,
      name: doc.name,
      revision: doc.revision,
      withdrawn: doc.status === 'withdrawn',
    },
    documents: doc.documents,
    currentPackage: doc.package && {
      ...doc.package,
      modelNames: doc.package.models.map((m) => m.name).join(', '),
    },
  });

  const updateFromForm = async (req: Request, res: Response, next: NextFunction) => {
    const actor = actorOf(req);
    // Load first: an entry of another province answers 403/404 whatever the form says.
    const doc = await catalogue.getOwned(actor, String(req.params.id));
    const body = bodyOf(req);
    const input = withLicence(body);
    const models = packageModelsFromForm(body);
    const revision = Number(str(body.revision));
    try {
      if (res.locals.uploadError)
        throw new ValidationError('upload refused', [res.locals.uploadError as FieldError]);
      await catalogue.update(
        actor,
        doc._id,
        input,
        Number.isInteger(revision) && revision > 0 ? revision : undefined,
        {
          addDocuments: uploadedFiles(req),
          removeDocuments: list(body.removeDocuments),
          package:
            body.packageAction === 'remove' ? null : models.length > 0 ? { models } : undefined,
        },
      );
      req.session.flash = { kind: 'success', key: 'practices.flash.saved' };
      await redirectAfterSave(req, res, `/buone-pratiche/${doc._id}`);
    } catch (err) {
      if (!(err instanceof ValidationError)) return next(err);
      res.status(422).render('practices/views/form', {
        title: translate(req.locale, 'practices.form.editTitle', { name: doc.name }),
        creating: false,
        action: `/buone-pratiche/${doc._id}/modifica`,
        ...(await formModel(req, formValues(input), err.errors, list(body.models), editExtra(doc))),
      });
    }
  };

  const withdrawFromForm = async (req: Request, res: Response) => {
    const doc = await catalogue.getOwned(actorOf(req), String(req.params.id));
    await catalogue.withdraw(actorOf(req), doc._id, bodyOf(req).reason);
    req.session.flash = { kind: 'success', key: 'practices.flash.withdrawn' };
    await redirectAfterSave(req, res, `/buone-pratiche/${doc._id}`);
  };

  const sendFile = (res: Response, fileName: string, contentType: string, content: Buffer) => {
    res.type(contentType).attachment(fileName).setHeader('X-Content-Type-Options', 'nosniff');
    res.send(content);
  };

  const documentDownload = async (req: Request, res: Response) => {
    const { meta, content } = await catalogue.document(actorOf(req), String(req.params.fileId));
    sendFile(res, meta.fileName, meta.contentType, content);
  };

  const packageDownload = async (req: Request, res: Response) => {
    const { meta, content } = await catalogue.packageOf(actorOf(req), String(req.params.id));
    sendFile(res, meta.file.fileName, 'application/zip', content);
  };

  const reportView = (locale: Locale, report: ImportReport) => {
    const conflictText = (c: { key: string; message: string; params?: Record<string, unknown> }) =>
      hasKey(c.key) ? translate(locale, c.key, c.params) : c.message;
    return {
      id: report.id,
      package: report.package,
      counts: report.counts,
      models: report.models.map((m) => ({
        kind: m.kind,
        kindLabel: label(locale, 'modelKind', m.kind),
        key: m.key,
        name: m.name,
        status: m.status,
        statusLabel: label(locale, 'importStatus', m.status),
        conflicts: m.conflicts.map(conflictText),
        changes: m.diff ? changeLines(locale, m.diff) : [],
      })),
      templates: report.templates.map((t) => ({
        ...t,
        statusLabel: label(locale, 'importStatus', t.status),
      })),
      settings: report.settings.map((s) => ({
        path: s.path,
        statusLabel: label(locale, 'importStatus', s.status),
      })),
      groups: report.groups.filter((g) => g.status === 'conflicting'),
    };
  };

  const importPage = async (req: Request, res: Response) => {
    const actor = actorOf(req);
    const doc = await catalogue.get(actor, String(req.params.id));
    const own = doc.tenantId === actor.tenantId;
    const pending = own ? undefined : await adoptions.pendingReport(actor, doc._id);
    const mine = own ? null : await adoptions.ownAdoption(actor, doc._id);
    const last = mine?.imports.at(-1);
    res.render('practices/views/import', {
      title: translate(req.locale, 'practices.import.title', { name: doc.name }),
      practice: {
        id: doc._id,
        name: doc.name,
        provinceName: doc.provinceName,
        hasPackage: Boolean(doc.package),
      },
      own,
      report: pending && reportView(req.locale, pending),
      last: last && {
        at: last.at,
        by: last.by.displayName,
        version: last.packageVersion,
        created: last.result.created,
        updated: last.result.updated,
        skipped: last.result.skipped,
      },
    });
  };

  const inspectFromForm = async (req: Request, res: Response) => {
    const id = String(req.params.id);
    await adoptions.inspect(actorOf(req), id);
    await redirectAfterSave(req, res, `/buone-pratiche/${id}/importazione`);
  };

  const confirmFromForm = async (req: Request, res: Response) => {
    const id = String(req.params.id);
    await adoptions.confirm(actorOf(req), id);
    req.session.flash = { kind: 'success', key: 'practices.flash.imported' };
    await redirectAfterSave(req, res, `/buone-pratiche/${id}/importazione`);
  };

  const reportFromForm = async (req: Request, res: Response) => {
    const id = String(req.params.id);
    const body = bodyOf(req);
    await adoptions.report(actorOf(req), id, { outcome: body.outcome, text: body.text });
    req.session.flash = { kind: 'success', key: 'practices.flash.reported' };
    await redirectAfterSave(req, res, `/buone-pratiche/${id}#adozioni`);
  };

  const commentFromForm = async (req: Request, res: Response) => {
    const id = String(req.params.id);
    await adoptions.comment(actorOf(req), id, bodyOf(req).text);
    req.session.flash = { kind: 'success', key: 'practices.flash.commented' };
    await redirectAfterSave(req, res, `/buone-pratiche/${id}#commenti`);
  };

  // --- /api/v1/practices ---------------------------------------------------------------
  const apiInput = (body: Record<string, unknown>) => {
    const { package: _p, revision: _r, ...input } = body;
    return input;
  };
  const apiPackage = (body: Record<string, unknown>) => {
    const pkg = body.package as { models?: string[] } | null | undefined;
    if (pkg === null) return null;
    if (!pkg) return undefined;
    const models = (pkg.models ?? []).map((m) => {
      const [kind, key] = m.split(':');
      return { kind: kind as 'bpmn', key };
    });
    return { models };
  };

  const routes: RouteDef[] = [
    {
      method: 'get',
      path: '/buone-pratiche',
      permission: 'signed-in',
      crossProvince: CROSS,
      handler: listPage,
    },
    {
      method: 'get',
      path: '/buone-pratiche/nuova',
      permission: 'practices.publish',
      handler: newPage,
    },
    {
      method: 'post',
      path: '/buone-pratiche',
      permission: 'practices.publish',
      bodyParsers: documentsUpload(),
      handler: publishFromForm,
    },
    {
      method: 'get',
      path: '/buone-pratiche/documenti/:fileId',
      permission: 'signed-in',
      params: { fileId: { resource: 'practice-document' } },
      kind: 'download',
      crossProvince: CROSS,
      handler: documentDownload,
    },
    {
      method: 'get',
      path: '/buone-pratiche/:id',
      permission: 'signed-in',
      params: PRACTICE,
      crossProvince: CROSS,
      handler: entryPage,
    },
    {
      method: 'get',
      path: '/buone-pratiche/:id/modifica',
      permission: 'practices.publish',
      params: OWN_PRACTICE,
      handler: editPage,
    },
    {
      method: 'post',
      path: '/buone-pratiche/:id/modifica',
      permission: 'practices.publish',
      params: OWN_PRACTICE,
      bodyParsers: documentsUpload(),
      handler: updateFromForm,
    },
    {
      method: 'post',
      path: '/buone-pratiche/:id/ritiro',
      permission: 'practices.publish',
      params: OWN_PRACTICE,
      handler: withdrawFromForm,
    },
    {
      method: 'get',
      path: '/buone-pratiche/:id/pacchetto',
      permission: 'signed-in',
      params: PRACTICE,
      kind: 'download',
      crossProvince: CROSS,
      handler: packageDownload,
    },
    {
      method: 'get',
      path: '/buone-pratiche/:id/importazione',
      permission: 'models.edit',
      params: PRACTICE,
      crossProvince: CROSS,
      handler: importPage,
    },
    {
      method: 'post',
      path: '/buone-pratiche/:id/importazione',
      permission: 'models.edit',
      params: PRACTICE,
      crossProvince: CROSS,
      handler: inspectFromForm,
    },
    {
      method: 'post',
      path: '/buone-pratiche/:id/importazione/conferma',
      permission: 'models.edit',
      params: PRACTICE,
      crossProvince: CROSS,
      handler: confirmFromForm,
    },
    {
      method: 'post',
      path: '/buone-pratiche/:id/adozione',
      permission: 'practices.adopt',
      params: PRACTICE,
      crossProvince: CROSS,
      handler: reportFromForm,
    },
    {
      method: 'post',
      path: '/buone-pratiche/:id/commenti',
      permission: 'practices.adopt',
      params: PRACTICE,
      crossProvince: CROSS,
      handler: commentFromForm,
    },

    {
      method: 'get',
      path: '/api/v1/practices',
      permission: 'signed-in',
      crossProvince: CROSS,
      handler: async (req, res) => {
        const actor = actorOf(req);
        const q = req.query as Record<string, unknown>;
        const found = await catalogue.search(actor, {
          q: str(q.q) || undefined,
          serviceLine: str(q.serviceLine) || undefined,
          theme: str(q.theme) || undefined,
          province: str(q.province) || undefined,
        });
        res.json({ items: found.map(practiceJson) });
      },
    },
    {
      method: 'post',
      path: '/api/v1/practices',
      permission: 'practices.publish',
      handler: async (req, res) => {
        const body = bodyOf(req);
        const doc = await catalogue.publish(actorOf(req), apiInput(body), {
          package: apiPackage(body) ?? undefined,
        });
        res.status(201).json(practiceJson(doc));
      },
    },
    {
      method: 'get',
      path: '/api/v1/practices/:id',
      permission: 'signed-in',
      params: PRACTICE,
      crossProvince: CROSS,
      handler: async (req, res) => {
        const actor = actorOf(req);
        const doc = await catalogue.get(actor, String(req.params.id));
        const [adopted, comments] = await Promise.all([
          adoptions.list(actor, doc._id),
          adoptions.comments(actor, doc._id),
        ]);
        res.json({
          ...practiceJson(doc),
          adoptions: adopted.map(adoptionJson),
          comments: comments.map(commentJson),
        });
      },
    },
    {
      method: 'put',
      path: '/api/v1/practices/:id',
      permission: 'practices.publish',
      params: OWN_PRACTICE,
      handler: async (req, res) => {
        const actor = actorOf(req);
        const doc = await catalogue.getOwned(actor, String(req.params.id));
        const body = bodyOf(req);
        const updated = await catalogue.update(
          actor,
          doc._id,
          apiInput(body),
          typeof body.revision === 'number' ? body.revision : undefined,
          { package: apiPackage(body) },
        );
        res.json(practiceJson(updated));
      },
    },
    {
      method: 'post',
      path: '/api/v1/practices/:id/withdrawal',
      permission: 'practices.publish',
      params: OWN_PRACTICE,
      handler: async (req, res) => {
        const actor = actorOf(req);
        const doc = await catalogue.getOwned(actor, String(req.params.id));
        res.json(practiceJson(await catalogue.withdraw(actor, doc._id, bodyOf(req).reason)));
      },
    },
    {
      method: 'post',
      path: '/api/v1/practices/:id/import',
      permission: 'models.edit',
      params: PRACTICE,
      crossProvince: CROSS,
      handler: async (req, res) =>
        res.status(201).json(await adoptions.inspect(actorOf(req), String(req.params.id))),
    },
    {
      method: 'post',
      path: '/api/v1/practices/:id/import/confirmation',
      permission: 'models.edit',
      params: PRACTICE,
      crossProvince: CROSS,
      handler: async (req, res) =>
        res.json(await adoptions.confirm(actorOf(req), String(req.params.id))),
    },
    {
      method: 'put',
      path: '/api/v1/practices/:id/adoption',
      permission: 'practices.adopt',
      params: PRACTICE,
      crossProvince: CROSS,
      handler: async (req, res) => {
        const body = bodyOf(req);
        res.json(adoptionJson(await adoptions.report(actorOf(req), String(req.params.id), body)));
      },
    },
    {
      method: 'post',
      path: '/api/v1/practices/:id/comments',
      permission: 'practices.adopt',
      params: PRACTICE,
      crossProvince: CROSS,
      handler: async (req, res) =>
        res
          .status(201)
          .json(
            commentJson(
              await adoptions.comment(actorOf(req), String(req.params.id), bodyOf(req).text),
            ),
          ),
    },
  ];

  return {
    name: 'practices',
    menu: [
      { labelKey: 'practices.menu', href: '/buone-pratiche', permission: 'signed-in', order: 70 },
    ],
    routes,
    openapi: practicesOpenApi,
    staticDir: path.join(__dirname, 'public'),
    helpers: {
      practicesPlusOne: (i: number) => Number(i) + 1,
      practicesError: (errors: Record<string, string> | undefined, prefix: string, i: number) =>
        Boolean(errors?.[`${prefix}${i}`]),
      practicesTextAreas: (
        values: Record<string, string>,
        errors: Record<string, string> | undefined,
      ) =>
        (['problem', 'solution', 'results'] as const).map((id) => ({
          id,
          value: values[id],
          error: errors?.[id],
          labelKey: `practices.field.${id}`,
          helpKey: `practices.form.${id}Help`,
        })),
    },
  };
}

/** What changed in a model, in a few lines for the report (the modeling pages have the full diff). */
function changeLines(locale: Locale, diff: ModelDiff): string[] {
  const name = (e: { id?: string; name?: string; field?: string; title?: string }) =>
    e.name ?? e.title ?? e.id ?? e.field ?? '';
  const lines: string[] = [];
  const add = (
    key: string,
    items: { id?: string; name?: string; field?: string; title?: string }[],
  ) => {
    for (const item of items)
      lines.push(translate(locale, `practices.import.${key}`, { name: name(item) }));
  };
  if (diff.kind === 'bpmn' || diff.kind === 'form') {
    add('added', diff.semantic.added);
    add('removed', diff.semantic.removed);
    add('changed', diff.semantic.changed);
  } else {
    add(
      'changed',
      diff.semantic.decisions.filter((d) => d.status !== 'unchanged'),
    );
  }
  if (lines.length === 0)
    lines.push(
      translate(locale, 'practices.import.textChanged', {
        added: diff.text.added,
        removed: diff.text.removed,
      }),
    );
  return lines.slice(0, 12);
}
