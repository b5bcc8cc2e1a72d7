/** A real service context for handler tests: real database, real SMTP sink, simulators for outside systems. */
import path from 'node:path';
import type { Connection } from 'mongoose';
import { loadProductConfig, type ProductConfig } from '../../../src/config';
import { createSimulatedAdapters } from '../../../src/workers/adapters';
import type { ServiceContext, ServiceJob, Variables } from '../../../src/workers/context';
import { createMailer } from '../../../src/workers/notifications/mailer';

export const CONFIG_DIR = path.resolve(__dirname, '..', '..', '..', 'engine-config');

export function loadConfig(): ProductConfig {
  return loadProductConfig(CONFIG_DIR);
}

export function makeContext(
  connection: Connection,
  smtpPort: number,
  opts: { config?: ProductConfig; failingVatNumbers?: string[] } = {},
): ServiceContext {
  return {
    connection,
    config: opts.config ?? loadConfig(),
    mailer: createMailer({
      from: 'SUA <sua@test.local>',
      smtp: { host: '127.0.0.1', port: smtpPort },
    }),
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    adapters: createSimulatedAdapters({ failingVatNumbers: opts.failingVatNumbers }),
  };
}

let counter = 1000;

/** A job as the runtime hands it to a handler. */
export function makeJob(
  type: string,
  variables: Variables,
  opts: {
    tenantId?: string;
    headers?: Variables;
    key?: string;
    processInstanceKey?: string;
    elementId?: string;
  } = {},
): ServiceJob {
  counter++;
  return {
    key: opts.key ?? `2251799813${counter}`,
    type,
    processInstanceKey: opts.processInstanceKey ?? '2251799813999001',
    bpmnProcessId: type.split('.')[0],
    processDefinitionVersion: 1,
    processDefinitionKey: '2251799813000001',
    elementId: opts.elementId ?? 'task',
    elementInstanceKey: '2251799813000002',
    retries: 3,
    deadline: Date.now() + 60_000,
    tenantId: opts.tenantId ?? '039',
    variables,
    customHeaders: opts.headers ?? {},
  };
}
