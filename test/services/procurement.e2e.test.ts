/**
 * The Stazione Unica Appaltante process end to end: built-in engine + gateway, the
 * real workers, real database and SMTP server; staff complete user tasks with forms.
 */
import { createAuditTrail } from '../../src/audit';
import { SIMULATED_OPERATORS } from '../../src/workers/adapters';
import { startE2E, type E2E } from './support/e2e-harness';

let e2e: E2E;

beforeAll(async () => {
  e2e = await startE2E((config) => {
    for (const p of config.provinces.values()) {
      const s = p.settings.procurement as Record<string, unknown>;
      s.standStill = 'PT2S';
      s.integrationReminderAfter = 'PT1S';
      s.integrationEscalationAfter = 'PT2S';
    }
  });
}, 120_000);

afterAll(async () => {
  await e2e?.close();
});

const base = {
  comuneIstat: '039010',
  subject: 'Servizio di manutenzione del verde pubblico',
  cpv: '77310000-6',
  awardCriterion: 'lowestPrice',
  determinaNumber: '101/2026',
  determinaDate: '2026-11-03',
  rupName: 'Franco Marini',
  rupCodiceFiscale: 'RSSMRA80A01H501U',
  rupEmail: 'rup@demo.comune.faenza.ra.it',
  fundingSource: 'ownFunds',
};

const op = (i: number, amount: number) => ({
  operatorName: SIMULATED_OPERATORS[i].name,
  vatNumber: SIMULATED_OPERATORS[i].vatNumber,
  email: SIMULATED_OPERATORS[i].email,
  amount,
});

async function indicator(processInstanceKey: string) {
  await e2e.audited(processInstanceKey, 'procurement.recordIndicators');
  return e2e.db.connection.db!.collection('indicators').findOne({ processInstanceKey });
}

it('services € 90,000: direct award, no stand-still, contract handed over to the comune', async () => {
  const pi = await e2e.start('procurement', '039', {
    ...base,
    contractType: 'services',
    amount: 90000,
  });
  await e2e.submit(await e2e.userTask(pi, 'checkDocuments'), { documentsComplete: true });
  const choose = await e2e.userTask(pi, 'directAwardSelection');
  expect(choose.variables.procedure).toMatchObject({
    procedureType: 'directAward',
    standStill: false,
  });
  expect(String(choose.variables.cig)).toMatch(/^[0-9A-Z]{10}$/);
  await e2e.submit(choose, {
    operatorName: SIMULATED_OPERATORS[3].name,
    operatorVatNumber: SIMULATED_OPERATORS[3].vatNumber,
    operatorEmail: SIMULATED_OPERATORS[3].email,
    offeredAmount: 85500,
    choiceMotivation:
      'Esperienza pregressa documentata in servizi analoghi; non è il contraente uscente.',
  });
  await e2e.submit(await e2e.userTask(pi, 'approveAward'), {
    awardActNumber: '7/2026',
    awardActDate: '2026-11-20',
  });
  const handOver = await e2e.mail(
    pi,
    (m) => m.subject.startsWith('Trasmissione degli atti') && m.text.includes('85.500,00'),
  );
  expect(handOver.to).toContain('protocollo@comune.faenza.ra.it');
  const award = await e2e.mail(
    pi,
    (m) => m.subject.startsWith('Comunicazione di aggiudicazione') && m.text.includes('85.500,00'),
  );
  expect(award.text).not.toContain('35 giorni');
  const ind = await indicator(pi);
  expect(ind).toMatchObject({ outcome: 'awarded', procedureType: 'directAward', rebatePercent: 5 });
  // The fascicolo: one audit entry per automated step, in order.
  await e2e.audited(pi, 'notification.send', 2);
  const fascicolo = await createAuditTrail(e2e.db.connection).fascicolo('039', pi);
  expect(fascicolo.map((e) => e.elementId)).toEqual([
    'openCase',
    'requestCig',
    'proposeAward',
    'checkRequirements',
    'generateAwardAct',
    'notifyAward',
    'recordIndicators',
    'handOverContract',
  ]);
});

it('works € 600,000: negotiated procedure with 5 invitations, lowest price', async () => {
  const pi = await e2e.start('procurement', '039', {
    ...base,
    contractType: 'works',
    subject: 'Riqualificazione della piazza del mercato',
    cpv: '45233140-2',
    cup: 'J31B21001230006',
    amount: 600000,
    outgoingContractorVat: SIMULATED_OPERATORS[0].vatNumber,
  });
  await e2e.submit(await e2e.userTask(pi, 'checkDocuments'), { documentsComplete: true });
  const offersTask = await e2e.userTask(pi, 'openOffers');
  const invited = offersTask.variables.invitedOperators as { vatNumber: string; email: string }[];
  expect(invited).toHaveLength(5);
  expect(invited.map((o) => o.vatNumber)).not.toContain(SIMULATED_OPERATORS[0].vatNumber);
  for (const o of invited)
    await e2e.mail(
      pi,
      (m) => m.to.includes(o.email) && m.subject.includes('Riqualificazione della piazza'),
    );
  const byVat = (v: string) => SIMULATED_OPERATORS.findIndex((o) => o.vatNumber === v);
  await e2e.submit(offersTask, {
    offers: invited.slice(0, 3).map((o, i) => op(byVat(o.vatNumber), [560000, 548000, 571000][i])),
  });
  await e2e.submit(await e2e.userTask(pi, 'approveAward'), {
    awardActNumber: '8/2026',
    awardActDate: '2026-11-21',
  });
  const ind = await indicator(pi);
  expect(ind).toMatchObject({
    outcome: 'awarded',
    procedureType: 'negotiated',
    awardedAmount: 548000,
    rebatePercent: 8.67,
  });
});

it('works € 6,000,000: open procedure, board evaluation, stand-still before hand-over', async () => {
  const pi = await e2e.start('procurement', '039', {
    ...base,
    contractType: 'works',
    subject: 'Nuovo polo scolastico',
    cpv: '45214200-2',
    cup: 'J31B21001230006',
    amount: 6000000,
    awardCriterion: 'bestPriceQuality',
  });
  await e2e.submit(await e2e.userTask(pi, 'checkDocuments'), { documentsComplete: true });
  const offersTask = await e2e.userTask(pi, 'openOffers');
  expect(offersTask.variables).toMatchObject({
    euPublication: true,
    procedure: { procedureType: 'open', standStill: true },
  });
  const offers = [op(4, 5600000), op(5, 5500000), op(6, 5750000)];
  await e2e.submit(offersTask, { offers });
  await e2e.submit(await e2e.userTask(pi, 'boardEvaluation'), {
    boardMembers: [
      { name: 'Luca Neri', role: 'president' },
      { name: 'Giulia Verdi', role: 'member' },
      { name: 'Marco Rossi', role: 'member' },
    ],
    technicalScores: offers.map((o, i) => ({ vatNumber: o.vatNumber, score: [85, 60, 90][i] })),
    boardReport: 'La commissione ha esaminato le offerte tecniche e attribuito i punteggi.',
  });
  await e2e.submit(await e2e.userTask(pi, 'approveAward'), {
    awardActNumber: '9/2026',
    awardActDate: '2026-11-22',
  });
  const award = await e2e.mail(
    pi,
    (m) => m.subject.startsWith('Comunicazione di aggiudicazione') && m.text.includes('Nuovo polo'),
  );
  expect(award.text).toContain('35 giorni');
  await e2e.mail(
    pi,
    (m) => m.subject.startsWith('Trasmissione degli atti') && m.text.includes('Nuovo polo'),
  );
  const ind = await indicator(pi);
  expect(ind).toMatchObject({ outcome: 'awarded', procedureType: 'open' });
  // Technical 90 × 70% + price 95.65 × 30% = 91.70 beats 88.96 and 72.00 (art. 108 c.4 weights).
  expect(ind?.awardedAmount).toBe(5750000);
});

it('incomplete documents: integration requested, reminder and escalation sent, then integrated', async () => {
  const pi = await e2e.start('procurement', '039', {
    ...base,
    contractType: 'supplies',
    amount: 50000,
    cpv: '30192000-1',
  });
  await e2e.submit(await e2e.userTask(pi, 'checkDocuments'), {
    documentsComplete: false,
    missingDocuments: 'Manca il quadro economico firmato.',
  });
  const integrate = await e2e.userTask(pi, 'integrateDocuments');
  await e2e.mail(
    pi,
    (m) => m.subject.startsWith('Richiesta di integrazione') && m.text.includes('quadro economico'),
  );
  await e2e.mail(
    pi,
    (m) => m.subject.startsWith('Sollecito') && m.text.includes('quadro economico'),
  );
  const escalation = await e2e.mail(pi, (m) => m.subject.startsWith('Segnalazione - integrazione'));
  expect(escalation.to).toContain('dirigente@demo.provincia.ra.it');
  await e2e.submit(integrate, { integratedDocuments: ['quadro-economico-firmato.pdf'] });
  const check = await e2e.userTask(pi, 'checkDocuments');
  await e2e.submit(check, { documentsComplete: true });
  await e2e.userTask(pi, 'directAwardSelection');
});

it('deserted tender: no offers, the comune is told and the outcome recorded', async () => {
  const pi = await e2e.start('procurement', '100', {
    ...base,
    comuneIstat: '100003',
    rupEmail: 'rup@demo.comune.montemurlo.po.it',
    contractType: 'works',
    subject: 'Consolidamento del ponte sul Bagnolo',
    cpv: '45221111-3',
    cup: 'J31B21001230006',
    amount: 120000,
  });
  await e2e.submit(await e2e.userTask(pi, 'checkDocuments'), { documentsComplete: true });
  const offersTask = await e2e.userTask(pi, 'openOffers');
  // Prato's own threshold (100,000) makes € 120,000 of works a negotiated procedure.
  expect(offersTask.variables.procedure).toMatchObject({
    procedureType: 'negotiated',
    minOperators: 5,
  });
  await e2e.submit(offersTask, { offers: [] });
  const mail = await e2e.mail(pi, (m) => m.subject.startsWith('[Provincia di Prato] Gara deserta'));
  expect(mail.to).toContain('protocollo@comune.montemurlo.po.it');
  const ind = await e2e.db.connection
    .db!.collection('indicators')
    .findOne({ processInstanceKey: pi });
  expect(ind).toMatchObject({ outcome: 'deserted', procedureType: 'negotiated' });
});

it('appeal during the stand-still: the appeal is handled and, if upheld, the award is annulled', async () => {
  const pi = await e2e.start('procurement', '039', {
    ...base,
    contractType: 'services',
    subject: 'Servizio di refezione scolastica',
    cpv: '55524000-9',
    amount: 300000,
  });
  await e2e.submit(await e2e.userTask(pi, 'checkDocuments'), { documentsComplete: true });
  const offersTask = await e2e.userTask(pi, 'openOffers');
  const cig = String(offersTask.variables.cig);
  await e2e.submit(offersTask, { offers: [op(7, 280000), op(8, 276000)] });
  const approve = await e2e.userTask(pi, 'approveAward');
  // The appeal is notified while the award is communicated: buffered until the stand-still starts.
  await e2e.staff.publishMessage({
    name: 'procurementAppeal',
    correlationKey: cig,
    tenantId: '039',
    timeToLive: 60_000,
    variables: { appealFiledBy: SIMULATED_OPERATORS[7].vatNumber },
  });
  await e2e.submit(approve, { awardActNumber: '10/2026', awardActDate: '2026-11-23' });
  const appeal = await e2e.userTask(pi, 'handleAppeal');
  await e2e.submit(appeal, {
    appealOutcome: 'upheld',
    court: 'TAR Emilia-Romagna',
    decisionDate: '2026-11-25',
  });
  await e2e.completed(pi, 'awardAnnulled');
  const history = e2e.db.connection.db!.collection('history_element_instances');
  expect(
    await history.findOne({ processInstanceKey: pi, elementId: 'handOverContract' }),
  ).toBeNull();
});

it("a province's threshold applies to its own requests only: € 120,000 of works is a direct award in Ravenna", async () => {
  const works = {
    ...base,
    contractType: 'works',
    subject: 'Rifacimento della copertura della palestra',
    cpv: '45261000-4',
    cup: 'J31B21001230006',
    amount: 120000,
  };
  const ravenna = await e2e.start('procurement', '039', works);
  const prato = await e2e.start('procurement', '100', {
    ...works,
    comuneIstat: '100006',
    rupEmail: 'ufficio@demo.comune.vaiano.po.it',
  });
  await e2e.submit(await e2e.userTask(ravenna, 'checkDocuments'), { documentsComplete: true });
  await e2e.submit(await e2e.userTask(prato, 'checkDocuments'), { documentsComplete: true });
  const direct = await e2e.userTask(ravenna, 'directAwardSelection');
  expect(direct.variables.procedure).toMatchObject({ procedureType: 'directAward' });
  const negotiated = await e2e.userTask(prato, 'openOffers');
  expect(negotiated.variables.procedure).toMatchObject({
    procedureType: 'negotiated',
    minOperators: 5,
  });
});
