/**
 * The conformance suite's view of the engine: a real engine and gateway
 * (startEngineWithGateway) plus the product's Zeebe client (@camunda8/sdk) — what a
 * worker or the inbox sees in production.
 */
import type { Engine, EngineOptions } from '../../src/engine';
import { createZeebeClient, type ZeebeClient } from '../../src/workers/runtime';
import type { TestDatabase } from './database';
import { startEngineWithGateway } from './engine-with-gateway';

export { bpmn, chain, flow, serviceTask } from './bpmn-xml';

export interface EngineHarness {
  db: TestDatabase;
  engine: Engine;
  address: string;
  zbc: ZeebeClient;
  stop(): Promise<void>;
}

/** `engineOpts`: e.g. a ManualClock (`clock`) to drive timers without waiting. */
export async function startEngineHarness(
  engineOpts: Partial<Omit<EngineOptions, 'connection'>> = {},
): Promise<EngineHarness> {
  const running = await startEngineWithGateway({}, engineOpts);
  const zbc = createZeebeClient(running.address);
  return {
    db: running.db,
    engine: running.engine,
    address: running.address,
    zbc,
    async stop() {
      await zbc.close();
      await running.close();
    },
  };
}

export async function deploy(zbc: ZeebeClient, name: string, xml: string, tenantId?: string) {
  return zbc.deployResource({
    name,
    process: Buffer.from(xml),
    ...(tenantId ? { tenantId } : {}),
  } as never);
}

/** Activates up to `max` jobs of a type, waiting up to 5 s for at least one. */
export async function activate(
  zbc: ZeebeClient,
  type: string,
  max = 10,
  extra: Record<string, unknown> = {},
) {
  return zbc.activateJobs({
    type,
    worker: 'conformance',
    maxJobsToActivate: max,
    timeout: 30_000,
    requestTimeout: 5_000,
    ...extra,
  } as never);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
