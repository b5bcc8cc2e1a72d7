/**
 * The training area (/formazione): a person's own training (hours against the annual
 * target, certificates, outcomes; the staff of the office they head), the catalogue of
 * courses, the training office's campaigns and yearly report, and the start forms of the
 * training processes. Pages and the API call the same domain service (src/training).
 */
import type { Request, Response } from 'express';
import { stringify } from 'csv-stringify/sync';
import { can } from '../../auth';
import { createAuditTrail } from '../../audit';
import { ConflictError, NotFoundError, ValidationError } from '../../errors';
import { loadFormRegistry, parseFormInput, renderForm, type FieldError } from '../../forms';
import { provinceOf } from '../../tenancy';
import {
  isTrainingStart,
  PIAO_AREA_NAMES,
  ROLE_BAND_NAMES,
  TRAINING_STARTS,
  TrainingService,
  type PiaoArea,
  type RoleBand,
  type TrainingStart,
} from '../../training';
import { principalOf, type WebContext } from '../core/context';
import type { WebArea } from '../core/route-table';
import { csrfTokenFor } from '../core/security';
import { redirectAfterSave } from '../core/session';
import { translate } from '../i18n';
import { trainingOpenApi } from './openapi';

const year = (value: unknown, fallback: number): number => {
  const n = Number(value);
  return Number.isInteger(n) && n >= 2000 && n <= 2100 ? n : fallback;
};

/** The engine answers NOT_FOUND when the province has not deployed the training line. */
function notDeployed(err: unknown): boolean {
  return (err as { code?: number }).code === 5;
}

export function trainingArea(ctx: WebContext): WebArea {
  const forms = loadFormRegistry();
  const service = new TrainingService({
    connection: ctx.connection,
    config: ctx.config,
    forms,
    zeebe: ctx.zeebe,
    audit: createAuditTrail(ctx.connection),
    settingsOf: async (tenantId) => (await ctx.settings.current(tenantId)).effective,
  });
  const thisYear = () => new Date().getFullYear();
  const t = (req: Request) => (key: string, params?: Record<string, unknown>) =>
    translate(req.locale, key, params ?? {});

  const start = async (req: Request, what: TrainingStart, data: Record<string, unknown>) => {
    try {
      return await service.start(principalOf(req), what, data, req.locale);
    } catch (err) {
      if (notDeployed(err)) {
        throw new ConflictError('The training line is not deployed for this province', {
          process: TRAINING_STARTS[what].bpmnProcessId,
        });
      }
      throw err;
    }
  };

  // ------------------------------------------------------------------ pages

  const home = async (req: Request, res: Response) => {
    const p = principalOf(req);
    const mine = await service.myTraining(p, year(req.query.anno, thisYear()));
    res.render('training/views/home', {
      title: translate(req.locale, 'training.home.title'),
      mine,
      percent: Math.min(100, Math.round((mine.certifiedHours / mine.target) * 100)),
      manage: can(p, 'training.manage'),
      plan: can(p, 'training.plan') && (can(p, 'training.manage') || Boolean(mine.office)),
    });
  };

  const catalogue = async (req: Request, res: Response) => {
    const p = principalOf(req);
    const courses = await service.catalogue(p);
    res.render('training/views/catalogue', {
      title: translate(req.locale, 'training.catalogue.title'),
      courses: courses.map((c) => ({
        ...c,
        areaName: PIAO_AREA_NAMES[c.area as PiaoArea] ?? c.area,
        seatsLeft: Math.max(0, c.seats - c.seatsTaken),
        open: c.status === 'open',
      })),
      manage: can(p, 'training.manage'),
    });
  };

  const closeEnrolment = async (req: Request, res: Response) => {
    await service.closeEnrolment(principalOf(req), String(req.params.code));
    req.session.flash = { kind: 'success', key: 'training.catalogue.closed' };
    await redirectAfterSave(req, res, '/formazione/catalogo');
  };

  const campaigns = async (req: Request, res: Response) => {
    res.render('training/views/campaigns', {
      title: translate(req.locale, 'training.campaigns.title'),
      campaigns: (await service.campaigns(principalOf(req))).map((c) => ({
        ...c,
        completed: c.comuni.filter((x) => x.status === 'completed').length,
      })),
    });
  };

  const campaign = async (req: Request, res: Response) => {
    const c = await service.campaign(principalOf(req), String(req.params.key));
    res.render('training/views/campaign', {
      title: c.title,
      campaign: c,
      needs: (c.analysis?.gapRows ?? [])
        .filter((r) => r.gap > 0 || r.shareWithGap > 0)
        .map((r) => ({ ...r, band: ROLE_BAND_NAMES[r.roleBand as RoleBand] ?? r.roleBand })),
    });
  };

  const renderStart = (
    req: Request,
    res: Response,
    what: TrainingStart,
    state: {
      values?: Record<string, unknown>;
      raw?: Record<string, string>;
      errors?: FieldError[];
    } = {},
  ) => {
    const form = forms.get(TRAINING_STARTS[what].formKey);
    const province = provinceOf(ctx.config, principalOf(req));
    if (state.errors?.length) res.status(422);
    res.render('training/views/start', {
      title: form.title,
      form: form.title,
      description: form.description,
      html: renderForm(form, {
        t: t(req),
        action: `/formazione/avvia/${what}`,
        hidden: { _csrf: csrfTokenFor(req) },
        values: state.values,
        raw: state.raw,
        errors: state.errors,
        comuni: province.comuni.map((c) => ({ istat: c.istat, name: c.name })),
        locale: req.locale,
      }),
    });
  };

  const whatOf = (req: Request): TrainingStart => {
    const what = String(req.params.what);
    if (!isTrainingStart(what)) throw new NotFoundError(`No training start "${what}"`);
    return what;
  };

  const startPage = (req: Request, res: Response) => {
    const what = whatOf(req);
    const p = principalOf(req);
    if (what !== 'individual-plan' && !can(p, 'training.manage')) {
      throw new NotFoundError('Not found');
    }
    renderStart(req, res, what);
  };

  const startSubmit = async (req: Request, res: Response) => {
    const what = whatOf(req);
    const form = forms.get(TRAINING_STARTS[what].formKey);
    const { data, raw } = parseFormInput(form, req.body as Record<string, unknown>);
    try {
      await start(req, what, data);
    } catch (err) {
      if (err instanceof ValidationError) {
        return renderStart(req, res, what, {
          values: data,
          raw,
          errors: err.errors.map((e) => ({
            field: e.field,
            problem: e.message.replace(/^[^:]*:\s*/, ''),
            message: e.message,
            keyword: 'invalid',
          })),
        });
      }
      throw err;
    }
    req.session.flash = { kind: 'success', key: `training.start.done.${what}` };
    await redirectAfterSave(req, res, what === 'course' ? '/formazione/catalogo' : '/formazione');
  };

  const reportPage = async (req: Request, res: Response) => {
    const p = principalOf(req);
    const y = year(req.query.anno, thisYear());
    const comune =
      typeof req.query.comune === 'string' && req.query.comune ? req.query.comune : undefined;
    const [report, indicators] = await Promise.all([
      service.report(p, y, comune),
      service.indicators(p, y, comune),
    ]);
    const province = provinceOf(ctx.config, p);
    const name = (istat: string) => province.comuni.find((c) => c.istat === istat)?.name ?? istat;
    res.render('training/views/report', {
      title: translate(req.locale, 'training.report.title', { year: y }),
      year: y,
      comune,
      comuni: province.comuni.map((c) => ({ ...c, selected: c.istat === comune })),
      report: {
        ...report,
        perOffice: report.perOffice.map((o) => ({ ...o, comuneName: name(o.comuneIstat) })),
        employees: report.employees.map((e) => ({ ...e, comuneName: name(e.comuneIstat) })),
      },
      indicators,
      csvHref: `/formazione/rendiconto.csv?anno=${y}${comune ? `&comune=${comune}` : ''}`,
    });
  };

  const reportCsv = async (req: Request, res: Response) => {
    const p = principalOf(req);
    const y = year(req.query.anno, thisYear());
    const comune =
      typeof req.query.comune === 'string' && req.query.comune ? req.query.comune : undefined;
    const report = await service.report(p, y, comune);
    const tr = t(req);
    const csv = stringify(
      report.employees.map((e) => [
        e.name,
        e.username,
        e.comuneIstat,
        e.office,
        e.roleBand,
        e.certifiedHours,
        e.target,
        e.missingHours,
      ]),
      {
        bom: true,
        header: true,
        columns: [
          'name',
          'username',
          'comune',
          'office',
          'roleBand',
          'certifiedHours',
          'target',
          'missingHours',
        ].map((c) => tr(`training.report.csv.${c}`)),
        delimiter: ';',
      },
    );
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="rendiconto-formazione-${y}.csv"`);
    res.send(csv);
  };

  const certificate = async (req: Request, res: Response) => {
    const file = await service.certificate(principalOf(req), String(req.params.id));
    res.setHeader('Content-Type', file.contentType);
    res.setHeader('Content-Disposition', `attachment; filename="${file.fileName}"`);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.send(file.bytes);
  };

  // -------------------------------------------------------------------- API

  const yearAndComune = (req: Request) => ({
    y: year(req.query.year, thisYear()),
    comune: typeof req.query.comune === 'string' ? req.query.comune : undefined,
  });

  return {
    name: 'training',
    menu: [{ labelKey: 'training.menu', href: '/formazione', permission: 'signed-in', order: 60 }],
    openapi: trainingOpenApi,
    routes: [
      { method: 'get', path: '/formazione', permission: 'signed-in', handler: home },
      { method: 'get', path: '/formazione/catalogo', permission: 'signed-in', handler: catalogue },
      {
        method: 'post',
        path: '/formazione/catalogo/:code/chiusura',
        permission: 'training.manage',
        params: { code: { resource: 'training-course' } },
        handler: closeEnrolment,
      },
      {
        method: 'get',
        path: '/formazione/campagne',
        permission: 'training.manage',
        handler: campaigns,
      },
      {
        method: 'get',
        path: '/formazione/campagne/:key',
        permission: 'training.manage',
        params: { key: { resource: 'training-campaign' } },
        handler: campaign,
      },
      {
        method: 'get',
        path: '/formazione/avvia/:what',
        permission: 'training.plan',
        params: { what: { example: 'individual-plan' } },
        handler: startPage,
      },
      {
        method: 'post',
        path: '/formazione/avvia/:what',
        permission: 'training.plan',
        params: { what: { example: 'individual-plan' } },
        handler: startSubmit,
      },
      {
        method: 'get',
        path: '/formazione/rendiconto',
        permission: 'training.manage',
        handler: reportPage,
      },
      {
        method: 'get',
        path: '/formazione/rendiconto.csv',
        permission: 'training.manage',
        kind: 'download',
        handler: reportCsv,
      },
      {
        method: 'get',
        path: '/formazione/attestati/:id',
        permission: 'signed-in',
        kind: 'download',
        params: { id: { resource: 'training-certificate' } },
        handler: certificate,
      },

      {
        method: 'get',
        path: '/api/v1/training/me',
        permission: 'signed-in',
        handler: async (req, res) =>
          res.json(await service.myTraining(principalOf(req), year(req.query.year, thisYear()))),
      },
      {
        method: 'get',
        path: '/api/v1/training/courses',
        permission: 'signed-in',
        handler: async (req, res) => res.json({ items: await service.catalogue(principalOf(req)) }),
      },
      {
        method: 'post',
        path: '/api/v1/training/courses/:code/close-enrolment',
        permission: 'training.manage',
        params: { code: { resource: 'training-course' } },
        handler: async (req, res) => {
          await service.closeEnrolment(principalOf(req), String(req.params.code));
          res.status(202).json({ courseCode: req.params.code, status: 'closing' });
        },
      },
      {
        method: 'get',
        path: '/api/v1/training/campaigns',
        permission: 'training.manage',
        handler: async (req, res) => {
          const items = await service.campaigns(principalOf(req));
          res.json({ items: items.map(({ _id, ...c }) => ({ campaignKey: _id, ...c })) });
        },
      },
      {
        method: 'get',
        path: '/api/v1/training/campaigns/:key',
        permission: 'training.manage',
        params: { key: { resource: 'training-campaign' } },
        handler: async (req, res) => {
          const { _id, ...c } = await service.campaign(principalOf(req), String(req.params.key));
          res.json({ campaignKey: _id, ...c });
        },
      },
      {
        method: 'post',
        path: '/api/v1/training/starts/:what',
        permission: 'training.plan',
        params: { what: { example: 'individual-plan' } },
        handler: async (req, res) => {
          const what = whatOf(req);
          const created = await start(req, what, req.body as Record<string, unknown>);
          res.status(201).json(created);
        },
      },
      {
        method: 'get',
        path: '/api/v1/training/report',
        permission: 'training.manage',
        handler: async (req, res) => {
          const { y, comune } = yearAndComune(req);
          res.json(await service.report(principalOf(req), y, comune));
        },
      },
      {
        method: 'get',
        path: '/api/v1/training/indicators',
        permission: 'training.manage',
        handler: async (req, res) => {
          const { y, comune } = yearAndComune(req);
          res.json(await service.indicators(principalOf(req), y, comune));
        },
      },
    ],
  };
}
