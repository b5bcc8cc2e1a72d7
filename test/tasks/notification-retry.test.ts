/**
 * The SMTP relay is down when a task is assigned: the instant e-mail is not lost. It is
 * logged as failed, kept, and sent by the next notification scan once the relay is back
 * — once, even when scans run again.
 */
import { findFreePort } from '../../src/db';
import { createMailer } from '../../src/workers/notifications/mailer';
import { TaskNotifier } from '../../src/tasks';
import { bpmn, flow } from '../support/bpmn-xml';
import { eventually } from '../support/eventually';
import { startInboxHarness, type InboxHarness } from '../support/inbox-harness';
import { startSmtpSink, type SmtpSink } from '../services/support/smtp-sink';

const PROCESS = bpmn(
  'notify-retry',
  [
    '<bpmn:startEvent id="start" />',
    `<bpmn:userTask id="check" name="Verifica della documentazione"><bpmn:extensionElements><zeebe:formDefinition formKey="procurement-document-check" /><zeebe:assignmentDefinition candidateGroups="sua-officer" /></bpmn:extensionElements></bpmn:userTask>`,
    '<bpmn:endEvent id="end" />',
    flow('f1', 'start', 'check'),
    flow('f2', 'check', 'end'),
  ].join('\n'),
);

describe('inbox e-mails while the SMTP relay is down', () => {
  let h: InboxHarness;
  let smtp: SmtpSink | undefined;
  let notifier: TaskNotifier;
  let port = 0;
  let taskId = '';

  beforeAll(async () => {
    // A port nobody listens on yet: the relay is down.
    port = await findFreePort();
    h = await startInboxHarness({ nodes: 1, worker: { maxProbesPerSecond: 0 } });
    notifier = new TaskNotifier({
      connection: h.engine.db.connection,
      inbox: h.nodes[0].inbox,
      directory: h.nodes[0].inbox.deps.directory,
      mailer: createMailer({
        from: 'Province & Comuni <noreply@test.local>',
        smtp: { host: '127.0.0.1', port },
      }),
      publicUrl: 'https://servizi.provincia.example.it',
    });
    await h.zbc.deployResource({
      name: 'notify-retry.bpmn',
      process: Buffer.from(PROCESS),
      tenantId: '039',
    } as never);
  });
  afterAll(async () => {
    await h?.stop();
    await smtp?.close();
  });

  const entries = () =>
    h.engine.db.connection
      .db!.collection('notifications')
      .find({ key: { $regex: `^inbox:${taskId}:` } })
      .toArray();

  test('an assignment e-mail that failed is sent by the next scan once the relay is back, once', async () => {
    const r = await h.zbc.createProcessInstance({
      bpmnProcessId: 'notify-retry',
      tenantId: '039',
      variables: {
        comuneIstat: '039010',
        subject: 'Mensa scolastica',
        caseNumber: 'SUA-039-2026-0091',
      },
    } as never);
    const pik = String(r.processInstanceKey);
    const row = await eventually(
      () => h.nodes[0].inbox.index.tasksOfInstance('039', pik)[0],
      'the task',
    );
    taskId = row.id;
    await h.nodes[0].inbox.assign(h.actor('039', 'admin.ra'), row.id, 'istruttore.ra');

    // The relay refuses the connection: both instant e-mails (arrival in the office, then
    // the assignment) are logged as failed and kept for the scans.
    const failed = await eventually(async () => {
      const log = await entries();
      return log.length === 2 &&
        log.every((e) => e.status === 'failed') &&
        notifier.pendingInstant === 2
        ? log
        : undefined;
    }, 'the two failed e-mails in the log');
    expect(failed.map((e) => e.template).sort()).toEqual([
      'attivita-assegnata',
      'attivita-ufficio',
    ]);
    expect(failed[0].error).toMatch(/ECONNREFUSED/);

    // Still down at the next scan: still kept, not sent.
    await expect(notifier.scan()).rejects.toThrow(/ECONNREFUSED/);
    expect(notifier.pendingInstant).toBe(2);

    // The relay is back: the next scan sends both, the log says sent; later scans send nothing.
    smtp = await startSmtpSink(port);
    expect((await notifier.scan()).instant).toBe(2);
    const mail = await smtp.waitFor((m) => /assegnata a te/.test(m.subject), 'assignment mail');
    expect(mail.to).toEqual(['sua@demo.provincia.ra.it']);
    expect(mail.text).toContain('Paola Bianchi ti ha assegnato');
    expect(mail.text).toContain(`https://servizi.provincia.example.it/attivita/${row.id}`);
    await smtp.waitFor((m) => /tuo ufficio/.test(m.subject), 'office mail');
    expect((await notifier.scan()).instant).toBe(0);
    const log = await entries();
    expect(log).toHaveLength(2);
    for (const e of log) {
      expect(e.status).toBe('sent');
      expect(e.attempts).toBeGreaterThanOrEqual(2);
    }
    expect(smtp.messages).toHaveLength(2);
    expect(notifier.pendingInstant).toBe(0);
  });
});
