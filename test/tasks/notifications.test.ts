/**
 * Inbox e-mails through a real SMTP server: a task arriving in the office, an
 * assignment, the daily digest for who chose it, the reminder before the due day and
 * the escalation to the office head when overdue — each logged and sent once, even
 * with two app processes scanning.
 */
import { createMailer } from '../../src/workers/notifications/mailer';
import { TaskNotifier } from '../../src/tasks';
import { bpmn, flow } from '../support/bpmn-xml';
import { eventually } from '../support/eventually';
import { startInboxHarness, type InboxHarness } from '../support/inbox-harness';
import { startSmtpSink, type SmtpSink } from '../services/support/smtp-sink';

const PROCESS = bpmn(
  'notify',
  [
    '<bpmn:startEvent id="start" />',
    `<bpmn:userTask id="check" name="Verifica della documentazione"><bpmn:extensionElements><zeebe:formDefinition formKey="procurement-document-check" /><zeebe:assignmentDefinition candidateGroups="sua-officer" /><zeebe:taskSchedule dueDate="=dueAt" /></bpmn:extensionElements></bpmn:userTask>`,
    '<bpmn:endEvent id="end" />',
    flow('f1', 'start', 'check'),
    flow('f2', 'check', 'end'),
  ].join('\n'),
);

describe('inbox notifications', () => {
  let h: InboxHarness;
  let smtp: SmtpSink;
  // The inboxes' clock: Monday 23 November 2026, 09:00 in Rome.
  let clock = new Date('2026-11-23T08:00:00Z');
  const notifiers: TaskNotifier[] = [];

  beforeAll(async () => {
    smtp = await startSmtpSink();
    h = await startInboxHarness({ nodes: 2, now: () => clock, worker: { maxProbesPerSecond: 0 } });
    for (const node of h.nodes) {
      notifiers.push(
        new TaskNotifier({
          connection: h.engine.db.connection,
          inbox: node.inbox,
          directory: node.inbox.deps.directory,
          mailer: createMailer({
            from: 'Province & Comuni <noreply@test.local>',
            smtp: { host: '127.0.0.1', port: smtp.port },
          }),
          publicUrl: 'https://servizi.provincia.example.it',
        }),
      );
    }
    await h.zbc.deployResource({
      name: 'notify.bpmn',
      process: Buffer.from(PROCESS),
      tenantId: '039',
    } as never);
  });
  afterAll(async () => {
    await h.stop();
    await smtp.close();
  });

  const log = (key: string) =>
    h.engine.db.connection.db!.collection('notifications').find({ key }).toArray();

  test('office, assignment, digest, reminder and escalation: each e-mail once', async () => {
    const r = await h.zbc.createProcessInstance({
      bpmnProcessId: 'notify',
      tenantId: '039',
      // Due Thursday 26 November 2026 at 17:00 in Rome.
      variables: {
        comuneIstat: '039010',
        subject: 'Scuola di via Roma',
        caseNumber: 'SUA-039-2026-0077',
        dueAt: '2026-11-26T16:00:00Z',
      },
    } as never);
    const pik = String(r.processInstanceKey);
    const row = await eventually(
      () => h.nodes[0].inbox.index.tasksOfInstance('039', pik)[0],
      'the task',
    );

    // Arrived in the SUA office: the istruttore is told, with a link built on PUBLIC_URL.
    const office = await smtp.waitFor(
      (m) => m.to.includes('sua@demo.provincia.ra.it') && /tuo ufficio/.test(m.subject),
      'office mail',
    );
    expect(office.subject).toBe(
      'Nuova attività per il tuo ufficio: Verifica della documentazione - pratica SUA-039-2026-0077',
    );
    expect(office.text).toContain(`https://servizi.provincia.example.it/attivita/${row.id}`);

    // Assigned by the province administrator: an instant e-mail naming who assigned it.
    const admin = h.actor('039', 'admin.ra');
    await h.nodes[0].inbox.assign(admin, row.id, 'istruttore.ra');
    const assigned = await smtp.waitFor((m) => /assegnata a te/.test(m.subject), 'assignment mail');
    expect(assigned.text).toContain('Paola Bianchi ti ha assegnato');

    // The istruttore chooses the daily digest: at 08:00 in Rome one digest, once.
    await notifiers[0].prefs.set('039', 'istruttore.ra', 'digest');
    clock = new Date('2026-11-24T07:30:00Z');
    const scans = await Promise.all(notifiers.map((n) => n.scan()));
    expect(scans.reduce((sum, s) => sum + s.digests, 0)).toBe(1);
    const digest = await smtp.waitFor((m) => /Le tue attività del/.test(m.subject), 'digest');
    expect(digest.text).toContain('Assegnate a te: 1.');
    expect(await log('inbox:digest:039:istruttore.ra:2026-11-24')).toHaveLength(1);

    // Wednesday 25: one working day before the due day, a reminder to the assignee.
    clock = new Date('2026-11-25T08:00:00Z');
    const reminderScans = await Promise.all(notifiers.map((n) => n.scan()));
    expect(reminderScans.reduce((sum, s) => sum + s.reminders, 0)).toBe(1);
    await smtp.waitFor(
      (m) => /Promemoria/.test(m.subject) && m.to.includes('sua@demo.provincia.ra.it'),
      'reminder',
    );

    // Friday 27: overdue, escalated to the office head (sua-officer → sua-manager), once.
    clock = new Date('2026-11-27T08:00:00Z');
    const late = await Promise.all([...notifiers, ...notifiers].map((n) => n.scan()));
    expect(late.reduce((sum, s) => sum + s.escalations, 0)).toBe(1);
    const escalation = await smtp.waitFor((m) => /Attività scaduta/.test(m.subject), 'escalation');
    expect(escalation.to).toEqual(['dirigente@demo.provincia.ra.it']);
    expect(escalation.text).toContain('È assegnata a Giulia Verdi.');
    const entries = await h.engine.db.connection
      .db!.collection('notifications')
      .find({ tenantId: '039' })
      .toArray();
    const keys = entries.map((e) => e.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(entries.every((e) => e.status === 'sent')).toBe(true);
    expect(smtp.messages.filter((m) => /Attività scaduta/.test(m.subject))).toHaveLength(1);
  });
});
