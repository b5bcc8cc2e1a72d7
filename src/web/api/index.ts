/**
 * The API's own routes: the OpenAPI document, the interactive docs (swagger-ui-dist,
 * served from node_modules, initialised by a same-origin script so the CSP holds),
 * GET /api/v1/me, and the caller's personal API tokens.
 */
import path from 'node:path';
import type { Request, Response } from 'express';
import type { ApiToken } from '../../auth';
import { ForbiddenError } from '../../errors';
import { principalOf, type WebContext } from '../core/context';
import type { WebArea } from '../core/route-table';
import { provinceOf } from '../../tenancy';
import { apiOpenApiFragment } from './api-openapi';

const SWAGGER_UI_DIR = path.dirname(require.resolve('swagger-ui-dist/package.json'));

export function tokenJson(t: ApiToken) {
  return {
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    createdAt: t.createdAt.toISOString(),
    expiresAt: t.expiresAt?.toISOString() ?? null,
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
  };
}

export async function createTokenFor(
  ctx: WebContext,
  req: Request,
  input: { name: string; expiresInDays?: number },
  opts: { id?: string } = {},
) {
  const principal = principalOf(req);
  if (principal.via === 'token') {
    // A leaked token must not be able to mint more of itself.
    throw new ForbiddenError('API tokens are created from a signed-in browser session');
  }
  const created = await ctx.auth.tokens.create(
    { accountId: principal.accountId, tenantId: principal.tenantId },
    input,
    opts,
  );
  await ctx.securityLog.record({
    action: 'tokens.created',
    outcome: 'success',
    tenantId: principal.tenantId,
    actor: { username: principal.username, accountId: principal.accountId, via: principal.via },
    ip: req.ip,
    // The prefix identifies the token; its name is the owner's business.
    target: { kind: 'api-token', id: created.record.id, label: created.record.prefix },
    details: { expiresAt: created.record.expiresAt?.toISOString() },
  });
  return created;
}

export async function revokeTokenFor(ctx: WebContext, req: Request, tokenId: string) {
  const principal = principalOf(req);
  const revoked = await ctx.auth.tokens.revoke(principal.accountId, tokenId);
  await ctx.securityLog.record({
    action: 'tokens.revoked',
    outcome: 'success',
    tenantId: principal.tenantId,
    actor: { username: principal.username, accountId: principal.accountId, via: principal.via },
    ip: req.ip,
    target: { kind: 'api-token', id: revoked.id, label: revoked.prefix },
  });
  return revoked;
}

export function apiArea(ctx: WebContext): WebArea {
  const me = (req: Request, res: Response) => {
    const p = principalOf(req);
    const province = provinceOf(ctx.config, p);
    res.json({
      id: p.accountId,
      username: p.username,
      displayName: p.displayName,
      email: p.email ?? null,
      tenantId: p.tenantId,
      provinceName: province.name,
      comune: p.comune ?? null,
      comuneName: p.comune
        ? (province.comuni.find((c) => c.istat === p.comune)?.name ?? null)
        : null,
      roles: [...p.roles],
      office: p.office ?? null,
      permissions: [...p.permissions].sort(),
      authenticatedBy: p.via,
    });
  };

  return {
    name: 'api',
    staticDir: SWAGGER_UI_DIR,
    openapi: apiOpenApiFragment,
    routes: [
      {
        method: 'get',
        path: '/api/openapi.json',
        permission: 'public',
        handler: (req, res) => {
          res.json(req.app.locals.openapi);
        },
      },
      {
        method: 'get',
        path: '/api/docs',
        permission: 'public',
        handler: (_req, res) => res.render('api/views/docs', { layout: false }),
      },
      { method: 'get', path: '/api/v1/me', permission: 'signed-in', handler: me },
      {
        method: 'get',
        path: '/api/v1/tokens',
        permission: 'signed-in',
        handler: async (req, res) => {
          const items = await ctx.auth.tokens.list(principalOf(req).accountId);
          res.json({ items: items.map(tokenJson) });
        },
      },
      {
        method: 'post',
        path: '/api/v1/tokens',
        permission: 'signed-in',
        handler: async (req, res) => {
          const body = req.body as { name: string; expiresInDays?: number };
          const { token, record } = await createTokenFor(ctx, req, body);
          res.status(201).json({ ...tokenJson(record), token });
        },
      },
      {
        method: 'delete',
        path: '/api/v1/tokens/:id',
        permission: 'signed-in',
        params: { id: { resource: 'api-token' } },
        handler: async (req, res) => {
          await revokeTokenFor(ctx, req, String(req.params.id));
          res.status(204).end();
        },
      },
    ],
  };
}
