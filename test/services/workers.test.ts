/**
 * The service workers' handlers, called as the runtime calls them, on a real
 * database and a real SMTP server; outside systems through their simulators.
 */
import { openTestDatabase, type TestDatabase } from '../support/database';
import { createAuditTrail } from '../../src/audit';
import { createDocumentStore } from '../../src/documents';
import { SIMULATED_OPERATORS } from '../../src/workers/adapters';
import { runAudited } from '../../src/workers/common/audited';
import type { ServiceContext } from '../../src/workers/context';
import { SERVICE_HANDLERS } from '../../src/workers/service-workers';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink';
import { makeContext, makeJob } from './support/service-context';

let db: TestDatabase;
let smtp: SmtpSink;
let ctx: ServiceContext;

beforeAll(async () => {
  db = await openTestDatabase('workers');
  smtp = await startSmtpSink();
  ctx = makeContext(db.connection, smtp.port, {
    failingVatNumbers: [SIMULATED_OPERATORS[11].vatNumber],
  });
});

afterAll(async () => {
  ctx.mailer.close();
  await smtp.close();
  await db.close();
});

const run = (type: string, job: ReturnType<typeof makeJob>) =>
  runAudited(SERVICE_HANDLERS[type], job, ctx);

const request = {
  comuneIstat: '039010',
  contractType: 'works',
  subject: 'Riqualificazione della piazza',
  amount: 600000,
  cpv: '45233140-2',
  awardCriterion: 'lowestPrice',
  determinaNumber: '45/2026',
  determinaDate: '2026-11-02',
  rupName: 'Franco Marini',
  rupEmail: 'rup@demo.comune.faenza.ra.it',
  caseNumber: 'SUA-039-2026-000001',
  cig: 'B123456789',
};

describe('idempotent side effects', () => {
  it('a notification job delivered twice sends one e-mail and writes one audit entry', async () => {
    const job = makeJob(
      'notification.send',
      { ...request, missingDocuments: 'Quadro economico' },
      {
        headers: { template: 'richiesta-integrazione', recipients: 'comune' },
        processInstanceKey: 'pi-notify-1',
      },
    );
    await run('notification.send', job);
    await run('notification.send', { ...job });
    const mail = await smtp.waitFor((m) => m.subject.includes('Richiesta di integrazione'));
    expect(mail.to).toEqual(
      expect.arrayContaining(['protocollo@comune.faenza.ra.it', 'rup@demo.comune.faenza.ra.it']),
    );
    expect(mail.text).toContain('Quadro economico');
    expect(
      smtp.messages.filter((m) => m.subject.includes('Richiesta di integrazione')),
    ).toHaveLength(1);
    const fascicolo = await createAuditTrail(db.connection).fascicolo('039', 'pi-notify-1');
    expect(fascicolo).toHaveLength(1);
    expect(fascicolo[0]).toMatchObject({
      action: 'notification.send',
      actor: 'system:notification.send',
    });
  });

  it('a document job delivered twice creates one document', async () => {
    const vars = {
      ...request,
      procedure: {
        procedureType: 'negotiated',
        standStill: false,
        legalBasis: 'D.Lgs. 36/2023 art. 50 c.1 lett. c)',
      },
      awardProposal: {
        operatorName: 'Edil Romagna srl',
        vatNumber: '01234560033',
        amount: 540000,
        rebatePercent: 10,
      },
      awardActNumber: '12/2026',
      awardActDate: '2026-11-20',
    };
    const job = makeJob('document.generate', vars, {
      headers: { template: 'determina-aggiudicazione', resultVariable: 'awardActDocument' },
      processInstanceKey: 'pi-doc-1',
    });
    const first = await run('document.generate', job);
    const second = await run('document.generate', { ...job });
    expect(second).toEqual(first);
    const docs = await createDocumentStore(db.connection).listForInstance('039', 'pi-doc-1');
    expect(docs).toHaveLength(1);
    const doc = await createDocumentStore(db.connection).get(
      '039',
      (first.awardActDocument as { documentId: string }).documentId,
    );
    expect(doc?.content).toContain('Edil Romagna srl');
    expect(doc?.content).toContain('540.000,00');
    expect(doc?.content).toContain('art. 55 c.2');
  });

  it('a province overrides an e-mail template without code (Prato) while Ravenna keeps the default', async () => {
    const headers = { template: 'gara-deserta', recipients: 'comune' };
    await run('notification.send', makeJob('notification.send', request, { headers }));
    await run(
      'notification.send',
      makeJob(
        'notification.send',
        { ...request, comuneIstat: '100003', caseNumber: 'SUA-100-2026-000009' },
        { headers, tenantId: '100' },
      ),
    );
    const prato = await smtp.waitFor((m) => m.subject.startsWith('[Provincia di Prato]'));
    expect(prato.to).toContain('protocollo@comune.montemurlo.po.it');
    const ravenna = await smtp.waitFor(
      (m) => m.subject === 'Procedura deserta - pratica SUA-039-2026-000001',
    );
    expect(ravenna.text).toContain('Stazione Unica Appaltante - Provincia di Ravenna');
  });
});

describe('procurement handlers', () => {
  it('opens the case with the province thresholds: Prato overrides direct award for works', async () => {
    const ra = await run('procurement.openCase', makeJob('procurement.openCase', request));
    const po = await run(
      'procurement.openCase',
      makeJob('procurement.openCase', { ...request, comuneIstat: '100005' }, { tenantId: '100' }),
    );
    expect((ra.thresholds as Record<string, number>).directAwardWorks).toBe(150000);
    expect((po.thresholds as Record<string, number>).directAwardWorks).toBe(100000);
    expect(ra).toMatchObject({ standStillDuration: 'P35D', comuneName: 'Faenza' });
    await expect(
      run(
        'procurement.openCase',
        makeJob('procurement.openCase', { ...request, comuneIstat: '100005' }),
      ),
    ).rejects.toThrow('is not one of the comuni of province 039');
  });

  it('selects 5 operators without the outgoing contractor, rotating invitations, and invites them once', async () => {
    const outgoing = SIMULATED_OPERATORS[0].vatNumber;
    const vars = {
      ...request,
      outgoingContractorVat: outgoing,
      procedure: { procedureType: 'negotiated', minOperators: 5 },
    };
    const job = makeJob('procurement.selectOperators', vars);
    const first = await run('procurement.selectOperators', job);
    const again = await run('procurement.selectOperators', { ...job });
    expect(again).toEqual(first);
    const invited = first.invitedOperators as { vatNumber: string; email: string }[];
    expect(invited).toHaveLength(5);
    expect(invited.map((o) => o.vatNumber)).not.toContain(outgoing);
    const next = await run(
      'procurement.selectOperators',
      makeJob('procurement.selectOperators', vars),
    );
    const nextVats = (next.invitedOperators as { vatNumber: string }[]).map((o) => o.vatNumber);
    expect(nextVats.filter((v) => invited.some((o) => o.vatNumber === v))).toHaveLength(0);

    const send = makeJob(
      'procurement.sendInvitations',
      { ...vars, invitedOperators: invited },
      {
        headers: { template: 'lettera-invito' },
        processInstanceKey: 'pi-invite',
      },
    );
    await run('procurement.sendInvitations', send);
    await run('procurement.sendInvitations', { ...send });
    for (const o of invited)
      await smtp.waitFor((m) => m.to.includes(o.email), `invitation to ${o.email}`);
    const letters = smtp.messages.filter(
      (m) => m.subject.startsWith("Lettera d'invito") || m.subject.startsWith('Lettera d’invito'),
    );
    expect(letters).toHaveLength(5);
    expect(
      await createDocumentStore(db.connection).listForInstance('039', 'pi-invite'),
    ).toHaveLength(5);
  });

  it('flags anomalous offers and proposes the award by best price-quality with the rebate', async () => {
    const offers = SIMULATED_OPERATORS.slice(1, 6).map((o, i) => ({
      operatorName: o.name,
      vatNumber: o.vatNumber,
      email: o.email,
      amount: [560000, 550000, 570000, 565000, 380000][i],
    }));
    const anomalies = await run(
      'procurement.checkAnomalousOffers',
      makeJob('procurement.checkAnomalousOffers', { ...request, offers }),
    );
    expect(anomalies).toEqual({ anomalousOffers: [offers[4].vatNumber], hasAnomalousOffers: true });

    const technicalScores = offers.map((o, i) => ({
      vatNumber: o.vatNumber,
      score: [60, 90, 70, 50, 40][i],
    }));
    const proposal = await run(
      'procurement.proposeAward',
      makeJob(
        'procurement.proposeAward',
        {
          ...request,
          awardCriterion: 'bestPriceQuality',
          offers,
          technicalScores,
          excludedOperators: [offers[4].vatNumber],
          procedure: { procedureType: 'negotiated' },
        },
        { headers: { template: 'verbale-gara' } },
      ),
    );
    expect(proposal.awardProposal).toMatchObject({
      vatNumber: offers[1].vatNumber,
      amount: 550000,
      rebatePercent: 8.33,
    });
    expect((proposal.ranking as unknown[]).length).toBe(4);
  });

  it('checks requirements through the FVOE simulator and records the indicators', async () => {
    const failing = SIMULATED_OPERATORS[11];
    const ko = await run(
      'procurement.checkRequirements',
      makeJob('procurement.checkRequirements', {
        awardProposal: { vatNumber: failing.vatNumber, operatorName: failing.name },
      }),
    );
    expect(ko.requirementsMet).toBe(false);
    const ok = await run(
      'procurement.checkRequirements',
      makeJob('procurement.checkRequirements', {
        awardProposal: { vatNumber: SIMULATED_OPERATORS[2].vatNumber },
      }),
    );
    expect(ok.requirementsMet).toBe(true);
    const indicators = await run(
      'procurement.recordIndicators',
      makeJob(
        'procurement.recordIndicators',
        {
          ...request,
          requestedAt: new Date(Date.now() - 10 * 86_400_000).toISOString(),
          awardProposal: { amount: 540000, rebatePercent: 10 },
          procedure: { procedureType: 'negotiated' },
        },
        { headers: { outcome: 'awarded' } },
      ),
    );
    expect(indicators.rebatePercent).toBe(10);
    expect(Number(indicators.durationDays)).toBeGreaterThanOrEqual(10);
    const stored = await db.connection
      .db!.collection('indicators')
      .find({ service: 'procurement' })
      .toArray();
    expect(stored[0]).toMatchObject({
      outcome: 'awarded',
      procedureType: 'negotiated',
      rebatePercent: 10,
    });
  });
});

describe('EU funding handlers', () => {
  it('computes reminder, escalation and deadline dates relative to the call deadline', async () => {
    const out = await run(
      'euFunding.openCase',
      makeJob('euFunding.openCase', {
        comuneIstat: '039014',
        callId: 'LIFE-2026',
        callDeadline: '2027-03-31T15:00:00Z',
      }),
    );
    expect(out).toMatchObject({
      callDeadlineAt: '2027-03-31T15:00:00.000Z',
      // 17:00 in Rome (CEST) on the deadline; ten calendar days earlier is 17:00 CET.
      submissionReminderAt: '2027-03-21T16:00:00.000Z',
      submissionEscalationAt: '2027-03-28T15:00:00.000Z',
      evaluationTimeout: 'P180D',
    });
  });

  it('scouts calls and e-mails the relevant ones to every comune once', async () => {
    const scouted = await run(
      'euFunding.scoutCalls',
      makeJob('euFunding.scoutCalls', {}, { tenantId: '100' }),
    );
    const calls = scouted.calls as { callId: string; daysToDeadline: number }[];
    expect(calls.length).toBeGreaterThan(2);
    const matches = calls.map((call) => ({
      call,
      relevance: 'high',
      notify: call.callId.startsWith('LIFE'),
    }));
    const job = makeJob(
      'euFunding.notifyMatches',
      { matches },
      { tenantId: '100', headers: { template: 'segnalazione-bandi' } },
    );
    const out = await run('euFunding.notifyMatches', job);
    await run('euFunding.notifyMatches', { ...job });
    expect(out.notifiedComuni).toHaveLength(5);
    const mail = await smtp.waitFor(
      (m) => m.subject === 'Bandi europei di interesse per il Comune di Vernio',
    );
    expect(mail.text).toContain('LIFE-2026-SAP-CLIMA');
    expect(
      smtp.messages.filter((m) => m.subject.startsWith('Bandi europei di interesse')),
    ).toHaveLength(5);
  });
});

describe('data request handlers', () => {
  it('anonymises personal data: identifiers removed, aggregated, small cells suppressed', async () => {
    const job = makeJob('dataRequest.extract', {
      datasetId: 'residenti-anagrafe',
      caseNumber: 'DATI-039-2026-000001',
      dpoDecision: 'anonymise',
      dpoAggregateBy: ['comune', 'classeEta'],
      outputFormat: 'both',
    });
    const out = await run('dataRequest.extract', job);
    const files = out.resultFiles as { documentId: string; format: string }[];
    expect(files.map((f) => f.format)).toEqual(['CSV', 'JSON']);
    const store = createDocumentStore(db.connection);
    const json = JSON.parse((await store.get('039', files[1].documentId))!.content) as Record<
      string,
      unknown
    >[];
    expect(Object.keys(json[0]).sort()).toEqual(['classeEta', 'comune', 'conteggio']);
    expect(json.every((r) => r.conteggio === null || Number(r.conteggio) >= 3)).toBe(true);
    const csv = (await store.get('039', files[0].documentId))!.content;
    expect(csv.split('\n')[0]).toBe('comune,classeEta,conteggio');
    expect(csv).not.toMatch(/Via Roma/);
  });

  it('builds DCAT-AP_IT metadata and publishes once', async () => {
    const vars = {
      datasetId: 'popolazione-eta',
      caseNumber: 'DATI-039-2026-000002',
      datasetTitle: 'Popolazione per età nei comuni della provincia',
      datasetDescription: 'Residenti per classe di età e sesso.',
      keywords: ['popolazione'],
      resultFiles: [{ documentId: 'abc', fileName: 'x.csv', format: 'CSV' }],
    };
    const meta = await run(
      'dataRequest.buildDcatMetadata',
      makeJob('dataRequest.buildDcatMetadata', vars),
    );
    const ref = meta.dcatMetadata as { documentId: string; identifier: string };
    const doc = JSON.parse(
      (await createDocumentStore(db.connection).get('039', ref.documentId))!.content,
    );
    expect(doc['@type']).toEqual(['dcat:Dataset', 'dcatapit:Dataset']);
    expect(doc['dct:publisher']['foaf:name']).toBe('Provincia di Ravenna');
    expect(doc['dcat:theme']['@id']).toBe(
      'http://publications.europa.eu/resource/authority/data-theme/SOCI',
    );
    expect(doc['dcat:distribution'][0]['dct:license']['@id']).toBe(
      'https://creativecommons.org/licenses/by/4.0/',
    );
    const publish = makeJob('dataRequest.publishOpenData', { ...vars, ...meta });
    await run('dataRequest.publishOpenData', publish);
    await run('dataRequest.publishOpenData', { ...publish });
    const published = await db.connection
      .db!.collection('openDataCatalogue')
      .find({ identifier: ref.identifier })
      .toArray();
    expect(published).toHaveLength(1);
  });
});
