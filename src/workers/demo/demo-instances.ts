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
    if (opts.gatewayAddress) {
      const steps = advance(opts.gatewayAddress, tenantId, planned, report, opts);
      await steps.started;
      report.concluded = steps.finished;
    }
    if (lines.includes('training')) {
      report.training = await startTrainingDemo(client, province, opts.gatewayAddress);
      if (report.training.stepsDone < report.training.stepsPlanned) {
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
