/**
 * Issue 9, hostile input 1: a loop without a wait state is ordinary work. Every command
 * has a step budget; what is left is carried over to later commands (interleaved with
 * everybody else's), survives a restart as work (not as a recovery), can always be
 * cancelled, and a loop that never ends stops with an incident on its element.
 */
import type { Engine } from '../../src/engine';
import type { LogRecord } from '../../src/engine/log/record';
import {
  bpmn,
  chain,
  deploy,
  eventually,
  serviceTask,
  startTestEngine,
  type TestEngine,
} from './support';

/** A lower bound than the default 100,000, to keep the test short. */
const MAX_STEPS = 5000;

const loop = bpmn(
  'loop',
  `<bpmn:startEvent id="s" />
   <bpmn:exclusiveGateway id="join" />
   <bpmn:manualTask id="again" />
   ${chain(['s', 'join', 'again', 'join'])}`,
);

const oneTask = bpmn(
  'other',
  `<bpmn:startEvent id="s" />${serviceTask('work', 'other-work')}<bpmn:endEvent id="e" />
   ${chain(['s', 'work', 'e'])}`,
);

/** Reads the log incrementally (the loop writes many records: never re-read it whole). */
function logTail(engine: () => Engine) {
  let after = engine().logPosition;
  const seen: LogRecord[] = [];
  return {
    async read(filter: (r: LogRecord) => boolean): Promise<LogRecord[]> {
      const fresh = await engine().readLog(after);
      if (fresh.length) after = fresh[fresh.length - 1].position;
      for (const r of fresh) if (filter(r)) seen.push(r);
      return seen;
    },
    get position() {
      return after;
    },
  };
}

const ofInstance = (key: string) => (r: LogRecord) =>
  String(r.value.processInstanceKey) === key ||
  String(r.key) === key ||
  (Array.isArray(r.value.processInstanceKeys) && r.value.processInstanceKeys.includes(Number(key)));

/** Another instance (with a job) runs to its end. */
async function runOther(engine: Engine): Promise<void> {
  const result = engine.createProcessInstanceWithResult({
    request: { bpmnProcessId: 'other' },
    requestTimeoutMs: 10_000,
  });
  const jobs = await engine.activateJobs({
    type: 'other-work',
    worker: 'w',
    timeout: 30_000,
    maxJobsToActivate: 1,
    requestTimeoutMs: 5000,
  });
  expect(jobs).toHaveLength(1);
  await engine.completeJob({ jobKey: jobs[0].key, variables: { done: true } });
  expect((await result).variables).toMatchObject({ done: true });
}

async function isEnded(engine: Engine, key: string): Promise<boolean> {
  const rs = await engine.readLog(Math.max(0, engine.logPosition - 2000));
  return rs.some(
    (r) =>
      r.key === Number(key) &&
      r.valueType === 'PROCESS_INSTANCE' &&
      (r.intent === 'ELEMENT_COMPLETED' || r.intent === 'ELEMENT_TERMINATED'),
  );
}

describe('a loop without a wait state', () => {
  let t: TestEngine;

  beforeAll(async () => {
    t = await startTestEngine();
    await deploy(t.engine, 'loop.bpmn', loop);
    await deploy(t.engine, 'other.bpmn', oneTask);
  });
  afterAll(() => t.close());

  it('runs in budgeted commands while other instances go on, and can be cancelled', async () => {
    const tail = logTail(() => t.engine);
    const { processInstanceKey: key } = await t.engine.createProcessInstance({
      bpmnProcessId: 'loop',
    });
    // The loop goes on over several commands (work carried over)...
    await eventually(
      async () =>
        (await tail.read(ofInstance(key))).filter(
          (r) => r.valueType === 'PROCESS_INSTANCE_BATCH' && r.intent === 'CONTINUED',
        ).length >= 3,
    );
    // ...while another instance runs to its end, and nothing makes the engine recover.
    await runOther(t.engine);
    expect(t.engine.health()).toMatchObject({ status: 'ok', recoveries: 0 });

    await t.engine.cancelProcessInstance({ processInstanceKey: key });
    const terminated = await eventually(async () =>
      (await tail.read(ofInstance(key))).find(
        (r) => r.key === Number(key) && r.intent === 'ELEMENT_TERMINATED',
      ),
    );
    // A positive signal after the cancellation, then: nothing more of the loop.
    await runOther(t.engine);
    const after = (await tail.read(ofInstance(key))).filter(
      (r) => r.position > terminated.position && r.valueType === 'PROCESS_INSTANCE',
    );
    expect(after).toEqual([]);
    expect(t.engine.health()).toMatchObject({
      status: 'ok',
      activeProcessInstances: 0,
      recoveries: 0,
    });
  });

  it('goes on after a restart as ordinary work, and can still be cancelled', async () => {
    const { processInstanceKey: key } = await t.engine.createProcessInstance({
      bpmnProcessId: 'loop',
    });
    await t.restart();
    const restartedAt = t.engine.logPosition;
    const tail = logTail(() => t.engine);
    await eventually(async () =>
      (await tail.read(ofInstance(key))).some(
        (r) => r.position > restartedAt && r.intent === 'CONTINUED',
      ),
    );
    await runOther(t.engine);
    await t.engine.cancelProcessInstance({ processInstanceKey: key });
    await eventually(() => isEnded(t.engine, key));
    expect(t.engine.health()).toMatchObject({
      status: 'ok',
      activeProcessInstances: 0,
      recoveries: 0,
    });
  });
});

describe('a loop that never reaches a wait state', () => {
  let t: TestEngine;

  beforeAll(async () => {
    t = await startTestEngine({ maxStepsWithoutWaitState: MAX_STEPS });
    await deploy(t.engine, 'loop.bpmn', loop);
    await deploy(t.engine, 'other.bpmn', oneTask);
  });
  afterAll(() => t.close());

  it('stops with an incident on its element after the documented number of steps', async () => {
    const tail = logTail(() => t.engine);
    const { processInstanceKey: key } = await t.engine.createProcessInstance({
      bpmnProcessId: 'loop',
    });
    const incident = await eventually(async () =>
      (await tail.read(ofInstance(key))).find(
        (r) => r.valueType === 'INCIDENT' && r.intent === 'CREATED',
      ),
    );
    expect(incident.value).toMatchObject({ errorType: 'UNKNOWN' });
    expect(String(incident.value.errorMessage)).toMatch(
      /ran \d+ steps without reaching a wait state/,
    );
    expect(['join', 'again']).toContain(incident.value.elementId);
    // Stopped: the engine is idle again (no work carried over left).
    await eventually(() => t.engine.health().pendingCommands === 0);
    const stoppedAt = t.engine.logPosition;
    await runOther(t.engine);
    expect(
      (await tail.read(ofInstance(key))).filter(
        (r) => r.position > stoppedAt && r.valueType === 'PROCESS_INSTANCE',
      ),
    ).toEqual([]);
    // Resolving the incident continues the loop; cancelling ends it.
    await t.engine.resolveIncident({ incidentKey: String(incident.key) });
    await eventually(async () =>
      (await tail.read(ofInstance(key))).some(
        (r) => r.position > stoppedAt && r.intent === 'CONTINUED',
      ),
    );
    await t.engine.cancelProcessInstance({ processInstanceKey: key });
    await eventually(() => isEnded(t.engine, key));
    expect(t.engine.health()).toMatchObject({ status: 'ok', recoveries: 0 });
  });
});

describe('a parallel multi-instance activity at its limit', () => {
  it('runs its 1,000 inner instances over budgeted commands and completes', async () => {
    const t = await startTestEngine();
    try {
      await deploy(
        t.engine,
        'mi.bpmn',
        bpmn(
          'mi',
          `<bpmn:startEvent id="s" />
           <bpmn:manualTask id="each">
             <bpmn:multiInstanceLoopCharacteristics isSequential="false">
               <bpmn:extensionElements>
                 <zeebe:loopCharacteristics inputCollection="=items" inputElement="item" outputCollection="results" outputElement="=item" />
               </bpmn:extensionElements>
             </bpmn:multiInstanceLoopCharacteristics>
           </bpmn:manualTask>
           <bpmn:endEvent id="e" />
           ${chain(['s', 'each', 'e'])}`,
        ),
      );
      const result = await t.engine.createProcessInstanceWithResult({
        request: {
          bpmnProcessId: 'mi',
          variables: { items: Array.from({ length: 1000 }, (_, i) => i) },
        },
        requestTimeoutMs: 30_000,
      });
      const results = result.variables.results as number[];
      expect(results).toHaveLength(1000);
      expect(results[999]).toBe(999);
      expect(t.engine.health()).toMatchObject({ status: 'ok', recoveries: 0 });
    } finally {
      await t.close();
    }
  });
});
