/**
 * A real built-in engine on a real test database, behind the real Zeebe gateway on
 * a free loopback port, with the product's Zeebe client (@camunda8/sdk) — what a
 * worker or the inbox sees in production.
 */
import { findFreePort } from '../../src/db/embedded-ferretdb';
import { createEngine, type EngineApi } from '../../src/engine';
import { startGateway } from '../../src/engine/gateway';
import { createZeebeClient, type ZeebeClient } from '../../src/workers/runtime';
import { openTestDatabase, type TestDatabase } from './database';

export interface EngineHarness {
  db: TestDatabase;
  engine: EngineApi;
  address: string;
  zbc: ZeebeClient;
  stop(): Promise<void>;
}

export async function startEngineHarness(prefix = 'eng'): Promise<EngineHarness> {
  const db = await openTestDatabase(prefix);
  const engine = await createEngine({ connection: db.connection });
  const gateway = await startGateway(engine, { address: `127.0.0.1:${await findFreePort()}` });
  const zbc = createZeebeClient(gateway.address);
  return {
    db,
    engine,
    address: gateway.address,
    zbc,
    async stop() {
      await zbc.close();
      await gateway.close();
      await engine.close();
      await db.close();
    },
  };
}

/** Wraps process elements in BPMN definitions with the Zeebe namespace. */
export function bpmn(processId: string, body: string, extra = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
  id="defs_${processId}" targetNamespace="http://example.org/conformance">
  <bpmn:process id="${processId}" isExecutable="true">
${body}
  </bpmn:process>
${extra}
</bpmn:definitions>`;
}

export const serviceTask = (id: string, type: string, inner = '', attrs = '') =>
  `<bpmn:serviceTask id="${id}" ${attrs}><bpmn:extensionElements><zeebe:taskDefinition type="${type}"/>${inner}</bpmn:extensionElements></bpmn:serviceTask>`;

export const flow = (id: string, from: string, to: string, condition?: string) =>
  condition
    ? `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}"><bpmn:conditionExpression>${condition}</bpmn:conditionExpression></bpmn:sequenceFlow>`
    : `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}"/>`;

/** A chain of elements joined by sequence flows: chain(['start', '<...>'], ...) */
export function chain(...ids: string[]): string {
  return ids
    .slice(1)
    .map((id, i) => flow(`flow_${ids[i]}_${id}`, ids[i], id))
    .join('\n');
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
