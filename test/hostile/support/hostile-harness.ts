/**
 * The hostile-input suite's harness: one real engine behind the real gateway, a raw
 * gRPC client (also for hand-made protobuf bytes), and the rule every case is held to:
 * the bad request gets the expected gRPC status with a message that names the
 * problem while an innocent instance of another province runs to its end at the same
 * time. How fast the answers come is measured by `npm run bench` (BENCH_SUITES=hostile,
 * bench/hostile.ts: target under 1 s), not asserted here: a wall-clock bound in a test
 * fails on a loaded machine without saying anything about the engine.
 *
 * Other suites add cases by calling `expectRefused` with their own requests.
 */
import * as grpc from '@grpc/grpc-js';
import type { EngineOptions } from '../../../src/engine';
import { startEngineWithGateway, type RunningEngine } from '../../support/engine-with-gateway';
import { rawClient, type RawClient } from '../../gateway/support/raw-client';
import { oneTaskProcess } from '../../gateway/support/models';

export const INNOCENT_TENANT = 'innocent';
const INNOCENT_PROCESS = 'innocent_process';
const INNOCENT_JOB = 'innocent-work';

export interface HostileHarness {
  running: RunningEngine;
  raw: RawClient;
  /** Sends hand-made bytes as the request of `method` (e.g. a truncated message). */
  rawBytes(method: string, bytes: Buffer): Promise<Buffer>;
  /** One instance of the innocent province, run to its end (its job done by the innocent worker). */
  innocentInstance(): Promise<void>;
  close(): Promise<void>;
}

export async function startHostileHarness(
  engineOpts: Partial<Omit<EngineOptions, 'connection'>> = {},
): Promise<HostileHarness> {
  const running = await startEngineWithGateway({}, engineOpts);
  const raw = rawClient(running.address);
  const bytesClient = new grpc.Client(running.address, grpc.credentials.createInsecure());
  await raw.call('DeployResource', {
    resources: [
      {
        name: 'innocent.bpmn',
        content: Buffer.from(oneTaskProcess(INNOCENT_PROCESS, INNOCENT_JOB)),
      },
    ],
    tenantId: INNOCENT_TENANT,
  });

  // The innocent province's worker: completes every innocent job, for as long as the
  // harness runs (one long poll at a time, as a real worker does).
  let closed = false;
  const workerLoop = (async () => {
    while (!closed) {
      try {
        const responses = await raw.activate({
          type: INNOCENT_JOB,
          worker: 'innocent-worker',
          // A short lock: a job lost between activation and hand-out (issue 8, defect 3,
          // being fixed in the engine) comes back within seconds instead of half a minute.
          timeout: 3000,
          maxJobsToActivate: 32,
          requestTimeout: 10_000,
          tenantIds: [INNOCENT_TENANT],
        });
        const jobs = responses.flatMap((r) => r.jobs as { key: string }[]);
        await Promise.all(
          jobs.map((job) =>
            raw.call('CompleteJob', { jobKey: job.key, variables: '{"done":true}' }),
          ),
        );
      } catch {
        if (!closed) await new Promise((r) => setTimeout(r, 50));
      }
    }
  })();

  async function innocentInstance(): Promise<void> {
    const result = await raw.call('CreateProcessInstanceWithResult', {
      request: { bpmnProcessId: INNOCENT_PROCESS, version: -1, tenantId: INNOCENT_TENANT },
      requestTimeout: 20_000,
    });
    const variables = JSON.parse(String(result.variables)) as { done?: boolean };
    if (variables.done !== true) throw new Error('the innocent instance ended without its job');
  }

  return {
    running,
    raw,
    rawBytes: (method, bytes) =>
      new Promise((resolve, reject) => {
        bytesClient.makeUnaryRequest<Buffer, Buffer>(
          `/gateway_protocol.Gateway/${method}`,
          (b) => b,
          (b) => b,
          bytes,
          (err, res) => (err ? reject(err) : resolve(res!)),
        );
      }),
    innocentInstance,
    async close() {
      closed = true;
      bytesClient.close();
      await running.close();
      await workerLoop;
      raw.close();
    },
  };
}

export interface Refusal {
  code: grpc.status;
  /** Every one of these must appear in the status message (case-insensitive). */
  mentions: (string | RegExp)[];
}

/**
 * Runs the bad request and an innocent instance at the same time; asserts the status,
 * the message, and that the innocent instance completed.
 */
export async function expectRefused(
  harness: HostileHarness,
  send: () => Promise<unknown>,
  expected: Refusal,
): Promise<void> {
  const [outcome] = await Promise.all([
    send().then(
      (res) => ({ ok: true as const, res }),
      (err: grpc.ServiceError) => ({ ok: false as const, err }),
    ),
    harness.innocentInstance(),
  ]);
  if (outcome.ok) {
    throw new Error(`expected ${grpc.status[expected.code]}, but the request was answered OK`);
  }
  expect({ code: grpc.status[outcome.err.code] }).toEqual({ code: grpc.status[expected.code] });
  for (const m of expected.mentions) {
    if (typeof m === 'string') expect(outcome.err.details.toLowerCase()).toContain(m.toLowerCase());
    else expect(outcome.err.details).toMatch(m);
  }
}
