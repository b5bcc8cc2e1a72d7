/**
 * What every web area receives to build its routes: configuration, the database
 * connection, the Zeebe client, the logger and the core services. Areas create their
 * own domain services from these (e.g. `createTaskStore(ctx.connection)`).
 */
import type { Connection } from 'mongoose';
import type { Logger } from 'pino';
import type { AuthServices, Principal } from '../../auth';
import type { InboxServices } from '../../cases';
import type { SecurityLog } from '../../audit/security-log';
import type { EnvConfig, ProductConfig } from '../../config';
import type { SettingsService, TemplateService } from '../../settings';
import type { HistoryClient } from '../../monitoring';
import type { ZeebeClient } from '../../workers/runtime/zeebe-client';
import type { HealthSources } from '../health';
import type { Locale } from '../i18n';
import type { RouteDef, WebArea } from './route-table';

export interface WebContext {
  config: ProductConfig;
  env: EnvConfig;
  connection: Connection;
  logger: Logger;
  /** The product's Zeebe gRPC client (built-in engine or an external Zeebe). */
  zeebe: ZeebeClient;
  /** The engine history (Camunda 8 REST API v2), one client shared by the areas. */
  history: HistoryClient;
  auth: AuthServices;
  securityLog: SecurityLog;
  health: HealthSources;
  /** Province settings and document templates as versions over engine-config (src/settings). */
  settings: SettingsService;
  templates: TemplateService;
  /** Where people reach the app (PUBLIC_URL, or the listening address once known). */
  publicUrl(): string;
  /** The inbox, requests and case files (src/tasks, src/cases), started by the product. */
  inbox?: InboxServices;
}

/** An area's entry point: src/web/<area>/index.ts exports one, app.ts lists them. */
export type AreaFactory = (ctx: WebContext) => WebArea;

declare module 'express-serve-static-core' {
  interface Request {
    /** Who is calling; set by `authenticate` for sessions and API tokens. */
    principal?: Principal;
    /** The language of the answer ('it' unless the person chose English). */
    locale: Locale;
    /** The route-table entry that matched (set by the route's guard). */
    routeDef?: RouteDef;
    /** Signed in with a one-time password: only the password page is open until it is changed. */
    mustChangePassword?: boolean;
    /** The session of this request has just ended by the absolute time-out. */
    sessionExpired?: boolean;
  }
}

/** The principal of a route that is not public (the guard has checked it is there). */
export function principalOf(req: { principal?: Principal }): Principal {
  if (!req.principal) throw new Error('principalOf() on a request without a principal');
  return req.principal;
}
