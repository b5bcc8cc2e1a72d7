/**
 * What every service worker handler receives besides the job: the database, the
 * product configuration, the mailer, a logger and the adapters to outside systems.
 */
import type { Connection } from 'mongoose';
import type { Logger } from '../logging';
import type { ProductConfig, Settings } from '../config';
import type { Adapters } from './adapters';
import type { Mailer } from './notifications/mailer';
import type { WorkerJob } from './runtime';

export interface ServiceContext {
  connection: Connection;
  config: ProductConfig;
  mailer: Mailer;
  logger: Logger;
  adapters: Adapters;
  /** engine-config/templates by default. */
  templatesDir?: string;
  /** Clock; tests may pin it. */
  now?: () => Date;
  /**
   * The province's current settings and saved templates (src/settings). When set, every
   * job runs with them (contextForTenant), so a saved change applies to the next job
   * without a restart; otherwise the engine-config files are used.
   */
  current?: CurrentProvinceSettings;
  /** "emails/<name>" / "documents/<name>" → the province's saved template text (per job). */
  templateSources?: Record<string, string>;
}

export interface CurrentProvinceSettings {
  settings(tenantId: string): Promise<Settings>;
  templateSources(tenantId: string): Promise<Record<string, string>>;
}

export type Variables = Record<string, unknown>;

/** A job as a handler sees it: the runtime's WorkerJob. */
export type ServiceJob = WorkerJob<Variables, Variables>;

export interface HandlerResult {
  /** Variables to complete the job with. */
  variables: Variables;
  /** Italian summary for the audit trail (the case's fascicolo). */
  summary: string;
  details?: Variables;
}

export type ServiceHandler = (job: ServiceJob, ctx: ServiceContext) => Promise<HandlerResult>;
