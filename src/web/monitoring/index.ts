/**
 * /monitoraggio — what is running and what is stuck, for the person's province only:
 *
 *   GET  /monitoraggio                              instances list with filters
 *   GET  /monitoraggio/istanze.csv                  the filtered list as CSV
 *   GET  /monitoraggio/istanze/:key                 one instance: diagram, history, variables, incidents
 *   GET  /monitoraggio/istanze/:key/diagramma.xml   its BPMN (for the diagram bundle)
 *   POST /monitoraggio/istanze/:key/variabili       change a variable, with a reason
 *   POST /monitoraggio/istanze/:key/annulla         cancel the instance, with a reason
 *   POST /monitoraggio/istanze/:key/sposta          move a token (administrators)
 *   GET  /monitoraggio/incidenti                    open incidents grouped by process and error
 *   POST /monitoraggio/incidenti/riprova            retry incidents (one or many), result per incident
 *   GET/POST /monitoraggio/migrazione               migrate running instances to another version (administrators)
 *   /api/v1/monitoring/...                          the same reads and operations as JSON
 *
 * History is read through the Camunda 8 REST API v2 (src/monitoring), commands go through
 * the Zeebe client; every operation is written to the case's audit trail and to the
 * security and operator log with who, when and why.
 */
import type { Request, Response } from 'express';
import { createAuditTrail } from '../../audit';
import { ValidationError } from '../../errors';
import {
  MonitoringOperations,
  auditTrailOperatorLog,
  combinedOperatorLog,
  getInstanceDetail,
  incidentGroups,
  instancesCsv,
  listInstances,
  type HistoryClient,
  type InstanceRow,
  type ItemResult,
  type MonitoringScope,
  type OperatorLog,
  type ProcessDefinitionItem,
} from '../../monitoring';
import { comuniInScope } from '../../tenancy';
import { principalOf, type WebContext } from '../core/context';
import type { RouteDef, WebArea } from '../core/route-table';
import { bundleLinks } from '../bundles';
import { redirectAfterSave } from '../core/session';
import { translate, type Locale } from '../i18n';
import { monitoringOpenApi } from './openapi';
import { STATES, listQuery, queryString, toFilters } from './query';

const KEY = { key: { resource: 'process-instance' } } as const;

const diagramBundle = () => bundleLinks('monitoring-diagram');

function scopeOf(req: Request): MonitoringScope {
  return { tenantId: principalOf(req).tenantId };
}

function operatorOf(req: Request) {
  const p = principalOf(req);
  return { username: p.username, displayName: p.displayName };
}

function formString(req: Request, name: string): string {
  const v = (req.body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v : '';
}

function formList(req: Request, name: string): string[] {
  const v = (req.body as Record<string, unknown> | undefined)?.[name];
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).map(String);
}

const CSV_COLUMNS: (keyof InstanceRow)[] = [
  'processInstanceKey',
  'caseNumber',
  'bpmnProcessId',
  'processName',
  'version',
  'processDefinitionKey',
  'state',
  'hasIncident',
  'comuneIstat',
  'startDate',
  'endDate',
];

export function monitoringArea(ctx: WebContext): WebArea {
  const history: HistoryClient = ctx.history;
  const trail = createAuditTrail(ctx.connection);

  /** Operator actions go to the case trail and to the security/operator log. */
  const operations = (req: Request) => {
    const securitySink: OperatorLog = {
      async record(a) {
        await ctx.securityLog.record({
          action: a.action,
          outcome: a.outcome === 'ok' ? 'success' : 'failure',
          tenantId: a.tenantId,
          actor: { username: a.operator.username, accountId: principalOf(req).accountId },
          ip: req.ip,
          target: { kind: 'process-instance', id: a.processInstanceKey },
          reason: a.reason,
          details: { ...a.details, error: a.error ?? null },
        });
      },
    };
    return new MonitoringOperations({
      history,
      zeebe: ctx.zeebe,
      log: combinedOperatorLog(auditTrailOperatorLog(trail), securitySink),
    });
  };

  const comuneNames = (req: Request) =>
    new Map(comuniInScope(ctx.config, principalOf(req)).map((c) => [c.istat, c.name]));

  const definitions = async (scope: MonitoringScope) =>
    (
      await history.searchAll<ProcessDefinitionItem>('process-definitions', {
        filter: { tenantId: scope.tenantId },
        sort: [{ field: 'processDefinitionId' }, { field: 'version', order: 'DESC' }],
      })
    ).filter((d) => d.tenantId === scope.tenantId);

  const stateLabel = (locale: Locale, state: string) =>
    translate(locale, `monitoring.state.${state}`);

  // ---------------------------------------------------------------- list

  const list = async (req: Request, res: Response) => {
    const scope = scopeOf(req);
    const q = listQuery(req.query as Record<string, unknown>);
    const names = comuneNames(req);
    let errors: { field: string; message: string }[] = [];
    let page = {
      rows: [] as InstanceRow[],
      total: 0,
      next: null as string | null,
      previous: null as string | null,
    };
    try {
      const filters = toFilters(q, [...names.keys()]);
      const after = typeof req.query.dopo === 'string' ? req.query.dopo : undefined;
      const before = typeof req.query.prima === 'string' ? req.query.prima : undefined;
      page = await listInstances(history, scope, filters, { limit: 25, after, before });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      errors = err.errors.map((e) => ({
        field: e.field,
        message: e.key ? translate(req.locale, e.key) : e.message,
      }));
    }
    const defs = await definitions(scope);
    const processes = [...new Map(defs.map((d) => [d.processDefinitionId, d.name])).entries()].map(
      ([id, name]) => ({ id, name, selected: id === q.processo }),
    );
    res.status(errors.length ? 422 : 200).render('monitoring/views/list', {
      title: translate(req.locale, 'monitoring.list.title'),
      q,
      errors,
      processes,
      states: STATES.map((s) => ({
        value: s,
        label: stateLabel(req.locale, s),
        selected: s === q.stato,
      })),
      comuni: [...names].map(([istat, name]) => ({ istat, name, selected: istat === q.comune })),
      rows: page.rows.map((r) => ({
        ...r,
        stateLabel: stateLabel(req.locale, r.state),
        comuneName: r.comuneIstat ? (names.get(r.comuneIstat) ?? r.comuneIstat) : '',
      })),
      total: page.total,
      csvHref: `/monitoraggio/istanze.csv${queryString(q)}`,
      nextHref: page.next ? `/monitoraggio${queryString(q, { dopo: page.next })}` : null,
      previousHref: page.previous
        ? `/monitoraggio${queryString(q, { prima: page.previous })}`
        : null,
    });
  };

  const csv = async (req: Request, res: Response) => {
    const scope = scopeOf(req);
    const q = listQuery(req.query as Record<string, unknown>);
    const filters = toFilters(q, [...comuneNames(req).keys()]);
    const headers = Object.fromEntries(
      CSV_COLUMNS.map((c) => [c, translate(req.locale, `monitoring.csv.${c}`)]),
    ) as Record<keyof InstanceRow, string>;
    const body = await instancesCsv(history, scope, filters, headers);
    res
      .type('text/csv; charset=utf-8')
      .attachment(`istanze-${scope.tenantId}-${new Date().toISOString().slice(0, 10)}.csv`)
      .send(body);
  };

  // ---------------------------------------------------------------- one instance

  const instance = async (req: Request, res: Response) => {
    const scope = scopeOf(req);
    const principal = principalOf(req);
    const d = await getInstanceDetail(history, scope, String(req.params.key));
    const names = comuneNames(req);
    const texts = {
      incidents: translate(req.locale, 'monitoring.diagram.incidents'),
      count: translate(req.locale, 'monitoring.diagram.count'),
      zoomIn: translate(req.locale, 'monitoring.diagram.zoomIn'),
      zoomOut: translate(req.locale, 'monitoring.diagram.zoomOut'),
      fit: translate(req.locale, 'monitoring.diagram.fit'),
    };
    const comune = d.variables.find(
      (v) => v.name === 'comuneIstat' && v.scopeKey === d.instance.processInstanceKey,
    );
    const caseNumber = d.variables.find(
      (v) => v.name === 'caseNumber' && v.scopeKey === d.instance.processInstanceKey,
    );
    const parse = (json?: string) => {
      try {
        return json === undefined ? '' : String(JSON.parse(json));
      } catch {
        return json ?? '';
      }
    };
    const active = d.instance.state === 'ACTIVE';
    const activeElements = d.elements.filter((e) => e.state === 'ACTIVE' && e.type !== 'PROCESS');
    res.render('monitoring/views/instance', {
      title: translate(req.locale, 'monitoring.instance.title', {
        key: d.instance.processInstanceKey,
      }),
      instance: { ...d.instance, stateLabel: stateLabel(req.locale, d.instance.state) },
      caseNumber: parse(caseNumber?.value),
      comuneName: comune ? (names.get(parse(comune.value)) ?? parse(comune.value)) : '',
      active,
      canOperate: active && principal.permissions.has('monitoring.operate'),
      canModify: active && principal.permissions.has('monitoring.modify'),
      overlay: {
        mode: 'instance',
        active: d.activeElementIds,
        visited: d.visitedElementIds,
        elements: d.stats.map((s) => ({
          elementId: s.elementId,
          count: s.count,
          incidents: s.incidents,
        })),
        texts,
      },
      stats: d.stats,
      elements: d.elements
        .filter((e) => e.type !== 'PROCESS')
        .map((e) => ({ ...e, stateLabel: stateLabel(req.locale, e.state) })),
      variables: d.variables.map((v) => ({
        ...v,
        scopeLabel:
          v.scopeKey === d.instance.processInstanceKey
            ? translate(req.locale, 'monitoring.variables.processScope')
            : v.scopeKey,
      })),
      incidents: d.incidents,
      openIncidents: d.incidents.filter((i) => i.state === 'ACTIVE'),
      activeElements,
      diagramIds: [...new Set(d.stats.map((s) => s.elementId))],
      children: d.children,
      fascicoloHref: `/fascicoli/${d.instance.processInstanceKey}`,
      flashKey: ['variabile', 'annullata', 'spostata', 'riprovato'].includes(
        String(req.query.esito),
      )
        ? `monitoring.flash.${String(req.query.esito)}`
        : undefined,
      scripts: [diagramBundle().script],
      styles: diagramBundle().style ? [diagramBundle().style] : [],
    });
  };

  const xml = async (req: Request, res: Response) => {
    const d = await getInstanceDetail(history, scopeOf(req), String(req.params.key));
    res.type('application/xml; charset=utf-8').send(d.xml);
  };

  const back = (key: string, outcome: string) => `/monitoraggio/istanze/${key}?esito=${outcome}`;

  const updateVariable = async (req: Request, res: Response) => {
    const key = String(req.params.key);
    await getInstanceDetail(history, scopeOf(req), key); // 404 before reading the body
    await operations(req).updateVariable(
      scopeOf(req),
      operatorOf(req),
      {
        processInstanceKey: key,
        scopeKey: formString(req, 'scopeKey') || undefined,
        name: formString(req, 'name'),
        value: formString(req, 'value'),
      },
      formString(req, 'reason'),
    );
    await redirectAfterSave(req, res, back(key, 'variabile'));
  };

  const cancel = async (req: Request, res: Response) => {
    const key = String(req.params.key);
    await getInstanceDetail(history, scopeOf(req), key);
    const [result] = await operations(req).cancelInstances(
      scopeOf(req),
      operatorOf(req),
      [key],
      formString(req, 'reason'),
    );
    if (!result.ok)
      throw new ValidationError(result.error ?? 'failed', [
        { field: 'reason', message: result.error ?? '' },
      ]);
    await redirectAfterSave(req, res, back(key, 'annullata'));
  };

  const move = async (req: Request, res: Response) => {
    const key = String(req.params.key);
    await getInstanceDetail(history, scopeOf(req), key);
    await operations(req).moveToken(
      scopeOf(req),
      operatorOf(req),
      {
        processInstanceKey: key,
        fromElementId: formString(req, 'fromElementId'),
        toElementId: formString(req, 'toElementId'),
      },
      formString(req, 'reason'),
    );
    await redirectAfterSave(req, res, back(key, 'spostata'));
  };

  // ---------------------------------------------------------------- incidents

  const incidents = async (req: Request, res: Response) => {
    const scope = scopeOf(req);
    const groups = await incidentGroups(history, scope);
    res.render('monitoring/views/incidents', {
      title: translate(req.locale, 'monitoring.incidents.title'),
      groups: groups.map((g, i) => ({ ...g, index: i, count: g.incidents.length })),
      canOperate: principalOf(req).permissions.has('monitoring.operate'),
    });
  };

  const renderResults = (
    req: Request,
    res: Response,
    kind: string,
    results: ItemResult[],
    hrefOf: (key: string) => string,
  ) =>
    res.render('monitoring/views/results', {
      title: translate(req.locale, `monitoring.results.${kind}`),
      kind,
      results: results.map((r) => ({ ...r, href: hrefOf(r.key) })),
      done: results.filter((r) => r.ok).length,
      failed: results.filter((r) => !r.ok).length,
    });

  const retry = async (req: Request, res: Response) => {
    const keys = formList(req, 'incidentKey');
    const results = await operations(req).retryIncidents(
      scopeOf(req),
      operatorOf(req),
      keys,
      formString(req, 'reason'),
    );
    const returnTo = formString(req, 'returnTo');
    if (
      results.length === 1 &&
      results[0].ok &&
      /^\/monitoraggio\/istanze\/\d{1,19}$/.test(returnTo)
    ) {
      return redirectAfterSave(req, res, `${returnTo}?esito=riprovato`);
    }
    renderResults(req, res, 'retry', results, () => '/monitoraggio/incidenti');
  };

  // ---------------------------------------------------------------- migration

  const migrateForm = async (
    req: Request,
    res: Response,
    status = 200,
    extra: Record<string, unknown> = {},
  ) => {
    const scope = scopeOf(req);
    const defs = await definitions(scope);
    const processo =
      typeof req.query.processo === 'string' ? req.query.processo : formString(req, 'processo');
    const versions = defs.filter((d) => d.processDefinitionId === processo);
    const from = typeof req.query.da === 'string' ? req.query.da : formString(req, 'da');
    const to = typeof req.query.a === 'string' ? req.query.a : formString(req, 'a');
    const source = versions.find((v) => v.processDefinitionKey === from);
    const target = versions.find((v) => v.processDefinitionKey === to);
    let running: InstanceRow[] = [];
    let sourceElements: string[] = [];
    let targetElements: string[] = [];
    if (source && target) {
      running = (
        await listInstances(
          history,
          scope,
          { bpmnProcessId: processo, version: source.version, state: 'ACTIVE' },
          { limit: 200 },
        )
      ).rows;
      const ids = (x: string) => [
        ...new Set(
          [
            ...x.matchAll(
              /<bpmn:(?:\w*Task|subProcess|callActivity|intermediateCatchEvent|receiveTask)\b[^>]*\sid="([^"]+)"/g,
            ),
          ].map((m) => m[1]),
        ),
      ];
      sourceElements = ids((await history.processDefinitionXml(source.processDefinitionKey)) ?? '');
      targetElements = ids((await history.processDefinitionXml(target.processDefinitionKey)) ?? '');
    }
    res.status(status).render('monitoring/views/migrate', {
      title: translate(req.locale, 'monitoring.migrate.title'),
      processes: [...new Set(defs.map((d) => d.processDefinitionId))].map((id) => ({
        id,
        selected: id === processo,
      })),
      processo,
      versions: versions.map((v) => ({
        ...v,
        fromSelected: v.processDefinitionKey === from,
        toSelected: v.processDefinitionKey === to,
      })),
      source,
      target,
      running,
      mapping: sourceElements.map((id) => ({
        id,
        options: targetElements.map((t) => ({ id: t, selected: t === id })),
      })),
      ...extra,
    });
  };

  const migrate = async (req: Request, res: Response) => {
    const body = req.body as Record<string, unknown>;
    const mapping = Object.entries(body)
      .filter(([k, v]) => k.startsWith('map.') && typeof v === 'string' && v)
      .map(([k, v]) => ({ sourceElementId: k.slice(4), targetElementId: String(v) }));
    try {
      const results = await operations(req).migrateInstances(
        scopeOf(req),
        operatorOf(req),
        {
          processInstanceKeys: formList(req, 'processInstanceKey'),
          targetProcessDefinitionKey: formString(req, 'a'),
          mapping,
        },
        formString(req, 'reason'),
      );
      renderResults(req, res, 'migrate', results, (key) => `/monitoraggio/istanze/${key}`);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await migrateForm(req, res, 422, { errors: err.errors });
    }
  };

  // ---------------------------------------------------------------- API

  const apiList = async (req: Request, res: Response) => {
    const q = listQuery(req.query as Record<string, unknown>);
    const page = await listInstances(
      history,
      scopeOf(req),
      toFilters(q, [...comuneNames(req).keys()]),
      {
        limit: Number(req.query.limit ?? 25) || 25,
        after: typeof req.query.after === 'string' ? req.query.after : undefined,
      },
    );
    res.json({ items: page.rows, total: page.total, next: page.next });
  };
  const apiInstance = async (req: Request, res: Response) => {
    const d = await getInstanceDetail(history, scopeOf(req), String(req.params.key));
    res.json({
      instance: d.instance,
      elements: d.elements,
      variables: d.variables,
      incidents: d.incidents,
      stats: d.stats,
    });
  };
  const apiIncidents = async (req: Request, res: Response) => {
    res.json({ groups: await incidentGroups(history, scopeOf(req)) });
  };
  const apiRetry = async (req: Request, res: Response) => {
    const body = req.body as { incidentKeys?: unknown; reason?: unknown };
    res.json({
      results: await operations(req).retryIncidents(
        scopeOf(req),
        operatorOf(req),
        body.incidentKeys,
        body.reason,
      ),
    });
  };
  const apiCancel = async (req: Request, res: Response) => {
    const key = String(req.params.key);
    await getInstanceDetail(history, scopeOf(req), key);
    const [result] = await operations(req).cancelInstances(
      scopeOf(req),
      operatorOf(req),
      [key],
      (req.body as { reason?: unknown }).reason,
    );
    res.status(result.ok ? 200 : 409).json(result);
  };

  const routes: RouteDef[] = [
    { method: 'get', path: '/monitoraggio', permission: 'monitoring.read', handler: list },
    {
      method: 'get',
      path: '/monitoraggio/istanze.csv',
      permission: 'monitoring.read',
      kind: 'download',
      handler: csv,
    },
    {
      method: 'get',
      path: '/monitoraggio/istanze/:key',
      permission: 'monitoring.read',
      params: KEY,
      handler: instance,
    },
    {
      method: 'get',
      path: '/monitoraggio/istanze/:key/diagramma.xml',
      permission: 'monitoring.read',
      kind: 'data',
      params: KEY,
      handler: xml,
    },
    {
      method: 'post',
      path: '/monitoraggio/istanze/:key/variabili',
      permission: 'monitoring.operate',
      params: KEY,
      handler: updateVariable,
    },
    {
      method: 'post',
      path: '/monitoraggio/istanze/:key/annulla',
      permission: 'monitoring.operate',
      params: KEY,
      handler: cancel,
    },
    {
      method: 'post',
      path: '/monitoraggio/istanze/:key/sposta',
      permission: 'monitoring.modify',
      params: KEY,
      handler: move,
    },
    {
      method: 'get',
      path: '/monitoraggio/incidenti',
      permission: 'monitoring.read',
      handler: incidents,
    },
    {
      method: 'post',
      path: '/monitoraggio/incidenti/riprova',
      permission: 'monitoring.operate',
      handler: retry,
    },
    {
      method: 'get',
      path: '/monitoraggio/migrazione',
      permission: 'monitoring.modify',
      handler: (req, res) => migrateForm(req, res),
    },
    {
      method: 'post',
      path: '/monitoraggio/migrazione',
      permission: 'monitoring.modify',
      handler: migrate,
    },
    {
      method: 'get',
      path: '/api/v1/monitoring/instances',
      permission: 'monitoring.read',
      handler: apiList,
    },
    {
      method: 'get',
      path: '/api/v1/monitoring/instances/:key',
      permission: 'monitoring.read',
      params: KEY,
      handler: apiInstance,
    },
    {
      method: 'get',
      path: '/api/v1/monitoring/incidents',
      permission: 'monitoring.read',
      handler: apiIncidents,
    },
    {
      method: 'post',
      path: '/api/v1/monitoring/incidents/retry',
      permission: 'monitoring.operate',
      handler: apiRetry,
    },
    {
      method: 'post',
      path: '/api/v1/monitoring/instances/:key/cancellation',
      permission: 'monitoring.operate',
      params: KEY,
      handler: apiCancel,
    },
  ];

  return {
    name: 'monitoring',
    menu: [
      {
        labelKey: 'monitoring.menu',
        href: '/monitoraggio',
        permission: 'monitoring.read',
        order: 60,
      },
    ],
    routes,
    openapi: monitoringOpenApi,
  };
}
