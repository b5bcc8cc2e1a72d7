/**
 * What every service worker handler receives besides the job: the database, the
 * product configuration, the mailer, a logger and the adapters to outside systems.
 */
import type { Connection } from 'mongoose';
import type { Logger } from '../logging';
import type { ProductConfig } from '../config';
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
