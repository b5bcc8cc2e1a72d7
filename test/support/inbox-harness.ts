/**
 * The inbox on real parts: a real engine behind the real gRPC gateway and REST API, a
 * real database, the product's configuration (engine-config) and forms, and one or
 * more inboxes with their workers (as several product processes would run them).
 */
import path from 'node:path';
import { createAuditTrail } from '../../src/audit';
import { loadProductConfig, type ProductConfig } from '../../src/config';
import { findFreePort } from '../../src/db';
import { startRestApi, type RunningRestApi } from '../../src/engine/rest';
import { loadFormRegistry, type FormRegistry } from '../../src/forms';
import {
  configDirectory,
  createProcessCatalog,
  Inbox,
  InboxWorker,
  type Actor,
  type InboxWorkerOptions,
} from '../../src/tasks';
import { createZeebeClient, type ZeebeClient } from '../../src/workers/runtime';
import { startEngineWithGateway, type RunningEngine } from './engine-with-gateway';

export const CONFIG_DIR = path.resolve(__dirname, '../../engine-config');

/** Permissions of the demo roles in these tests (the product's table lives in src/auth). */
const ROLE_PERMISSIONS: Record<string, string[]> = {
  'sua-officer': ['tasks.work', 'cases.read'],
  'sua-manager': ['tasks.work', 'tasks.assign', 'views.share', 'cases.read'],
  'province-admin': ['tasks.assign', 'tasks.viewAll', 'views.pin', 'views.share', 'cases.read'],
  'comune-rup': ['tasks.work', 'requests.start', 'cases.read'],
  'comune-officer': ['tasks.work', 'requests.start', 'cases.read'],
  'data-officer': ['tasks.work', 'cases.read'],
  dpo: ['tasks.work', 'cases.read'],
  'sape-officer': ['tasks.work', 'cases.read'],
  viewer: ['cases.read'],
};

export function actorOf(config: ProductConfig, tenantId: string, username: string): Actor {
  const user = config.provinces.get(tenantId)?.users.find((u) => u.username === username);
  if (!user) throw new Error(`no demo user ${username} in ${tenantId}`);
  return {
    tenantId,
    username,
    name: user.name,
    roles: [...user.roles],
    comune: user.comune,
    permissions: new Set(user.roles.flatMap((r) => ROLE_PERMISSIONS[r] ?? [])),
  };
}

export interface InboxNode {
  inbox: Inbox;
  worker: InboxWorker;
  zeebe: ZeebeClient;
  stop(): Promise<void>;
}

export interface InboxHarness {
  engine: RunningEngine;
  rest: RunningRestApi;
  config: ProductConfig;
  forms: FormRegistry;
  /** A client for the test's own commands (deploy, create instances). */
  zbc: ZeebeClient;
  nodes: InboxNode[];
  startNode(workerOpts?: Partial<InboxWorkerOptions>, now?: () => Date): Promise<InboxNode>;
  actor(tenantId: string, username: string): Actor;
  stop(): Promise<void>;
}

export async function startInboxHarness(
  opts: { nodes?: number; worker?: Partial<InboxWorkerOptions>; now?: () => Date } = {},
): Promise<InboxHarness> {
  const engine = await startEngineWithGateway();
  const rest = await startRestApi(engine.engine, engine.db.connection, {
    address: `127.0.0.1:${await findFreePort()}`,
  });
  const config = loadProductConfig(CONFIG_DIR);
  const forms = loadFormRegistry();
  const zbc = createZeebeClient(engine.address);
  const nodes: InboxNode[] = [];
  const harness: InboxHarness = {
    engine,
    rest,
    config,
    forms,
    zbc,
    nodes,
    actor: (tenantId, username) => actorOf(config, tenantId, username),
    async startNode(workerOpts = {}, now) {
      const zeebe = createZeebeClient(engine.address);
      const inbox = new Inbox({
        connection: engine.db.connection,
        config,
        forms,
        directory: configDirectory(config),
        zeebe,
        audit: createAuditTrail(engine.db.connection),
        catalog: createProcessCatalog({ restUrl: rest.url }),
        feedPollMs: 50,
        now,
      });
      await inbox.start();
      const worker = new InboxWorker(inbox, {
        zeebe,
        tenantIds: [...config.provinces.keys()],
        workerName: `inbox-${nodes.length + 1}`,
        ...opts.worker,
        ...workerOpts,
      });
      worker.start();
      const node: InboxNode = {
        inbox,
        worker,
        zeebe,
        async stop() {
          await worker.stop();
          await inbox.stop();
          await zeebe.close();
        },
      };
      nodes.push(node);
      return node;
    },
    async stop() {
      for (const n of nodes.splice(0)) await n.stop();
      await zbc.close();
      await rest.close();
      await engine.close();
    },
  };
  for (let i = 0; i < (opts.nodes ?? 1); i++) await harness.startNode({}, opts.now);
  return harness;
}
