/**
 * No-code province settings at /amministrazione (issue 12 point 7), for the province
 * administrator (settings.edit): one form per section generated from the engine-config
 * JSON Schema and drawn by the one form renderer, saved as versions (who, when, why) that
 * can be compared; document and e-mail templates with a preview on sample data. The
 * workers read the current version for every job: no restart. Domain: src/settings.
 *
 *   /amministrazione/impostazioni            sections, current version, people per role
 *                                            (/amministrazione redirects here)
 *   /amministrazione/impostazioni/:section   a section's form (GET, POST = new version)
 *   /amministrazione/versioni                history; …/confronto?da=&a= compares two
 *   /amministrazione/modelli                 templates; …/:kind/:name edit, preview, history
 */
import type { Request, Response } from 'express';
import type { TemplateKind } from '../../../documents';
import { ConflictError, NotFoundError, ValidationError, type FieldError } from '../../../errors';
import {
  parseFormInput,
  renderFormFields,
  type FieldError as FormFieldError,
} from '../../../forms';
import { createModelRepository } from '../../../modeling';
import { TEMPLATE_KINDS } from '../../../settings';
import { bundleLinks } from '../../bundles';
import { principalOf, type WebContext } from '../../core/context';
import type { RouteDef, WebArea } from '../../core/route-table';
import { redirectAfterSave } from '../../core/session';
import { translate, type Locale } from '../../i18n';
import { formatValue } from '../../modeling/labels';
import { settingsOpenApi } from './openapi';
import { sectionForm, settingsSections } from './settings-form';

function t(locale: Locale) {
  return (key: string, params?: Record<string, unknown>) => translate(locale, key, params ?? {});
}

function fieldLabel(locale: Locale, path: string): string {
  const parts = path.split('/').filter((p) => !/^\d+$/.test(p));
  const key = `admin.settings.field.${parts.join('.')}`;
  const label = translate(locale, key);
  return label === key ? path : label;
}

function versionNumber(value: unknown, field: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new ValidationError(`${field} must be a version number`, [
      { field, message: `${field}: a version number` },
    ]);
  return n;
}

export function settingsArea(ctx: WebContext): WebArea {
  const settings = ctx.settings;
  const templates = ctx.templates;
  const models = createModelRepository({ connection: ctx.connection });

  // A variant named in the settings must be one of the province's processes.
  settings.addCheck(async (tenantId, effective) => {
    const variants =
      (effective.processes as { variants?: { variant: string }[] } | undefined)?.variants ?? [];
    const errors: FieldError[] = [];
    for (const [i, v] of variants.entries()) {
      if (!(await models.findByKey({ tenantId }, 'bpmn', v.variant))) {
        errors.push({
          field: `processes/variants/${i}/variant`,
          message: `processes/variants/${i}/variant: "${v.variant}" is not a process of the province`,
          key: 'admin.settings.error.unknownVariant',
          params: { variant: v.variant },
        });
      }
    }
    return errors;
  });

  const sectionParam = { section: { example: 'procurement' } } as const;
  const templateParams = {
    kind: { example: 'emails' },
    name: { example: 'gara-deserta' },
  } as const;

  /** The area's bundle (template preview script, comparison styles) on every page. */
  const assets = () => {
    const links = bundleLinks('admin-settings');
    return { scripts: [links.script], styles: links.style ? [links.style] : [] };
  };

  const overview = async (req: Request, res: Response) => {
    const p = principalOf(req);
    const current = await settings.current(p.tenantId);
    const overridden = await settings.overridden(p.tenantId);
    const accounts = await ctx.auth.accounts.listByTenant(p.tenantId);
    const roles = [...new Set(accounts.flatMap((a) => a.roles))].sort().map((role) => ({
      label: translate(req.locale, `core.role.${role}`),
      people: accounts
        .filter((a) => a.active && a.roles.includes(role))
        .map((a) => a.displayName)
        .join(', '),
    }));
    res.render('admin/settings/views/overview', {
      ...assets(),
      title: translate(req.locale, 'admin.settings.title'),
      current,
      sections: settingsSections().map((section) => ({
        section,
        label: translate(req.locale, `admin.settings.section.${section}`),
        href: `/amministrazione/impostazioni/${section}`,
        overridden: overridden.filter((o) => o.path === section || o.path.startsWith(`${section}/`))
          .length,
      })),
      roles,
    });
  };

  const renderSection = async (
    req: Request,
    res: Response,
    section: string,
    opts: {
      values?: Record<string, unknown>;
      raw?: Record<string, string>;
      errors?: FormFieldError[];
      other?: FieldError[];
      extraRows?: Record<string, number>;
      message?: string;
      status?: number;
    } = {},
  ) => {
    const p = principalOf(req);
    if (!settingsSections().includes(section)) throw new NotFoundError('no such settings section');
    const current = await settings.current(p.tenantId);
    const sf = sectionForm(section, req.locale);
    const fieldsHtml = renderFormFields(sf.form, {
      t: t(req.locale),
      values: opts.values ?? sf.toForm((current.effective as Record<string, unknown>)[section]),
      raw: opts.raw,
      errors: opts.errors,
      extraRows: opts.extraRows,
      locale: req.locale,
      idPrefix: 's',
    });
    res.status(opts.status ?? 200).render('admin/settings/views/section', {
      ...assets(),
      title: translate(req.locale, `admin.settings.section.${section}`),
      sectionLabel: translate(req.locale, `admin.settings.section.${section}`),
      fieldsHtml,
      section,
      version: current.version,
      message: opts.message ?? '',
      current,
      otherErrors: (opts.other ?? []).map((e) => ({
        field: e.field,
        message: e.key ? translate(req.locale, e.key, e.params ?? {}) : e.message,
      })),
    });
  };

  const saveSection = async (req: Request, res: Response) => {
    const p = principalOf(req);
    const section = req.params.section as string;
    if (!settingsSections().includes(section)) throw new NotFoundError('no such settings section');
    const sf = sectionForm(section, req.locale);
    const { data, raw } = parseFormInput(sf.form, req.body);
    const message = typeof req.body._message === 'string' ? req.body._message : '';
    const action = typeof req.body._action === 'string' ? req.body._action : '';
    if (action.startsWith('add-row:')) {
      return renderSection(req, res, section, {
        values: data,
        raw,
        extraRows: { [action.slice('add-row:'.length)]: 1 },
        message,
      });
    }
    const current = await settings.current(p.tenantId);
    const candidate = {
      ...(current.effective as Record<string, unknown>),
      [section]: sf.fromForm(data),
    };
    try {
      await settings.save(p, candidate, { message, expectedVersion: Number(req.body.version) });
    } catch (err) {
      if (err instanceof ConflictError) {
        return renderSection(req, res, section, {
          values: data,
          raw,
          message,
          status: 409,
          other: [{ field: '', message: translate(req.locale, 'admin.settings.error.conflict') }],
        });
      }
      if (!(err instanceof ValidationError)) throw err;
      const mine: FormFieldError[] = [];
      const other: FieldError[] = [];
      for (const e of err.errors) {
        if (e.field === section || e.field.startsWith(`${section}/`)) {
          const inner = e.field.slice(section.length + 1);
          const field = sf.formPath(inner, (candidate as Record<string, unknown>)[section]);
          const problem = e.key ? translate(req.locale, e.key, e.params ?? {}) : e.message;
          const label = fieldLabel(req.locale, e.field);
          mine.push({ field, label, problem, message: `${label}: ${problem}`, keyword: 'schema' });
        } else {
          other.push(e);
        }
      }
      return renderSection(req, res, section, {
        values: data,
        raw,
        errors: mine,
        other,
        message,
        status: 422,
      });
    }
    req.session.flash = { kind: 'success', key: 'admin.settings.saved' };
    await redirectAfterSave(req, res, `/amministrazione/impostazioni/${section}`);
  };

  const versionsPage = async (req: Request, res: Response) => {
    const p = principalOf(req);
    const versions = await settings.versions(p.tenantId);
    const choices = [
      { value: '0', label: translate(req.locale, 'admin.settings.version0') },
      ...versions.map((v) => ({
        value: String(v.version),
        label: translate(req.locale, 'admin.settings.versionN', { version: v.version }),
      })),
    ];
    const latest = versions[0]?.version ?? 0;
    const from =
      req.query.da !== undefined ? versionNumber(req.query.da, 'da') : Math.max(0, latest - 1);
    const to = req.query.a !== undefined ? versionNumber(req.query.a, 'a') : latest;
    const changes = (await settings.compare(p.tenantId, from, to)).map((c) => ({
      ...c,
      label: fieldLabel(req.locale, c.path),
      fromText: formatValue(c.from),
      toText: formatValue(c.to),
    }));
    res.render('admin/settings/views/versions', {
      ...assets(),
      title: translate(req.locale, 'admin.settings.versions.title'),
      versions: versions.map((v) => ({
        ...v,
        changedLabels: v.changed.map((c) => fieldLabel(req.locale, c)).join('; '),
      })),
      choices,
      from: String(from),
      to: String(to),
      changes,
    });
  };

  const templatesPage = async (req: Request, res: Response) => {
    const p = principalOf(req);
    const list = await templates.list(p.tenantId);
    res.render('admin/settings/views/templates', {
      ...assets(),
      title: translate(req.locale, 'admin.templates.title'),
      groups: TEMPLATE_KINDS.map((kind) => ({
        kind,
        label: translate(req.locale, `admin.templates.kind.${kind}`),
        items: list
          .filter((x) => x.kind === kind)
          .map((x) => ({
            ...x,
            originLabel: translate(req.locale, `admin.templates.origin.${x.origin}`),
            href: `/amministrazione/modelli/${kind}/${x.name}`,
          })),
      })),
    });
  };

  const templateKind = (req: Request): TemplateKind => {
    const kind = req.params.kind as TemplateKind;
    if (!TEMPLATE_KINDS.includes(kind)) throw new NotFoundError('no such template kind');
    return kind;
  };

  const templatePage = async (
    req: Request,
    res: Response,
    opts: {
      text?: string;
      errors?: { field: string; message: string }[];
      status?: number;
      message?: string;
    } = {},
  ) => {
    const p = principalOf(req);
    const kind = templateKind(req);
    const name = req.params.name as string;
    const current = await templates.get(p.tenantId, kind, name);
    const text = opts.text ?? current.text;
    const preview = await templates.preview(p.tenantId, kind, name, text);
    const versions = await templates.versions(p.tenantId, kind, name);
    res.status(opts.status ?? 200).render('admin/settings/views/template', {
      ...assets(),
      title: translate(req.locale, 'admin.templates.edit', { name }),
      kind,
      name,
      current,
      originLabel: translate(req.locale, `admin.templates.origin.${current.origin}`),
      text,
      preview: {
        ...preview,
        problemText: preview.problem
          ? translate(req.locale, 'admin.templates.problem', {
              line: preview.problem.line,
              reason: preview.problem.reason,
            })
          : undefined,
      },
      isEmail: kind === 'emails',
      errors: opts.errors ?? [],
      message: opts.message ?? '',
      versions,
      helpers: 'euro, percent, data, posizione, eq, if, unless, each, with',
    });
  };

  const saveTemplate = async (req: Request, res: Response) => {
    const p = principalOf(req);
    const kind = templateKind(req);
    const name = req.params.name as string;
    const reset = req.body._action === 'reset';
    const text = reset ? null : String(req.body.text ?? '').replace(/\r\n/g, '\n');
    const message = String(req.body._message ?? '');
    if (req.body._action === 'preview')
      return templatePage(req, res, { text: text ?? undefined, message });
    try {
      await templates.save(p, kind, name, text, {
        message,
        expectedVersion: Number(req.body.version),
      });
    } catch (err) {
      if (!(err instanceof ValidationError) && !(err instanceof ConflictError)) throw err;
      const errors =
        err instanceof ValidationError
          ? err.errors.map((e) => ({
              field: 'text',
              message: e.key
                ? translate(req.locale, 'admin.templates.problem', e.params ?? {})
                : e.message,
            }))
          : [{ field: 'text', message: translate(req.locale, 'admin.settings.error.conflict') }];
      return templatePage(req, res, {
        text: text ?? undefined,
        errors,
        status: err instanceof ConflictError ? 409 : 422,
        message,
      });
    }
    req.session.flash = {
      kind: 'success',
      key: reset ? 'admin.templates.resetDone' : 'admin.templates.saved',
    };
    await redirectAfterSave(req, res, `/amministrazione/modelli/${kind}/${name}`);
  };

  const templateVersions = async (req: Request, res: Response) => {
    const p = principalOf(req);
    const kind = templateKind(req);
    const name = req.params.name as string;
    const versions = await templates.versions(p.tenantId, kind, name);
    const latest = versions[0]?.version ?? 0;
    const from =
      req.query.da !== undefined ? versionNumber(req.query.da, 'da') : Math.max(0, latest - 1);
    const to = req.query.a !== undefined ? versionNumber(req.query.a, 'a') : latest;
    const patch = await templates.compare(p.tenantId, kind, name, from, to);
    res.render('admin/settings/views/template-versions', {
      ...assets(),
      title: translate(req.locale, 'admin.templates.versions', { name }),
      kind,
      name,
      versions,
      choices: [
        { value: '0', label: translate(req.locale, 'admin.templates.fileVersion') },
        ...versions.map((v) => ({
          value: String(v.version),
          label: translate(req.locale, 'admin.settings.versionN', { version: v.version }),
        })),
      ],
      from: String(from),
      to: String(to),
      patchLines: patch
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
        })),
    });
  };

  const routes: RouteDef[] = [
    {
      method: 'get',
      path: '/amministrazione',
      permission: 'settings.edit',
      handler: (_req, res) => res.redirect(303, '/amministrazione/impostazioni'),
    },
    {
      method: 'get',
      path: '/amministrazione/impostazioni',
      permission: 'settings.edit',
      handler: overview,
    },
    {
      method: 'get',
      path: '/amministrazione/impostazioni/:section',
      permission: 'settings.edit',
      params: sectionParam,
      handler: (req, res) => renderSection(req, res, req.params.section as string),
    },
    {
      method: 'post',
      path: '/amministrazione/impostazioni/:section',
      permission: 'settings.edit',
      params: sectionParam,
      handler: saveSection,
    },
    {
      method: 'get',
      path: '/amministrazione/versioni',
      permission: 'settings.edit',
      handler: versionsPage,
    },
    {
      method: 'get',
      path: '/amministrazione/modelli',
      permission: 'settings.edit',
      handler: templatesPage,
    },
    {
      method: 'get',
      path: '/amministrazione/modelli/:kind/:name',
      permission: 'settings.edit',
      params: templateParams,
      handler: (req, res) => templatePage(req, res),
    },
    {
      method: 'post',
      path: '/amministrazione/modelli/:kind/:name',
      permission: 'settings.edit',
      params: templateParams,
      bodyLimit: '300kb',
      handler: saveTemplate,
    },
    {
      method: 'get',
      path: '/amministrazione/modelli/:kind/:name/versioni',
      permission: 'settings.edit',
      params: templateParams,
      handler: templateVersions,
    },
    // API
    {
      method: 'get',
      path: '/api/v1/settings',
      permission: 'settings.edit',
      handler: async (req, res) => res.json(await settings.current(principalOf(req).tenantId)),
    },
    {
      method: 'put',
      path: '/api/v1/settings',
      permission: 'settings.edit',
      handler: async (req, res) =>
        res.json(
          await settings.save(principalOf(req), req.body.settings, {
            message: req.body.message,
            expectedVersion: req.body.expectedVersion,
          }),
        ),
    },
    {
      method: 'get',
      path: '/api/v1/settings/versions',
      permission: 'settings.edit',
      handler: async (req, res) => res.json(await settings.versions(principalOf(req).tenantId)),
    },
    {
      method: 'get',
      path: '/api/v1/settings/versions/:version',
      permission: 'settings.edit',
      params: { version: { example: '0' } },
      handler: async (req, res) =>
        res.json(
          await settings.version(
            principalOf(req).tenantId,
            versionNumber(req.params.version, 'version'),
          ),
        ),
    },
    {
      method: 'get',
      path: '/api/v1/settings/compare',
      permission: 'settings.edit',
      handler: async (req, res) =>
        res.json(
          await settings.compare(
            principalOf(req).tenantId,
            versionNumber(req.query.from, 'from'),
            versionNumber(req.query.to, 'to'),
          ),
        ),
    },
    {
      method: 'get',
      path: '/api/v1/templates',
      permission: 'settings.edit',
      handler: async (req, res) => res.json(await templates.list(principalOf(req).tenantId)),
    },
    {
      method: 'get',
      path: '/api/v1/templates/:kind/:name',
      permission: 'settings.edit',
      params: templateParams,
      handler: async (req, res) =>
        res.json(
          await templates.get(
            principalOf(req).tenantId,
            templateKind(req),
            req.params.name as string,
          ),
        ),
    },
    {
      method: 'put',
      path: '/api/v1/templates/:kind/:name',
      permission: 'settings.edit',
      params: templateParams,
      bodyLimit: '300kb',
      handler: async (req, res) =>
        res.json(
          await templates.save(
            principalOf(req),
            templateKind(req),
            req.params.name as string,
            req.body.text,
            { message: req.body.message, expectedVersion: req.body.expectedVersion },
          ),
        ),
    },
    {
      method: 'post',
      path: '/api/v1/templates/:kind/:name/preview',
      permission: 'settings.edit',
      params: templateParams,
      bodyLimit: '300kb',
      handler: async (req, res) => {
        const preview = await templates.preview(
          principalOf(req).tenantId,
          templateKind(req),
          req.params.name as string,
          req.body.text,
        );
        res.json({
          ...preview,
          problemText: preview.problem
            ? translate(req.locale, 'admin.templates.problem', {
                line: preview.problem.line,
                reason: preview.problem.reason,
              })
            : undefined,
        });
      },
    },
  ];

  return {
    name: 'settings',
    menu: [
      {
        labelKey: 'admin.settings.menu',
        href: '/amministrazione/impostazioni',
        permission: 'settings.edit',
        order: 80,
      },
    ],
    routes,
    openapi: settingsOpenApi,
  };
}
