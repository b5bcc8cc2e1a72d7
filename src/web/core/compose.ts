/**
 * Mounts areas' route tables on the app: for every route the chain is
 *
 *   guard (who, permission) → body parsers (size limits) → CSRF check
 *     → [API only] OpenAPI request validation → the route's handlers
 *
 * and the mounted route keeps its table entry (ROUTE_DEF on the guard), so tests can
 * list every route with its permission.
 */
import type { Express, RequestHandler } from 'express';
import type { WebContext } from './context';
import { guardFor } from './access';
import { bodyParsersFor, csrfCheckFor } from './security';
import {
  isApiPath,
  isHtmlPage,
  NON_PAGE_EXTENSIONS,
  pathParams,
  type RouteDef,
  type WebArea,
} from './route-table';

export interface MountedRoute extends RouteDef {
  area: string;
}

/** Checks a table before it is mounted: a broken table stops the start with its name. */
export function checkRouteTable(area: WebArea): void {
  for (const route of area.routes) {
    const where = `${area.name}: ${route.method.toUpperCase()} ${route.path}`;
    if (!route.permission) throw new Error(`${where} declares no permission`);
    const params = pathParams(route.path);
    for (const p of params) {
      if (!route.params?.[p]) {
        throw new Error(
          `${where}: path parameter ":${p}" is not described in params (resource or example)`,
        );
      }
    }
    if (route.csrfExempt && !route.csrfExempt.reason)
      throw new Error(`${where}: csrfExempt needs a reason`);
    // The axe crawl opens every 'page': a file route left unmarked would start a download.
    if (isHtmlPage(route) && NON_PAGE_EXTENSIONS.test(route.path))
      throw new Error(
        `${where}: a file path must say what it answers: kind: 'download' (CSV, XLSX, PDF) or 'data'`,
      );
  }
}

export function mountArea(
  app: Express,
  ctx: WebContext,
  area: WebArea,
  apiValidator: RequestHandler[],
  mounted: MountedRoute[],
): void {
  checkRouteTable(area);
  for (const route of area.routes) {
    const handlers = Array.isArray(route.handler) ? route.handler : [route.handler];
    const chain: RequestHandler[] = [
      guardFor(ctx, route),
      ...bodyParsersFor(route),
      ...csrfCheckFor(route),
      ...(isApiPath(route.path) ? apiValidator : []),
      ...handlers,
    ];
    app[route.method](route.path, ...chain);
    mounted.push({ ...route, area: area.name });
  }
}
