/**
 * The good-practice catalogue (src/practices) on the real database with the real
 * modeling workspaces: Prato publishes its procurement practice with a package and a
 * document; Ravenna finds it, imports it through the modeling report (drafts only) and
 * reports on its adoption; only Prato changes or withdraws it; a withdrawn entry stays
 * readable for Ravenna, which adopted it, and disappears for everybody else.
 */
import { permissionsOf } from '../../src/auth';
import { loadProductConfig, type Role } from '../../src/config';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../src/errors';
import { createModeling, type Modeling } from '../../src/modeling';
import {
  createPractices,
  PRACTICES,
  PRACTICE_FILES_BUCKET,
  type PracticeActor,
  type Practices,
} from '../../src/practices';
import { createSettingsService, createTemplateService } from '../../src/settings';
import { openTestDatabase, type TestDatabase } from '../support/database';
import { CONFIG_DIR } from '../services/support/service-context';

const config = loadProductConfig(CONFIG_DIR);
let db: TestDatabase;
let modeling: Modeling;
let practices: Practices;

const person = (
  tenantId: string,
  username: string,
  roles: Role[],
  comune?: string,
): PracticeActor => ({
  tenantId,
  username,
  displayName: username,
  ...(comune ? { comune } : {}),
  permissions: permissionsOf(roles),
});
const analystPo = person('100', 'analista.po', ['analyst']);
const viewerPo = person('100', 'ospite.po', ['viewer']);
const analystRa = person('039', 'analista.ra', ['analyst']);
const rupFaenza = person('039', 'rup.faenza', ['comune-rup'], '039010');

const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
);

function entry(overrides: Record<string, unknown> = {}) {
  return {
    name: 'Affidamenti SUA in 30 giorni',
    version: '1.0.0',
    licence: 'EUPL-1.2',
    maturity: 'stable',
    maintainer: { name: 'Ufficio SUA della Provincia di Prato', email: 'sua@provincia.prato.it' },
    languages: ['it'],
    serviceLine: 'procurement',
    theme: 'digitalisation',
    summary: 'La procedura della SUA con la scelta automatica della procedura di gara.',
    problem: 'I comuni aspettavano in media 64 giorni per l’avvio di una procedura di affidamento.',
    solution:
      'Un processo unico con verifica dei requisiti e scelta della procedura con una tabella DMN.',
    results:
      'I tempi medi sono scesi e le richieste incomplete sono diminuite: più rapidità per tutti.',
    figures: [
      { label: 'Giorni medi per l’avvio', value: 30, unit: 'giorni' },
      { label: 'Richieste incomplete', value: -40, unit: '%' },
    ],
    contacts: [{ name: 'Giulia Neri', email: 'g.neri@provincia.prato.it', phone: '0574 5341' }],
    ...overrides,
  };
}

async function fileCount() {
  return db.connection.db!.collection(`${PRACTICE_FILES_BUCKET}.files`).countDocuments();
}

beforeAll(async () => {
  db = await openTestDatabase('practices');
  modeling = createModeling({ connection: db.connection });
  const settings = createSettingsService({ connection: db.connection, config });
  const templates = createTemplateService({ connection: db.connection, config });
  practices = createPractices({
    connection: db.connection,
    config,
    settings,
    templates,
    repo: modeling.repo,
    seedWorkspace: (tenantId) => modeling.seed(tenantId),
  });
}, 120_000);
afterAll(async () => db?.close());

let pratoId: string;

it('refuses a bad entry naming every field, and writes nothing', async () => {
  const err = await practices.catalogue
    .publish(
      analystPo,
      entry({
        name: 'x',
        version: 'uno',
        maturity: 'finished',
        figures: [{ label: 'Tempi', value: 'molti' }],
        contacts: [],
      }),
      { addDocuments: [{ fileName: 'note.pdf', content: PDF }] },
    )
    .catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ValidationError);
  expect((err as ValidationError).errors.map((e) => e.field).sort()).toEqual([
    'contacts',
    'figures.0.value',
    'maturity',
    'name',
    'version',
  ]);
  expect(await db.connection.db!.collection(PRACTICES).countDocuments()).toBe(0);
  expect(await fileCount()).toBe(0);
});

it('checks documents by content and size; a refused upload leaves nothing behind', async () => {
  const fake = await practices.catalogue
    .publish(analystPo, entry(), {
      addDocuments: [{ fileName: 'relazione.pdf', content: Buffer.from('not a pdf at all') }],
    })
    .catch((e: unknown) => e);
  expect((fake as ValidationError).errors[0]).toMatchObject({
    field: 'documents',
    key: 'practices.error.fileType',
    params: { name: 'relazione.pdf' },
  });
  const big = Buffer.concat([PDF, Buffer.alloc(10 * 1024 * 1024)]);
  const large = await practices.catalogue
    .publish(analystPo, entry(), { addDocuments: [{ fileName: 'grande.pdf', content: big }] })
    .catch((e: unknown) => e);
  expect((large as ValidationError).errors[0].key).toBe('practices.error.fileTooLarge');
  expect(await fileCount()).toBe(0);
});

it('lets only holders of practices.publish publish', async () => {
  await expect(practices.catalogue.publish(viewerPo, entry())).rejects.toBeInstanceOf(
    ForbiddenError,
  );
  await expect(practices.catalogue.publish(rupFaenza, entry())).rejects.toBeInstanceOf(
    ForbiddenError,
  );
});

it('Prato publishes its changed procurement process as a package with a document', async () => {
  // Prato's own procurement: the shared model with a changed task name, saved as a version.
  const proc =
    (await modeling.repo.findByKey(analystPo, 'bpmn', 'procurement')) ??
    (await modeling.seed('100'), await modeling.repo.findByKey(analystPo, 'bpmn', 'procurement'));
  const xml = await modeling.repo.contentOf(analystPo, proc!._id, 1);
  await modeling.repo.createVersion(analystPo, proc!._id, {
    content: xml.replace(
      'name="Apertura del fascicolo"',
      'name="Apertura del fascicolo SUA (Prato)"',
    ),
    message: 'Nome del passo come a Prato',
  });
  const doc = await practices.catalogue.publish(analystPo, entry(), {
    addDocuments: [{ fileName: '../../Relazione "finale".pdf', content: PDF }],
    package: { models: [{ kind: 'bpmn', key: 'procurement' }] },
  });
  pratoId = doc._id;
  expect(doc).toMatchObject({
    tenantId: '100',
    provinceName: 'Provincia di Prato',
    status: 'published',
    revision: 1,
  });
  expect(doc.documents).toEqual([
    expect.objectContaining({ fileName: 'Relazione _finale_.pdf', contentType: 'application/pdf' }),
  ]);
  expect(doc.package!.models.map((m) => `${m.kind}:${m.key}`)).toEqual(
    expect.arrayContaining([
      'bpmn:procurement',
      'dmn:procurementProcedure',
      'form:procurement-request',
    ]),
  );
  expect(doc.package!.sha256).toMatch(/^[0-9a-f]{64}$/);
  const pkg = await practices.catalogue.packageOf(analystRa, pratoId);
  expect(pkg.content.subarray(0, 2).toString()).toBe('PK');
  const file = await practices.catalogue.document(rupFaenza, doc.documents[0].id);
  expect(file.content.equals(PDF)).toBe(true);
});

it('every signed-in person of every province finds it by text and filters', async () => {
  const other = await practices.catalogue.publish(
    analystRa,
    entry({
      name: 'Richieste di dati in una settimana',
      maintainer: { name: 'Servizio statistica della Provincia di Ravenna' },
      contacts: [{ name: 'Marco Bassi', email: 'm.bassi@provincia.ra.it' }],
      serviceLine: 'data-request',
      theme: 'data',
      summary:
        'Le richieste di elaborazioni statistiche dei comuni con anonimizzazione automatica.',
    }),
  );
  const names = async (actor: PracticeActor, q: Parameters<Practices['catalogue']['search']>[1]) =>
    (await practices.catalogue.search(actor, q)).map((d) => d.name);
  expect(await names(analystRa, { q: 'AFFIDAMENTI procedura' })).toEqual([
    'Affidamenti SUA in 30 giorni',
  ]);
  expect(await names(rupFaenza, { q: 'giorni' })).toEqual(
    expect.arrayContaining(['Affidamenti SUA in 30 giorni', 'Richieste di dati in una settimana']),
  );
  expect(await names(analystRa, { serviceLine: 'procurement' })).toEqual([
    'Affidamenti SUA in 30 giorni',
  ]);
  expect(await names(analystPo, { theme: 'data' })).toEqual(['Richieste di dati in una settimana']);
  expect(await names(analystRa, { province: '100' })).toEqual(['Affidamenti SUA in 30 giorni']);
  expect(await names(analystRa, { q: 'Prato', province: '039' })).toEqual([]);
  // accents and case do not matter
  expect(await names(analystRa, { q: 'PIU rapidita' })).toHaveLength(2);
  expect(await names(analystRa, { q: 'piu lentezza' })).toEqual([]);
  await practices.catalogue.withdraw(analystRa, other._id, 'Sostituita da una nuova versione');
});

it('only Prato changes or withdraws its entry; a stale revision is refused', async () => {
  await expect(
    practices.catalogue.update(analystRa, pratoId, entry({ name: 'Presa da Ravenna' }), 1),
  ).rejects.toBeInstanceOf(ForbiddenError);
  await expect(
    practices.catalogue.withdraw(analystRa, pratoId, 'Non è nostra ma la ritiriamo'),
  ).rejects.toBeInstanceOf(ForbiddenError);
  await expect(practices.catalogue.update(viewerPo, pratoId, entry(), 1)).rejects.toBeInstanceOf(
    ForbiddenError,
  );
  const updated = await practices.catalogue.update(
    analystPo,
    pratoId,
    entry({ version: '1.1.0' }),
    1,
  );
  expect(updated).toMatchObject({ version: '1.1.0', revision: 2 });
  expect(updated.package).toBeDefined();
  await expect(
    practices.catalogue.update(analystPo, pratoId, entry({ version: '1.2.0' }), 1),
  ).rejects.toBeInstanceOf(ConflictError);
  expect((await practices.catalogue.get(analystRa, pratoId)).name).toBe(
    'Affidamenti SUA in 30 giorni',
  );
});

it('Ravenna imports the package: the report first, then drafts only, and the adoption is recorded', async () => {
  await expect(practices.adoptions.inspect(analystPo, pratoId)).rejects.toBeInstanceOf(
    ConflictError,
  );
  await expect(practices.adoptions.inspect(rupFaenza, pratoId)).rejects.toBeInstanceOf(
    ForbiddenError,
  );
  const report = await practices.adoptions.inspect(analystRa, pratoId);
  expect(report.package).toMatchObject({
    name: 'Affidamenti SUA in 30 giorni',
    author: { province: { istat: '100' } },
  });
  const proc = report.models.find((m) => m.key === 'procurement')!;
  expect(proc.status).toBe('changed');
  expect(report.models.find((m) => m.key === 'procurementProcedure')!.status).toBe('unchanged');
  expect((await practices.adoptions.pendingReport(analystRa, pratoId))!.id).toBe(report.id);
  // Not adopted yet: the report alone changes nothing.
  expect(await practices.adoptions.list(analystRa, pratoId)).toEqual([]);

  const ravennaProc = (await modeling.repo.findByKey(analystRa, 'bpmn', 'procurement'))!;
  const versionsBefore = await modeling.repo.versions(analystRa, ravennaProc._id);
  const result = await practices.adoptions.confirm(analystRa, pratoId);
  expect(result.updated.map((u) => u.key)).toEqual(['procurement']);
  const detail = await modeling.repo.get(analystRa, ravennaProc._id);
  expect(detail.draftContent).toContain('Apertura del fascicolo SUA (Prato)');
  expect(await modeling.repo.versions(analystRa, ravennaProc._id)).toHaveLength(
    versionsBefore.length,
  );
  expect(await modeling.repo.deployments(analystRa, ravennaProc._id)).toEqual([]);
  expect(await practices.adoptions.pendingReport(analystRa, pratoId)).toBeUndefined();
  await expect(practices.adoptions.confirm(analystRa, pratoId)).rejects.toBeInstanceOf(
    ConflictError,
  );

  const adoptions = await practices.adoptions.list(rupFaenza, pratoId);
  expect(adoptions.map((a) => [a.tenantId, a.imports.length])).toEqual([['039', 1]]);
});

it('adopters write a short adoption report and comment', async () => {
  await expect(
    practices.adoptions.report(analystRa, pratoId, { outcome: 'forse', text: 'x' }),
  ).rejects.toBeInstanceOf(ValidationError);
  await expect(
    practices.adoptions.report(analystPo, pratoId, {
      outcome: 'in-use',
      text: 'La nostra pratica funziona.',
    }),
  ).rejects.toBeInstanceOf(ConflictError);
  await practices.adoptions.report(analystRa, pratoId, {
    outcome: 'trial',
    text: 'In prova su tre comuni da gennaio: tempi dimezzati.',
  });
  await practices.adoptions.comment(
    analystRa,
    pratoId,
    'Il form di richiesta è stato adattato ai nostri uffici.',
  );
  await practices.adoptions.comment(analystPo, pratoId, 'Grazie, aggiorneremo la documentazione.');
  await expect(practices.adoptions.comment(rupFaenza, pratoId, 'Anche noi')).rejects.toBeInstanceOf(
    ForbiddenError,
  );
  const [ra] = await practices.adoptions.list(analystPo, pratoId);
  expect(ra.report).toMatchObject({
    outcome: 'trial',
    text: 'In prova su tre comuni da gennaio: tempi dimezzati.',
  });
  expect((await practices.adoptions.comments(rupFaenza, pratoId)).map((c) => c.tenantId)).toEqual([
    '039',
    '100',
  ]);
});

it('a withdrawn entry stays readable for its adopter and is gone for everybody else', async () => {
  await practices.catalogue.withdraw(
    analystPo,
    pratoId,
    'Sostituita dalla versione 2 del processo',
  );
  await expect(
    practices.catalogue.withdraw(analystPo, pratoId, 'di nuovo ritirata'),
  ).rejects.toBeInstanceOf(ConflictError);
  // Ravenna adopted it: it keeps reading and finding it.
  expect((await practices.catalogue.get(analystRa, pratoId)).status).toBe('withdrawn');
  expect(
    (await practices.catalogue.search(analystRa, { q: 'affidamenti' })).map((d) => d._id),
  ).toEqual([pratoId]);
  // Prato sees its own withdrawn entries; Ravenna's withdrawn one is hidden from Prato.
  const pratoSees = (await practices.catalogue.search(analystPo)).map((d) => d.name);
  expect(pratoSees).toEqual(['Affidamenti SUA in 30 giorni']);
  const [ravennaWithdrawn] = (await practices.catalogue.search(analystRa)).filter(
    (d) => d.tenantId === '039',
  );
  await expect(practices.catalogue.get(analystPo, ravennaWithdrawn._id)).rejects.toBeInstanceOf(
    NotFoundError,
  );
  await expect(
    practices.adoptions.comments(analystPo, ravennaWithdrawn._id),
  ).rejects.toBeInstanceOf(NotFoundError);
});
