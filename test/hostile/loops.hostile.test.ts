/**
 * Hostile input, family "scenarios": a loop without a wait state reached from a timer
 * (start → timer → loop), the case that made the engine recover 76 times in 70 s. It now
 * runs as ordinary work in budgeted commands: the engine stays healthy, everybody else is
 * answered within a second, an innocent instance completes, and cancellation works.
 */
import { bpmn, chain } from '../support/bpmn-xml';
import { eventually } from '../engine/support';
import {
  ANSWER_WITHIN_MS,
  startHostileHarness,
  type HostileHarness,
} from './support/hostile-harness';

let h: HostileHarness;

const timerLoop = bpmn(
  'timer_loop',
  `<bpmn:startEvent id="s" />
   <bpmn:intermediateCatchEvent id="wait">
     <bpmn:timerEventDefinition><bpmn:timeDuration>PT0.2S</bpmn:timeDuration></bpmn:timerEventDefinition>
   </bpmn:intermediateCatchEvent>
   <bpmn:exclusiveGateway id="join" />
   <bpmn:manualTask id="again" />
   ${chain(['s', 'wait', 'join', 'again', 'join'])}`,
);

beforeAll(async () => {
  h = await startHostileHarness();
  await h.raw.call('DeployResource', {
    resources: [{ name: 'timer-loop.bpmn', content: Buffer.from(timerLoop) }],
    tenantId: 'hostile',
  });
});
afterAll(async () => {
  await h?.close();
});

/** Times one call. */
async function timed<T>(call: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  const value = await call();
  return { value, ms: Date.now() - started };
}

describe('a loop without a wait state behind a timer', () => {
  it('runs as ordinary work: the engine stays healthy and answers, and the loop can be cancelled', async () => {
    const engine = h.running.engine;
    const startedAt = engine.logPosition;
    const created = await timed(() =>
      h.raw.call('CreateProcessInstance', {
        bpmnProcessId: 'timer_loop',
        version: -1,
        tenantId: 'hostile',
      }),
    );
    expect(created.ms).toBeLessThan(ANSWER_WITHIN_MS);
    const key = String(created.value.processInstanceKey);
    // The timer fired and the loop is running: over many commands (each writes at most
    // 2,000 records), since nothing else writes this much.
    await eventually(() => engine.logPosition > startedAt + 20_000, 10_000);

    // Everybody else is served meanwhile.
    const topology = await timed(() => h.raw.call('Topology', {}));
    expect(topology.ms).toBeLessThan(ANSWER_WITHIN_MS);
    const brokers = topology.value.brokers as { partitions: { health: unknown }[] }[];
    expect(brokers[0].partitions[0].health).toMatch(/HEALTHY|0/);
    await h.innocentInstance();

    const beforeCancel = engine.logPosition;
    const cancelled = await timed(() =>
      h.raw.call('CancelProcessInstance', { processInstanceKey: key }),
    );
    expect(cancelled.ms).toBeLessThan(ANSWER_WITHIN_MS);
    await eventually(async () =>
      (await engine.readLog(beforeCancel)).some(
        (r) => r.key === Number(key) && r.intent === 'ELEMENT_TERMINATED',
      ),
    );
    expect(engine.health()).toMatchObject({ status: 'ok', recoveries: 0 });
    await h.innocentInstance();
  });
});
