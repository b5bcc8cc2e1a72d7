/**
 * The modeling and settings REST API (/api/v1, issue 12 point 10) over HTTP with personal
 * API tokens, on the running product: models (list, create draft, get, update draft),
 * versions (list, create), deploy (refused with element and rule on a lint error; the
 * engine gets the version for the caller's province only), diff, settings (GET, PUT as a
 * new version, 422 with the field path and nothing saved), packages (export from
 * Ravenna, import report and apply as drafts in Prato, bad zips refused with nothing
 * written), and province isolation (another province's model or import is 404).
 */
import yazl from 'yazl';
import { MODEL_IMPORTS } from '../../src/modeling';
import { createHistoryClient, type ProcessDefinitionItem } from '../../src/monitoring';
import { startTestProduct, tokenClient, type TestProduct, type TokenClient } from '../support/web';

jest.setTimeout(180_000);

interface Summary {
  id: string;
  kind: string;
  key: string;
  name: string;
  latestVersion?: { version: number };
}

let product: TestProduct;
let analystRa: TokenClient;
let analystPo: TokenClient;
let adminRa: TokenClient;
let adminPo: TokenClient;

beforeAll(async () => {
  product = await startTestProduct({ name: 'modeling_api' });
  [analystRa, analystPo, adminRa, adminPo] = await Promise.all(
    ['analista.ra', 'analista.po', 'admin.ra', 'admin.po'].map((u) => tokenClient(product.url, u)),
  );
});
afterAll(async () => product?.stop());

async function modelByKey(client: TokenClient, kind: string, key: string): Promise<Summary> {
  const res = await client.send('GET', `/api/v1/models?kind=${kind}`);
  expect(res.status).toBe(200);
  const found = res.json<Summary[]>().find((m) => m.key === key);
  if (!found) throw new Error(`no ${kind} model ${key}`);
  return found;
}

/** Raw bytes over HTTP with a token (zip packages). */
async function sendBytes(
  client: TokenClient,
  method: string,
  path: string,
  body?: Buffer | string,
  contentType = 'application/json',
) {
  const res = await fetch(new URL(path, product.url), {
    method,
    headers: { authorization: `Bearer ${client.token}`, 'content-type': contentType },
    body,
  });
  return { status: res.status, data: Buffer.from(await res.arrayBuffer()), headers: res.headers };
}

async function definitionsOf(tenantId: string, processId: string) {
  const history = createHistoryClient({ baseUrl: product.env.engineRestUrl });
  return history.searchAll<ProcessDefinitionItem>('process-definitions', {
    filter: { tenantId, processDefinitionId: processId },
  });
}

describe('models, versions, deploy, diff', () => {
  it('lists the province models, updates a draft, saves a version, refuses to deploy it with a lint error, deploys the fixed one for Ravenna only, and diffs', async () => {
    const model = await modelByKey(analystRa, 'bpmn', 'data-request');
    const got = await analystRa.send('GET', `/api/v1/models/${model.id}`);
    expect(got.status).toBe(200);
    const detail = got.json<{ draftContent: string; draft: { revision: number } }>();
    const original = detail.draftContent;
    expect(original).toContain('zeebe:taskDefinition');

    // A draft without any job type: saved (work in progress) ...
    const broken = original.replace(/(<zeebe:taskDefinition[^>]*?) type="[^"]*"/, '$1');
    expect(broken).not.toBe(original);
    const put = await analystRa.send('PUT', `/api/v1/models/${model.id}`, {
      content: broken,
      expectedRevision: detail.draft.revision,
    });
    expect(put.status).toBe(200);
    // ... a stale revision is a conflict, nothing overwritten
    const stale = await analystRa.send('PUT', `/api/v1/models/${model.id}`, {
      content: original,
      expectedRevision: detail.draft.revision,
    });
    expect(stale.status).toBe(409);

    const v2 = await analystRa.send('POST', `/api/v1/models/${model.id}/versions`, {
      message: 'senza tipo',
    });
    expect(v2.status).toBe(201);
    const saved = v2.json<{ version: { version: number }; lint: { errors: number } }>();
    expect(saved.version.version).toBe(2);
    expect(saved.lint.errors).toBeGreaterThan(0);

    // Deploy refused: 422 naming element and rule, nothing reaches the engine.
    const before = (await definitionsOf('039', 'data-request')).length;
    const refused = await analystRa.send('POST', `/api/v1/models/${model.id}/versions/2/deploy`);
    expect(refused.status).toBe(422);
    const problem = refused.json<{ errors: { field: string; message: string }[] }>();
    expect(problem.errors[0]!.field).toMatch(/^content\/\w+/);
    expect(problem.errors[0]!.message).toContain('[camunda-compat/implementation]');
    expect((await definitionsOf('039', 'data-request')).length).toBe(before);

    // The fixed version deploys, for Ravenna only.
    const fixed = original.replace('name="', 'name="API ');
    const v3 = await analystRa.send('POST', `/api/v1/models/${model.id}/versions`, {
      message: 'nome cambiato',
      content: fixed,
    });
    expect(v3.status).toBe(201);
    const deployed = await analystRa.send('POST', `/api/v1/models/${model.id}/versions/3/deploy`);
    expect(deployed.status).toBe(201);
    const ra = await definitionsOf('039', 'data-request');
    expect(ra.length).toBe(before + 1);
    const po = await definitionsOf('100', 'data-request');
    expect(po.every((d) => !d.name?.startsWith('API '))).toBe(true);

    const versions = await analystRa.send('GET', `/api/v1/models/${model.id}/versions`);
    expect(versions.json<{ version: number; message: string }[]>().map((v) => v.version)).toEqual([
      3, 2, 1,
    ]);

    const diff = await analystRa.send('GET', `/api/v1/models/${model.id}/diff?from=1&to=2`);
    expect(diff.status).toBe(200);
    const d = diff.json<{
      semantic: { changed: { id: string; properties: { path: string }[] }[] };
      text: { patch: string };
    }>();
    expect(d.semantic.changed.some((c) => c.properties.some((p) => /type/.test(p.path)))).toBe(
      true,
    );
    expect(d.text.patch).toMatch(/^-.*zeebe:taskDefinition/m);
  });

  it('creates a draft model and keeps provinces apart (another province’s model is 404)', async () => {
    const created = await analystRa.send('POST', '/api/v1/models', {
      kind: 'form',
      key: 'modulo-api-ravenna',
      name: 'Modulo API Ravenna',
      content: '{"title":"Prova","type":"object","properties":{"nota":{"type":"string"}}}',
    });
    expect(created.status).toBe(201);
    const id = created.json<Summary>().id;
    expect((await analystRa.send('GET', `/api/v1/models/${id}`)).status).toBe(200);
    const foreign = await analystPo.send('GET', `/api/v1/models/${id}`);
    expect(foreign.status).toBe(404);
    expect(foreign.text).not.toContain('Modulo API Ravenna');
    const list = await analystPo.send('GET', '/api/v1/models');
    expect(list.text).not.toContain('modulo-api-ravenna');
    expect((await analystPo.send('PUT', `/api/v1/models/${id}`, { content: '{}' })).status).toBe(
      404,
    );
  });
});

describe('settings', () => {
  it('PUT saves a new version; an invalid value is 422 with the field path and nothing is saved', async () => {
    const pratoBefore = (await adminPo.send('GET', '/api/v1/settings')).json<{
      effective: { procurement: { thresholds: Record<string, number> } };
    }>();
    const current = await adminRa.send('GET', '/api/v1/settings');
    expect(current.status).toBe(200);
    const { effective, version } = current.json<{
      effective: { procurement: { thresholds: Record<string, number> } };
      version: number;
    }>();
    const bad = structuredClone(effective);
    bad.procurement.thresholds.directAwardWorks = -1;
    const refused = await adminRa.send('PUT', '/api/v1/settings', {
      settings: bad,
      message: 'valore errato',
      expectedVersion: version,
    });
    expect(refused.status).toBe(422);
    expect(refused.json<{ errors: { field: string }[] }>().errors.map((e) => e.field)).toContain(
      'procurement/thresholds/directAwardWorks',
    );
    expect((await adminRa.send('GET', '/api/v1/settings/versions')).json()).toEqual([]);

    const good = structuredClone(effective);
    good.procurement.thresholds.directAwardWorks = 120000;
    const saved = await adminRa.send('PUT', '/api/v1/settings', {
      settings: good,
      message: 'soglia prudenziale',
      expectedVersion: version,
    });
    expect(saved.status).toBe(200);
    const after = (await adminRa.send('GET', '/api/v1/settings')).json<{
      version: number;
      effective: typeof effective;
    }>();
    expect(after.version).toBe(version + 1);
    expect(after.effective.procurement.thresholds.directAwardWorks).toBe(120000);
    const prato = (await adminPo.send('GET', '/api/v1/settings')).json<typeof after>();
    expect(prato.effective.procurement.thresholds.directAwardWorks).toBe(
      pratoBefore.effective.procurement.thresholds.directAwardWorks,
    );
    // Analysts do not edit settings.
    expect((await analystRa.send('GET', '/api/v1/settings')).status).toBe(403);
  });
});

describe('packages', () => {
  it('exports from Ravenna, imports into Prato as a report, applies as drafts only; bad zips are refused with nothing written', async () => {
    const dmn = await modelByKey(analystRa, 'dmn', 'procurementProcedure');
    // Ravenna changes its decision table (a new version) and exports it.
    const raDmn = (await analystRa.send('GET', `/api/v1/models/${dmn.id}`)).json<{
      draftContent: string;
    }>();
    const changed = raDmn.draftContent.replace(
      'name="Scelta della procedura di affidamento"',
      'name="Scelta della procedura (Ravenna)"',
    );
    expect(changed).not.toBe(raDmn.draftContent);
    const saved = await analystRa.send('POST', `/api/v1/models/${dmn.id}/versions`, {
      message: 'nome della decisione',
      content: changed,
    });
    expect(saved.status).toBe(201);
    const exported = await sendBytes(
      analystRa,
      'POST',
      '/api/v1/packages/export',
      JSON.stringify({ name: 'Procedura di affidamento', models: [dmn.id] }),
    );
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toContain('application/zip');
    expect(exported.data.subarray(0, 2).toString()).toBe('PK');

    const imported = await sendBytes(
      analystPo,
      'POST',
      '/api/v1/packages/import',
      exported.data,
      'application/zip',
    );
    expect(imported.status).toBe(201);
    const report = JSON.parse(imported.data.toString()) as {
      id: string;
      models: { key: string; status: string }[];
    };
    expect(report.models.map((m) => [m.key, m.status])).toEqual([
      ['procurementProcedure', 'changed'],
    ]);
    // Ravenna cannot read Prato's import.
    expect((await analystRa.send('GET', `/api/v1/packages/import/${report.id}`)).status).toBe(404);

    const versionsBefore = (await modelByKey(analystPo, 'dmn', 'procurementProcedure'))
      .latestVersion?.version;
    const applied = await analystPo.send('POST', `/api/v1/packages/import/${report.id}/apply`);
    expect(applied.status).toBe(200);
    const after = await modelByKey(analystPo, 'dmn', 'procurementProcedure');
    // Drafts only: no new version, the draft has Ravenna's table.
    expect(after.latestVersion?.version).toBe(versionsBefore);
    const draft = (await analystPo.send('GET', `/api/v1/models/${after.id}`)).json<{
      draftContent: string;
    }>();
    expect(draft.draftContent).toContain('Scelta della procedura (Ravenna)');

    // Bad zips: a zip-slip entry and a corrupted zip.
    const imports = () => product.db.connection.db!.collection(MODEL_IMPORTS).countDocuments();
    const count = await imports();
    const slip = await new Promise<Buffer>((resolve) => {
      const z = new yazl.ZipFile();
      z.addBuffer(Buffer.from('x'), 'xx/evil.txt');
      const chunks: Buffer[] = [];
      z.outputStream.on('data', (c: Buffer) => chunks.push(c));
      z.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
      z.end();
    }).then((b) =>
      Buffer.from(b.toString('latin1').replaceAll('xx/evil.txt', '../evil.txt'), 'latin1'),
    );
    for (const [zip, problem] of [
      [slip, /evil\.txt/],
      [exported.data.subarray(0, exported.data.length - 40), /zip/],
    ] as const) {
      const res = await sendBytes(
        analystPo,
        'POST',
        '/api/v1/packages/import',
        zip,
        'application/zip',
      );
      expect(res.status).toBe(422);
      const body = JSON.parse(res.data.toString()) as {
        errors: { field: string; message: string }[];
      };
      expect(body.errors[0]!.field).toBe('package');
      expect(body.errors[0]!.message).toMatch(problem);
    }
    expect(await imports()).toBe(count);
  });
});
