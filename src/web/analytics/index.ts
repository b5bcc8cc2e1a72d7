/**
 * /indicatori — how each service performs, for the person's province:
 *
 *   GET  /indicatori                      indicators of one service line (sezione=appalti|fondi-ue|dati|trasversali)
 *                                         with period (dal, al) and comune filters; charts as server-side SVG
 *                                         (ECharts) next to tables with the same numbers
 *   GET  /indicatori/esporta/:file        any of those tables as CSV or XLSX (file = <table id>.csv|.xlsx)
 *   GET  /indicatori/mappa-di-calore      duration heatmap of a process on its diagram, with the data table
 *   GET  /indicatori/mappa-di-calore/diagramma.xml   the diagram's BPMN
 *   GET/POST /indicatori/allarmi          alert thresholds of the province (administrators)
 *   POST /indicatori/allarmi/:id/elimina  remove one
 *   GET  /api/v1/analytics/:section       the same indicators as JSON
 */
import path from 'node:path';
import type { Request, Response } from 'express';
import {
  AlertStore,
  ALERT_INDICATORS,
  COMPARATORS,
  barChartSvg,
  dataRequestIndicators,
  defaultPeriod,
  durationHeatmap,
  euFundingIndicators,
  openWorkByOffice,
  procurementIndicators,
  slaComplianceByOffice,
  tableCsv,
  tableXlsx,
  trainingTables,
  type AnalyticsFilter,
  type Cell,
  type ColumnKind,
  type Table,
} from '../../analytics';
import { createAuditTrail } from '../../audit';
import { NotFoundError, ValidationError } from '../../errors';
import { loadFormRegistry } from '../../forms';
import type { ProcessDefinitionItem } from '../../monitoring';
import { comuniInScope, provinceOf } from '../../tenancy';
import { TrainingService } from '../../training';
import { bundleLinks } from '../bundles';
import { principalOf, type WebContext } from '../core/context';
import type { RouteDef, WebArea } from '../core/route-table';
import { redirectAfterSave } from '../core/session';
import { hasKey, translate, type Locale } from '../i18n';
import { analyticsOpenApi } from './openapi';

export const SECTIONS = {
  appalti: 'procurement',
  'fondi-ue': 'euFunding',
  dati: 'dataRequests',
  formazione: 'training',
  trasversali: 'across',
} as const;
type SectionSlug = keyof typeof SECTIONS;

const DAY = 86_400_000;

function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

function parseDay(v: unknown, field: string, errors: { field: string; message: string }[]) {
  if (typeof v !== 'string' || v === '') return undefined;
  const d = /^\d{4}-\d{2}-\d{2}$/.test(v) ? new Date(`${v}T00:00:00+01:00`) : undefined;
  if (!d || Number.isNaN(d.getTime())) {
    errors.push({ field, message: 'analytics.filters.badDate' });
    return undefined;
  }
  return d;
}

export function formatCell(locale: Locale, kind: ColumnKind, v: Cell): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string') return v;
  const lang = locale === 'it' ? 'it-IT' : 'en-GB';
  const n = (digits: number) =>
    v.toLocaleString(lang, { minimumFractionDigits: 0, maximumFractionDigits: digits });
  if (kind === 'money')
    return `${v.toLocaleString(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 })} €`;
  if (kind === 'percent') return `${n(2)} %`;
  if (kind === 'days') return `${n(1)} ${translate(locale, 'analytics.unit.days')}`;
  if (kind === 'integer') return n(0);
  return n(2);
}

/** Rows of a table shown on the page; the CSV and XLSX exports carry every row. */
export const PAGE_ROWS = 200;

export function analyticsArea(ctx: WebContext): WebArea {
  const history = ctx.history;
  const alerts = new AlertStore(ctx.connection);
  const training = new TrainingService({
    connection: ctx.connection,
    config: ctx.config,
    forms: loadFormRegistry(),
    zeebe: ctx.zeebe,
    audit: createAuditTrail(ctx.connection),
    settingsOf: async (tenantId) => (await ctx.settings.current(tenantId)).effective,
  });

  const settingsOf = (tenantId: string) =>
    (ctx.config.provinces.get(tenantId)?.settings ?? {}) as {
      dataRequests?: { serviceLevel?: string };
      analytics?: { officeServiceLevels?: Record<string, string> };
    };

  /** Period and comune from the query; errors are i18n keys per field. */
  const filterOf = (req: Request) => {
    const p = principalOf(req);
    const errors: { field: string; message: string }[] = [];
    const period = defaultPeriod();
    const from = parseDay(req.query.dal, 'dal', errors) ?? period.from;
    const toDay = parseDay(req.query.al, 'al', errors);
    const to = toDay ? new Date(toDay.getTime() + DAY) : period.to;
    const comuni = comuniInScope(ctx.config, p);
    const comune =
      typeof req.query.comune === 'string' && req.query.comune ? req.query.comune : undefined;
    if (comune && !comuni.some((c) => c.istat === comune)) {
      errors.push({ field: 'comune', message: 'analytics.filters.badComune' });
    }
    if (from >= to) errors.push({ field: 'al', message: 'analytics.filters.badPeriod' });
    // Comune staff see their own comune only (tenancy decides).
    const scopedComune =
      p.comune ?? (errors.some((e) => e.field === 'comune') ? undefined : comune);
    const filter: AnalyticsFilter = { tenantId: p.tenantId, from, to, comuneIstat: scopedComune };
    return {
      filter,
      errors,
      comuni,
      form: {
        dal: isoDay(from),
        al: isoDay(new Date(to.getTime() - 1)),
        comune: scopedComune ?? '',
      },
    };
  };

  const indicatorCtx = (req: Request) => {
    const names = new Map(
      comuniInScope(ctx.config, principalOf(req)).map((c) => [c.istat, c.name]),
    );
    return { connection: ctx.connection, history, comuneName: (i: string) => names.get(i) ?? i };
  };

  async function sectionTables(req: Request, section: SectionSlug, filter: AnalyticsFilter) {
    const settings = settingsOf(filter.tenantId);
    const levels = settings.analytics?.officeServiceLevels ?? {};
    if (section === 'appalti')
      return (await procurementIndicators(indicatorCtx(req), filter)).tables;
    if (section === 'fondi-ue')
      return (await euFundingIndicators(indicatorCtx(req), filter)).tables;
    if (section === 'formazione') {
      // Training is counted per calendar year: the year in which the period ends.
      const year = new Date(filter.to.getTime() - 1).getFullYear();
      const { total, perComune } = await training.indicatorsByComune(
        principalOf(req),
        year,
        comuniInScope(ctx.config, principalOf(req)),
      );
      return trainingTables(total, perComune).tables;
    }
    if (section === 'dati') {
      const sl = settings.dataRequests?.serviceLevel ?? 'P30D';
      const days = Number(/^P(\d+)D$/.exec(sl)?.[1] ?? 30);
      return (await dataRequestIndicators(indicatorCtx(req), filter, days)).tables;
    }
    return [
      await slaComplianceByOffice(history, filter, levels),
      await openWorkByOffice(history, filter, levels),
    ];
  }

  const label = (locale: Locale) => (key: string) => translate(locale, `analytics.col.${key}`);

  /** Cells shown to people: summary indicators and offices get their names. */
  const displayValue = (locale: Locale, t: Table, key: string, v: Cell, kind: ColumnKind) => {
    if (key === 'indicator' && typeof v === 'string')
      return translate(locale, `analytics.ind.${v}`);
    if (key === 'office' && typeof v === 'string')
      return translate(locale, `analytics.office.${v}`);
    if (key === 'procedureType' && typeof v === 'string')
      return translate(locale, `analytics.procedure.${v}`);
    if (key === 'outcome' && typeof v === 'string')
      return translate(locale, `analytics.outcome.${v}`);
    if (key === 'fundingSource' && typeof v === 'string')
      return translate(locale, `analytics.fundingSource.${v}`);
    void t;
    return formatCell(locale, kind, v);
  };

  /** The summary table's unit column says how to format its value. */
  const rowsForView = (locale: Locale, t: Table) =>
    t.rows.map((r) => ({
      cells: t.columns
        .filter((c) => !(t.id.endsWith('.summary') && c.key === 'unit'))
        .map((c) => {
          const kind =
            t.id.endsWith('.summary') && c.key === 'value'
              ? ((r.unit as ColumnKind) ?? 'number')
              : c.kind;
          return { key: c.key, text: displayValue(locale, t, c.key, r[c.key], kind) };
        }),
    }));

  /** One chart per table that has a category and a numeric column. */
  const chartOf = (locale: Locale, t: Table): string | undefined => {
    if (t.id.endsWith('.summary') || !t.rows.length || t.id === 'procurement.awards')
      return undefined;
    const category = t.columns.find((c) => c.kind === 'text' && c.key !== 'comuneIstat');
    const numeric = t.columns
      .filter(
        (c) =>
          c.kind !== 'text' && !['serviceLevelDays', 'withinServiceLevel', 'late'].includes(c.key),
      )
      .slice(0, 2);
    if (!category || !numeric.length) return undefined;
    return barChartSvg({
      title: translate(locale, `analytics.table.${t.id}`),
      categories: t.rows.map((r) => displayValue(locale, t, category.key, r[category.key], 'text')),
      series: numeric.map((c) => ({
        name: translate(locale, `analytics.col.${c.key}`),
        values: t.rows.map((r) => (typeof r[c.key] === 'number' ? (r[c.key] as number) : null)),
      })),
      horizontal: t.rows.length > 4,
    });
  };

  const page = async (req: Request, res: Response) => {
    const section = (
      typeof req.query.sezione === 'string' && req.query.sezione in SECTIONS
        ? req.query.sezione
        : 'appalti'
    ) as SectionSlug;
    const { filter, errors, comuni, form } = filterOf(req);
    const tables = errors.length ? [] : await sectionTables(req, section, filter);
    const qs = new URLSearchParams({
      sezione: section,
      dal: form.dal,
      al: form.al,
      ...(form.comune ? { comune: form.comune } : {}),
    }).toString();
    const summary = tables.find((t) => t.id.endsWith('.summary'));
    res.status(errors.length ? 422 : 200).render('analytics/views/indicators', {
      title: translate(req.locale, 'analytics.title'),
      sections: Object.keys(SECTIONS).map((slug) => ({
        slug,
        label: translate(req.locale, `analytics.section.${slug}`),
        active: slug === section,
        href: `/indicatori?${new URLSearchParams({ ...Object.fromEntries(new URLSearchParams(qs)), sezione: slug }).toString()}`,
      })),
      section,
      sectionLabel: translate(req.locale, `analytics.section.${section}`),
      form,
      comuni: comuni.map((c) => ({ ...c, selected: c.istat === form.comune })),
      lockedComune: Boolean(principalOf(req).comune),
      errors: errors.map((e) => ({ field: e.field, message: translate(req.locale, e.message) })),
      cards: summary
        ? summary.rows.map((r) => ({
            label: translate(req.locale, `analytics.ind.${String(r.indicator)}`),
            value: formatCell(req.locale, (r.unit as ColumnKind) ?? 'number', r.value),
            indicator: r.indicator,
          }))
        : [],
      tables: tables.map((t) => ({
        id: t.id,
        caption: translate(req.locale, `analytics.table.${t.id}`),
        // How a table is computed when that is not obvious (e.g. a bounded sample).
        note: hasKey(`analytics.note.${t.id}`)
          ? translate(req.locale, `analytics.note.${t.id}`)
          : undefined,
        headers: t.columns
          .filter((c) => !(t.id.endsWith('.summary') && c.key === 'unit'))
          .map((c) => label(req.locale)(c.key)),
        // A long list (e.g. every award of a year) shows its first rows; the exports have all.
        rows: rowsForView(req.locale, { ...t, rows: t.rows.slice(0, PAGE_ROWS) }),
        rowsNote:
          t.rows.length > PAGE_ROWS
            ? translate(req.locale, 'analytics.rowsShown', {
                shown: PAGE_ROWS.toLocaleString(req.locale === 'it' ? 'it-IT' : 'en-GB'),
                total: t.rows.length.toLocaleString(req.locale === 'it' ? 'it-IT' : 'en-GB'),
              })
            : undefined,
        chart: chartOf(req.locale, t),
        csvHref: `/indicatori/esporta/${t.id}.csv?${qs}`,
        xlsxHref: `/indicatori/esporta/${t.id}.xlsx?${qs}`,
      })),
      heatmapHref: '/indicatori/mappa-di-calore',
      styles: ['/static/analytics/analytics.css'],
    });
  };

  const exportTable = async (req: Request, res: Response) => {
    const m = /^([a-zA-Z]+\.[a-zA-Z.-]+)\.(csv|xlsx)$/.exec(String(req.params.file));
    if (!m) throw new NotFoundError('No such export');
    const [, id, format] = m;
    const section = (Object.entries(SECTIONS).find(([, v]) => id.startsWith(`${v}.`))?.[0] ??
      (id.startsWith('across.') ? 'trasversali' : undefined)) as SectionSlug | undefined;
    if (!section) throw new NotFoundError('No such export');
    const { filter, errors } = filterOf(req);
    if (errors.length) {
      throw new ValidationError(
        'Invalid filters',
        errors.map((e) => ({ field: e.field, message: e.message, key: e.message })),
      );
    }
    const t = (await sectionTables(req, section, filter)).find((x) => x.id === id);
    if (!t) throw new NotFoundError('No such export');
    // Exports carry the page's labels for indicators and offices too.
    const shown: Table = {
      ...t,
      rows: t.rows.map((r) => ({
        ...r,
        ...(typeof r.indicator === 'string'
          ? { indicator: translate(req.locale, `analytics.ind.${r.indicator}`) }
          : {}),
        ...(typeof r.office === 'string'
          ? { office: translate(req.locale, `analytics.office.${r.office}`) }
          : {}),
        ...(typeof r.fundingSource === 'string'
          ? { fundingSource: translate(req.locale, `analytics.fundingSource.${r.fundingSource}`) }
          : {}),
        ...(typeof r.unit === 'string'
          ? { unit: translate(req.locale, `analytics.unitName.${r.unit}`) }
          : {}),
      })),
    };
    const name = `${id}-${filter.tenantId}-${isoDay(filter.from)}-${isoDay(new Date(filter.to.getTime() - 1))}`;
    if (format === 'csv') {
      res
        .type('text/csv; charset=utf-8')
        .attachment(`${name}.csv`)
        .send(tableCsv(shown, label(req.locale)));
    } else {
      const body = await tableXlsx(
        shown,
        label(req.locale),
        translate(req.locale, `analytics.table.${id}`),
      );
      res
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .attachment(`${name}.xlsx`)
        .send(body);
    }
  };

  const processes = async (tenantId: string) =>
    (
      await history.searchAll<ProcessDefinitionItem>('process-definitions', {
        filter: { tenantId, isLatestVersion: true },
        sort: [{ field: 'processDefinitionId' }],
      })
    ).filter((d) => d.tenantId === tenantId);

  /** Without `processo` the heatmap shows the procurement process, else the first one. */
  const defaultProcess = (defs: ProcessDefinitionItem[]) =>
    defs.find((d) => d.processDefinitionId === 'procurement') ?? defs[0];

  /**
   * The process of the heatmap routes: `processo` from the query, or the default when it
   * is absent. A `processo` that is not a process of the province gives undefined (the
   * CSV and XML routes answer 404; the page shows the default instead).
   */
  const chosenProcess = (req: Request, defs: ProcessDefinitionItem[]) => {
    const asked = typeof req.query.processo === 'string' ? req.query.processo : '';
    return asked ? defs.find((d) => d.processDefinitionId === asked) : defaultProcess(defs);
  };

  const heatmap = async (req: Request, res: Response) => {
    const { filter, errors, comuni, form } = filterOf(req);
    const defs = await processes(filter.tenantId);
    const processo = (chosenProcess(req, defs) ?? defaultProcess(defs))?.processDefinitionId;
    const heat =
      processo && !errors.length ? await durationHeatmap(history, filter, processo) : undefined;
    const links = bundleLinks('monitoring-diagram');
    const days = (ms: number | null) =>
      formatCell(req.locale, 'days', ms === null ? null : ms / DAY);
    res.status(errors.length ? 422 : 200).render('analytics/views/heatmap', {
      title: translate(req.locale, 'analytics.heatmap.title'),
      processes: defs.map((d) => ({
        id: d.processDefinitionId,
        name: d.name,
        selected: d.processDefinitionId === processo,
      })),
      form,
      comuni: comuni.map((c) => ({ ...c, selected: c.istat === form.comune })),
      errors: errors.map((e) => ({ field: e.field, message: translate(req.locale, e.message) })),
      processo,
      heat,
      rows:
        heat?.elements.map((e) => ({
          ...e,
          median: days(e.medianMs),
          p90: days(e.p90Ms),
          mean: days(e.meanMs),
          total: days(e.totalMs),
        })) ?? [],
      xmlHref: heat?.processDefinitionKey
        ? `/indicatori/mappa-di-calore/diagramma.xml?processo=${encodeURIComponent(processo ?? '')}`
        : null,
      overlay: {
        mode: 'heatmap',
        elements:
          heat?.elements.map((e) => ({
            elementId: e.elementId,
            heat: e.heat,
            label: days(e.medianMs),
          })) ?? [],
        texts: {
          incidents: '',
          count: translate(req.locale, 'analytics.col.count'),
          zoomIn: translate(req.locale, 'monitoring.diagram.zoomIn'),
          zoomOut: translate(req.locale, 'monitoring.diagram.zoomOut'),
          fit: translate(req.locale, 'monitoring.diagram.fit'),
        },
      },
      csvHref: processo
        ? `/indicatori/mappa-di-calore.csv?${new URLSearchParams({ processo, dal: form.dal, al: form.al, ...(form.comune ? { comune: form.comune } : {}) })}`
        : null,
      scripts: [links.script],
      styles: links.style ? [links.style] : [],
    });
  };

  const heatmapCsv = async (req: Request, res: Response) => {
    const { filter } = filterOf(req);
    const processo = chosenProcess(req, await processes(filter.tenantId))?.processDefinitionId;
    if (!processo) throw new NotFoundError('No such process');
    const heat = await durationHeatmap(history, filter, processo);
    res
      .type('text/csv; charset=utf-8')
      .attachment(`heatmap-${processo}.csv`)
      .send(tableCsv(heat.table, label(req.locale)));
  };

  const heatmapXml = async (req: Request, res: Response) => {
    const { filter } = filterOf(req);
    const def = chosenProcess(req, await processes(filter.tenantId));
    const xml = def ? await history.processDefinitionXml(def.processDefinitionKey) : undefined;
    if (!xml) throw new NotFoundError('No such process');
    res.type('application/xml; charset=utf-8').send(xml);
  };

  // ---------------------------------------------------------------- alerts

  const alertsPage = async (
    req: Request,
    res: Response,
    status = 200,
    extra: Record<string, unknown> = {},
  ) => {
    const p = principalOf(req);
    const list = await alerts.list(p.tenantId);
    res.status(status).render('analytics/views/alerts', {
      title: translate(req.locale, 'analytics.alerts.title'),
      alerts: list.map((a) => ({
        ...a,
        indicatorLabel: translate(req.locale, `analytics.alertIndicator.${a.indicator}`),
        comparatorLabel: COMPARATORS[a.comparator],
        breached: a.state?.breached ?? false,
        lastValue: a.state?.lastValue ?? null,
        recipientsText: a.recipients.join(', '),
      })),
      indicators: ALERT_INDICATORS.map((i) => ({
        value: i,
        label: translate(req.locale, `analytics.alertIndicator.${i}`),
      })),
      comparators: Object.entries(COMPARATORS).map(([value, sign]) => ({ value, sign })),
      province: provinceOf(ctx.config, p).name,
      ...extra,
    });
  };

  const createAlert = async (req: Request, res: Response) => {
    const p = principalOf(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    try {
      await alerts.create(p.tenantId, p.username, {
        name: body.name,
        indicator: body.indicator,
        comparator: body.comparator,
        threshold: body.threshold,
        recipients: body.recipients,
        reminderEvery: body.reminderEvery,
      });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return alertsPage(req, res, 422, { errors: err.errors, form: body });
    }
    await ctx.securityLog.record({
      action: 'analytics.alert.created',
      outcome: 'success',
      tenantId: p.tenantId,
      actor: { username: p.username, accountId: p.accountId },
      ip: req.ip,
      details: { name: body.name, indicator: body.indicator, threshold: body.threshold },
    });
    await redirectAfterSave(req, res, '/indicatori/allarmi');
  };

  const removeAlert = async (req: Request, res: Response) => {
    const p = principalOf(req);
    if (!(await alerts.remove(p.tenantId, String(req.params.id))))
      throw new NotFoundError('No such alert');
    await ctx.securityLog.record({
      action: 'analytics.alert.removed',
      outcome: 'success',
      tenantId: p.tenantId,
      actor: { username: p.username, accountId: p.accountId },
      ip: req.ip,
      target: { kind: 'alert', id: String(req.params.id) },
    });
    await redirectAfterSave(req, res, '/indicatori/allarmi');
  };

  // ---------------------------------------------------------------- API

  const apiSection = async (req: Request, res: Response) => {
    const slug = Object.entries(SECTIONS).find(([, v]) => v === req.params.section)?.[0] as
      SectionSlug | undefined;
    if (!slug) throw new NotFoundError('No such section');
    const { filter, errors } = filterOf(req);
    if (errors.length) {
      throw new ValidationError(
        'Invalid filters',
        errors.map((e) => ({ field: e.field, message: e.message, key: e.message })),
      );
    }
    res.json({ tables: await sectionTables(req, slug, filter) });
  };

  const routes: RouteDef[] = [
    { method: 'get', path: '/indicatori', permission: 'analytics.read', handler: page },
    {
      method: 'get',
      path: '/indicatori/esporta/:file',
      permission: 'analytics.read',
      params: { file: { example: 'procurement.summary.csv' } },
      kind: 'download',
      handler: exportTable,
    },
    {
      method: 'get',
      path: '/indicatori/mappa-di-calore',
      permission: 'analytics.read',
      handler: heatmap,
    },
    {
      method: 'get',
      path: '/indicatori/mappa-di-calore.csv',
      permission: 'analytics.read',
      kind: 'download',
      handler: heatmapCsv,
    },
    {
      method: 'get',
      path: '/indicatori/mappa-di-calore/diagramma.xml',
      permission: 'analytics.read',
      kind: 'data',
      handler: heatmapXml,
    },
    {
      method: 'get',
      path: '/indicatori/allarmi',
      permission: 'analytics.alerts',
      handler: (req, res) => alertsPage(req, res),
    },
    {
      method: 'post',
      path: '/indicatori/allarmi',
      permission: 'analytics.alerts',
      handler: createAlert,
    },
    {
      method: 'post',
      path: '/indicatori/allarmi/:id/elimina',
      permission: 'analytics.alerts',
      params: { id: { resource: 'alert' } },
      handler: removeAlert,
    },
    {
      method: 'get',
      path: '/api/v1/analytics/:section',
      permission: 'analytics.read',
      params: { section: { example: 'procurement' } },
      handler: apiSection,
    },
  ];

  return {
    name: 'analytics',
    menu: [
      { labelKey: 'analytics.menu', href: '/indicatori', permission: 'analytics.read', order: 65 },
    ],
    routes,
    openapi: analyticsOpenApi,
    staticDir: path.join(__dirname, 'public'),
  };
}
