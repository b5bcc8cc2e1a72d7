/**
 * End-to-end harness: a real engine on a real test database behind the real gRPC
 * gateway, the real service workers on the worker runtime, a real SMTP server, and a
 * "staff" Zeebe client that works the user tasks like the inbox does: it activates
 * io.camunda.zeebe:userTask jobs and completes them with form data that the form
 * validator (src/forms) accepts.
 */
import { findFreePort } from '../../../src/db';
import { createEngine, type Engine } from '../../../src/engine';
import { startGateway, type RunningGateway } from '../../../src/engine/gateway';
import type { ProductConfig } from '../../../src/config';
import { loadFormRegistry } from '../../../src/forms';
import { createSimulatedAdapters, SIMULATED_OPERATORS } from '../../../src/workers/adapters';
import type { ServiceContext } from '../../../src/workers/context';
import { deployServiceProcesses } from '../../../src/workers/demo/deploy-processes';
import { createMailer } from '../../../src/workers/notifications/mailer';
import {
  createWorkerRegistry,
  createZeebeClient,
  type WorkerRegistry,
  type ZeebeClient,
} from '../../../src/workers/runtime';
import { registerServiceWorkers } from '../../../src/workers/service-workers';
import { openTestDatabase, type TestDatabase } from '../../support/database';
import { loadConfig } from './service-context';
import { startSmtpSink, type ReceivedMail, type SmtpSink } from './smtp-sink';

export const USER_TASK = 'io.camunda.zeebe:userTask';
const forms = loadFormRegistry();

export interface UserTaskJob {
  key: string;
  elementId: string;
  processInstanceKey: string;
  formKey: string;
  candidateGroups: string;
  assignee: string;
  variables: Record<string, unknown>;
  tenantId: string;
}

export interface E2E {
  db: TestDatabase;
  engine: Engine;
  gateway: RunningGateway;
  smtp: SmtpSink;
  config: ProductConfig;
  ctx: ServiceContext;
  workers: WorkerRegistry;
  staff: ZeebeClient;
  start(
    bpmnProcessId: string,
    tenantId: string,
    variables: Record<string, unknown>,
  ): Promise<string>;
  /** Waits for the user task `elementId` of the instance, as the inbox would see it. */
  userTask(processInstanceKey: string, elementId: string, timeoutMs?: number): Promise<UserTaskJob>;
  /** Waits for a user task that matches (e.g. of a called process, by its variables). */
  findUserTask(
    what: string,
    predicate: (task: UserTaskJob) => boolean,
    timeoutMs?: number,
  ): Promise<UserTaskJob>;
  /** Validates the form data against the task's form and completes the task. */
  submit(task: UserTaskJob, formData: Record<string, unknown>): Promise<void>;
  /** Waits until the audit trail of the instance records `action` (optionally n times). */
  audited(
    processInstanceKey: string,
    action: string,
    count?: number,
  ): Promise<Record<string, unknown>[]>;
  /** Waits for an e-mail; on time-out the error describes the instance's state. */
  mail(
    processInstanceKey: string,
    predicate: (m: ReceivedMail) => boolean,
    what?: string,
  ): Promise<ReceivedMail>;
  /** Waits until the element has completed in the instance (history). */
  completed(processInstanceKey: string, elementId: string): Promise<void>;
  /** A readable summary of the instance's elements, jobs and incidents (for failure messages). */
  describe(processInstanceKey: string): Promise<string>;
  close(): Promise<void>;
}

const pending = new Map<string, UserTaskJob[]>();

export async function startE2E(
  adjust: (config: ProductConfig) => void = () => undefined,
): Promise<E2E> {
  const db = await openTestDatabase('e2e');
  const engine = await createEngine({ connection: db.connection });
  const gateway = await startGateway(engine, { address: `127.0.0.1:${await findFreePort()}` });
  const smtp = await startSmtpSink();
  const config = loadConfig();
  adjust(config);
  const ctx: ServiceContext = {
    connection: db.connection,
    config,
    mailer: createMailer({
      from: 'Province & Comuni <noreply@test.local>',
      smtp: { host: '127.0.0.1', port: smtp.port },
    }),
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    adapters: createSimulatedAdapters({ failingVatNumbers: [SIMULATED_OPERATORS[11].vatNumber] }),
  };
  const workers = createWorkerRegistry({
    gatewayAddress: gateway.address,
    longPollMs: 2_000,
    tenantIds: [...config.provinces.keys()],
  });
  registerServiceWorkers(workers, ctx);
  workers.start();
  const staff = createZeebeClient(gateway.address);
  for (const tenantId of ['039', '100']) await deployServiceProcesses(staff, tenantId);

  const poolKey = gateway.address;
  pending.set(poolKey, []);

  // @camunda8/sdk 8.8's activateJobs only sends the client's own tenant id: one client per tenant.
  const tenantClients = [...config.provinces.keys()].map((tenantId) =>
    createZeebeClient(gateway.address, { tenantId }),
  );
  async function poll(): Promise<void> {
    const batches = await Promise.all(
      tenantClients.map((c) =>
        c.activateJobs({
          type: USER_TASK,
          worker: 'e2e-staff',
          maxJobsToActivate: 50,
          timeout: 600_000,
          // No long poll: @camunda8/sdk drops a long-poll answer that arrives later than
          // requestTimeout + 1 s (the jobs would stay activated, unseen, until their timeout).
          requestTimeout: -1,
        }),
      ),
    );
    for (const j of batches.flat()) {
      if (pending.get(poolKey)!.some((t) => t.key === String(j.key))) continue;
      const headers = j.customHeaders as Record<string, string>;
      pending.get(poolKey)!.push({
        key: String(j.key),
        elementId: j.elementId,
        processInstanceKey: String(j.processInstanceKey),
        formKey: headers['io.camunda.zeebe:formKey'],
        candidateGroups: headers['io.camunda.zeebe:candidateGroups'] ?? '',
        assignee: headers['io.camunda.zeebe:assignee'] ?? '',
        variables: j.variables as Record<string, unknown>,
        tenantId: j.tenantId,
      });
    }
  }

  const e2e: E2E = {
    db,
    engine,
    gateway,
    smtp,
    config,
    ctx,
    workers,
    staff,
    async start(bpmnProcessId, tenantId, variables) {
      const r = await staff.createProcessInstance({
        bpmnProcessId,
        tenantId,
        variables: variables as never,
      });
      return String(r.processInstanceKey);
    },
    async userTask(processInstanceKey, elementId, timeoutMs = 45_000) {
      const started = Date.now();
      for (;;) {
        const list = pending.get(poolKey)!;
        const i = list.findIndex(
          (t) => t.processInstanceKey === processInstanceKey && t.elementId === elementId,
        );
        if (i >= 0) return list.splice(i, 1)[0];
        await new Promise((r) => setTimeout(r, 100));
        if (Date.now() - started > timeoutMs) {
          throw new Error(
            `User task ${elementId} of instance ${processInstanceKey} did not arrive; instance: ${await e2e.describe(processInstanceKey)}`,
          );
        }
        await poll();
      }
    },
    async findUserTask(what, predicate, timeoutMs = 45_000) {
      const started = Date.now();
      for (;;) {
        const list = pending.get(poolKey)!;
        const i = list.findIndex(predicate);
        if (i >= 0) return list.splice(i, 1)[0];
        if (Date.now() - started > timeoutMs) {
          const seen = list.map((t) => `${t.elementId}@${t.processInstanceKey}:${t.assignee}`);
          throw new Error(`User task "${what}" did not arrive; waiting tasks: ${seen.join(', ')}`);
        }
        await new Promise((r) => setTimeout(r, 100));
        await poll();
      }
    },
    async submit(task, formData) {
      const data = forms.assertValid(task.formKey, formData);
      await staff.completeJob({ jobKey: task.key, variables: data as never });
    },
    async audited(processInstanceKey, action, count = 1) {
      const started = Date.now();
      for (;;) {
        const entries = await db.connection
          .db!.collection('auditTrail')
          .find({ processInstanceKey, action })
          .toArray();
        if (entries.length >= count) return entries;
        if (Date.now() - started > 45_000)
          throw new Error(`No audit entry ${action} for ${processInstanceKey}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async describe(processInstanceKey) {
      const d = db.connection.db!;
      const elements = await d
        .collection('history_element_instances')
        .find({ processInstanceKey })
        .toArray();
      const jobs = await d.collection('history_jobs').find({ processInstanceKey }).toArray();
      const incidents = await d
        .collection('history_incidents')
        .find({ processInstanceKey })
        .toArray();
      return JSON.stringify({
        elements: elements.map((e) => `${e.elementId}:${e.state}`),
        jobs: jobs.map((j) => `${j.type}:${j.state}:${j.retries}:${j.errorMessage}`),
        incidents: incidents.map((i) => `${i.elementId}:${i.errorType}:${i.errorMessage}`),
      });
    },
    async mail(processInstanceKey, predicate, what = 'e-mail') {
      try {
        return await smtp.waitFor(predicate, what);
      } catch (err) {
        throw new Error(
          `${(err as Error).message}\ninstance: ${await e2e.describe(processInstanceKey)}`,
        );
      }
    },
    async completed(processInstanceKey, elementId) {
      const history = db.connection.db!.collection('history_element_instances');
      const started = Date.now();
      for (;;) {
        if (await history.findOne({ processInstanceKey, elementId, state: 'COMPLETED' })) return;
        if (Date.now() - started > 45_000) {
          throw new Error(
            `${elementId} did not complete; instance: ${await e2e.describe(processInstanceKey)}`,
          );
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async close() {
      await workers.stop().catch(() => undefined);
      await staff.close().catch(() => undefined);
      for (const c of tenantClients) await c.close().catch(() => undefined);
      ctx.mailer.close();
      await smtp.close();
      await gateway.close();
      await engine.close();
      await db.close();
      pending.delete(poolKey);
    },
  };
  return e2e;
}
