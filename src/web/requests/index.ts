/**
 * Requests from the comuni: /richieste/nuova (choose a service, fill in its start form)
 * and "Le mie richieste" (/richieste), plus POST/GET /api/v1/requests. The comune is
 * always the person's own; the data is validated with the process's start form.
 */
import type { Request, Response } from 'express';
import { fileFields, parseFormInput, renderForm, type FieldError } from '../../forms';
import { comuniInScope, provinceOf } from '../../tenancy';
import { inputError, safeFileName, TaskInputError, TaskNotFoundError } from '../../tasks';
import type { WebContext } from '../core/context';
import { principalOf } from '../core/context';
import type { OpenApiFragment, WebArea } from '../core/route-table';
import { redirectAfterSave } from '../core/session';
import { translate } from '../i18n';
import { formAndFiles } from '../inbox';
import { scripts, services, STYLES } from '../inbox/pages';
import { actorOf, localizeErrors, tFor } from '../inbox/web-actor';
import { problemResponse as problem } from '../core/openapi-parts';

async function listPage(ctx: WebContext, req: Request, res: Response): Promise<void> {
  const svc = services(ctx);
  const actor = actorOf(principalOf(req));
  const mine = svc.requests.mine(actor);
  const states = await svc.history
    .instances(
      actor.tenantId,
      mine.slice(0, 200).map((r) => r.processInstanceKey),
    )
    .catch(() => new Map());
  const created = typeof req.query.inviata === 'string' ? req.query.inviata : undefined;
  res.render('requests/views/list', {
    title: translate(req.locale, 'requests.mine.title'),
    styles: STYLES,
    types: await svc.requests.typesFor(actor),
    requests: mine.map((r) => {
      const open = svc.inbox.index
        .tasksOfInstance(r.tenantId, r.processInstanceKey)
        .filter((t) => t.state === 'open' || t.state === 'completing');
      const instance = states.get(r.processInstanceKey);
      return {
        ...r,
        typeKey: `requests.type.${r.process}`,
        steps: open.map((t) => t.name),
        caseNumber: open[0]?.caseNumber,
        stateKey: instance ? `requests.state.${instance.state}` : 'requests.state.unknown',
        mine: r.requestedBy === actor.username,
        highlighted: r.processInstanceKey === created,
      };
    }),
  });
}

async function choosePage(ctx: WebContext, req: Request, res: Response): Promise<void> {
  const svc = services(ctx);
  const actor = actorOf(principalOf(req));
  res.render('requests/views/choose', {
    title: translate(req.locale, 'requests.new.title'),
    types: (await svc.requests.typesFor(actor)).map((t) => ({
      ...t,
      titleKey: `requests.type.${t.process}`,
      textKey: `requests.type.${t.process}.text`,
    })),
  });
}

async function formPage(
  ctx: WebContext,
  req: Request,
  res: Response,
  state: {
    values?: Record<string, unknown>;
    raw?: Record<string, string>;
    errors?: FieldError[];
    extraRows?: Record<string, number>;
  } = {},
): Promise<void> {
  const svc = services(ctx);
  const principal = principalOf(req);
  const actor = actorOf(principal);
  const type = await svc.requests.type(actor, String(req.params.process));
  const form = svc.forms.get(type.formKey);
  const comune = comuniInScope(ctx.config, principal)[0];
  const t = tFor(req.locale);
  const province = provinceOf(ctx.config, principal);
  res.status(state.errors ? 422 : 200).render('requests/views/form', {
    title: form.title,
    scripts: scripts(),
    styles: STYLES,
    form,
    typeKey: `requests.type.${type.process}`,
    provinceName: province.name,
    formHtml: renderForm(form, {
      t,
      locale: req.locale,
      action: `/richieste/nuova/${type.process}`,
      hidden: { _csrf: res.locals.csrfToken() },
      values: state.values ?? { comuneIstat: actor.comune },
      raw: state.raw,
      errors: state.errors,
      fixedComune: comune ? { istat: comune.istat, name: comune.name } : undefined,
      extraRows: state.extraRows,
      attributes: { 'data-testid': 'request-form' },
    }),
  });
}

async function submit(ctx: WebContext, req: Request, res: Response): Promise<void> {
  const svc = services(ctx);
  const actor = actorOf(principalOf(req));
  const type = await svc.requests.type(actor, String(req.params.process));
  const form = svc.forms.get(type.formKey);
  const { data, raw } = parseFormInput(form, req.body ?? {});
  const action = String(req.body?._action ?? '');
  if (action.startsWith('add-row:')) {
    return formPage(ctx, req, res, { values: data, raw, extraRows: { [action.slice(8)]: 1 } });
  }
  const files: { field: string; fileName: string; content: Buffer }[] = [];
  const uploads = Array.isArray(req.files) ? req.files : [];
  for (const f of fileFields(form)) {
    const mine = uploads.filter((u) => u.fieldname === `${f.name}__upload` && u.size > 0);
    if (!mine.length) continue;
    const names = mine.map((u) => safeFileName(u.originalname));
    data[f.name] = f.multiple
      ? [...((data[f.name] as string[] | undefined) ?? []), ...names]
      : names[0];
    for (const u of mine)
      files.push({ field: f.name, fileName: safeFileName(u.originalname), content: u.buffer });
  }
  let record;
  try {
    const check = svc.forms.validate(
      type.formKey,
      { ...data, comuneIstat: actor.comune },
      { locale: req.locale },
    );
    if (!check.valid) throw new TaskInputError(check.errors);
    record = await svc.requests.start(actor, type.process, data, files);
  } catch (err) {
    if (err instanceof TaskInputError) {
      return formPage(ctx, req, res, {
        values: data,
        raw,
        errors: localizeErrors(err.errors, req.locale),
      });
    }
    throw err;
  }
  req.session.flash = { kind: 'success', key: 'requests.flash.sent' };
  return redirectAfterSave(req, res, `/richieste?inviata=${record.processInstanceKey}`);
}

function requestJson(r: {
  processInstanceKey: string;
  process: string;
  bpmnProcessId: string;
  comune: string;
  requestedBy: string;
  requestedAt: Date;
  subject?: string;
}) {
  return {
    processInstanceKey: r.processInstanceKey,
    process: r.process,
    bpmnProcessId: r.bpmnProcessId,
    comune: r.comune,
    requestedBy: r.requestedBy,
    requestedAt: new Date(r.requestedAt).toISOString(),
    subject: r.subject ?? null,
    caseHref: `/api/v1/cases/${r.processInstanceKey}`,
  };
}

const openapi: OpenApiFragment = {
  tags: [{ name: 'requests', description: 'Requests of the comuni (start forms)' }],
  paths: {
    '/api/v1/requests': {
      get: {
        tags: ['requests'],
        operationId: 'listRequests',
        summary: 'The requests of the caller’s comune, newest first',
        responses: {
          '200': { description: 'Requests', content: { 'application/json': {} } },
          '401': problem,
          '403': problem,
        },
      },
      post: {
        tags: ['requests'],
        operationId: 'startRequest',
        summary: 'Start a request for the caller’s comune with the process’s start form',
        description:
          'Answers 422 problem+json naming every invalid field; nothing is started then. `comune` must be the caller’s own.',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                additionalProperties: false,
                required: ['process', 'variables'],
                properties: {
                  process: { enum: ['procurement', 'eu-funding', 'data-request'] },
                  comune: { type: 'string', pattern: '^[0-9]{6}$' },
                  variables: { type: 'object' },
                },
              },
              example: { process: 'procurement', variables: { subject: 'Manutenzione del verde' } },
            },
          },
        },
        responses: {
          '201': { description: 'The request started', content: { 'application/json': {} } },
          '401': problem,
          '403': problem,
          '404': problem,
          '422': problem,
        },
      },
    },
  },
};

export function requestsArea(ctx: WebContext): WebArea {
  const page =
    (fn: (c: WebContext, q: Request, r: Response) => Promise<void>) => (q: Request, r: Response) =>
      fn(ctx, q, r);
  const process = { process: { example: 'procurement' } };
  return {
    name: 'requests',
    menu: [
      { labelKey: 'requests.menu', href: '/richieste', permission: 'requests.start', order: 25 },
    ],
    routes: [
      { method: 'get', path: '/richieste', permission: 'requests.start', handler: page(listPage) },
      {
        method: 'get',
        path: '/richieste/nuova',
        permission: 'requests.start',
        handler: page(choosePage),
      },
      {
        method: 'get',
        path: '/richieste/nuova/:process',
        permission: 'requests.start',
        params: process,
        handler: page((c, q, r) => formPage(c, q, r)),
      },
      {
        method: 'post',
        path: '/richieste/nuova/:process',
        permission: 'requests.start',
        params: process,
        bodyParsers: formAndFiles(),
        handler: page(submit),
      },
      {
        method: 'get',
        path: '/api/v1/requests',
        permission: 'requests.start',
        handler: (req, res) => {
          res.json({
            items: services(ctx)
              .requests.mine(actorOf(principalOf(req)))
              .map(requestJson),
          });
        },
      },
      {
        method: 'post',
        path: '/api/v1/requests',
        permission: 'requests.start',
        handler: async (req, res) => {
          const actor = actorOf(principalOf(req));
          const body = req.body as {
            process: string;
            comune?: string;
            variables: Record<string, unknown>;
          };
          if (body.comune !== undefined && body.comune !== actor.comune)
            throw inputError('comune', 'notYourComune');
          try {
            const record = await services(ctx).requests.start(actor, body.process, body.variables);
            res.status(201).json(requestJson(record));
          } catch (err) {
            if (err instanceof TaskNotFoundError) throw inputError('process', 'unknownProcess');
            throw err;
          }
        },
      },
    ],
    openapi,
  };
}
