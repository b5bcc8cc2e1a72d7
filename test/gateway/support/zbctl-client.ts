/** ScenarioClient over the zbctl 8.4 CLI (Go client), run as a real child process. */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { status } from '@grpc/grpc-js';
import {
  asObject,
  ClientCallError,
  toDeployed,
  type ScenarioClient,
  type Vars,
} from './scenario-client';

export const ZBCTL = path.resolve(
  __dirname,
  '..',
  '..',
  '..',
  'node_modules',
  'zbctl',
  'bin',
  'zbctl-cli.linux',
);

/** Go's status code names (as zbctl prints them) → numeric gRPC codes. */
const GO_CODES: Record<string, number> = {
  Canceled: status.CANCELLED,
  Unknown: status.UNKNOWN,
  InvalidArgument: status.INVALID_ARGUMENT,
  DeadlineExceeded: status.DEADLINE_EXCEEDED,
  NotFound: status.NOT_FOUND,
  AlreadyExists: status.ALREADY_EXISTS,
  PermissionDenied: status.PERMISSION_DENIED,
  ResourceExhausted: status.RESOURCE_EXHAUSTED,
  FailedPrecondition: status.FAILED_PRECONDITION,
  Aborted: status.ABORTED,
  OutOfRange: status.OUT_OF_RANGE,
  Unimplemented: status.UNIMPLEMENTED,
  Internal: status.INTERNAL,
  Unavailable: status.UNAVAILABLE,
  DataLoss: status.DATA_LOSS,
  Unauthenticated: status.UNAUTHENTICATED,
};

export function zbctlClient(address: string): ScenarioClient {
  const home = mkdtempSync(path.join(os.tmpdir(), 'zbctl-home-'));

  const run = (args: string[]): Promise<string> =>
    new Promise((resolve, reject) => {
      execFile(
        ZBCTL,
        [...args, '--insecure', '--address', address],
        { env: { HOME: home, PATH: process.env.PATH ?? '' }, timeout: 30_000 },
        (err, stdout, stderr) => {
          if (!err) return resolve(stdout);
          const m = /code = (\w+) desc = (.*)/s.exec(stderr);
          reject(
            m
              ? new ClientCallError(GO_CODES[m[1]] ?? status.UNKNOWN, m[2].trim())
              : new ClientCallError(
                  status.UNKNOWN,
                  `zbctl ${args[0]} failed: ${stderr || err.message}`,
                ),
          );
        },
      );
    });
  const json = async (args: string[]) => JSON.parse(await run(args)) as Record<string, unknown>;

  return {
    name: 'zbctl',
    async topology() {
      const t = await json(['status', '--output', 'json']);
      return {
        brokerCount: (t.brokers as unknown[]).length,
        partitionsCount: Number(t.partitionsCount),
      };
    },
    async deploy(fileName, content) {
      const file = path.join(home, fileName);
      writeFileSync(file, content);
      const res = await json(['deploy', 'resource', file]);
      return toDeployed(res as { key: unknown; deployments: unknown[] });
    },
    async createInstance(bpmnProcessId, variables = {}) {
      const r = await json([
        'create',
        'instance',
        bpmnProcessId,
        '--variables',
        JSON.stringify(variables),
      ]);
      return { processInstanceKey: String(r.processInstanceKey), version: Number(r.version) };
    },
    async createInstanceWithResult(bpmnProcessId, variables = {}, fetchVariables) {
      const withResult = fetchVariables?.length
        ? `--withResult=${fetchVariables.join(',')}`
        : '--withResult';
      const r = await json([
        'create',
        'instance',
        bpmnProcessId,
        '--variables',
        JSON.stringify(variables),
        withResult,
      ]);
      return { processInstanceKey: String(r.processInstanceKey), variables: asObject(r.variables) };
    },
    async activateJobs(type, maxJobs = 10) {
      const r = await json([
        'activate',
        'jobs',
        type,
        '--maxJobsToActivate',
        String(maxJobs),
        '--timeout',
        '60s',
      ]);
      return ((r.jobs as Record<string, unknown>[] | undefined) ?? []).map((j) => ({
        key: String(j.key),
        type: String(j.type),
        processInstanceKey: String(j.processInstanceKey),
        elementInstanceKey: String(j.elementInstanceKey),
        elementId: String(j.elementId),
        retries: Number(j.retries),
        variables: asObject(j.variables),
        customHeaders: asObject(j.customHeaders) as Record<string, string>,
      }));
    },
    async completeJob(jobKey, variables = {}) {
      await run(['complete', 'job', jobKey, '--variables', JSON.stringify(variables)]);
    },
    async failJob(jobKey, retries, errorMessage, retryBackOffMs) {
      const args = [
        'fail',
        'job',
        jobKey,
        '--retries',
        String(retries),
        '--errorMessage',
        errorMessage,
      ];
      if (retryBackOffMs) args.push('--retryBackoff', `${retryBackOffMs}ms`);
      await run(args);
    },
    async throwError(jobKey, errorCode, errorMessage) {
      await run([
        'throwError',
        'job',
        jobKey,
        '--errorCode',
        errorCode,
        '--errorMessage',
        errorMessage,
      ]);
    },
    async publishMessage(name, correlationKey, variables: Vars = {}, ttlMs = 0) {
      await run([
        'publish',
        'message',
        name,
        '--correlationKey',
        correlationKey,
        '--variables',
        JSON.stringify(variables),
        '--ttl',
        `${ttlMs}ms`,
      ]);
    },
    async broadcastSignal(signalName, variables = {}) {
      await run(['broadcast', 'signal', signalName, '--variables', JSON.stringify(variables)]);
    },
    async setVariables(elementInstanceKey, variables, local = false) {
      const args = [
        'set',
        'variables',
        elementInstanceKey,
        '--variables',
        JSON.stringify(variables),
      ];
      if (local) args.push('--local');
      await run(args);
    },
    async updateRetries(jobKey, retries) {
      await run(['update', 'retries', jobKey, '--retries', String(retries)]);
    },
    async resolveIncident(incidentKey) {
      await run(['resolve', 'incident', incidentKey]);
    },
    async cancelInstance(key) {
      await run(['cancel', 'instance', key]);
    },
    async evaluateDecision(decisionId, variables = {}) {
      const r = await json([
        'evaluate',
        'decision',
        decisionId,
        '--variables',
        JSON.stringify(variables),
      ]);
      return {
        decisionId: String(r.decisionId),
        output: JSON.parse(String(r.decisionOutput)) as unknown,
      };
    },
    async close() {
      rmSync(home, { recursive: true, force: true });
    },
  };
}
