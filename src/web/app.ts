/**
 * The web application: composes the areas of the site (each a route table, see
 * src/web/README.md) with the web core — security headers, sessions, sign-in, the
 * permission guard, CSRF, body limits, the layout, /api/v1 with its OpenAPI document,
 * uniform error pages and problem+json. Areas never touch the express app themselves.
 */
import path from 'node:path';
import express, { type Express } from 'express';
import { securityLogArea } from './admin/security-log';
import { usersArea } from './admin/users';
import { analyticsArea } from './analytics';
import { apiArea } from './api';
import { BUNDLES_DIR, BUNDLES_URL } from './bundles';
import { assembleOpenApi, createApiValidator, type OpenApiDocument } from './api/openapi';
import { authArea } from './auth';
import { authenticate } from './core/access';
import { mountArea, type MountedRoute } from './core/compose';
import type { AreaFactory, WebContext } from './core/context';
import { layoutLocals, localeMiddleware } from './core/layout';
import { errorHandler, renderErrorPage, sendProblem } from './core/problem';
import { isApiPath, type MenuEntry, type WebArea } from './core/route-table';
import { securityHeaders } from './core/security';
import { createSessionMiddleware, type SessionMiddleware } from './core/session';
import { createViewEngine, WEB_DIR } from './core/views';
import { settingsArea } from './admin/settings';
import { modelingArea } from './modeling';
import { monitoringArea } from './monitoring';
import { practicesArea } from './practices';
import { siteArea } from './site';
import { closeRateLimitStores } from './core/rate-limit-store';
import { trainingArea } from './training';
import { inboxArea } from './inbox';
import { requestsArea } from './requests';
import { casesArea } from './cases';

export type { WebContext } from './core/context';
export type { MountedRoute } from './core/compose';

/**
 * The areas of the site, in mounting order. Add yours here (one line): its routes,
 * menu entries, OpenAPI fragment and partials are then part of the app.
 */
export const AREAS: AreaFactory[] = [
  siteArea,
  authArea,
  apiArea,
  usersArea,
  securityLogArea,
  monitoringArea,
  analyticsArea,
  modelingArea,
  settingsArea,
  trainingArea,
  practicesArea,
  inboxArea,
  requestsArea,
  casesArea,
];

const BOOTSTRAP_ITALIA_DIST = path.join(
  path.dirname(require.resolve('bootstrap-italia/package.json')),
  'dist',
);

export interface WebApp {
  app: Express;
  routes: MountedRoute[];
  /** Every area's menu entries (the layout shows those the person may open). */
  menu: MenuEntry[];
  openapi: OpenApiDocument;
  session: SessionMiddleware;
  /** Lets rate-limit bookkeeping in flight finish, then stops the session store. */
  close(): Promise<void>;
}

export interface WebAppOptions {
  /** The session cookie secret (see resolveSessionSecret). */
  sessionSecret: string;
  /** Areas to compose (default AREAS). */
  areas?: AreaFactory[];
}

export function createWebApp(ctx: WebContext, opts: WebAppOptions): WebApp {
  const app = express();
  const secure = (ctx.env.publicUrl ?? '').startsWith('https://');
  app.disable('x-powered-by');
  // Behind a reverse proxy on the same machine, req.ip is the client's address.
  app.set('trust proxy', 'loopback');

  const areas: WebArea[] = (opts.areas ?? AREAS).map((factory) => factory(ctx));
  app.engine('hbs', createViewEngine(areas));
  app.set('view engine', 'hbs');
  app.set('views', WEB_DIR);
  // Views are files of the release: compile each once. Express caches them only under
  // NODE_ENV=production, which `npm start` does not set (a list page spent ~40 % of its
  // time compiling handlebars).
  app.enable('view cache');

  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      ctx.logger.debug({ method: req.method, url: req.path, status: res.statusCode, ms }, 'http');
    });
    next();
  });
  // Sign-out after an OIDC sign-in is a form POST redirected to the provider's end-session
  // endpoint: form-action must allow those origins (and only those).
  const oidcOrigins = [...ctx.config.provinces.values()].flatMap((p) =>
    p.oidc ? [new URL(p.oidc.issuer).origin] : [],
  );
  app.use(securityHeaders({ secure, formActionOrigins: oidcOrigins }));

  // Static files: no session, no sign-in.
  app.use(
    '/assets/bootstrap-italia',
    express.static(BOOTSTRAP_ITALIA_DIST, { maxAge: '7d', index: false }),
  );
  app.use('/static', express.static(path.join(WEB_DIR, 'public'), { maxAge: '1h', index: false }));
  // Front-end bundles (scripts/build-bundles.ts): content-hashed names, so immutable.
  app.use(
    BUNDLES_URL,
    express.static(BUNDLES_DIR, { immutable: true, maxAge: '365d', index: false }),
  );
  for (const area of areas) {
    if (area.staticDir)
      app.use(
        `/static/${area.name}`,
        express.static(area.staticDir, { maxAge: '1h', index: false }),
      );
  }

  const session = createSessionMiddleware({
    connection: ctx.connection,
    secret: opts.sessionSecret,
    secure,
    idleTimeoutMs: ctx.env.sessionIdleTimeoutMs,
  });
  app.use(localeMiddleware());
  app.use((req, res, next) => {
    // API calls with a token carry no cookie: no session for them.
    if (req.headers.authorization && isApiPath(req.path)) return next();
    session.middleware(req, res, next);
  });
  app.use(authenticate(ctx));
  const menu = areas.flatMap((a) => a.menu ?? []);
  app.use(layoutLocals(ctx.config, menu));

  const openapi = assembleOpenApi(areas, '1.0.0');
  const apiValidator = createApiValidator(openapi);
  const routes: MountedRoute[] = [];
  app.locals.openapi = openapi;
  for (const area of areas) mountArea(app, ctx, area, apiValidator, routes);

  app.use((req, res) => {
    const problem = {
      status: 404,
      code: 'not-found',
      detail: 'No such page or endpoint',
      errors: [],
    };
    if (isApiPath(req.path)) sendProblem(req, res, problem);
    else renderErrorPage(req, res, problem);
  });
  app.use(errorHandler(ctx.logger));

  const close = async () => {
    await closeRateLimitStores(ctx);
    session.close();
  };
  return { app, routes, menu, openapi, session, close };
}
