/**
 * Packages between provinces (src/modeling/packages) on the real database: Ravenna
 * exports, Prato imports a report and drafts only; malformed, oversized, zip-slip and
 * tampered packages are refused with nothing written.
 */
import yazl from 'yazl';
import { loadProductConfig } from '../../src/config';
import {
  applyImport,
  acceptImportedSettings,
  createModeling,
  exportPackage,
  inspectPackage,
  PackageRejectedError,
  readPackageZip,
  MODEL_IMPORTS,
  MODEL_IMPORT_FILES,
  type DmnDiff,
  type ImportDeps,
  type Modeling,
  type ModelActor,
} from '../../src/modeling';
import { createSettingsService, createTemplateService } from '../../src/settings';
import { openTestDatabase, type TestDatabase } from '../support/database';
import { CONFIG_DIR } from '../services/support/service-context';

const config = loadProductConfig(CONFIG_DIR);
let db: TestDatabase;
let modeling: Modeling;
let deps: ImportDeps;

const actor = (tenantId: '039' | '100'): ModelActor => ({
  tenantId,
  username: tenantId === '039' ? 'admin.ra' : 'admin.po',
  displayName: tenantId === '039' ? 'Admin Ravenna' : 'Admin Prato',
  permissions: new Set(['models.edit', 'models.deploy', 'settings.edit', 'practices.publish']),
});
const ra = actor('039');
const po = actor('100');

beforeAll(async () => {
  db = await openTestDatabase('packages');
  modeling = createModeling({ connection: db.connection });
  await modeling.seed('039');
  await modeling.seed('100');
  deps = {
    connection: db.connection,
    repo: modeling.repo,
    config,
    settings: createSettingsService({ connection: db.connection, config }),
    templates: createTemplateService({ connection: db.connection, config }),
  };
}, 120_000);
afterAll(async () => db?.close());

async function id(tenantId: string, kind: 'bpmn' | 'dmn' | 'form', key: string) {
  return (await modeling.repo.findByKey({ tenantId }, kind, key))!._id;
}

async function zip(entries: [string, Buffer | string][]): Promise<Buffer> {
  const z = new yazl.ZipFile();
  for (const [name, content] of entries)
    z.addBuffer(Buffer.from(content), name, { compress: false });
  z.end();
  const chunks: Buffer[] = [];
  for await (const c of z.outputStream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function state() {
  const d = db.connection.db!;
  return {
    imports: await d.collection(MODEL_IMPORTS).countDocuments(),
    files: await d.collection(MODEL_IMPORT_FILES).countDocuments(),
    models: await d.collection('modeling_models').countDocuments({ tenantId: '100' }),
    drafts: (
      await d
        .collection('modeling_models')
        .find({ tenantId: '100' }, { projection: { 'draft.hash': 1 } })
        .toArray()
    )
      .map((m) => m.draft.hash)
      .join(),
    versions: await d.collection('modeling_versions').countDocuments({ tenantId: '100' }),
  };
}

let ravennaPackage: Buffer;

it('exports Ravenna’s procurement with its decision, forms, a template and settings, with manifest and checksums', async () => {
  const dmn = await id('039', 'dmn', 'procurementProcedure');
  const xml = await modeling.repo.contentOf(ra, dmn, 1);
  await modeling.repo.createVersion(ra, dmn, {
    content: xml.replace('<text>operatorMinimums.negotiatedWorks</text>', '<text>7</text>'),
    message: 'Sette operatori per i lavori sotto il milione',
  });
  const exported = await exportPackage(deps, ra, {
    name: 'SUA Ravenna - affidamenti',
    version: '1.2.0',
    description: 'Processo SUA con la scelta della procedura di Ravenna.',
    models: [await id('039', 'bpmn', 'procurement')],
    includeDependencies: true,
    templates: [{ kind: 'emails', name: 'gara-deserta' }],
    settingsSections: ['procurement'],
  });
  ravennaPackage = exported.data;
  expect(exported.fileName).toBe('sua-ravenna-affidamenti-1.2.0.zip');
  const m = exported.manifest;
  expect(m.author.province).toEqual({ istat: '039', name: 'Provincia di Ravenna' });
  expect(m.license).toBe('EUPL-1.2');
  const proc = m.models.find((x) => x.key === 'procurement')!;
  expect(proc.dependsOn).toEqual(
    expect.arrayContaining([
      { kind: 'dmn', key: 'procurementProcedure' },
      { kind: 'form', key: 'procurement-request' },
    ]),
  );
  expect(m.models.find((x) => x.key === 'procurementProcedure')).toMatchObject({
    sourceVersion: 2,
  });
  expect(m.roles).toEqual(expect.arrayContaining(['sua-officer', 'sua-manager', 'comune-rup']));
  const files = await readPackageZip(exported.data);
  expect([...files.keys()]).toEqual(
    expect.arrayContaining([
      'manifest.json',
      'publiccode.yml',
      'CHECKSUMS.sha256',
      'settings.json',
      'models/bpmn/procurement.bpmn',
      'models/dmn/procurementProcedure.dmn',
      'templates/emails/gara-deserta.hbs',
    ]),
  );
  expect(files.get('publiccode.yml')!.toString()).toMatch(
    /softwareType: configurationFiles[\s\S]*license: EUPL-1.2/,
  );
});

it('imports into Prato: a changed decision table and an overridden setting as a conflict; drafts only', async () => {
  const before = await state();
  const report = await inspectPackage(deps, po, ravennaPackage);
  const dmn = report.models.find((x) => x.key === 'procurementProcedure')!;
  expect(dmn.status).toBe('changed');
  const table = (dmn.diff!.semantic as DmnDiff).decisions[0];
  expect(table.rules.changed).toEqual([
    expect.objectContaining({
      id: 'procurementProcedure_rule2',
      cells: [expect.objectContaining({ from: 'operatorMinimums.negotiatedWorks', to: '7' })],
    }),
  ]);
  expect(report.models.find((x) => x.key === 'procurement')!.status).toBe('unchanged');
  // Prato lowered the works threshold for direct award (its engine-config file): a conflict.
  expect(
    report.settings.find((s) => s.path === 'procurement/thresholds/directAwardWorks'),
  ).toMatchObject({
    status: 'conflicting',
    packageValue: 150000,
    currentValue: 100000,
    defaultValue: 150000,
  });
  expect(report.settings.find((s) => s.path === 'procurement/standStill')).toMatchObject({
    status: 'unchanged',
  });
  // Prato has its own gara-deserta e-mail: a conflict too.
  expect(report.templates).toEqual([
    expect.objectContaining({ name: 'gara-deserta', status: 'conflicting' }),
  ]);
  expect(report.groups.every((g) => g.status === 'ok')).toBe(true);

  // Inspecting wrote only the pending import: no model, draft or version changed.
  const afterInspect = await state();
  expect(afterInspect).toMatchObject({
    models: before.models,
    drafts: before.drafts,
    versions: before.versions,
    imports: before.imports + 1,
  });

  const result = await applyImport(deps, po, report.id);
  expect(result.updated.map((u) => u.key)).toEqual(['procurementProcedure']);
  expect(result.created).toEqual([]);
  const pratoDmn = await modeling.repo.get(po, await id('100', 'dmn', 'procurementProcedure'));
  expect(pratoDmn.draftContent).toContain('<text>7</text>');
  expect(pratoDmn.draft.unsaved).toBe(true);
  expect(pratoDmn.versions.map((v) => v.version)).toEqual([1]);
  expect(pratoDmn.deployed).toEqual([]);
  expect((await state()).versions).toBe(before.versions);
  // Settings are never applied by the import; accepting one is an explicit new version.
  expect((await deps.settings.current('100')).version).toBe(0);
  await acceptImportedSettings(deps, po, report.id, ['procurement/thresholds/directAwardWorks']);
  expect(
    (await deps.settings.current('100')).effective.procurement.thresholds.directAwardWorks,
  ).toBe(150000);
});

describe('refused packages write nothing', () => {
  async function refused(data: Buffer, problem: string, message: RegExp) {
    const before = await state();
    const err = await inspectPackage(deps, po, data).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PackageRejectedError);
    expect((err as PackageRejectedError).problem).toBe(problem);
    expect((err as Error).message).toMatch(message);
    expect((err as PackageRejectedError).errors[0]).toMatchObject({
      field: 'package',
      key: `modeling.package.error.${problem}`,
    });
    expect(await state()).toEqual(before);
  }

  it('a zip-slip entry', async () => {
    const data = await zip([
      ['manifest.json', '{}'],
      ['xx/evil.sh', 'rm -rf /'],
    ]);
    // Same length, so the zip stays well-formed: "xx/" becomes "../".
    const slipped = Buffer.from(
      data.toString('latin1').replaceAll('xx/evil.sh', '../evil.sh'),
      'latin1',
    );
    await refused(slipped, 'unsafePath', /\.\.\/evil\.sh/);
  });

  it('a 10,000-entry zip', async () => {
    const entries: [string, string][] = Array.from({ length: 10_000 }, (_, i) => [
      `f/${i}.txt`,
      '',
    ]);
    await refused(await zip(entries), 'tooManyEntries', /10000 entries, above the limit of 2000/);
  });

  it('a corrupted zip', async () => {
    const cut = ravennaPackage.subarray(0, Math.floor(ravennaPackage.length / 2));
    await refused(cut, 'malformed', /not a valid zip/);
    await refused(Buffer.from('not a zip at all'), 'malformed', /not a valid zip/);
  });

  it('a file altered after export (bad checksum)', async () => {
    const files = await readPackageZip(ravennaPackage);
    const entries = [...files.entries()].map(([name, content]): [string, Buffer] => [
      name,
      name === 'models/dmn/procurementProcedure.dmn'
        ? Buffer.from(content.toString().replace('<text>7</text>', '<text>1</text>'))
        : content,
    ]);
    await refused(
      await zip(entries),
      'badChecksum',
      /procurementProcedure\.dmn does not match|SHA-256 of "models\/dmn\/procurementProcedure\.dmn"/,
    );
  });

  it('a package larger than 20 MiB', async () => {
    await refused(Buffer.alloc(20 * 1024 * 1024 + 1), 'tooLarge', /above the limit of 20971520/);
  });
});
