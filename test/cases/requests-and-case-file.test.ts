/**
 * A comune's request through the start form, on the real procurement process with the
 * real service workers: the case file shows its summary, the timeline from the audit
 * trail with names and times, attachments, tasks and the current activity; people of
 * another comune or province get 404 for the case, its attachments and documents.
 */
import { createAuditTrail } from '../../src/audit';
import { CaseFiles, createEngineHistory, Requests } from '../../src/cases';
import { createDocumentStore } from '../../src/documents';
import { createProcessCatalog, TaskInputError, TaskNotFoundError } from '../../src/tasks';
import { deployServiceProcesses } from '../../src/workers/demo/deploy-processes';
import { createWorkerRegistry, type WorkerRegistry } from '../../src/workers/runtime';
import { createServiceContext, registerServiceWorkers } from '../../src/workers';
import { createMailer } from '../../src/workers/notifications/mailer';
import { eventually } from '../support/eventually';
import { startInboxHarness, type InboxHarness } from '../support/inbox-harness';
import { startSmtpSink, type SmtpSink } from '../services/support/smtp-sink';

const REQUEST = {
  contractType: 'services',
  subject: 'Servizio di manutenzione del verde pubblico',
  amount: 180000,
  cpv: '77310000-6',
  awardCriterion: 'lowestPrice',
  determinaNumber: '101/2026',
  determinaDate: '2026-11-03',
  rupName: 'Franco Marini',
  rupCodiceFiscale: 'RSSMRA80A01H501U',
  rupEmail: 'rup@demo.comune.faenza.ra.it',
  fundingSource: 'ownFunds',
  documents: ['determina.pdf'],
};
const PDF = Buffer.from('%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<<>>\n%%EOF\n');

describe('requests and case files', () => {
  let h: InboxHarness;
  let smtp: SmtpSink;
  let workers: WorkerRegistry;
  let requests: Requests;
  let cases: CaseFiles;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    h = await startInboxHarness({ worker: { maxProbesPerSecond: 5 } });
    const connection = h.engine.db.connection;
    const inbox = h.nodes[0].inbox;
    workers = createWorkerRegistry({
      gatewayAddress: h.engine.address,
      longPollMs: 2000,
      tenantIds: ['039', '100'],
    });
    registerServiceWorkers(
      workers,
      createServiceContext({
        connection,
        config: h.config,
        mailer: createMailer({
          from: 'SUA <sua@test.local>',
          smtp: { host: '127.0.0.1', port: smtp.port },
        }),
      }),
    );
    workers.start();
    await deployServiceProcesses(h.zbc, '039', ['procurement']);
    await deployServiceProcesses(h.zbc, '100', ['procurement']);
    const audit = createAuditTrail(connection);
    requests = new Requests({
      connection,
      config: h.config,
      forms: h.forms,
      zeebe: h.zbc,
      audit,
      inbox,
      feed: inbox.feed,
    });
    await requests.load();
    cases = new CaseFiles({
      config: h.config,
      inbox,
      requests,
      history: createEngineHistory({ restUrl: h.rest.url }),
      catalog: createProcessCatalog({ restUrl: h.rest.url }),
      documents: createDocumentStore(connection),
      audit,
      directory: inbox.deps.directory,
    });
  }, 120_000);
  afterAll(async () => {
    await workers.stop();
    await h.stop();
    await smtp.close();
  });

  test('a comune RUP starts a procurement request for their comune only', async () => {
    const rup = h.actor('039', 'rup.faenza');
    expect((await requests.typesFor(rup)).map((t) => t.process)).toEqual([
      'procurement',
      'eu-funding',
      'data-request',
    ]);
    // Another comune in the data: refused, nothing started.
    await expect(
      requests.start(rup, 'procurement', { ...REQUEST, comuneIstat: '039012' }),
    ).rejects.toMatchObject({
      errors: [expect.objectContaining({ field: 'comuneIstat' })],
    });
    const invalid = await requests
      .start(rup, 'procurement', { ...REQUEST, cpv: 'x' })
      .catch((e) => e);
    expect(invalid).toBeInstanceOf(TaskInputError);
    expect(invalid.errors.map((e: { field: string }) => e.field)).toEqual(['cpv']);
    expect(requests.mine(rup)).toHaveLength(0);
    // The istruttore (province staff) cannot start requests.
    await expect(
      requests.start(h.actor('039', 'istruttore.ra'), 'procurement', REQUEST),
    ).rejects.toThrow(/requests.start/);

    const record = await requests.start(rup, 'procurement', REQUEST, [
      { field: 'documents', fileName: 'determina.pdf', content: PDF },
    ]);
    expect(record).toMatchObject({
      comune: '039010',
      requestedBy: 'rup.faenza',
      bpmnProcessId: 'procurement',
    });
    expect(requests.mine(rup).map((r) => r.processInstanceKey)).toEqual([
      record.processInstanceKey,
    ]);
    expect(requests.mine(h.actor('039', 'ufficio.lugo'))).toHaveLength(0);

    // The SUA's document check arrives, with the case number the openCase worker gave it.
    const inbox = h.nodes[0].inbox;
    const row = await eventually(
      () =>
        inbox.index
          .tasksOfInstance('039', record.processInstanceKey)
          .find((t) => t.elementId === 'checkDocuments'),
      'the document check',
      30_000,
    );
    expect(row.caseNumber).toMatch(/^SUA-039-/);
    const istruttore = h.actor('039', 'istruttore.ra');
    const claimed = await inbox.claim(istruttore, row.id);
    await inbox.comment(istruttore, row.id, 'Verificata la determina a contrarre');
    await inbox.complete(
      istruttore,
      row.id,
      { documentsComplete: true, checkNotes: 'Documentazione completa' },
      claimed.version,
    );

    const file = await eventually(
      async () => {
        const f = await cases.load(istruttore, record.processInstanceKey);
        return f.doneTasks.length === 1 && f.completedElements.includes('checkDocuments')
          ? f
          : undefined;
      },
      'the case file after the check',
      30_000,
    );
    expect(file).toMatchObject({
      comune: '039010',
      comuneName: 'Faenza',
      processName: 'Stazione Unica Appaltante - Procedura di affidamento',
      subject: REQUEST.subject,
      state: 'ACTIVE',
    });
    expect(file.summary).toEqual(
      expect.arrayContaining([
        { label: 'Oggetto', value: REQUEST.subject, type: undefined },
        { label: 'Importo', value: 180000, type: 'currency' },
      ]),
    );
    const steps = file.timeline.map((e) => [e.action, e.actorName]);
    expect(steps).toEqual(
      expect.arrayContaining([
        ['request.started', 'Franco Marini'],
        ['request.attached', 'Franco Marini'],
        ['task.claimed', 'Giulia Verdi'],
        ['task.commented', 'Giulia Verdi'],
        ['task.completed', 'Giulia Verdi'],
      ]),
    );
    expect(file.timeline.every((e) => e.at instanceof Date)).toBe(true);
    expect(file.attachments.map((a) => a.fileName)).toEqual(['determina.pdf']);
    expect(file.comments.map((c) => c.text)).toEqual(['Verificata la determina a contrarre']);
    // The diagram: the process has moved past the check.
    const diagram = await cases.diagram(istruttore, record.processInstanceKey);
    expect(diagram.xml).toContain('bpmn:definitions');
    expect(diagram.completed).toContain('checkDocuments');
    expect(diagram.active).not.toContain('checkDocuments');

    // The requesting comune sees its case; another comune and another province get 404.
    await expect(cases.load(rup, record.processInstanceKey)).resolves.toMatchObject({
      comune: '039010',
    });
    const attachmentId = file.attachments[0].id;
    await expect(cases.attachment(rup, attachmentId)).resolves.toMatchObject({
      fileName: 'determina.pdf',
    });
    for (const [tenant, user] of [
      ['039', 'ufficio.lugo'],
      ['100', 'istruttore.po'],
      ['100', 'rup.montemurlo'],
    ]) {
      const other = h.actor(tenant, user);
      await expect(cases.load(other, record.processInstanceKey)).rejects.toBeInstanceOf(
        TaskNotFoundError,
      );
      await expect(cases.attachment(other, attachmentId)).rejects.toBeInstanceOf(TaskNotFoundError);
      await expect(inbox.get(other, row.id)).rejects.toBeInstanceOf(TaskNotFoundError);
    }
    expect(await h.nodes[0].inbox.attachments.read('039', attachmentId)).toEqual(PDF);
  });

  test('attachments are checked by content: type allow-list and 20 MiB', async () => {
    const inbox = h.nodes[0].inbox;
    await expect(
      inbox.attachments.check(
        Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff'),
        'file',
      ),
    ).rejects.toMatchObject({
      errors: [expect.objectContaining({ field: 'file', key: 'inbox.input.fileTypeNotAllowed' })],
    });
    await expect(inbox.attachments.check(Buffer.from('just text'), 'file')).rejects.toMatchObject({
      errors: [expect.objectContaining({ key: 'inbox.input.fileTypeNotAllowed' })],
    });
    const big = Buffer.alloc(20 * 1024 * 1024 + 1);
    PDF.copy(big);
    await expect(inbox.attachments.check(big, 'file')).rejects.toMatchObject({
      errors: [expect.objectContaining({ key: 'inbox.input.fileTooLarge' })],
    });
    await expect(inbox.attachments.check(PDF)).resolves.toBe('application/pdf');
    const p7m = Buffer.from(
      '3080' + '06092a864886f70d010702' + 'a0803080020101' + '00'.repeat(20),
      'hex',
    );
    await expect(inbox.attachments.check(p7m)).resolves.toBe('application/pkcs7-mime');
    await expect(
      inbox.attachments.check(Buffer.from('<?xml version="1.0"?><fattura/>')),
    ).resolves.toBe('application/xml');
  });
});
