/**
 * Issue 8, defect 3: jobs activated for a long poll that expired (or was cancelled) while
 * the activation was in progress were dropped and stayed locked for their whole timeout.
 * Activated jobs are either handed to a live request or not activated at all.
 *
 * The race is made deterministic with the engine's clock: the activation's job deadline
 * is scheduled on the clock right after the activation command was processed and before
 * its records are durable; at that moment the test lets the long poll expire (or aborts it).
 */
import { ManualClock } from '../../src/engine/scheduler/clock';
import {
  bpmn,
  chain,
  deploy,
  eventually,
  records,
  serviceTask,
  startTestEngine,
  type TestEngine,
} from './support';

/**
 * Job timeouts no other due date uses: the deadline marks "activation processed". Each
 * test's is shorter than the one before, so its deadline is the scheduler's next wake-up.
 */
const JOB_TIMEOUT = 777_777;
const SHORTER_JOB_TIMEOUT = 666_666;

class RaceClock extends ManualClock {
  /** Runs once when something is scheduled at exactly this time. */
  private trap?: { at: number; run: () => void };

  whenScheduled(at: number, run: () => void): void {
    this.trap = { at, run };
  }

  override schedule(at: number, fn: () => void): () => void {
    const cancel = super.schedule(at, fn);
    if (this.trap && at === this.trap.at) {
      const { run } = this.trap;
      this.trap = undefined;
      run();
    }
    return cancel;
  }
}

describe('job activation for a long poll', () => {
  let t: TestEngine;
  const clock = new RaceClock();

  beforeAll(async () => {
    t = await startTestEngine({ clock });
    await deploy(
      t.engine,
      'race.bpmn',
      bpmn(
        'race',
        `<bpmn:startEvent id="s" />${serviceTask('work', 'race-work')}<bpmn:endEvent id="e" />${chain(['s', 'work', 'e'])}`,
      ),
    );
  });
  afterAll(() => t.close());

  async function activatable(): Promise<number> {
    const jobs = await t.engine.activateJobs({
      type: 'race-work',
      worker: 'check',
      timeout: 1000,
      maxJobsToActivate: 10,
    });
    for (const job of jobs) await t.engine.failJob({ jobKey: job.key, retries: 3 });
    return jobs.length;
  }

  it('hands the jobs to the request when it expires while their activation is stored', async () => {
    const poll = t.engine.activateJobs({
      type: 'race-work',
      worker: 'poller',
      timeout: JOB_TIMEOUT,
      maxJobsToActivate: 1,
      requestTimeoutMs: 5000,
    });
    await new Promise((r) => setImmediate(r));
    clock.whenScheduled(clock.now() + JOB_TIMEOUT, () => clock.advance(5000));
    const pi = await t.engine.createProcessInstance({ bpmnProcessId: 'race' });
    const jobs = await poll;
    const stillActivatable = await activatable();
    expect({ received: jobs.length, stillActivatable }).toEqual({
      received: 1,
      stillActivatable: 0,
    });
    expect(jobs[0].processInstanceKey).toBe(pi.processInstanceKey);
    await t.engine.completeJob({ jobKey: jobs[0].key });
  });

  it('gives the jobs back at once when the request is cancelled while their activation is stored', async () => {
    const abort = new AbortController();
    const poll = t.engine.activateJobs(
      {
        type: 'race-work',
        worker: 'gone',
        timeout: SHORTER_JOB_TIMEOUT,
        maxJobsToActivate: 1,
        requestTimeoutMs: 5000,
      },
      undefined,
      abort.signal,
    );
    const outcome = poll.then(
      (jobs) => ({ jobs: jobs.length }),
      (err: Error) => ({ error: err.message }),
    );
    await new Promise((r) => setImmediate(r));
    clock.whenScheduled(clock.now() + SHORTER_JOB_TIMEOUT, () => abort.abort());
    await t.engine.createProcessInstance({ bpmnProcessId: 'race' });
    expect(await outcome).toEqual({ error: expect.stringMatching(/cancelled/) });
    // Not locked until its timeout: given back as soon as its activation is stored.
    const [job] = await eventually(async () => {
      const jobs = await t.engine.activateJobs({
        type: 'race-work',
        worker: 'next',
        timeout: 60_000,
        maxJobsToActivate: 1,
      });
      return jobs.length ? jobs : undefined;
    }, 5000);
    expect(job).toBeDefined();
    const yielded = await records(t.engine, { valueType: 'JOB', intent: 'YIELDED' });
    expect(yielded.map((r) => String(r.key))).toContain(job.key);
    await t.engine.completeJob({ jobKey: job.key });
  });
});
