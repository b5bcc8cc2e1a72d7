/**
 * Child process for the engine crash test: runs the built-in engine (which recovers from
 * the latest snapshot and the log tail), optionally creates the instances, and works the
 * jobs through the engine API until the parent kills it.
 *
 * The process: start → prepare (job) → wait 50 ms (timer) → "esito" message, correlated by
 * the instance's key → register (job) → end. The "prepare" worker publishes the instance's
 * message (buffered with a TTL until the instance waits for it) before completing its job.
 *
 * Lines on stdout: `ready`, `created <n>`, `completed-job <type>`.
 */
import mongoose from 'mongoose';
import { createEngine, EngineError, type ActivatedJob } from '../../../../src/engine';
import { onParentExit } from '../../../../src/process/parent-watch';

export const CRASH_PROCESS = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="crash_defs" targetNamespace="http://example.org">
  <bpmn:message id="esito_msg" name="esito">
    <bpmn:extensionElements><zeebe:subscription correlationKey="=correlation" /></bpmn:extensionElements>
  </bpmn:message>
  <bpmn:process id="crash" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:serviceTask id="prepare">
      <bpmn:extensionElements><zeebe:taskDefinition type="crash-prepare" /></bpmn:extensionElements>
    </bpmn:serviceTask>
    <bpmn:intermediateCatchEvent id="pause">
      <bpmn:timerEventDefinition><bpmn:timeDuration>PT0.05S</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:intermediateCatchEvent id="esito">
      <bpmn:messageEventDefinition messageRef="esito_msg" />
    </bpmn:intermediateCatchEvent>
    <bpmn:serviceTask id="register">
      <bpmn:extensionElements><zeebe:taskDefinition type="crash-register" /></bpmn:extensionElements>
    </bpmn:serviceTask>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="prepare" />
    <bpmn:sequenceFlow id="f2" sourceRef="prepare" targetRef="pause" />
    <bpmn:sequenceFlow id="f3" sourceRef="pause" targetRef="esito" />
    <bpmn:sequenceFlow id="f4" sourceRef="esito" targetRef="register" />
    <bpmn:sequenceFlow id="f5" sourceRef="register" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;

/** Jobs a killed child had activated come back after this lock timeout. */
const JOB_TIMEOUT_MS = 1500;

async function main(): Promise<void> {
  // Dies with the test that started it (even when that test worker is SIGKILLed), as if
  // killed: no clean-up, like the crashes this child stands for.
  onParentExit(() => process.kill(process.pid, 'SIGKILL'));
  const uri = process.env.CRASH_DB_URI;
  if (!uri) throw new Error('CRASH_DB_URI is required');
  const instances = Number(process.env.CRASH_CREATE_INSTANCES ?? 0);
  const connection = await mongoose.createConnection(uri).asPromise();
  const engine = await createEngine({ connection, snapshotEveryRecords: 2000 });
  let stopping = false;
  process.once('SIGTERM', () => {
    stopping = true;
    void engine.close().then(() => process.exit(0));
  });
  await engine.deployResource({ resources: [{ name: 'crash.bpmn', content: CRASH_PROCESS }] });
  process.stdout.write('ready\n');

  if (instances > 0) {
    for (let i = 0; i < instances; i += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, instances - i) }, (_, j) =>
          engine.createProcessInstance({
            bpmnProcessId: 'crash',
            variables: { index: i + j, correlation: `instance-${i + j}` },
          }),
        ),
      );
    }
    process.stdout.write(`created ${instances}\n`);
  }

  const work = async (type: string, handle: (job: ActivatedJob) => Promise<void>) => {
    while (!stopping) {
      const jobs = await engine
        .activateJobs({
          type,
          worker: `pid-${process.pid}`,
          timeout: JOB_TIMEOUT_MS,
          maxJobsToActivate: 32,
          requestTimeoutMs: 500,
        })
        .catch(() => [] as ActivatedJob[]);
      await Promise.all(
        jobs.map(async (job) => {
          try {
            await handle(job);
            await engine.completeJob({ jobKey: job.key });
            process.stdout.write(`completed-job ${type}\n`);
          } catch (err) {
            // A job that timed out meanwhile is completed by whoever holds it now.
            if (!(err instanceof EngineError)) throw err;
          }
        }),
      );
    }
  };

  const publishEsito = async (job: ActivatedJob) => {
    try {
      await engine.publishMessage({
        name: 'esito',
        correlationKey: String(job.variables.correlation),
        messageId: `esito-${String(job.variables.index)}`,
        timeToLive: 10 * 60_000,
        variables: { esito: 'aggiudicata' },
      });
    } catch (err) {
      // Published before a crash already: the buffered message is still there.
      if (!(err instanceof EngineError && err.code === 'ALREADY_EXISTS')) throw err;
    }
  };

  await Promise.all([
    work('crash-prepare', publishEsito),
    work('crash-prepare', publishEsito),
    work('crash-register', async () => undefined),
    work('crash-register', async () => undefined),
  ]);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
