/**
 * The security and operator log of the province, for its administrator (permission
 * `security-log.read`): /amministrazione/registro (newest first, filters, cursor
 * paging) and GET /api/v1/security-log. Always limited to the reader's province.
 */
import type { Request } from 'express';
import type { SecurityEvent, SecurityLogQuery, SecurityOutcome } from '../../../audit/security-log';
import { principalOf, type WebContext } from '../../core/context';
import type { OpenApiFragment, WebArea } from '../../core/route-table';
import { translate } from '../../i18n';

const PAGE_SIZE = 50;
const OUTCOMES: SecurityOutcome[] = ['success', 'failure', 'denied'];

function queryOf(req: Request): SecurityLogQuery {
  const q = req.query as Record<string, unknown>;
  // The OpenAPI validator has already coerced API query values (limit is a number there).
  const str = (v: unknown) =>
    typeof v === 'number'
      ? String(v)
      : typeof v === 'string' && v.trim() !== ''
        ? v.trim().slice(0, 100)
        : undefined;
  const outcome = str(q.outcome);
  const limit = Number(str(q.limit) ?? PAGE_SIZE);
  return {
    action: str(q.action),
    actor: str(q.actor)?.toLowerCase(),
    outcome: OUTCOMES.includes(outcome as SecurityOutcome)
      ? (outcome as SecurityOutcome)
      : undefined,
    before: str(q.before),
    limit: Number.isInteger(limit) ? Math.min(Math.max(limit, 1), 200) : PAGE_SIZE,
  };
}

export function eventJson(e: SecurityEvent) {
  return {
    id: e.id,
    at: e.at.toISOString(),
    action: e.action,
    outcome: e.outcome,
    actor: e.actor ?? null,
    ip: e.ip ?? null,
    target: e.target ?? null,
    reason: e.reason ?? null,
    details: e.details ?? {},
  };
}

const eventSchema = {
  type: 'object',
  required: ['id', 'at', 'action', 'outcome'],
  properties: {
    id: { type: 'string' },
    at: { type: 'string', format: 'date-time' },
    action: {
      type: 'string',
      examples: ['auth.sign-in', 'auth.locked', 'users.updated', 'monitoring.incident.retry'],
    },
    outcome: { enum: OUTCOMES },
    actor: {
      type: ['object', 'null'],
      properties: {
        username: { type: 'string' },
        accountId: { type: 'string' },
        via: { type: 'string' },
      },
    },
    ip: { type: ['string', 'null'] },
    target: {
      type: ['object', 'null'],
      properties: { kind: { type: 'string' }, id: { type: 'string' }, label: { type: 'string' } },
    },
    reason: { type: ['string', 'null'] },
    details: { type: 'object' },
  },
};

const openapi: OpenApiFragment = {
  tags: [
    { name: 'security-log', description: 'Security and operator log of the caller’s province' },
  ],
  components: { schemas: { SecurityEvent: eventSchema } },
  paths: {
    '/api/v1/security-log': {
      get: {
        tags: ['security-log'],
        operationId: 'listSecurityLog',
        summary: 'Entries of the caller’s province, newest first (permission security-log.read)',
        parameters: [
          { name: 'action', in: 'query', schema: { type: 'string', maxLength: 100 } },
          { name: 'actor', in: 'query', schema: { type: 'string', maxLength: 100 } },
          { name: 'outcome', in: 'query', schema: { enum: OUTCOMES } },
          {
            name: 'before',
            in: 'query',
            description: 'Cursor: the id of the last entry seen',
            schema: { type: 'string', pattern: '^[0-9a-f]{24}$' },
          },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200 } },
        ],
        responses: {
          '200': {
            description: 'Entries',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['items'],
                  properties: {
                    items: { type: 'array', items: { $ref: '#/components/schemas/SecurityEvent' } },
                    next: {
                      type: ['string', 'null'],
                      description: 'Pass as `before` for the next page',
                    },
                  },
                },
              },
            },
          },
          '400': { $ref: '#/components/responses/Problem' },
          '401': { $ref: '#/components/responses/Problem' },
          '403': { $ref: '#/components/responses/Problem' },
        },
      },
    },
  },
};

export function securityLogArea(ctx: WebContext): WebArea {
  const read = async (req: Request) => {
    const query = queryOf(req);
    const items = await ctx.securityLog.list(principalOf(req).tenantId, query);
    const next = items.length === query.limit ? items[items.length - 1].id : null;
    return { query, items, next };
  };
  return {
    name: 'security-log',
    menu: [
      {
        labelKey: 'auth.securityLog.menu',
        href: '/amministrazione/registro',
        permission: 'security-log.read',
        order: 85,
      },
    ],
    openapi,
    routes: [
      {
        method: 'get',
        path: '/amministrazione/registro',
        permission: 'security-log.read',
        handler: async (req, res) => {
          const { query, items, next } = await read(req);
          const params = new URLSearchParams();
          for (const k of ['action', 'actor', 'outcome'] as const)
            if (query[k]) params.set(k, String(query[k]));
          if (next) params.set('before', next);
          res.render('admin/security-log/views/list', {
            title: translate(req.locale, 'auth.securityLog.title'),
            query,
            outcomes: OUTCOMES.map((o) => ({
              value: o,
              labelKey: `auth.securityLog.outcome.${o}`,
              selected: o === query.outcome,
            })),
            events: items.map((e) => ({
              ...eventJson(e),
              atDate: e.at,
              outcomeKey: `auth.securityLog.outcome.${e.outcome}`,
              detailsText:
                e.details && Object.keys(e.details).length ? JSON.stringify(e.details) : '',
            })),
            nextHref: next ? `/amministrazione/registro?${params}` : undefined,
          });
        },
      },
      {
        method: 'get',
        path: '/api/v1/security-log',
        permission: 'security-log.read',
        handler: async (req, res) => {
          const { items, next } = await read(req);
          res.json({ items: items.map(eventJson), next });
        },
      },
    ],
  };
}
