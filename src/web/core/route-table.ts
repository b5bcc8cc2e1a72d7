/**
 * The route-table convention (src/web/README.md): every area of the site describes its
 * routes as data — method, path, the permission it needs (or that it is public, or only
 * needs a signed-in person), how its body is read — and src/web/app.ts mounts them all
 * through `mountArea`. Nothing registers express routes by hand, so a test can walk
 * every route of the app and fail when one has no permission, and the IDOR matrix can
 * be generated from the same tables.
 */
import type { RequestHandler } from 'express';
import type { Permission } from '../../auth/permissions';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * Who may call a route:
 * - a Permission from src/auth/permissions.ts: signed in and holding it;
 * - 'signed-in': any signed-in person (their own profile, sign-out, their tokens);
 * - 'public': anybody (home page, sign-in form, health, API description).
 */
export type Access = Permission | 'signed-in' | 'public';

/** How the route's request body is read (before the CSRF check). */
export type BodyKind =
  /** application/x-www-form-urlencoded (default for non-GET pages) */
  | 'form'
  /** application/json (default for non-GET /api routes) */
  | 'json'
  /** nothing is read (default for GET) */
  | 'none';

/** For the IDOR matrix: what a path parameter stands for. */
export type ParamSpec =
  /** An id of a tenant resource of this kind; the matrix asks a fixture for one per tenant/comune. */
  | { resource: string }
  /** Not a tenant resource: a value to use in generated requests (e.g. a language code). */
  | { example: string };

/**
 * What a GET route answers, for crawls of the site (the axe crawl opens only pages):
 * - 'page' (default): an HTML page a person reads;
 * - 'download': a file sent as an attachment (CSV, XLSX, PDF): the browser downloads it;
 * - 'data': a machine-readable document fetched by a page's script (BPMN XML, JSON);
 * - 'redirect': a step of a browser flow that answers with a redirect (OIDC start and
 *   return); its error pages need the flow's state, so its area's tests open them.
 */
export type RouteKind = 'page' | 'download' | 'data' | 'redirect';

/** File extensions a GET path may end with only when the route is not a 'page'. */
export const NON_PAGE_EXTENSIONS = /\.(csv|xlsx|xls|ods|pdf|zip|xml|bpmn|dmn|json|svg|png|txt)$/i;

export interface RouteDef {
  method: HttpMethod;
  /** express path; `/api/...` paths are API routes (JSON, problem+json errors, OpenAPI). */
  path: string;
  /** Required: the permission, 'signed-in' or 'public'. */
  permission: Access;
  handler: RequestHandler | RequestHandler[];
  body?: BodyKind;
  /** Body size limit (express/bytes syntax), default '100kb' for forms, '1mb' for JSON. */
  bodyLimit?: string;
  /**
   * Middlewares that read a body of another kind (e.g. multer for uploads). They run after
   * the permission check and before the CSRF check.
   */
  bodyParsers?: RequestHandler[];
  /** Every path parameter, described for the IDOR matrix (required when the path has any). */
  params?: Record<string, ParamSpec>;
  /**
   * Skip the CSRF check. Only for requests a browser cannot forge into a state change:
   * the OIDC callback (checked by state + nonce + PKCE instead). Say why in `reason`.
   */
  csrfExempt?: { reason: string };
  /** Allowed while the account must still change its one-time password (default false). */
  allowDuringPasswordChange?: boolean;
  /** What the route answers (default 'page'); mark CSV/XLSX exports 'download'. */
  kind?: RouteKind;
  /** Short description, shown by the route listing test on failure. */
  summary?: string;
  /**
   * The route shows what the provinces share with each other on purpose (the
   * good-practice catalogue): the IDOR matrix then does not require its answers to hide
   * the other province's name (it still checks every resource marker). Say why.
   */
  crossProvince?: { reason: string };
}

export interface MenuEntry {
  /** i18n key of the label. */
  labelKey: string;
  href: string;
  /** Shown only to holders of this permission (or to every signed-in person). */
  permission: Permission | 'signed-in';
  /** Lower comes first; core uses 0-9, areas 10-90. */
  order: number;
  /** Prefix of the request paths for which this entry is marked active (default href). */
  activePrefix?: string;
}

/** The OpenAPI 3.1 fragment an area contributes to /api/openapi.json. */
export interface OpenApiFragment {
  paths: Record<string, Record<string, unknown>>;
  components?: {
    schemas?: Record<string, unknown>;
    parameters?: Record<string, unknown>;
    responses?: Record<string, unknown>;
  };
  tags?: { name: string; description?: string }[];
}

/** One area of the site (inbox, modeling, admin, ...) as the app composes it. */
export interface WebArea {
  /** Short name, also the i18n key prefix of the area. */
  name: string;
  routes: RouteDef[];
  menu?: MenuEntry[];
  openapi?: OpenApiFragment;
  /** Directory with the area's partials; they are available as `{{> <name>/<partial>}}`. */
  partialsDir?: string;
  /** Handlebars helpers of the area; names must not clash with other areas'. */
  helpers?: Record<string, (...args: never[]) => unknown>;
  /** Static files of the area, served under /static/<name>/ (bundles, images). */
  staticDir?: string;
}

/** An HTML page a browser can show (not an API route, a download or a data document). */
export function isHtmlPage(route: Pick<RouteDef, 'method' | 'path' | 'kind'>): boolean {
  return route.method === 'get' && !isApiPath(route.path) && (route.kind ?? 'page') === 'page';
}

export function isApiPath(path: string): boolean {
  return path === '/api' || path.startsWith('/api/');
}

/** Express path `/api/v1/tasks/:id` → OpenAPI path `/api/v1/tasks/{id}`. */
export function toOpenApiPath(expressPath: string): string {
  return expressPath.replace(/:(\w+)/g, '{$1}');
}

export function pathParams(expressPath: string): string[] {
  return [...expressPath.matchAll(/:(\w+)/g)].map((m) => m[1]);
}
