/**
 * Two product processes (two inboxes with their workers) against one database and one
 * engine: every user task appears exactly once, in both processes' lists, and
 * completes exactly once. Job locks are kept alive with UpdateJobTimeout.
 */
import { bpmn, flow } from '../support/bpmn-xml';
import { eventually } from '../support/eventually';
import { startInboxHarness, type InboxHarness } from '../support/inbox-harness';
import { StaleTaskError, USER_TASK_JOB_TYPE } from '../../src/tasks';

const userTask = (id: string, formKey: string, groups: string) =>
  `<bpmn:userTask id="${id}" name="${id}"><bpmn:extensionElements><zeebe:formDefinition formKey="${formKey}" /><zeebe:assignmentDefinition candidateGroups="${groups}" /></bpmn:extensionElements></bpmn:userTask>`;

const PROCESS = bpmn(
  'two-nodes',
  [
    '<bpmn:startEvent id="start" />',
    userTask('review', 'procurement-document-check', 'sua-officer'),
    userTask('approve', 'procurement-award-approval', 'sua-manager'),
    '<bpmn:endEvent id="end" />',
    flow('f1', 'start', 'review'),
    flow('f2', 'review', 'approve'),
    flow('f3', 'approve', 'end'),
  ].join('\n'),
);

const N = 10;

describe('two product processes, one database and engine', () => {
  let h: InboxHarness;

  beforeAll(async () => {
    // Short locks so that this test sees them extended several times.
    h = await startInboxHarness({
      nodes: 2,
      worker: { activationTimeoutMs: 1500, jobTimeoutMs: 3000, probeEveryMs: 400 },
    });
    for (const tenantId of ['039', '100']) {
      await h.zbc.deployResource({
        name: 'two.bpmn',
        process: Buffer.from(PROCESS),
        tenantId,
      } as never);
    }
  });
  afterAll(() => h.stop());

  test('every task exactly once, every completion exactly once', async () => {
    const keys: { pik: string; tenantId: string }[] = [];
    for (let i = 0; i < N; i++) {
      const tenantId = i % 2 ? '100' : '039';
      const comuneIstat = tenantId === '039' ? '039010' : '100005';
      const r = await h.zbc.createProcessInstance({
        bpmnProcessId: 'two-nodes',
        tenantId,
        variables: { comuneIstat, subject: `Richiesta ${i}` },
      } as never);
      keys.push({ pik: String(r.processInstanceKey), tenantId });
    }
    const [a, b] = h.nodes;
    // Each task shows up in both processes' lists (the feed carries the other's changes).
    for (const node of [a, b]) {
      await eventually(
        () =>
          keys.every(({ pik, tenantId }) =>
            node.inbox.index.tasksOfInstance(tenantId, pik).some((t) => t.elementId === 'review'),
          ),
        'all review tasks in both inboxes',
        30_000,
      );
    }
    const reviewIds = keys.map(
      ({ pik, tenantId }) =>
        a.inbox.index.tasksOfInstance(tenantId, pik).find((t) => t.elementId === 'review')!.id,
    );
    expect(new Set(reviewIds).size).toBe(N);
    const db = h.engine.db.connection.db!;
    // Every stored current task, in whichever of the inbox's collections it lives.
    const stored = (
      await Promise.all(
        a.inbox.tasks.shardNames().map((name) => db.collection(name).find({}).toArray()),
      )
    ).flat();
    const reviews = stored.filter((t) => t.elementId === 'review');
    expect(reviews).toHaveLength(N);
    const creations = (await db.collection('inbox_tasks_versions').find({}).toArray()).filter(
      (v) => v.version === 1 && reviewIds.includes(v.id),
    );
    expect(creations).toHaveLength(N);

    // Both processes complete: half each; a second completion of the same version is refused.
    let refused = 0;
    await Promise.all(
      keys.map(async ({ tenantId }, i) => {
        const user = tenantId === '039' ? 'istruttore.ra' : 'istruttore.po';
        const actor = h.actor(tenantId, user);
        const node = i % 4 < 2 ? a : b;
        const other = node === a ? b : a;
        const id = reviewIds[i];
        const claimed = await node.inbox.claim(actor, id);
        const results = await Promise.allSettled([
          node.inbox.complete(actor, id, { documentsComplete: true }, claimed.version),
          other.inbox.complete(actor, id, { documentsComplete: true }, claimed.version),
        ]);
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        const failure = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
        expect(failure.reason).toBeInstanceOf(StaleTaskError);
        refused++;
      }),
    );
    expect(refused).toBe(N);
    // Every instance moved on once: one approve task each, seen by both processes.
    for (const node of [a, b]) {
      await eventually(
        () =>
          keys.every(
            ({ pik, tenantId }) =>
              node.inbox.index
                .tasksOfInstance(tenantId, pik)
                .filter((t) => t.elementId === 'approve').length === 1,
          ),
        'one approve task per instance',
        30_000,
      );
    }
    const audit = await db.collection('auditTrail').find({ action: 'task.completed' }).toArray();
    for (const id of reviewIds)
      expect(audit.filter((e) => e.details.taskId === id)).toHaveLength(1);
    // The engine completed each review once (its history is written a moment later).
    const completedReviews = await eventually(async () => {
      const history = await db
        .collection('history_element_instances')
        .find({ elementId: 'review' })
        .toArray();
      const done = history.filter(
        (e) => e.state === 'COMPLETED' && keys.some((k) => k.pik === e.processInstanceKey),
      );
      return done.length >= N ? done : undefined;
    }, 'the engine history of the reviews');
    expect(completedReviews).toHaveLength(N);
  });

  test('the locks of open tasks are kept: no job is handed out again while its task is open', async () => {
    const r = await h.zbc.createProcessInstance({
      bpmnProcessId: 'two-nodes',
      tenantId: '039',
      variables: { comuneIstat: '039012', subject: 'Lock' },
    } as never);
    const pik = String(r.processInstanceKey);
    const row = await eventually(
      () => h.nodes[0].inbox.index.tasksOfInstance('039', pik)[0],
      'the task',
    );
    // Longer than the activation lock and twice the extended one.
    const until = Date.now() + 6500;
    while (Date.now() < until) {
      const jobs = await h.zbc.activateJobs({
        type: USER_TASK_JOB_TYPE,
        worker: 'intruder',
        maxJobsToActivate: 100,
        timeout: 1000,
        requestTimeout: -1,
        tenantIds: ['039'],
      } as never);
      expect(jobs.map((j) => String(j.key))).not.toContain(row.id);
      await new Promise((res) => setTimeout(res, 250));
    }
    const versions = await h.engine.db.connection
      .db!.collection('inbox_tasks_versions')
      .find({})
      .toArray();
    expect(versions.filter((v) => v.id === row.id)).toHaveLength(1);
  });
});
