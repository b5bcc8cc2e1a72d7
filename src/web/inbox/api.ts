/**
 * The inbox's REST API (/api/v1/tasks...), described in the OpenAPI document. Same
 * domain functions and rules as the pages: 404 for tasks the caller may not see, 403
 * without the permission, 409 when the task changed meanwhile (stale version, naming
 * who changed it), 422 naming every invalid field — and nothing changed then.
 */
import type { Request, Response } from 'express';
import type { OpenApiFragment, RouteDef } from '../core/route-table';
import type { WebContext } from '../core/context';
import { principalOf } from '../core/context';
import { parseListQuery, type BulkAction } from '../../tasks';
import { services } from './pages';
import { rowJson, taskJson } from './present';
import { actorOf } from './web-actor';
import { problemResponse as problem } from '../core/openapi-parts';

const idParam = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'string', pattern: '^[0-9]{1,20}$' },
};
const taskRef = { $ref: '#/components/schemas/InboxTask' };
const okTask = {
  description: 'The task after the change',
  content: { 'application/json': { schema: taskRef } },
};
const errors = { '401': problem, '403': problem, '404': problem, '409': problem, '422': problem };

function version(body: Record<string, unknown> | undefined): number | undefined {
  const v = body?.version;
  return typeof v === 'number' && Number.isInteger(v) ? v : undefined;
}

function dateOrNull(value: unknown): Date | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  return new Date(String(value));
}

export function inboxApiRoutes(ctx: WebContext): RouteDef[] {
  const svc = () => services(ctx);
  const actor = (req: Request) => actorOf(principalOf(req));
  const json = (res: Response, task: Parameters<typeof taskJson>[0]) =>
    res.json(taskJson(task, svc().directory));
  const id = { id: { resource: 'task' } };
  return [
    {
      method: 'get',
      path: '/api/v1/tasks',
      permission: 'tasks.work',
      summary: 'task lists',
      handler: (req, res) => {
        const a = actor(req);
        const page = svc().inbox.list(a, parseListQuery(req.query as Record<string, unknown>));
        res.json({
          items: page.items.map((r) => rowJson(r, svc().directory)),
          total: page.total,
          nextCursor: page.nextCursor ?? null,
          counts: svc().inbox.counts(a),
        });
      },
    },
    {
      method: 'get',
      path: '/api/v1/tasks/:id',
      permission: 'tasks.work',
      params: id,
      handler: async (req, res) => {
        const opened = await svc().inbox.open(actor(req), String(req.params.id));
        const t = opened.task;
        const form = t.formKey && svc().forms.has(t.formKey) ? svc().forms.get(t.formKey) : null;
        res.json({
          task: taskJson(t, svc().directory),
          version: t.version,
          form,
          context: t.context,
          abilities: opened.abilities,
          onBehalfOf: opened.onBehalfOf ?? null,
          draft: opened.draft
            ? { variables: opened.draft.values, savedAt: opened.draft.savedAt }
            : null,
          comments: opened.comments.filter((c) => c.taskId === t._id),
          attachments: opened.attachments.map((a) => ({
            ...a,
            href: `/api/v1/attachments/${a.id}`,
          })),
        });
      },
    },
    {
      method: 'get',
      path: '/api/v1/tasks/:id/history',
      permission: 'tasks.work',
      params: id,
      handler: async (req, res) => {
        res.json({ items: await svc().inbox.history(actor(req), String(req.params.id)) });
      },
    },
    {
      method: 'post',
      path: '/api/v1/tasks/:id/claim',
      permission: 'tasks.work',
      params: id,
      handler: async (req, res) =>
        json(res, await svc().inbox.claim(actor(req), String(req.params.id), version(req.body))),
    },
    {
      method: 'post',
      path: '/api/v1/tasks/:id/release',
      permission: 'tasks.work',
      params: id,
      handler: async (req, res) =>
        json(res, await svc().inbox.release(actor(req), String(req.params.id), version(req.body))),
    },
    {
      method: 'post',
      path: '/api/v1/tasks/:id/assign',
      permission: 'tasks.assign',
      params: id,
      handler: async (req, res) =>
        json(
          res,
          await svc().inbox.assign(
            actor(req),
            String(req.params.id),
            String(req.body.userId),
            version(req.body),
          ),
        ),
    },
    {
      method: 'post',
      path: '/api/v1/tasks/:id/delegate',
      permission: 'tasks.work',
      params: id,
      handler: async (req, res) =>
        json(
          res,
          await svc().inbox.delegate(
            actor(req),
            String(req.params.id),
            String(req.body.userId),
            String(req.body.reason ?? ''),
            version(req.body),
          ),
        ),
    },
    {
      method: 'post',
      path: '/api/v1/tasks/:id/resolve',
      permission: 'tasks.work',
      params: id,
      handler: async (req, res) =>
        json(res, await svc().inbox.resolve(actor(req), String(req.params.id), version(req.body))),
    },
    {
      method: 'post',
      path: '/api/v1/tasks/:id/dates',
      permission: 'tasks.work',
      params: id,
      handler: async (req, res) =>
        json(
          res,
          await svc().inbox.setDates(
            actor(req),
            String(req.params.id),
            {
              dueAt: dateOrNull(req.body.dueAt),
              followUpAt: dateOrNull(req.body.followUpAt),
              priority: req.body.priority,
            },
            version(req.body),
          ),
        ),
    },
    {
      method: 'post',
      path: '/api/v1/tasks/:id/comments',
      permission: 'tasks.work',
      params: id,
      handler: async (req, res) =>
        res
          .status(201)
          .json(
            await svc().inbox.comment(
              actor(req),
              String(req.params.id),
              String(req.body.text ?? ''),
            ),
          ),
    },
    {
      method: 'post',
      path: '/api/v1/tasks/:id/draft',
      permission: 'tasks.work',
      params: id,
      handler: async (req, res) => {
        const { draft, warnings } = await svc().inbox.saveDraft(
          actor(req),
          String(req.params.id),
          req.body.variables,
        );
        res.json({
          savedAt: draft.savedAt,
          variables: draft.values,
          warnings: warnings.map((w) => ({ field: w.field, message: w.message })),
        });
      },
    },
    {
      method: 'post',
      path: '/api/v1/tasks/:id/complete',
      permission: 'tasks.work',
      params: id,
      summary: 'complete with validated variables at the version seen',
      handler: async (req, res) => {
        const body = (req.body ?? {}) as Record<string, unknown>;
        // A body without "variables" is taken as the variables themselves (so that
        // {"garbage": true} is answered 422 naming the field, not 400).
        const { version: _v, ...rest } = body;
        const variables = 'variables' in body ? body.variables : rest;
        json(
          res,
          await svc().inbox.complete(actor(req), String(req.params.id), variables, version(body)),
        );
      },
    },
    {
      method: 'post',
      path: '/api/v1/tasks/bulk',
      permission: 'tasks.work',
      handler: async (req, res) => {
        const body = req.body as Record<string, unknown>;
        const type = String(body.action);
        const action = (
          type === 'assign'
            ? { type, userId: String(body.userId ?? '') }
            : type === 'dates'
              ? {
                  type,
                  dueAt: dateOrNull(body.dueAt),
                  followUpAt: dateOrNull(body.followUpAt),
                  priority: body.priority,
                }
              : { type }
        ) as BulkAction;
        res.json({
          results: await svc().inbox.bulk(actor(req), (body.ids as string[]) ?? [], action),
        });
      },
    },
  ];
}

const versionProp = {
  type: 'integer',
  minimum: 1,
  description: 'The task version the caller saw (stale: 409)',
};

function post(
  summary: string,
  operationId: string,
  properties: Record<string, unknown>,
  example: unknown,
  required: string[] = [],
) {
  return {
    post: {
      tags: ['tasks'],
      operationId,
      summary,
      parameters: [idParam],
      requestBody: {
        required: false,
        content: {
          'application/json': {
            schema: { type: 'object', additionalProperties: false, required, properties },
            example,
          },
        },
      },
      responses: { '200': okTask, ...errors },
    },
  };
}

export const inboxOpenApi: OpenApiFragment = {
  tags: [{ name: 'tasks', description: 'The task inbox: lists, working a task, completion' }],
  components: {
    schemas: {
      InboxTask: {
        type: 'object',
        required: ['id', 'name', 'state', 'version', 'processInstanceKey'],
        properties: {
          id: { type: 'string' },
          name: { type: 'string' },
          state: { enum: ['open', 'completing', 'completed', 'cancelled'] },
          version: { type: 'integer' },
          processInstanceKey: { type: 'string' },
          formKey: { type: ['string', 'null'] },
          assignee: { type: ['string', 'null'] },
          candidateGroups: { type: 'array', items: { type: 'string' } },
          dueAt: { type: ['string', 'null'], format: 'date-time' },
          followUpAt: { type: ['string', 'null'], format: 'date-time' },
          priority: { type: 'integer', minimum: 0, maximum: 100 },
          business: { type: 'object' },
        },
      },
    },
  },
  paths: {
    '/api/v1/tasks': {
      get: {
        tags: ['tasks'],
        operationId: 'listTasks',
        summary: 'A task list (view), 50 per page with a cursor; counts of every view',
        parameters: [
          {
            name: 'view',
            in: 'query',
            schema: {
              enum: [
                'mine',
                'office',
                'unassigned',
                'dueSoon',
                'overdue',
                'suspended',
                'completed',
                'all',
              ],
            },
          },
          {
            name: 'q',
            in: 'query',
            schema: { type: 'string', maxLength: 200 },
            description: 'Free text: case number, subject, task name',
          },
          {
            name: 'sort',
            in: 'query',
            schema: {
              type: 'string',
              pattern: '^(due|priority|created|name|updated|business\\.[A-Za-z_][A-Za-z0-9_]*)$',
            },
          },
          { name: 'order', in: 'query', schema: { enum: ['asc', 'desc'] } },
          { name: 'cursor', in: 'query', schema: { type: 'string', maxLength: 2000 } },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200 } },
          { name: 'process', in: 'query', schema: { type: 'string' } },
          { name: 'comune', in: 'query', schema: { type: 'string', pattern: '^[0-9]{6}$' } },
          { name: 'assignee', in: 'query', schema: { type: 'string' } },
          { name: 'dueFrom', in: 'query', schema: { type: 'string', format: 'date' } },
          { name: 'dueTo', in: 'query', schema: { type: 'string', format: 'date' } },
          { name: 'createdFrom', in: 'query', schema: { type: 'string', format: 'date' } },
          { name: 'createdTo', in: 'query', schema: { type: 'string', format: 'date' } },
        ],
        responses: {
          '200': {
            description: 'One page of the list',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['items', 'total', 'counts'],
                  properties: {
                    items: { type: 'array', items: { type: 'object' } },
                    total: { type: 'integer' },
                    nextCursor: { type: ['string', 'null'] },
                    counts: { type: 'object', additionalProperties: { type: 'integer' } },
                  },
                },
              },
            },
          },
          '401': problem,
          '403': problem,
          '422': problem,
        },
      },
    },
    '/api/v1/tasks/{id}': {
      get: {
        tags: ['tasks'],
        operationId: 'getTask',
        summary: 'The task, its form schema, its context variables and its version',
        parameters: [idParam],
        responses: {
          '200': { description: 'The task', content: { 'application/json': {} } },
          '401': problem,
          '404': problem,
        },
      },
    },
    '/api/v1/tasks/{id}/history': {
      get: {
        tags: ['tasks'],
        operationId: 'getTaskHistory',
        summary: 'Every version of the task: who changed it, how and when',
        parameters: [idParam],
        responses: {
          '200': { description: 'The history', content: { 'application/json': {} } },
          '401': problem,
          '404': problem,
        },
      },
    },
    '/api/v1/tasks/{id}/claim': post(
      'Take the task in charge',
      'claimTask',
      { version: versionProp },
      { version: 1 },
    ),
    '/api/v1/tasks/{id}/release': post(
      'Release the task to the office',
      'releaseTask',
      { version: versionProp },
      { version: 2 },
    ),
    '/api/v1/tasks/{id}/assign': post(
      'Assign the task to a colleague (tasks.assign)',
      'assignTask',
      { userId: { type: 'string', minLength: 1, maxLength: 40 }, version: versionProp },
      { userId: 'istruttore.ra' },
      ['userId'],
    ),
    '/api/v1/tasks/{id}/delegate': post(
      'Delegate the task (owner → delegate), with a reason',
      'delegateTask',
      {
        userId: { type: 'string', minLength: 1, maxLength: 40 },
        reason: { type: 'string', maxLength: 1000 },
        version: versionProp,
      },
      { userId: 'dirigente.ra', reason: 'Serve il parere del dirigente' },
      ['userId', 'reason'],
    ),
    '/api/v1/tasks/{id}/resolve': post(
      'Hand a delegated task back to its owner',
      'resolveTask',
      { version: versionProp },
      {},
    ),
    '/api/v1/tasks/{id}/dates': post(
      'Set due date, follow-up date, priority (tasks.assign; the assignee may set the follow-up)',
      'setTaskDates',
      {
        dueAt: { type: ['string', 'null'], format: 'date-time' },
        followUpAt: { type: ['string', 'null'], format: 'date-time' },
        priority: { type: 'integer', minimum: 0, maximum: 100 },
        version: versionProp,
      },
      { followUpAt: '2026-12-15T08:00:00Z' },
    ),
    '/api/v1/tasks/{id}/comments': {
      post: {
        tags: ['tasks'],
        operationId: 'commentTask',
        summary: 'Add a comment (written to the case file)',
        parameters: [idParam],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                additionalProperties: false,
                required: ['text'],
                properties: { text: { type: 'string', maxLength: 4000 } },
              },
              example: { text: 'Verificata la determina a contrarre' },
            },
          },
        },
        responses: {
          '201': { description: 'The comment', content: { 'application/json': {} } },
          ...errors,
        },
      },
    },
    '/api/v1/tasks/{id}/draft': {
      post: {
        tags: ['tasks'],
        operationId: 'saveTaskDraft',
        summary: 'Save a draft of the form (partial validation: nothing required, types checked)',
        parameters: [idParam],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                additionalProperties: false,
                required: ['variables'],
                properties: { variables: { type: 'object' } },
              },
              example: { variables: {} },
            },
          },
        },
        responses: {
          '200': { description: 'Saved', content: { 'application/json': {} } },
          ...errors,
        },
      },
    },
    '/api/v1/tasks/{id}/complete': {
      post: {
        tags: ['tasks'],
        operationId: 'completeTask',
        summary: 'Complete the task: variables validated against its form, at the version seen',
        description:
          'Answers 422 problem+json naming every invalid field (nothing reaches the engine), 409 when the task changed since `version` (naming who changed it).',
        parameters: [idParam],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: { variables: { type: 'object' }, version: versionProp },
              },
              example: { variables: { documentsComplete: true }, version: 2 },
            },
          },
        },
        responses: { '200': okTask, ...errors },
      },
    },
    '/api/v1/tasks/bulk': {
      post: {
        tags: ['tasks'],
        operationId: 'bulkTasks',
        summary: 'Claim, release, assign or set dates of many tasks, with a result per task',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                additionalProperties: false,
                required: ['ids', 'action'],
                properties: {
                  ids: {
                    type: 'array',
                    minItems: 1,
                    maxItems: 200,
                    items: { type: 'string', pattern: '^[0-9]{1,20}$' },
                  },
                  action: { enum: ['claim', 'release', 'assign', 'dates'] },
                  userId: { type: 'string' },
                  dueAt: { type: ['string', 'null'], format: 'date-time' },
                  followUpAt: { type: ['string', 'null'], format: 'date-time' },
                  priority: { type: 'integer', minimum: 0, maximum: 100 },
                },
              },
              example: { ids: ['2251799813685251'], action: 'claim' },
            },
          },
        },
        responses: {
          '200': { description: 'One result per task', content: { 'application/json': {} } },
          '401': problem,
          '403': problem,
          '422': problem,
        },
      },
    },
  },
};
