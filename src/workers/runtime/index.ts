/** The product's job-worker runtime on the Zeebe gRPC client. */
export { BusinessError } from './business-error';
export {
  createWorkerRegistry,
  type JobHandler,
  type WorkerDefinition,
  type WorkerJob,
  type WorkerRegistry,
  type WorkerRegistryOptions,
} from './registry';
export { createZeebeClient, type ZeebeClient, type ZeebeClientOptions } from './zeebe-client';
