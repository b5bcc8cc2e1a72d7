/**
 * The data service end to end: built-in engine + gateway, the real workers, real
 * database and SMTP server; staff (data officer, DPO) complete user tasks with forms.
 */
import { startE2E, type E2E } from './support/e2e-harness';

let e2e: E2E;
const dataRequests = (tenantId: string) =>
  e2e.config.provinces.get(tenantId)!.settings.dataRequests as Record<string, unknown>;

beforeAll(async () => {
  e2e = await startE2E();
}, 120_000);

afterAll(async () => {
  await e2e?.close();
});

const request = {
  comuneIstat: '039012',
  requesterName: 'Chiara Greco',
  requesterEmail: 'ufficio@demo.comune.lugo.ra.it',
  description: 'Servono i dati per il piano dei servizi sociali del prossimo triennio.',
  purpose: 'Programmazione dei servizi sociali comunali (compito di interesse pubblico).',
  legalBasis: 'publicTask',
  outputFormat: 'both',
};

const ended = (pi: string, elementId: string) => e2e.completed(pi, elementId);

it('open data at once: already open, delivered without review', async () => {
  const pi = await e2e.start('data-request', '039', {
    ...request,
    datasetId: 'popolazione-eta',
    elaboration: 'none',
  });
  const mail = await e2e.mail(
    pi,
    (m) =>
      m.subject.startsWith('Dati richiesti disponibili') &&
      m.text.includes('Popolazione residente'),
  );
  expect(mail.to).toEqual(['ufficio@demo.comune.lugo.ra.it']);
  expect(mail.text).toMatch(/CSV: http:\/\/127\.0\.0\.1:3000\/documenti\/[0-9a-f-]{36}/);
  expect(mail.text).toMatch(/JSON: /);
  await ended(pi, 'requestCompleted');
  const ind = await e2e.db.connection
    .db!.collection('indicators')
    .findOne({ processInstanceKey: pi });
  expect(ind).toMatchObject({ outcome: 'delivered', publishedAsOpenData: false, slaMet: true });
});

it('personal data rejected by the DPO: the requester is told why', async () => {
  const pi = await e2e.start('data-request', '039', {
    ...request,
    datasetId: 'residenti-anagrafe',
    elaboration: 'none',
  });
  const review = await e2e.userTask(pi, 'dpoReview');
  expect(review.candidateGroups).toContain('dpo');
  await e2e.submit(review, {
    dpoDecision: 'reject',
    dpoMotivation:
      'Dati individuali non necessari per la finalità dichiarata (GDPR art. 5 par. 1 lett. c).',
  });
  const mail = await e2e.mail(
    pi,
    (m) => m.subject.includes('non accolta') && m.text.includes('art. 5'),
  );
  expect(mail.to).toEqual(['ufficio@demo.comune.lugo.ra.it']);
  await ended(pi, 'requestRejected');
  const ind = await e2e.db.connection
    .db!.collection('indicators')
    .findOne({ processInstanceKey: pi });
  expect(ind).toMatchObject({ outcome: 'rejected' });
  expect(String(ind?.refusalReason)).toContain('art. 5');
});

it('anonymised and published as open data with DCAT-AP_IT metadata', async () => {
  const pi = await e2e.start('data-request', '039', {
    ...request,
    datasetId: 'residenti-anagrafe',
    elaboration: 'aggregate',
    aggregateBy: ['comune', 'classeEta'],
  });
  await e2e.submit(await e2e.userTask(pi, 'dpoReview'), {
    dpoDecision: 'anonymise',
    dpoMotivation: 'Ammesso solo in forma aggregata per comune e classe di età (GDPR art. 89).',
    dpoAggregateBy: ['comune', 'classeEta'],
  });
  const quality = await e2e.userTask(pi, 'qualityReview');
  expect(quality.variables.anonymised).toBe(true);
  await e2e.submit(quality, {
    qualityApproved: true,
    publishOpenData: true,
    datasetTitle: 'Residenti per comune e classe di età (aggregato)',
    datasetDescription: 'Conteggi aggregati dei residenti, celle inferiori a 3 oscurate.',
    keywords: ['popolazione', 'anagrafe'],
  });
  await ended(pi, 'requestCompleted');
  const published = await e2e.db.connection
    .db!.collection('openDataCatalogue')
    .findOne({ processInstanceKey: pi });
  interface Dcat {
    '@type': string[];
    'dct:title': { '@value': string };
    'dcat:distribution': { 'dct:format': { '@id': string } }[];
  }
  const metadata = published?.metadata as Dcat;
  expect(metadata['@type']).toEqual(['dcat:Dataset', 'dcatapit:Dataset']);
  expect(metadata['dct:title']['@value']).toBe('Residenti per comune e classe di età (aggregato)');
  expect(metadata['dcat:distribution'].map((d) => d['dct:format']['@id'])).toEqual([
    'http://publications.europa.eu/resource/authority/file-type/CSV',
    'http://publications.europa.eu/resource/authority/file-type/JSON',
  ]);
  const mail = await e2e.mail(
    pi,
    (m) => m.subject.startsWith('Dati richiesti disponibili') && m.text.includes('anonimizzati'),
  );
  expect(mail.to).toEqual(['ufficio@demo.comune.lugo.ra.it']);
  const ind = await e2e.db.connection
    .db!.collection('indicators')
    .findOne({ processInstanceKey: pi });
  expect(ind).toMatchObject({ outcome: 'delivered', publishedAsOpenData: true });
});

it('service-level escalation: reminder, then escalation, while the request waits', async () => {
  const s = dataRequests('100');
  s.serviceLevel = 'PT4S';
  s.reminderBefore = 'PT2S';
  const pi = await e2e.start('data-request', '100', {
    ...request,
    comuneIstat: '100006',
    requesterEmail: 'ufficio@demo.comune.vaiano.po.it',
    datasetId: 'conteggi-traffico',
    elaboration: 'aggregate',
    aggregateBy: ['stazione', 'fasciaOraria'],
  });
  const quality = await e2e.userTask(pi, 'qualityReview');
  const reminder = await e2e.mail(pi, (m) =>
    m.subject.startsWith('Promemoria - richiesta di dati DATI-100'),
  );
  expect(reminder.to).toEqual(['dati@demo.provincia.prato.it']);
  const escalation = await e2e.mail(pi, (m) =>
    m.subject.startsWith('Livello di servizio superato - richiesta di dati DATI-100'),
  );
  expect(escalation.to).toEqual(
    expect.arrayContaining(['admin@demo.provincia.prato.it', 'dati@demo.provincia.prato.it']),
  );
  await e2e.submit(quality, { qualityApproved: true, publishOpenData: false });
  await ended(pi, 'requestCompleted');
  const ind = await e2e.db.connection
    .db!.collection('indicators')
    .findOne({ processInstanceKey: pi });
  expect(ind).toMatchObject({ outcome: 'delivered', slaMet: false });
});
