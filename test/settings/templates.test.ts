/**
 * Document and e-mail templates edited per province (src/settings): versions, preview on
 * sample data, refusal with line and reason, limited helpers, no prototype access.
 */
import { loadProductConfig } from '../../src/config';
import { renderTemplateSource } from '../../src/documents';
import { ValidationError } from '../../src/errors';
import { createTemplateService, type SettingsActor } from '../../src/settings';
import { openTestDatabase, type TestDatabase } from '../support/database';
import { CONFIG_DIR } from '../services/support/service-context';

const config = loadProductConfig(CONFIG_DIR);
let db: TestDatabase;
const admin: SettingsActor = {
  tenantId: '100',
  username: 'admin.po',
  displayName: 'Admin Prato',
  permissions: new Set(['settings.edit']),
};

beforeAll(async () => {
  db = await openTestDatabase('templates');
});
afterAll(async () => db?.close());

async function refusal(p: Promise<unknown>) {
  const err = await p.catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ValidationError);
  return (err as ValidationError).errors[0];
}

it('lists the templates with their origin: default, the province’s file, or a saved version', async () => {
  const service = createTemplateService({ connection: db.connection, config });
  const list = await service.list('100');
  expect(list.find((t) => t.name === 'gara-deserta')).toMatchObject({
    kind: 'emails',
    origin: 'province-file',
  });
  expect(list.find((t) => t.name === 'lettera-invito' && t.kind === 'documents')).toMatchObject({
    origin: 'default',
  });
});

it('refuses a template that does not compile, with the line and the reason, and writes nothing', async () => {
  const service = createTemplateService({ connection: db.connection, config });
  const unclosed = await refusal(
    service.save(
      admin,
      'emails',
      'gara-deserta',
      'Oggetto: Gara {{cig}}\n\nTesto\n{{#if note}}\nNota: {{note}}\n',
    ),
  );
  expect(unclosed.field).toBe('text');
  expect(unclosed.params).toMatchObject({ line: 4 });
  expect(String(unclosed.params?.reason)).toMatch(/blocco \{\{#if\}\} aperto qui non è chiuso/);

  const helper = await refusal(
    service.save(admin, 'emails', 'gara-deserta', 'Oggetto: Gara\n\nRiga\n  {{exec "rm -rf"}}\n'),
  );
  expect(helper.params).toMatchObject({ line: 4 });
  expect(String(helper.params?.reason)).toMatch(/«exec» non ammessa/);

  const lookup = await refusal(
    service.save(admin, 'emails', 'gara-deserta', 'Oggetto: x\n\n{{lookup this "constructor"}}'),
  );
  expect(String(lookup.params?.reason)).toMatch(/«lookup» non ammessa/);
  const partial = await refusal(
    service.save(admin, 'documents', 'verbale-gara', '<p>\n{{> altro}}</p>'),
  );
  expect(partial.params).toMatchObject({ line: 2 });
  const noSubject = await refusal(
    service.save(admin, 'emails', 'gara-deserta', 'Gentile comune,\n'),
  );
  expect(String(noSubject.params?.reason)).toMatch(/Oggetto/);

  expect(await db.connection.db!.collection('settings_templates').countDocuments()).toBe(0);
});

it('saves versions, previews them on sample data, compares and resets to the file', async () => {
  const service = createTemplateService({ connection: db.connection, config });
  const original = await service.get('100', 'emails', 'gara-deserta');
  const edited = original.text.replace(
    /^Oggetto: .*$/m,
    'Oggetto: Gara deserta - CIG {{cig}} - {{euro amount}}',
  );
  const preview = await service.preview('100', 'emails', 'gara-deserta', edited);
  expect(preview.problem).toBeUndefined();
  expect(preview.subject).toMatch(/^Gara deserta - CIG B0A1C2D3E4 - 185\.000,00\s€$/);
  const bad = await service.preview('100', 'emails', 'gara-deserta', 'Oggetto: {{#each x}}');
  expect(bad.problem).toMatchObject({ line: 1 });

  const v1 = await service.save(admin, 'emails', 'gara-deserta', edited, {
    message: 'Importo nell’oggetto',
  });
  expect(v1).toMatchObject({ version: 1, origin: 'saved', author: { username: 'admin.po' } });
  expect((await service.get('100', 'emails', 'gara-deserta')).text).toBe(edited);
  expect(await service.currentSources('100')).toEqual({ 'emails/gara-deserta': edited });
  expect(await service.currentSources('039')).toEqual({});
  const patch = await service.compare('100', 'emails', 'gara-deserta', 0, 1);
  expect(patch).toContain('+Oggetto: Gara deserta - CIG {{cig}} - {{euro amount}}');

  await service.save(admin, 'emails', 'gara-deserta', null, { message: 'Torna al file' });
  expect(await service.get('100', 'emails', 'gara-deserta')).toMatchObject({
    origin: 'province-file',
    version: 2,
    text: original.fileText,
  });
  expect(await service.currentSources('100')).toEqual({});
  expect((await service.versions('100', 'emails', 'gara-deserta')).map((v) => v.message)).toEqual([
    'Torna al file',
    'Importo nell’oggetto',
  ]);
});

it('renders no prototype properties', () => {
  expect(
    renderTemplateSource(
      '[{{constructor.name}}][{{a.__proto__.x}}][{{#with this}}{{constructor}}{{/with}}]',
      { a: {} },
    ),
  ).toBe('[][][]');
});
