/**
 * The inbox against the real engine and database: tasks appear from user-task jobs,
 * are worked and completed through the Zeebe client, and disappear as "annullata"
 * when the engine cancels them. Nothing is mocked.
 */
import { bpmn, flow } from '../support/bpmn-xml';
import { eventually } from '../support/eventually';
import { startInboxHarness, type InboxHarness } from '../support/inbox-harness';
import {
  StaleTaskError,
  TaskNotYoursError,
  TaskInputError,
  TaskNotFoundError,
} from '../../src/tasks';

const userTask = (id: string, name: string, formKey: string, groups: string) =>
  `<bpmn:userTask id="${id}" name="${name}"><bpmn:extensionElements><zeebe:formDefinition formKey="${formKey}" /><zeebe:assignmentDefinition candidateGroups="${groups}" /></bpmn:extensionElements></bpmn:userTask>`;

const PROCESS = bpmn(
  'inbox-flow',
  [
    '<bpmn:startEvent id="start" />',
    userTask(
      'review',
      'Verifica della documentazione',
      'procurement-document-check',
      'sua-officer',
    ),
    userTask('approve', 'Adozione della determina', 'procurement-award-approval', 'sua-manager'),
    '<bpmn:endEvent id="end" />',
    flow('f1', 'start', 'review'),
    flow('f2', 'review', 'approve'),
    flow('f3', 'approve', 'end'),
  ].join('\n'),
).replace(
  '<bpmn:process id="inbox-flow"',
  '<bpmn:process id="inbox-flow" name="Procedura di prova"',
);

const REQUEST = {
  comuneIstat: '039010',
  caseNumber: 'SUA-039-2026-0001',
  subject: 'Manutenzione straordinaria della scuola primaria',
  amount: 600000,
  contractType: 'works',
};

describe('inbox on the real engine', () => {
  let h: InboxHarness;

  beforeAll(async () => {
    h = await startInboxHarness({ worker: { probeEveryMs: 500, maxProbesPerSecond: 50 } });
    await h.zbc.deployResource({
      name: 'inbox-flow.bpmn',
      process: Buffer.from(PROCESS),
      tenantId: '039',
    } as never);
  });
  afterAll(() => h.stop());

  const start = async (variables: Record<string, unknown> = REQUEST) =>
    String(
      (
        await h.zbc.createProcessInstance({
          bpmnProcessId: 'inbox-flow',
          tenantId: '039',
          variables,
        } as never)
      ).processInstanceKey,
    );

  const taskOf = (pik: string, elementId: string) =>
    eventually(
      () =>
        h.nodes[0].inbox.index.tasksOfInstance('039', pik).find((t) => t.elementId === elementId),
      `task ${elementId} of ${pik}`,
    );

  test('a user-task job becomes one task with the headers, names, business data and working-day deadline', async () => {
    const pik = await start();
    const row = await taskOf(pik, 'review');
    const istruttore = h.actor('039', 'istruttore.ra');
    const task = await h.nodes[0].inbox.get(istruttore, row.id);
    expect(task).toMatchObject({
      tenantId: '039',
      comune: '039010',
      comuneName: 'Faenza',
      name: 'Verifica della documentazione',
      processName: 'Procedura di prova',
      formKey: 'procurement-document-check',
      candidateGroups: ['sua-officer'],
      state: 'open',
      caseNumber: 'SUA-039-2026-0001',
      subject: REQUEST.subject,
      priority: 50,
      version: 1,
    });
    // Only the variables the form shows are kept, not the whole process data.
    expect(Object.keys(task.context).sort()).toEqual([
      'amount',
      'caseNumber',
      'contractType',
      'subject',
    ]);
    // The istruttore finds it in "Del mio ufficio"; the dirigente does not.
    const office = h.nodes[0].inbox.list(istruttore, { view: 'office', q: 'scuola primaria' });
    expect(office.items.map((i) => i.id)).toContain(row.id);
    const dirigente = h.actor('039', 'dirigente.ra');
    await expect(h.nodes[0].inbox.get(dirigente, row.id)).rejects.toBeInstanceOf(TaskNotFoundError);
    // Another province never sees it.
    await expect(
      h.nodes[0].inbox.get(h.actor('100', 'istruttore.po'), row.id),
    ).rejects.toBeInstanceOf(TaskNotFoundError);
  });

  test('claim, a refused completion changes nothing, a valid one moves the process on', async () => {
    const pik = await start();
    const row = await taskOf(pik, 'review');
    const inbox = h.nodes[0].inbox;
    const istruttore = h.actor('039', 'istruttore.ra');
    const claimed = await inbox.claim(istruttore, row.id, 1);
    expect(claimed).toMatchObject({ assignee: 'istruttore.ra', version: 2 });
    expect(inbox.list(istruttore, { view: 'mine' }).items.map((i) => i.id)).toContain(row.id);

    const garbage = inbox.complete(istruttore, row.id, { garbage: true }, 2);
    await expect(garbage).rejects.toBeInstanceOf(TaskInputError);
    const err = (await garbage.catch((e: TaskInputError) => e)) as TaskInputError;
    expect(err.errors.map((e) => e.field)).toEqual(['documentsComplete', 'garbage']);
    // A missing conditional field, too.
    await expect(
      inbox.complete(istruttore, row.id, { documentsComplete: false }, 2),
    ).rejects.toMatchObject({
      errors: [
        expect.objectContaining({ field: 'missingDocuments', problem: 'campo obbligatorio' }),
      ],
    });
    expect((await inbox.get(istruttore, row.id)).state).toBe('open');
    expect((await inbox.get(istruttore, row.id)).version).toBe(2);

    await inbox.saveDraft(istruttore, row.id, { checkNotes: 'Quasi finito' });
    expect((await inbox.drafts.get(row.id, 'istruttore.ra'))?.values).toEqual({
      checkNotes: 'Quasi finito',
    });
    const done = await inbox.complete(
      istruttore,
      row.id,
      { documentsComplete: true, checkNotes: 'Completa' },
      2,
    );
    expect(done).toMatchObject({ state: 'completed', completedBy: 'istruttore.ra' });
    // The draft is gone only now that the engine acknowledged the completion.
    expect(await inbox.drafts.get(row.id, 'istruttore.ra')).toBeNull();
    // The process moved on: the next task is there, with the variables of the completion.
    const next = await taskOf(pik, 'approve');
    expect(next.candidateGroups).toEqual(['sua-manager']);
    const audit = await h.engine.db.connection
      .db!.collection('auditTrail')
      .find({ processInstanceKey: pik })
      .sort({ at: 1 })
      .toArray();
    expect(audit.filter((a) => a.details.taskId === row.id).map((a) => a.action)).toEqual([
      'task.created',
      'task.claimed',
      'task.completed',
    ]);
    const completed = audit.find((a) => a.action === 'task.completed')!;
    expect(completed.actor).toBe('istruttore.ra');
    expect(completed.details).toMatchObject({
      actorName: 'Giulia Verdi',
      variables: { documentsComplete: true },
    });
    expect(inbox.list(istruttore, { view: 'completed' }).items.map((i) => i.id)).toContain(row.id);
  });

  test('a stale tab is refused, naming who changed the task; only the assignee completes', async () => {
    const pik = await start();
    const row = await taskOf(pik, 'review');
    const inbox = h.nodes[0].inbox;
    const istruttore = h.actor('039', 'istruttore.ra');
    const dirigente = h.actor('039', 'dirigente.ra');
    await inbox.claim(istruttore, row.id, 1);
    await expect(
      inbox.complete(dirigente, row.id, { documentsComplete: true }, 2),
    ).rejects.toBeInstanceOf(TaskNotFoundError);
    // A manager with tasks.assign hands it to... the same office only: the dirigente is not eligible.
    const admin = h.actor('039', 'admin.ra');
    await expect(inbox.assign(admin, row.id, 'dirigente.ra')).rejects.toBeInstanceOf(
      TaskInputError,
    );
    await inbox.release(istruttore, row.id, 2);
    // The istruttore's first tab still says version 2.
    const stale = await inbox
      .complete(istruttore, row.id, { documentsComplete: true }, 2)
      .catch((e) => e);
    expect(stale).toBeInstanceOf(StaleTaskError);
    expect(stale).toMatchObject({
      currentVersion: 3,
      changedBy: 'istruttore.ra',
      changedByName: 'Giulia Verdi',
    });
    await inbox.assign(admin, row.id, 'istruttore.ra', 3);
    const afterAssign = await inbox
      .complete(istruttore, row.id, { documentsComplete: true }, 3)
      .catch((e) => e);
    expect(afterAssign).toMatchObject({
      changedBy: 'admin.ra',
      changedByName: 'Paola Bianchi',
      action: 'task.assigned',
    });
    const rup = h.actor('039', 'rup.faenza');
    await expect(inbox.claim(rup, row.id)).rejects.toBeInstanceOf(TaskNotFoundError);
    await expect(inbox.claim(h.actor('039', 'ospite.ra'), row.id)).rejects.toBeInstanceOf(
      TaskNotFoundError,
    );
  });

  test('a cancelled instance leaves the open lists and the task shows as annullata', async () => {
    const pik = await start();
    const row = await taskOf(pik, 'review');
    const istruttore = h.actor('039', 'istruttore.ra');
    await h.zbc.cancelProcessInstance(pik);
    await eventually(
      () => h.nodes[0].inbox.index.get(row.id)?.state === 'cancelled',
      'the task to be cancelled',
      20_000,
    );
    expect(
      h.nodes[0].inbox.list(istruttore, { view: 'office' }).items.map((i) => i.id),
    ).not.toContain(row.id);
    const task = await h.nodes[0].inbox.get(istruttore, row.id);
    expect(task).toMatchObject({ state: 'cancelled', cancelReason: 'jobGone' });
  });

  test('delegation with a mandatory reason goes owner → delegate → owner', async () => {
    const pik = await start();
    const row = await taskOf(pik, 'review');
    const inbox = h.nodes[0].inbox;
    const istruttore = h.actor('039', 'istruttore.ra');
    const dirigente = h.actor('039', 'dirigente.ra');
    await inbox.claim(istruttore, row.id);
    await expect(inbox.delegate(istruttore, row.id, 'dirigente.ra', '  ')).rejects.toMatchObject({
      errors: [expect.objectContaining({ field: 'reason', problem: 'reasonRequired' })],
    });
    const delegated = await inbox.delegate(
      istruttore,
      row.id,
      'dirigente.ra',
      'Serve il parere del dirigente',
    );
    expect(delegated).toMatchObject({
      assignee: 'dirigente.ra',
      delegation: { state: 'pending', owner: 'istruttore.ra' },
    });
    // The delegate sees it in "Le mie attività"; cannot complete it, resolves it back.
    expect(inbox.list(dirigente, { view: 'mine' }).items.map((i) => i.id)).toContain(row.id);
    await expect(
      inbox.complete(dirigente, row.id, { documentsComplete: true }, delegated.version),
    ).rejects.toBeInstanceOf(TaskNotYoursError);
    await inbox.saveDraft(dirigente, row.id, { checkNotes: 'Parere favorevole' });
    const resolved = await inbox.resolve(dirigente, row.id, delegated.version);
    expect(resolved).toMatchObject({
      assignee: 'istruttore.ra',
      delegation: { state: 'resolved' },
    });
    expect((await inbox.drafts.get(row.id, 'istruttore.ra'))?.values).toEqual({
      checkNotes: 'Parere favorevole',
    });
    const history = await inbox.history(istruttore, row.id);
    expect(history.map((v) => v.change.action)).toEqual([
      'task.created',
      'task.claimed',
      'task.delegated',
      'task.resolved',
    ]);
    expect(history[2].change.details).toMatchObject({ reason: 'Serve il parere del dirigente' });
  });

  test('substitutes: the stand-in works the absent colleague’s tasks, both names recorded', async () => {
    const pik = await start();
    const row = await taskOf(pik, 'review');
    const inbox = h.nodes[0].inbox;
    const istruttore = h.actor('039', 'istruttore.ra');
    const dati = h.actor('039', 'dati.ra');
    await inbox.claim(istruttore, row.id);
    await expect(inbox.get(dati, row.id)).rejects.toBeInstanceOf(TaskNotFoundError);
    const today = new Date().toISOString().slice(0, 10);
    const inAMonth = new Date(Date.now() + 30 * 86400_000).toISOString().slice(0, 10);
    await inbox.substitutes.add(
      '039',
      'istruttore.ra',
      { standIn: 'dati.ra', from: today, to: inAMonth },
      'istruttore.ra',
      new Date(),
    );
    const opened = await inbox.open(dati, row.id);
    expect(opened.onBehalfOf).toBe('istruttore.ra');
    expect(opened.abilities.complete).toBe(true);
    expect(inbox.list(dati, { view: 'mine' }).items.map((i) => i.id)).toContain(row.id);
    await inbox.complete(dati, row.id, { documentsComplete: true }, opened.task.version);
    const entry = await eventually(
      () =>
        h.engine.db.connection
          .db!.collection('auditTrail')
          .findOne({ processInstanceKey: pik, action: 'task.completed' }),
      'the completion audit',
    );
    expect(entry).toMatchObject({
      actor: 'dati.ra',
      details: {
        actorName: 'Andrea Conti',
        onBehalfOf: 'istruttore.ra',
        onBehalfOfName: 'Giulia Verdi',
      },
    });
    const rule = inbox.substitutes.rulesOf('039', 'istruttore.ra')[0];
    await inbox.substitutes.remove('039', 'istruttore.ra', rule.id, 'istruttore.ra', new Date());
  });
});
