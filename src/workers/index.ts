/**
 * The service workers of the three service lines (src/workers/runtime is the job-worker
 * runtime they run on). Typical start-up:
 *
 *   const ctx = createServiceContext({ connection, config, logger });
 *   const registry = createWorkerRegistry({ gatewayAddress, tenantIds: [...config.provinces.keys()] });
 *   registerServiceWorkers(registry, ctx).start();
 *   if (firstStart) await startDemoInstances(registry.client, config, { gatewayAddress });
 */
export {
  SERVICE_HANDLERS,
  createServiceContext,
  registerServiceWorkers,
  serviceWorkerDefinitions,
  type ServiceContextOptions,
} from './service-workers';
export type { HandlerResult, ServiceContext, ServiceHandler, ServiceJob } from './context';
export {
  createMailer,
  type Mailer,
  type MailMessage,
  type NotificationSettings,
} from './notifications/mailer';
export { sendOnce } from './notifications/notification-log';
export * from './adapters';
export * from './demo';
