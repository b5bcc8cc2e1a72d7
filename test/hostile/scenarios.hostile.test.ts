/**
 * Hostile input, family "scenarios": bad requests mixed with good work, as a busy
 * province sees them. Many hostile calls at once never hold up the innocent instances,
 * every one is refused with its own status, and a refused request leaves nothing behind
 * (the next good deploy of the same id is version 1; the log holds none of it).
 */
import * as grpc from '@grpc/grpc-js';
import { bpmn, flow } from '../support/bpmn-xml';
import { noTaskProcess } from '../gateway/support/models';
import { startHostileHarness, type HostileHarness } from './support/hostile-harness';

let h: HostileHarness;
beforeAll(async () => {
  h = await startHostileHarness();
});
afterAll(async () => {
  await h?.close();
});

const deep = '{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000);

test('forty hostile calls at once: each refused with its status, eight innocent instances complete', async () => {
  const hostile: [grpc.status, () => Promise<unknown>][] = [];
  for (let i = 0; i < 10; i++) {
    hostile.push([
      grpc.status.INVALID_ARGUMENT,
      () =>
        h.raw.call('DeployResource', {
          resources: [
            { name: `s${i}.bpmn`, content: Buffer.from(`junk${noTaskProcess(`s${i}`)}`) },
          ],
        }),
    ]);
    hostile.push([
      grpc.status.INVALID_ARGUMENT,
      () => h.raw.call('PublishMessage', { name: 'm', correlationKey: `${i}`, variables: deep }),
    ]);
    hostile.push([
      grpc.status.INVALID_ARGUMENT,
      () =>
        h.raw.call('CreateProcessInstance', { bpmnProcessId: 'p'.repeat(1 << 20), version: -1 }),
    ]);
    hostile.push([
      grpc.status.NOT_FOUND,
      () =>
        h.raw.call('CancelProcessInstance', { processInstanceKey: String(2251799813685249 + i) }),
    ]);
  }
  const [outcomes] = await Promise.all([
    Promise.all(
      hostile.map(([, send]) =>
        send().then(
          () => 'OK',
          (err: grpc.ServiceError) => grpc.status[err.code],
        ),
      ),
    ),
    Promise.all(Array.from({ length: 8 }, () => h.innocentInstance())),
  ]);
  expect(outcomes).toEqual(hostile.map(([code]) => grpc.status[code]));
  // All forty answered with their own status while the eight innocent instances ran to
  // their end (how fast: `npm run bench`, BENCH_SUITES=hostile).
  const topology = await h.raw.call('Topology', {});
  const brokers = topology.brokers as { partitions: { health: string }[] }[];
  expect(brokers[0].partitions[0].health).toBe('HEALTHY');
});

test('a refused deploy leaves nothing: the next good deploy of the same id is version 1', async () => {
  const bad = bpmn(
    'later_good',
    `<bpmn:startEvent id="start"/><bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition><bpmn:timeCycle>R/PT0S</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent><bpmn:endEvent id="end"/>${flow('f1', 'start', 'wait')}${flow('f2', 'wait', 'end')}`,
  );
  await expect(
    h.raw.call('DeployResource', {
      resources: [{ name: 'later_good.bpmn', content: Buffer.from(bad) }],
    }),
  ).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT });
  const ok = await h.raw.call('DeployResource', {
    resources: [{ name: 'later_good.bpmn', content: Buffer.from(noTaskProcess('later_good')) }],
  });
  const [deployment] = ok.deployments as { process: { version: number } }[];
  expect(deployment.process.version).toBe(1);
  const log = await h.running.engine.readLog();
  const badResource = log.filter(
    (r) =>
      r.valueType === 'PROCESS' &&
      String((r.value as { resource?: string }).resource ?? '').includes('R/PT0S'),
  );
  expect(badResource).toEqual([]);
});
