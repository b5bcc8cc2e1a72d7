/**
 * Demo data for the first start: deploys processes/ for every province (tenant) and
 * starts a few instances of each process in different states.
 *
 * Instances move on through the service workers. When `gatewayAddress` is given, the
 * first user tasks of some instances are also completed here (like staff would), so
 * the inbox shows tasks at different steps; otherwise they wait at their first task.
 */
import type { ProductConfig } from '../../config';
import { loadFormRegistry } from '../../forms';
import { createZeebeClient, type ZeebeClient } from '../runtime';
import { demoInstances, type DemoInstance } from './demo-data';
import { deployServiceProcesses, SERVICE_LINES } from './deploy-processes';
import { startTrainingDemo, type TrainingDemoReport } from './training-demo';

export interface DemoOptions {
  /** Gateway address, to complete the demo's first user tasks (one client per tenant). */
  gatewayAddress?: string;
  /** Only these provinces (default: all configured). */
  tenantIds?: string[];
  logger?: { info(obj: object, msg?: string): void; warn(obj: object, msg?: string): void };
  /** How long to wait for the first step of each demo instance, ms (default 20 s). */
  advanceTimeoutMs?: number;
  /** How long the later steps (concluded cases) go on in the background, ms (default 120 s). */
  concludeTimeoutMs?: number;
  /** Stops the background steps (the product is stopping). */
  signal?: AbortSignal;
  /**
   * Completes a demo step through the inbox (when the product runs it, the inbox worker
   * holds every user-task job): resolves false while the task has not arrived yet.
   */
  completeUserTask?: (
    tenantId: string,
    processInstanceKey: string,
    elementId: string,
    data: Record<string, unknown>,
  ) => Promise<boolean>;
}

export interface DemoReport {
  tenantId: string;
  deployed: string[];
  instances: {
    label: string;
    bpmnProcessId: string;
    processInstanceKey: string;
    stepsDone: number;
  }[];
  training?: TrainingDemoReport;
  /**
   * Resolves when the demo's later steps are done (the concluded cases), which go on in
   * the background after startDemoInstances returns. Never rejects.
   */
  concluded?: Promise<void>;
}

const USER_TASK = 'io.camunda.zeebe:userTask';

export async function startDemoInstances(
  client: ZeebeClient,
  config: ProductConfig,
  opts: DemoOptions = {},
): Promise<DemoReport[]> {
  const forms = loadFormRegistry();
  const reports: DemoReport[] = [];
  for (const province of config.provinces.values()) {
    if (opts.tenantIds && !opts.tenantIds.includes(province.tenantId)) continue;
    const tenantId = province.tenantId;
    const lines = SERVICE_LINES.filter((l) => province.enabledProcesses.includes(l));
    const deployed = await deployServiceProcesses(client, tenantId, lines);
    const report: DemoReport = { tenantId, deployed, instances: [] };
    const planned: { demo: DemoInstance; key: string }[] = [];
    for (const demo of demoInstances(province)) {
      const line = demo.bpmnProcessId === 'eu-call-scouting' ? 'eu-funding' : demo.bpmnProcessId;
      if (!lines.includes(line as (typeof SERVICE_LINES)[number])) continue;
      for (const step of demo.steps) forms.assertValid(step.formKey, step.data);
      const created = await client.createProcessInstance({
        bpmnProcessId: demo.bpmnProcessId,
        tenantId,
        variables: demo.variables as never,
      });
      const key = String(created.processInstanceKey);
      planned.push({ demo, key });
      report.instances.push({
        label: demo.label,
        bpmnProcessId: demo.bpmnProcessId,
        processInstanceKey: key,
        stepsDone: 0,
      });
    }
    const steps = opts.completeUserTask
      ? advanceThroughInbox(opts.completeUserTask, planned, report, opts, tenantId)
      : opts.gatewayAddress
        ? advance(opts.gatewayAddress, tenantId, planned, report, opts)
        : undefined;
    if (steps) {
      await steps.started;
      report.concluded = steps.finished;
    }
    if (lines.includes('training')) {
      // With the inbox worker holding the user-task jobs, the training tasks stay open in
      // the inbox for the demo users to work.
      report.training = await startTrainingDemo(
        client,
        province,
        opts.completeUserTask ? undefined : opts.gatewayAddress,
      );
      if (!opts.completeUserTask && report.training.stepsDone < report.training.stepsPlanned) {
        opts.logger?.warn(
          { tenantId, ...report.training },
          'some training demo steps were not completed',
        );
      }
    }
    opts.logger?.info({ tenantId, instances: report.instances.length }, 'demo instances started');
    reports.push(report);
  }
  return reports;
}

/**
 * Completes the demo's user-task steps like staff would. `started` resolves once every
 * demo instance with steps has done its first one (or after `advanceTimeoutMs`);
 * `finished` once all steps are done (the concluded cases take several), or after
 * `concludeTimeoutMs`. `finished` never rejects: a failure is logged.
 */
function advance(
  gatewayAddress: string,
  tenantId: string,
  planned: { demo: DemoInstance; key: string }[],
  report: DemoReport,
  opts: DemoOptions,
): { started: Promise<void>; finished: Promise<void> } {
  const todo = new Map(
    planned.filter((p) => p.demo.steps.length > 0).map((p) => [p.key, [...p.demo.steps]]),
  );
  if (todo.size === 0) return { started: Promise.resolve(), finished: Promise.resolve() };
  let markStarted: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  const startedBy = setTimeout(() => markStarted(), opts.advanceTimeoutMs ?? 20_000);
  const withSteps = [...todo.keys()];
  const allStarted = () =>
    withSteps.every(
      (k) => (report.instances.find((i) => i.processInstanceKey === k)?.stepsDone ?? 0) > 0,
    );
  const finished = (async () => {
    // @camunda8/sdk 8.8 activates jobs of the client's own tenant only.
    const tenantClient = createZeebeClient(gatewayAddress, { tenantId });
    const deadline = Date.now() + (opts.concludeTimeoutMs ?? 120_000);
    try {
      while (todo.size > 0 && Date.now() < deadline && !opts.signal?.aborted) {
        const jobs = await tenantClient.activateJobs({
          type: USER_TASK,
          worker: 'demo-data',
          maxJobsToActivate: 100,
          // Short lock: tasks that are not the demo's go back to the inbox quickly.
          timeout: 2_000,
          // Answer at once (no long poll), then wait a little before asking again.
          requestTimeout: -1,
        });
        if (jobs.length === 0) await new Promise((r) => setTimeout(r, 200));
        for (const job of jobs) {
          const steps = todo.get(String(job.processInstanceKey));
          if (!steps || steps[0].elementId !== job.elementId) continue;
          const step = steps.shift()!;
          await tenantClient.completeJob({ jobKey: job.key, variables: step.data as never });
          const entry = report.instances.find(
            (i) => i.processInstanceKey === String(job.processInstanceKey),
          );
          if (entry) entry.stepsDone++;
          if (steps.length === 0) todo.delete(String(job.processInstanceKey));
        }
        if (allStarted()) markStarted();
      }
      if (todo.size > 0 && !opts.signal?.aborted)
        opts.logger?.warn(
          { tenantId, pending: [...todo.keys()] },
          'some demo steps were not completed',
        );
    } catch (err) {
      // The product may be stopping; the demo is not worth more than a warning.
      opts.logger?.warn({ err, tenantId }, 'demo steps stopped');
    } finally {
      clearTimeout(startedBy);
      markStarted();
      await tenantClient.close().catch(() => undefined);
    }
  })();
  return { started, finished };
}

/**
 * Like `advance`, but through the inbox: when the product runs the inbox worker, it holds
 * every user-task job, so the demo completes its steps as the inbox tasks arrive.
 */
function advanceThroughInbox(
  complete: NonNullable<DemoOptions['completeUserTask']>,
  planned: { demo: DemoInstance; key: string }[],
  report: DemoReport,
  opts: DemoOptions,
  tenantId: string,
): { started: Promise<void>; finished: Promise<void> } {
  const todo = planned
    .filter((p) => p.demo.steps.length > 0)
    .map((p) => ({ key: p.key, steps: [...p.demo.steps], done: 0 }));
  let markStarted: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  const startedBy = setTimeout(() => markStarted(), opts.advanceTimeoutMs ?? 20_000);
  const finished = (async () => {
    const deadline = Date.now() + (opts.concludeTimeoutMs ?? 120_000);
    try {
      while (
        todo.some((t) => t.steps.length > 0) &&
        Date.now() < deadline &&
        !opts.signal?.aborted
      ) {
        let progressed = false;
        for (const item of todo) {
          const step = item.steps[0];
          if (!step) continue;
          if (await complete(tenantId, item.key, step.elementId, step.data)) {
            item.steps.shift();
            item.done++;
            progressed = true;
            const entry = report.instances.find((i) => i.processInstanceKey === item.key);
            if (entry) entry.stepsDone++;
          }
        }
        if (todo.every((t) => t.done > 0)) markStarted();
        if (!progressed) await new Promise((r) => setTimeout(r, 200));
      }
      const pending = todo.filter((t) => t.steps.length > 0).map((t) => t.key);
      if (pending.length)
        opts.logger?.warn({ tenantId, pending }, 'some demo steps were not completed');
    } catch (err) {
      // The product may be stopping; the demo is not worth more than a warning.
      opts.logger?.warn({ err, tenantId }, 'demo steps stopped');
    } finally {
      clearTimeout(startedBy);
      markStarted();
    }
  })();
  return { started, finished };
}
