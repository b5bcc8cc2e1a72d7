/**
 * Hostile input, family "scenarios": a loop without a wait state reached from a timer
 * (start → timer → loop), the case that made the engine recover 76 times in 70 s. It now
 * runs as ordinary work in budgeted commands: while it runs, everybody else is answered
 * and an innocent instance of another province runs to its end, the engine stays healthy,
 * and a cancel stops it.
 *
 * Shown by the order of the engine's own records, not by wall-clock bounds (which belong
 * in `npm run bench`, see bench/hostile.ts): the work the loop carries over is continued in
 * later commands (PROCESS_INSTANCE_BATCH CONTINUED) after the other answers were given,
 * and the cancel terminates it.
 */
import type { LogRecord } from '../../src/engine/log/record';
import { bpmn, chain } from '../support/bpmn-xml';
import { waitFor } from '../support/wait-for';
import { startHostileHarness, type HostileHarness } from './support/hostile-harness';

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
  // The loop must outlast the other calls however slow the machine is, so its own step
  // limit (an incident after 100,000 steps by default, tested in
  // test/engine/step-budget.test.ts) is set out of reach here.
  h = await startHostileHarness({ maxStepsWithoutWaitState: 1_000_000_000 });
  await h.raw.call('DeployResource', {
    resources: [{ name: 'timer-loop.bpmn', content: Buffer.from(timerLoop) }],
    tenantId: 'hostile',
  });
});
afterAll(async () => {
  await h?.close();
});

const ofInstance = (key: string) => (r: LogRecord) =>
  String(r.value.processInstanceKey) === key ||
  String(r.key) === key ||
  (Array.isArray(r.value.processInstanceKeys) && r.value.processInstanceKeys.includes(Number(key)));

/**
 * Reads one instance's records from the durable log in bounded windows: the loop writes
 * faster than a reader can follow, so every read stops at a position known beforehand.
 */
function instanceLog(key: string) {
  const matches = ofInstance(key);
  const window = 5000;
  /** The first record of the instance after `position` that satisfies `wanted`, if any yet. */
  return async (
    position: number,
    wanted: (r: LogRecord) => boolean,
  ): Promise<{ found?: LogRecord; readUpTo: number }> => {
    const upTo = Math.min(position + window, h.running.engine.logPosition);
    const records = await h.running.engine.readLog(position, upTo);
    // Only what was read counts as read: records not yet durable are not returned (on a
    // loaded machine the log's writes lag behind), and must be read on the next probe.
    const readUpTo = records.length ? records[records.length - 1].position : position;
    return { found: records.find((r) => matches(r) && wanted(r)), readUpTo };
  };
}

/** Waits for the first record of the instance after `position` that satisfies `wanted`. */
async function firstAfter(
  read: ReturnType<typeof instanceLog>,
  what: string,
  position: number,
  wanted: (r: LogRecord) => boolean,
): Promise<LogRecord> {
  let from = position;
  return waitFor(what, async () => {
    const { found, readUpTo } = await read(from, wanted);
    from = readUpTo;
    return found;
  });
}

const isContinuation = (r: LogRecord) =>
  r.valueType === 'PROCESS_INSTANCE_BATCH' && r.intent === 'CONTINUED';

describe('a loop without a wait state behind a timer', () => {
  it('runs as ordinary work: others are served while it runs, and the cancel stops it', async () => {
    const engine = h.running.engine;
    const startedAt = engine.logPosition;
    const created = await h.raw.call('CreateProcessInstance', {
      bpmnProcessId: 'timer_loop',
      version: -1,
      tenantId: 'hostile',
    });
    const key = String(created.processInstanceKey);
    const read = instanceLog(key);

    // The timer fired and the loop runs over many commands, each within its step budget:
    // ten continuations of the work it carries over, one after the other.
    let position = startedAt;
    for (let i = 0; i < 10; i++) {
      const next = await firstAfter(
        read,
        `continuation ${i + 1} of the loop`,
        position,
        isContinuation,
      );
      position = next.position;
    }

    // Everybody else is served meanwhile: Topology says healthy, an innocent instance of
    // another province runs from start to end (with its job)...
    const topology = await h.raw.call('Topology', {});
    const brokers = topology.brokers as { partitions: { health: unknown }[] }[];
    expect(brokers[0].partitions[0].health).toMatch(/HEALTHY|0/);
    await h.innocentInstance();
    const servedAt = engine.logPosition;
    // ...while the loop was still running: its work went on in a command after those answers.
    await firstAfter(read, 'the loop to go on after the other answers', servedAt, isContinuation);

    // The cancel is taken while the loop runs, and ends it.
    const beforeCancel = engine.logPosition;
    await h.raw.call('CancelProcessInstance', { processInstanceKey: key });
    const terminated = await firstAfter(
      read,
      'the loop instance to be terminated',
      beforeCancel,
      (r) => r.key === Number(key) && r.intent === 'ELEMENT_TERMINATED',
    );
    // A positive signal after the termination (another innocent instance), then: nothing
    // more of the loop, and no recovery.
    await h.innocentInstance();
    const after = await engine.readLog(terminated.position, engine.logPosition);
    expect(after.filter((r) => ofInstance(key)(r) && r.valueType === 'PROCESS_INSTANCE')).toEqual(
      [],
    );
    expect(engine.health()).toMatchObject({ status: 'ok', recoveries: 0 });
  });
});
