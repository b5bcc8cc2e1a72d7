/**
 * Every job type used in processes/ and its handler. `serviceWorkerDefinitions`
 * binds them to a context for the worker runtime (src/workers/runtime).
 */
import type { ProductConfig } from '../config';
import { createSimulatedAdapters, type Adapters } from './adapters';
import { runAudited } from './common/audited';
import { contextForTenant } from './common/province';
import { silentLogger, type Logger } from '../logging';
import type { CurrentProvinceSettings, ServiceContext, ServiceHandler } from './context';
import { buildDcatMetadata } from './data-request/build-dcat-metadata';
import { extractDataset } from './data-request/extract';
import { openDataRequestCase } from './data-request/open-case';
import { publishOpenData } from './data-request/publish-open-data';
import { recordDataRequestOutcome } from './data-request/record-outcome';
import { notifyMatches } from './eu-funding/notify-matches';
import { openEuFundingCase } from './eu-funding/open-case';
import { recordEuFundingOutcome } from './eu-funding/record-outcome';
import { scoutCalls } from './eu-funding/scout-calls';
import { createMailer, type Mailer, type NotificationSettings } from './notifications/mailer';
import { checkAnomalousOffers } from './procurement/check-anomalous-offers';
import { checkRequirements } from './procurement/check-requirements';
import { openProcurementCase } from './procurement/open-case';
import { proposeAward } from './procurement/propose-award';
import { publishNotice } from './procurement/publish-notice';
import { recordProcurementIndicators } from './procurement/record-indicators';
import { requestCig } from './procurement/request-cig';
import { selectOperators } from './procurement/select-operators';
import { sendInvitations } from './procurement/send-invitations';
import type { WorkerDefinition, WorkerRegistry } from './runtime';
import { generateDocument } from './shared/generate-document';
import { TRAINING_HANDLERS } from './training';
import { sendNotification } from './shared/send-notification';
import type { Connection } from 'mongoose';

export const SERVICE_HANDLERS: Record<string, ServiceHandler> = {
  'notification.send': sendNotification,
  'document.generate': generateDocument,
  'procurement.openCase': openProcurementCase,
  'procurement.requestCig': requestCig,
  'procurement.selectOperators': selectOperators,
  'procurement.sendInvitations': sendInvitations,
  'procurement.publishNotice': publishNotice,
  'procurement.checkAnomalousOffers': checkAnomalousOffers,
  'procurement.proposeAward': proposeAward,
  'procurement.checkRequirements': checkRequirements,
  'procurement.recordIndicators': recordProcurementIndicators,
  'euFunding.scoutCalls': scoutCalls,
  'euFunding.notifyMatches': notifyMatches,
  'euFunding.openCase': openEuFundingCase,
  'euFunding.recordOutcome': recordEuFundingOutcome,
  'dataRequest.openCase': openDataRequestCase,
  'dataRequest.extract': extractDataset,
  'dataRequest.buildDcatMetadata': buildDcatMetadata,
  'dataRequest.publishOpenData': publishOpenData,
  'dataRequest.recordOutcome': recordDataRequestOutcome,
  ...TRAINING_HANDLERS,
};

export interface ServiceContextOptions {
  connection: Connection;
  config: ProductConfig;
  mailer?: Mailer;
  logger?: Logger;
  adapters?: Adapters;
  templatesDir?: string;
  current?: CurrentProvinceSettings;
}

/** A context with the defaults: SMTP from default.yaml `notifications`, simulators for outside systems. */
export function createServiceContext(opts: ServiceContextOptions): ServiceContext {
  return {
    connection: opts.connection,
    config: opts.config,
    mailer:
      opts.mailer ??
      createMailer((opts.config.defaults.notifications ?? {}) as NotificationSettings),
    logger: opts.logger ?? silentLogger,
    adapters: opts.adapters ?? createSimulatedAdapters(),
    templatesDir: opts.templatesDir,
    current: opts.current,
  };
}

export function serviceWorkerDefinitions(ctx: ServiceContext): WorkerDefinition[] {
  return Object.entries(SERVICE_HANDLERS).map(([type, handler]) => ({
    type,
    handler: async (job) => runAudited(handler, job, await contextForTenant(ctx, job.tenantId)),
    // Short lock: a job whose activation answer was lost comes back soon; handlers are
    // idempotent, so a second delivery does no harm.
    timeout: 20_000,
    retryBackOffMs: 1_000,
  }));
}

/** Registers every service worker on the runtime's registry (call before registry.start()). */
export function registerServiceWorkers(
  registry: WorkerRegistry,
  ctx: ServiceContext,
): WorkerRegistry {
  for (const def of serviceWorkerDefinitions(ctx)) registry.register(def);
  return registry;
}
