/**
 * The training area (/formazione) and its API on the real product: the training office
 * puts a course in the catalogue through the start form (errors named when the form is
 * incomplete), heads of office propose individual plans for their own staff only,
 * everybody reads the catalogue of their own province, a certificate downloads only for
 * its holder, and the yearly report (page and CSV) is the training office's.
 */
import { createDocumentStore, renderTextPdf } from '../../src/documents';
import { createTrainingStore } from '../../src/training';
import { deployServiceProcesses } from '../../src/workers/demo/deploy-processes';
import { createZeebeClient, type ZeebeClient } from '../../src/workers/runtime';
import { waitFor } from '../support/wait-for';
import { signIn, startTestProduct, tokenClient, type TestProduct } from '../support/web';

let product: TestProduct;
let zeebe: ZeebeClient;
beforeAll(async () => {
  product = await startTestProduct({ name: 'training', env: { WORKERS: 'true' } });
  zeebe = createZeebeClient(product.env.zeebeAddress);
  for (const tenantId of ['039', '100'])
    await deployServiceProcesses(zeebe, tenantId, ['training']);
}, 180_000);
afterAll(async () => {
  await zeebe?.close();
  await product?.stop();
});

const courseForm = (code: string, title: string): Record<string, string> => ({
  courseCode: code,
  courseTitle: title,
  source: 'sna',
  area: 'public-values',
  mandatory: 'true',
  mandatoryTopic: 'anti-corruption',
  mode: 'webinar',
  'sessions[0][date]': '2027-03-10',
  'sessions[0][hours]': '4',
  'sessions[1][date]': '2027-03-17',
  'sessions[1][hours]': '4',
  seats: '30',
  testQuestions: '20',
  enrolmentDeadline: '2027-03-01',
  tutorUsername: 'formazione.ra',
  cost: '0',
  fundingSource: 'state',
});

it('lets the training office put a course in the catalogue, naming what is missing first', async () => {
  const office = await signIn(product.url, 'formazione.ra');
  expect((await office.get('/formazione/avvia/course')).status).toBe(200);
  const incomplete = await office.postForm('/formazione/avvia/course', { courseCode: 'ANTI-2027' });
  expect(incomplete.status).toBe(422);
  expect(incomplete.text).toContain('data-pc-error-summary');
  expect(incomplete.text).toMatch(/Titolo[^<]*campo obbligatorio/);

  const done = await office.postForm(
    '/formazione/avvia/course',
    courseForm('ANTI-2027', 'Prevenzione della corruzione 2027'),
  );
  expect(done.status).toBe(303);
  const store = createTrainingStore(product.db.connection);
  const course = await waitFor(
    'the course in the catalogue',
    () => store.course('039', 'ANTI-2027'),
    {
      timeoutMs: 30_000,
      intervalMs: 200,
    },
  );
  expect(course).toMatchObject({
    hours: 8,
    seats: 30,
    mandatoryTopic: 'anti-corruption',
    status: 'open',
  });

  // Everybody of the province reads the catalogue; nobody of Prato sees Ravenna's course.
  const lugo = await signIn(product.url, 'ufficio.lugo');
  expect((await lugo.get('/formazione/catalogo')).text).toContain(
    'Prevenzione della corruzione 2027',
  );
  const prato = await signIn(product.url, 'formazione.po');
  expect((await prato.get('/formazione/catalogo')).text).not.toContain(
    'Prevenzione della corruzione 2027',
  );
  // Comune staff cannot open courses.
  expect((await lugo.get('/formazione/avvia/course')).status).toBe(404);
  expect(
    (await lugo.postForm('/formazione/avvia/course', courseForm('X-1', 'Corso abusivo'))).status,
  ).toBe(403);
}, 120_000);

it('validates API starts and refuses individual plans outside the office one heads', async () => {
  const api = await tokenClient(product.url, 'formazione.ra');
  const bad = await api.send('POST', '/api/v1/training/starts/report', { reportYear: 'duemila' });
  expect(bad.status).toBe(422);
  expect(bad.json<{ errors: { field: string }[] }>().errors.map((e) => e.field)).toContain(
    'reportYear',
  );
  const ok = await api.send('POST', '/api/v1/training/starts/report', { reportYear: 2026 });
  expect(ok.status).toBe(201);
  expect(ok.json<{ processInstanceKey: string }>().processInstanceKey).toMatch(/^\d+$/);

  const plan = (employeeUsername: string) => ({
    employeeUsername,
    year: 2027,
    courses: [{ courseCode: 'ANTI-2027', duringWorkingHours: true }],
  });
  const head = await tokenClient(product.url, 'dirigente.faenza');
  expect(
    (await head.send('POST', '/api/v1/training/starts/individual-plan', plan('tecnico.faenza')))
      .status,
  ).toBe(201);
  // Another comune's employee: not on the staff this head can plan for.
  const other = await head.send(
    'POST',
    '/api/v1/training/starts/individual-plan',
    plan('anagrafe.lugo'),
  );
  expect(other.status).toBe(422);
  expect(JSON.stringify(other.json())).toContain('employeeUsername');
  // A colleague who does not head the office.
  const notHead = await tokenClient(product.url, 'rup.faenza');
  expect(
    (await notHead.send('POST', '/api/v1/training/starts/individual-plan', plan('tecnico.faenza')))
      .status,
  ).toBe(403);
  // Campaigns are the training office's.
  expect((await head.send('POST', '/api/v1/training/starts/campaign', {})).status).toBe(403);
}, 120_000);

it('downloads a certificate for its holder only', async () => {
  const connection = product.db.connection;
  const pdf = await renderTextPdf('# Attestato', {
    title: 'Attestato',
    author: 'Provincia di Ravenna',
  });
  const { document } = await createDocumentStore(connection).createOnce({
    key: 'test-certificate-1',
    tenantId: '039',
    processInstanceKey: '1',
    kind: 'attestato-formazione',
    title: 'Attestato',
    fileName: 'attestato-test.pdf',
    contentType: 'application/pdf',
    encoding: 'base64',
    content: pdf.toString('base64'),
  });
  const store = createTrainingStore(connection);
  await store.recordOutcomes([
    {
      _id: '039:CERT-1:tecnico.faenza',
      tenantId: '039',
      courseCode: 'CERT-1',
      courseTitle: 'Corso di prova',
      year: new Date().getFullYear(),
      username: 'tecnico.faenza',
      name: 'Anna Ricci',
      comuneIstat: '039010',
      office: 'Ufficio tecnico',
      attendedHours: 8,
      attendancePercent: 100,
      correctAnswers: 20,
      scorePercent: 100,
      passedTest: true,
      certified: true,
      certifiedHours: 8,
      recordedAt: new Date(),
    },
  ]);
  await store.setParticipation('039', 'CERT-1', 'tecnico.faenza', {
    certificateDocumentId: document.documentId,
  });

  const holder = await signIn(product.url, 'tecnico.faenza');
  const home = await holder.get('/formazione');
  expect(home.text).toContain(`/formazione/attestati/${document.documentId}`);
  expect(home.text).toContain('8 ore su un obiettivo di 40');
  const download = await holder.get(`/formazione/attestati/${document.documentId}`);
  expect(download.status).toBe(200);
  expect(download.headers.get('content-type')).toBe('application/pdf');
  expect(download.text.startsWith('%PDF-')).toBe(true);
  for (const username of ['dirigente.faenza', 'formazione.ra', 'formazione.po']) {
    const other = await signIn(product.url, username);
    expect((await other.get(`/formazione/attestati/${document.documentId}`)).status).toBe(404);
  }
  // The head of the office sees the office's hours on their page.
  const head = await signIn(product.url, 'dirigente.faenza');
  expect((await head.get('/formazione')).text).toMatch(/data-testid=.training-office./);
}, 60_000);

it('shows the yearly report and its CSV to the training office only', async () => {
  const office = await signIn(product.url, 'formazione.ra');
  const year = new Date().getFullYear();
  const page = await office.get(`/formazione/rendiconto?anno=${year}&comune=039010`);
  expect(page.status).toBe(200);
  expect(page.text).toContain('Anna Ricci');
  expect(page.text).not.toContain('Marta Colombo'); // Lugo, filtered out
  const csv = await office.get(`/formazione/rendiconto.csv?anno=${year}`);
  expect(csv.headers.get('content-type')).toContain('text/csv');
  const lines = csv.text
    .replace(/^\uFEFF/, '')
    .trim()
    .split(/\r?\n/);
  expect(lines[0]).toBe(
    'Dipendente;Nome utente;Comune (ISTAT);Ufficio;Fascia di ruolo;Ore certificate;Obiettivo;Ore mancanti',
  );
  expect(lines).toContain('Anna Ricci;tecnico.faenza;039010;Ufficio tecnico;istruttore;8;40;32');
  const api = await tokenClient(product.url, 'formazione.ra');
  const indicators = await api.send('GET', `/api/v1/training/indicators?year=${year}`);
  expect(indicators.json()).toMatchObject({ certifiedHours: 8, participants: 1, passedTests: 1 });
  const comune = await signIn(product.url, 'ufficio.lugo');
  expect((await comune.get(`/formazione/rendiconto?anno=${year}`)).status).toBe(403);
}, 60_000);

it('shows the training indicators on /indicatori with the figures of the training records', async () => {
  const year = new Date().getFullYear();
  const office = await tokenClient(product.url, 'formazione.ra');
  const expected = (
    await office.send('GET', `/api/v1/training/indicators?year=${year}`)
  ).json() as {
    hoursPerCapita: number;
    shareAtTarget: number;
    employees: number;
  };
  expect(expected.hoursPerCapita).toBeGreaterThan(0);

  // The analyst reads the same figures in the analytics pages and their API.
  const analyst = await tokenClient(product.url, 'analista.ra');
  const api = await analyst.send('GET', '/api/v1/analytics/training');
  expect(api.status).toBe(200);
  const tables = (api.json() as { tables: { id: string; rows: Record<string, unknown>[] }[] })
    .tables;
  const summary = Object.fromEntries(
    tables.find((t) => t.id === 'training.summary')!.rows.map((r) => [r.indicator, r.value]),
  );
  expect(summary).toMatchObject({
    employees: expected.employees,
    hoursPerCapita: expected.hoursPerCapita,
    shareAtTargetPercent: expected.shareAtTarget * 100,
  });
  const perComune = tables.find((t) => t.id === 'training.perComune')!.rows;
  const faenza = perComune.find((r) => r.comuneIstat === '039010');
  const lugo = perComune.find((r) => r.comuneIstat === '039012');
  expect(Number(faenza?.hoursPerCapita)).toBeGreaterThan(0);
  expect(lugo?.hoursPerCapita).toBe(0);

  const web = await signIn(product.url, 'analista.ra');
  const page = await web.get('/indicatori?sezione=formazione');
  expect(page.status).toBe(200);
  expect(page.text).toContain('Ore certificate pro capite');
  expect(page.text).toContain('Formazione per comune');
  const csv = await web.get('/indicatori/esporta/training.perComune.csv?sezione=formazione');
  expect(csv.headers.get('content-type')).toContain('text/csv');
  expect(csv.text).toMatch(/039010;Faenza;/);

  // Prato's analyst sees Prato's staff only: none of Ravenna's hours.
  const prato = await tokenClient(product.url, 'analista.po');
  const pratoTables = (
    (await prato.send('GET', '/api/v1/analytics/training')).json() as {
      tables: { id: string; rows: Record<string, unknown>[] }[];
    }
  ).tables;
  expect(
    pratoTables.find((t) => t.id === 'training.perComune')!.rows.map((r) => r.comuneIstat),
  ).not.toContain('039010');
}, 60_000);
