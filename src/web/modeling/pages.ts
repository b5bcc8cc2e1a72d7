/**
 * The modeling pages (analysts, with models.edit; deploying needs models.deploy):
 *
 *   /modellazione                           processes, decisions and forms of the province
 *   /modellazione/decisioni                 the decision tables
 *   /modellazione/processi/:id              BPMN modeler (bundle modeling-modeler)
 *   /modellazione/decisioni/:id             DMN editor with the "prova" panel (modeling-dmn)
 *   /modellazione/moduli/:id                form editor with live preview (modeling-forms)
 *   /modellazione/modelli/:id/versioni      history, deploy, roll back, compare
 *   /modellazione/modelli/:id/confronto     visual diff + property list + XML diff (modeling-diff)
 *   /modellazione/nuovo                     a new model; …/varianti a variant of a process
 *
 * Every action is a plain form POST (works without JavaScript); the bundles enhance the
 * editors (autosave, live lint, preview). The pages and /api/v1 call the same domain.
 */
import type { Request, Response } from 'express';
import { ROLES } from '../../config';
import { ValidationError, type FieldError } from '../../errors';
import {
  DeployRefusedError,
  FORMS_ENGINE,
  MODEL_KINDS,
  type BpmnDiff,
  type DmnDiff,
  type FormDiff,
  type ModelDetail,
  type ModelKind,
  type ModelSummary,
} from '../../modeling';
import { bundleLinks } from '../bundles';
import { principalOf, type WebContext } from '../core/context';
import type { RouteDef } from '../core/route-table';
import { redirectAfterSave } from '../core/session';
import { translate, type Locale } from '../i18n';
import { previewForm, whichOf } from './api';
import { blankModel } from './blank-models';
import { elementTypeLabel, formatValue, propertyLabel } from './labels';
import type { ModelingServices } from './services';

export const EDITOR_PATH: Record<ModelKind, string> = {
  bpmn: '/modellazione/processi',
  dmn: '/modellazione/decisioni',
  form: '/modellazione/moduli',
};

export function editorHref(m: { id: string; kind: ModelKind }): string {
  return `${EDITOR_PATH[m.kind]}/${m.id}`;
}

/**
 * The diagram libraries (bpmn-js, dmn-js) position their elements with style
 * attributes: on their pages inline style *attributes* are allowed, never <style>
 * elements or inline scripts.
 */
export function allowStyleAttributes(res: Response): void {
  const csp = String(res.getHeader('Content-Security-Policy') ?? '');
  if (csp && !csp.includes('style-src-attr')) {
    res.setHeader(
      'Content-Security-Policy',
      csp.replace("style-src 'self'", "style-src 'self'; style-src-attr 'unsafe-inline'"),
    );
  }
}

/** Texts of the modeler libraries (bpmn-js, properties panel) in the person's language. */
export function libraryCatalogue(locale: Locale, keys: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of keys) out[key.slice('modeling.bpmnjs.'.length)] = translate(locale, key);
  return out;
}

function summaryView(locale: Locale, m: ModelSummary) {
  return {
    ...m,
    href: editorHref(m),
    kindLabel: translate(locale, `modeling.kind.${m.kind}`),
    originLabel: translate(locale, `modeling.origin.${m.origin}`),
    deployedLabel: m.deployed
      .map((d) =>
        translate(locale, 'modeling.deployedOn', {
          version: d.version,
          engine: engineLabel(locale, d.engine),
        }),
      )
      .join(', '),
  };
}

export function engineLabel(locale: Locale, engine: string): string {
  if (engine === 'built-in') return translate(locale, 'modeling.engine.builtIn');
  if (engine === FORMS_ENGINE) return translate(locale, 'modeling.engine.forms');
  return engine;
}

function fieldErrors(locale: Locale, errors: FieldError[]) {
  return errors.map((e) => ({
    field: e.field,
    message: e.key ? translate(locale, e.key, e.params ?? {}) : e.message,
  }));
}

export function modelingPageRoutes(
  ctx: WebContext,
  s: ModelingServices,
  libraryKeys: string[],
): RouteDef[] {
  const { modeling } = s;
  const repo = modeling.repo;
  const idParam = { id: { resource: 'model' } } as const;
  const versionExample = { version: { example: '1' } } as const;

  const listPage = (kind?: ModelKind) => async (req: Request, res: Response) => {
    const p = principalOf(req);
    await modeling.seed(p.tenantId);
    const all = (await repo.list(p, { kind })).map((m) => summaryView(req.locale, m));
    const groups = (kind ? [kind] : MODEL_KINDS).map((k) => ({
      kind: k,
      title: translate(req.locale, `modeling.list.group.${k}`),
      models: all.filter((m) => m.kind === k),
    }));
    res.render('modeling/views/list', {
      title: translate(
        req.locale,
        kind === 'dmn' ? 'modeling.decisions.title' : 'modeling.list.title',
      ),
      heading: kind === 'dmn' ? 'modeling.decisions.title' : 'modeling.list.title',
      groups,
      onlyDecisions: kind === 'dmn',
      kinds: MODEL_KINDS.map((k) => ({
        value: k,
        label: translate(req.locale, `modeling.kind.${k}`),
      })),
    });
  };

  const loadFor = async (
    req: Request,
    kind: ModelKind,
  ): Promise<ModelDetail | { redirect: string }> => {
    const model = await repo.get(principalOf(req), req.params.id as string);
    if (model.kind !== kind) return { redirect: editorHref(model) };
    return model;
  };

  const editorCommon = (req: Request, model: ModelDetail) => ({
    model: summaryView(req.locale, model),
    versionsHref: `/modellazione/modelli/${model.id}/versioni`,
    latest: model.latestVersion?.version,
    deployments: model.deployed.map((d) => ({
      ...d,
      engineLabel: engineLabel(req.locale, d.engine),
    })),
  });

  const bpmnEditor = async (req: Request, res: Response) => {
    const found = await loadFor(req, 'bpmn');
    if ('redirect' in found) return res.redirect(303, found.redirect);
    const p = principalOf(req);
    const all = await repo.list(p);
    const [elementTemplates] = await Promise.all([modeling.elementTemplates(p.tenantId)]);
    allowStyleAttributes(res);
    const links = bundleLinks('modeling-modeler');
    res.render('modeling/views/editor-bpmn', {
      title: found.name,
      ...editorCommon(req, found),
      scripts: [links.script],
      styles: links.style ? [links.style] : [],
      data: {
        id: found.id,
        key: found.key,
        tenantId: p.tenantId,
        revision: found.draft.revision,
        xml: found.draftContent,
        latestVersion: found.latestVersion?.version ?? 0,
        focus: typeof req.query.elemento === 'string' ? req.query.elemento : undefined,
        locale: req.locale,
        catalogue: libraryCatalogue(req.locale, libraryKeys),
        texts: uiTexts(req.locale),
        elementTemplates,
        forms: all.filter((m) => m.kind === 'form').map((m) => ({ key: m.key, name: m.name })),
        roles: ROLES.map((r) => ({ value: r, label: translate(req.locale, `core.role.${r}`) })),
        processes: all
          .filter((m) => m.kind === 'bpmn')
          .map((m) => ({ key: m.key, name: m.name, href: editorHref(m) })),
        decisions: all
          .filter((m) => m.kind === 'dmn')
          .map((m) => ({ key: m.key, name: m.name, href: editorHref(m) })),
      },
    });
  };

  const dmnEditor = async (req: Request, res: Response) => {
    const found = await loadFor(req, 'dmn');
    if ('redirect' in found) return res.redirect(303, found.redirect);
    allowStyleAttributes(res);
    const links = bundleLinks('modeling-dmn');
    const deployedHere = found.deployed.find((d) => d.engine === s.engine);
    res.render('modeling/views/editor-dmn', {
      title: found.name,
      ...editorCommon(req, found),
      deployedHere,
      scripts: [links.script],
      styles: links.style ? [links.style] : [],
      data: {
        id: found.id,
        key: found.key,
        revision: found.draft.revision,
        xml: found.draftContent,
        catalogue: libraryCatalogue(req.locale, libraryKeys),
        texts: uiTexts(req.locale),
      },
    });
  };

  const formEditor = async (req: Request, res: Response) => {
    const found = await loadFor(req, 'form');
    if ('redirect' in found) return res.redirect(303, found.redirect);
    const links = bundleLinks('modeling-forms');
    res.render('modeling/views/editor-form', {
      title: found.name,
      ...editorCommon(req, found),
      content: found.draftContent,
      preview: previewForm(req, found.draftContent),
      scripts: [links.script],
      styles: links.style ? [links.style] : [],
      data: { id: found.id, revision: found.draft.revision, texts: uiTexts(req.locale) },
    });
  };

  const back = (m: { id: string; kind: ModelKind }) => editorHref(m);

  const saveVersion = async (req: Request, res: Response) => {
    const p = principalOf(req);
    const model = await repo.get(p, req.params.id as string);
    const content =
      typeof req.body.content === 'string' && req.body.content.length > 0
        ? req.body.content
        : undefined;
    try {
      await repo.createVersion(p, model.id, { message: req.body.message, content });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return res.status(422).render('modeling/views/refused', {
        title: translate(req.locale, 'modeling.version.refused'),
        heading: 'modeling.version.refused',
        model: summaryView(req.locale, model),
        errors: fieldErrors(req.locale, err.errors),
      });
    }
    req.session.flash = { kind: 'success', key: 'modeling.flash.versionSaved' };
    await redirectAfterSave(req, res, back(model));
  };

  const deploy = async (req: Request, res: Response) => {
    const p = principalOf(req);
    const model = await repo.get(p, req.params.id as string);
    const version = Number(req.params.version);
    try {
      await modeling.deploy(p, model.id, version);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const issues = err instanceof DeployRefusedError ? err.issues : [];
      return res.status(422).render('modeling/views/refused', {
        title: translate(req.locale, 'modeling.deploy.refused'),
        heading: 'modeling.deploy.refused',
        model: summaryView(req.locale, model),
        issues: issues.map((i) => ({
          ...i,
          href: i.elementId
            ? `${editorHref(model)}?elemento=${encodeURIComponent(i.elementId)}`
            : editorHref(model),
        })),
        errors: issues.length ? [] : fieldErrors(req.locale, err.errors),
      });
    }
    req.session.flash = { kind: 'success', key: 'modeling.flash.deployed' };
    await redirectAfterSave(req, res, back(model));
  };

  const rollback = async (req: Request, res: Response) => {
    const p = principalOf(req);
    const model = await repo.get(p, req.params.id as string);
    try {
      await modeling.rollback(p, model.id, Number(req.params.version));
    } catch (err) {
      if (!(err instanceof DeployRefusedError)) throw err;
      return res.status(422).render('modeling/views/refused', {
        title: translate(req.locale, 'modeling.deploy.refused'),
        heading: 'modeling.deploy.refused',
        model: summaryView(req.locale, model),
        issues: err.issues,
      });
    }
    req.session.flash = { kind: 'success', key: 'modeling.flash.rolledBack' };
    await redirectAfterSave(req, res, `/modellazione/modelli/${model.id}/versioni`);
  };

  const versionsPage = async (req: Request, res: Response) => {
    const p = principalOf(req);
    const model = await repo.get(p, req.params.id as string);
    const deployedVersions = new Map<number, string[]>();
    for (const d of model.deployed) {
      deployedVersions.set(d.version, [
        ...(deployedVersions.get(d.version) ?? []),
        engineLabel(req.locale, d.engine),
      ]);
    }
    res.render('modeling/views/versions', {
      title: translate(req.locale, 'modeling.versions.title', { name: model.name }),
      model: summaryView(req.locale, model),
      versions: model.versions.map((v, i) => ({
        ...v,
        deployedOn: deployedVersions.get(v.version)?.join(', '),
        previous: model.versions[i + 1]?.version,
      })),
      deployments: model.deployments.map((d) => ({
        ...d,
        engineLabel: engineLabel(req.locale, d.engine),
      })),
      choices: [
        { value: 'draft', label: translate(req.locale, 'modeling.draft') },
        ...model.versions.map((v) => ({
          value: String(v.version),
          label: translate(req.locale, 'modeling.versionN', { version: v.version }),
        })),
      ],
    });
  };

  const diffPage = async (req: Request, res: Response) => {
    const p = principalOf(req);
    const model = await repo.get(p, req.params.id as string);
    const latest = model.latestVersion?.version;
    const from = whichOf(
      req.query.da ?? (latest && latest > 1 ? latest - 1 : (latest ?? 'draft')),
      'da',
    );
    const to = whichOf(req.query.a ?? 'draft', 'a');
    const [diff, fromXml, toXml] = await Promise.all([
      modeling.diff(p, model.id, from, to),
      repo.contentOf(p, model.id, from),
      repo.contentOf(p, model.id, to),
    ]);
    const label = (w: number | 'draft') =>
      w === 'draft'
        ? translate(req.locale, 'modeling.draft')
        : translate(req.locale, 'modeling.versionN', { version: w });
    renderDiff(req, res, {
      title: translate(req.locale, 'modeling.diff.title', { name: model.name }),
      model: summaryView(req.locale, model),
      fromLabel: label(from),
      toLabel: label(to),
      fromValue: String(from),
      toValue: String(to),
      choices: [
        { value: 'draft', label: translate(req.locale, 'modeling.draft') },
        ...model.versions.map((v) => ({ value: String(v.version), label: label(v.version) })),
      ],
      kind: model.kind,
      diff,
      fromXml,
      toXml,
    });
  };

  const newModelPage = (
    req: Request,
    res: Response,
    errors: { field: string; message: string }[] = [],
    values: Record<string, string> = {},
  ) =>
    res.status(errors.length ? 422 : 200).render('modeling/views/new', {
      title: translate(req.locale, 'modeling.new.title'),
      errors,
      values,
      kinds: MODEL_KINDS.map((k) => ({
        value: k,
        label: translate(req.locale, `modeling.kind.${k}`),
        selected: (values.kind ?? 'bpmn') === k,
      })),
    });

  const createModel = async (req: Request, res: Response) => {
    const p = principalOf(req);
    const kind = String(req.body.kind ?? '') as ModelKind;
    const key = String(req.body.key ?? '').trim();
    const name = String(req.body.name ?? '').trim() || key;
    try {
      const doc = await repo.create(p, {
        kind,
        key,
        name,
        content: blankModel(MODEL_KINDS.includes(kind) ? kind : 'bpmn', key, name),
      });
      req.session.flash = { kind: 'success', key: 'modeling.flash.created' };
      await redirectAfterSave(req, res, editorHref({ id: doc._id, kind: doc.kind }));
    } catch (err) {
      if (err instanceof ValidationError)
        return newModelPage(req, res, fieldErrors(req.locale, err.errors), { kind, key, name });
      if ((err as { kind?: string }).kind === 'conflict') {
        return newModelPage(
          req,
          res,
          [{ field: 'key', message: translate(req.locale, 'modeling.new.exists', { key }) }],
          { kind, key, name },
        );
      }
      throw err;
    }
  };

  const createVariant = async (req: Request, res: Response) => {
    const p = principalOf(req);
    const source = await repo.get(p, req.params.id as string);
    try {
      const doc = await modeling.createVariant(p, source.id, {
        key: String(req.body.key ?? '').trim(),
        name: String(req.body.name ?? ''),
      });
      req.session.flash = { kind: 'success', key: 'modeling.flash.variantCreated' };
      await redirectAfterSave(req, res, editorHref({ id: doc._id, kind: 'bpmn' }));
    } catch (err) {
      if (!(err instanceof ValidationError) && (err as { kind?: string }).kind !== 'conflict')
        throw err;
      const errors =
        err instanceof ValidationError
          ? fieldErrors(req.locale, err.errors)
          : [
              {
                field: 'key',
                message: translate(req.locale, 'modeling.new.exists', {
                  key: String(req.body.key),
                }),
              },
            ];
      res.status(422).render('modeling/views/refused', {
        title: translate(req.locale, 'modeling.variant.refused'),
        heading: 'modeling.variant.refused',
        model: summaryView(req.locale, source),
        errors,
      });
    }
  };

  return [
    { method: 'get', path: '/modellazione', permission: 'models.edit', handler: listPage() },
    {
      method: 'get',
      path: '/modellazione/decisioni',
      permission: 'models.edit',
      handler: listPage('dmn'),
    },
    {
      method: 'get',
      path: '/modellazione/nuovo',
      permission: 'models.edit',
      handler: (req, res) => newModelPage(req, res),
    },
    {
      method: 'post',
      path: '/modellazione/nuovo',
      permission: 'models.edit',
      handler: createModel,
    },
    {
      method: 'get',
      path: '/modellazione/processi/:id',
      permission: 'models.edit',
      params: idParam,
      handler: bpmnEditor,
    },
    {
      method: 'get',
      path: '/modellazione/decisioni/:id',
      permission: 'models.edit',
      params: idParam,
      handler: dmnEditor,
    },
    {
      method: 'get',
      path: '/modellazione/moduli/:id',
      permission: 'models.edit',
      params: idParam,
      handler: formEditor,
    },
    {
      method: 'get',
      path: '/modellazione/modelli/:id/versioni',
      permission: 'models.edit',
      params: idParam,
      handler: versionsPage,
    },
    {
      method: 'post',
      path: '/modellazione/modelli/:id/versioni',
      permission: 'models.edit',
      params: idParam,
      bodyLimit: '3mb',
      handler: saveVersion,
    },
    {
      method: 'post',
      path: '/modellazione/modelli/:id/versioni/:version/distribuisci',
      permission: 'models.deploy',
      params: { ...idParam, ...versionExample },
      handler: deploy,
    },
    {
      method: 'post',
      path: '/modellazione/modelli/:id/versioni/:version/ripristina',
      permission: 'models.deploy',
      params: { ...idParam, ...versionExample },
      handler: rollback,
    },
    {
      method: 'get',
      path: '/modellazione/modelli/:id/confronto',
      permission: 'models.edit',
      params: idParam,
      handler: diffPage,
    },
    {
      method: 'post',
      path: '/modellazione/modelli/:id/varianti',
      permission: 'models.edit',
      params: idParam,
      handler: createVariant,
    },
  ];
}

export interface DiffPageData {
  title: string;
  model?: unknown;
  fromLabel: string;
  toLabel: string;
  fromValue?: string;
  toValue?: string;
  choices?: { value: string; label: string }[];
  kind: ModelKind;
  diff: Awaited<ReturnType<ModelingServices['modeling']['diff']>>;
  fromXml: string;
  toXml: string;
  backHref?: string;
}

/** The diff page: shared by model versions and package imports. */
export function renderDiff(req: Request, res: Response, data: DiffPageData): void {
  const locale = req.locale;
  const props = (list: { path: string; from?: unknown; to?: unknown }[]) =>
    list.map((c) => ({
      label: propertyLabel(locale, c.path),
      path: c.path,
      from: formatValue(c.from),
      to: formatValue(c.to),
    }));
  let bpmn;
  let dmn;
  let form;
  if (data.diff.kind === 'bpmn') {
    const d = data.diff.semantic as BpmnDiff;
    const ref = (e: { id: string; type: string; name?: string }) => ({
      ...e,
      typeLabel: elementTypeLabel(locale, e.type),
    });
    bpmn = {
      added: d.added.map(ref),
      removed: d.removed.map(ref),
      changed: d.changed.map((c) => ({ ...ref(c), properties: props(c.properties) })),
      layoutChanged: d.layoutChanged.map(ref),
      empty: !d.added.length && !d.removed.length && !d.changed.length && !d.layoutChanged.length,
    };
  } else if (data.diff.kind === 'dmn') {
    dmn = (data.diff.semantic as DmnDiff).decisions.map((t) => ({
      ...t,
      statusLabel: translate(locale, `modeling.diff.status.${t.status}`),
      properties: props(t.properties),
    }));
  } else {
    const f = data.diff.semantic as FormDiff;
    form = {
      ...f,
      changed: f.changed.map((c) => ({ ...c, properties: props(c.properties) })),
      formProps: props(f.form),
    };
  }
  const patchLines = data.diff.text.patch
    .split('\n')
    .slice(2)
    .map((line) => ({
      text: line,
      kind: line.startsWith('+')
        ? 'add'
        : line.startsWith('-')
          ? 'del'
          : line.startsWith('@@')
            ? 'hunk'
            : 'same',
    }));
  const scripts: string[] = [];
  const styles: string[] = [];
  if (data.kind === 'bpmn') {
    allowStyleAttributes(res);
    const links = bundleLinks('modeling-diff');
    scripts.push(links.script);
    if (links.style) styles.push(links.style);
  }
  res.render('modeling/views/diff', {
    ...data,
    bpmn,
    dmn,
    form,
    patchLines,
    textStats: { added: data.diff.text.added, removed: data.diff.text.removed },
    scripts,
    styles,
    viewerData:
      data.kind === 'bpmn'
        ? { from: data.fromXml, to: data.toXml, diff: bpmn, texts: uiTexts(locale) }
        : undefined,
  });
}

/** The UI texts the bundles need (in the person's language). */
export function uiTexts(locale: Locale): Record<string, string> {
  const keys = [
    'modeling.editor.autosaved',
    'modeling.editor.autosaving',
    'modeling.editor.autosaveFailed',
    'modeling.editor.conflict',
    'modeling.editor.recovered',
    'modeling.editor.recover',
    'modeling.editor.discard',
    'modeling.problems.none',
    'modeling.problems.count',
    'modeling.problems.error',
    'modeling.problems.warn',
    'modeling.problems.info',
    'modeling.editor.openCalled',
    'modeling.editor.openDecision',
    'modeling.picker.group',
    'modeling.picker.template',
    'modeling.picker.templateNone',
    'modeling.picker.form',
    'modeling.picker.formNone',
    'modeling.picker.roles',
    'modeling.picker.apply',
    'modeling.editor.unsavedBeforeDeploy',
    'modeling.decision.result',
    'modeling.decision.matched',
    'modeling.decision.noMatch',
    'modeling.decision.failed',
    'modeling.decision.badJson',
    'modeling.diff.legend.added',
    'modeling.diff.legend.removed',
    'modeling.diff.legend.changed',
    'modeling.diff.legend.layout',
    'modeling.forms.previewProblems',
    'modeling.editor.notParsable',
  ];
  return Object.fromEntries(keys.map((k) => [k.replace(/^modeling\./, ''), translate(locale, k)]));
}
