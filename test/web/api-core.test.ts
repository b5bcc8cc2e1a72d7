/**
 * /api: the OpenAPI 3.1 document (valid, complete), GET /api/v1/me, personal API tokens,
 * and problem+json errors naming the fields.
 */
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { createApiTokenStore } from '../../src/auth/api-tokens';
import { toOpenApiPath, isApiPath } from '../../src/web/core/route-table';
import { signIn, startTestProduct, TokenClient, type TestProduct } from '../support/web';

let product: TestProduct;

beforeAll(async () => {
  product = await startTestProduct({ name: 'apicore' });
});
afterAll(async () => {
  await product?.stop();
});

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document, and every schema in it compiles', async () => {
    const res = await fetch(`${product.url}/api/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as Record<string, unknown>;
    expect(doc.openapi).toBe('3.1.0');
    // The official OAS 3.1 schema (2022-10-07), as shipped with express-openapi-validator.
    const oasSchema = require('express-openapi-validator/dist/framework/openapi.v3_1.modified.schema.json');
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    const valid = ajv.validate(oasSchema, doc);
    expect(ajv.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    // Every JSON Schema inside is itself valid 2020-12 (refs resolved against the document).
    const schemas = new Ajv2020({ strict: false });
    addFormats(schemas);
    schemas.addSchema({ ...doc, $id: 'openapi.json' });
    const components = (doc.components as { schemas: Record<string, unknown> }).schemas;
    for (const name of Object.keys(components)) {
      expect(() => schemas.getSchema(`openapi.json#/components/schemas/${name}`)).not.toThrow();
    }
  });

  it('describes every /api route of the route tables, and nothing that is not a route', async () => {
    const doc = (await (await fetch(`${product.url}/api/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const fromRoutes = product.web.routes
      .filter((r) => isApiPath(r.path))
      .map((r) => `${r.method} ${toOpenApiPath(r.path)}`)
      .sort();
    const fromDoc = Object.entries(doc.paths)
      .flatMap(([path, ops]) =>
        Object.keys(ops)
          .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
          .map((m) => `${m} ${path}`),
      )
      .sort();
    expect(fromDoc).toEqual(fromRoutes);
    expect(fromRoutes).toEqual(
      expect.arrayContaining([
        'get /api/v1/me',
        'post /api/v1/tokens',
        'delete /api/v1/tokens/{id}',
      ]),
    );
  });

  it('serves the interactive docs from local files', async () => {
    const page = await fetch(`${product.url}/api/docs`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('/static/api/swagger-ui-bundle.js');
    expect((await fetch(`${product.url}/static/api/swagger-ui-bundle.js`)).status).toBe(200);
    expect((await fetch(`${product.url}/static/swagger-init.js`)).status).toBe(200);
  });
});

describe('GET /api/v1/me', () => {
  it('answers 401 problem+json without credentials', async () => {
    const res = await fetch(`${product.url}/api/v1/me`);
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await res.json()).toMatchObject({
      type: 'about:blank',
      title: 'Unauthorized',
      status: 401,
      errors: [],
    });
  });

  it('describes the caller, by session cookie and by API token', async () => {
    const web = await signIn(product.url, 'rup.faenza');
    const me = await web.get('/api/v1/me');
    expect(me.status).toBe(200);
    expect(me.json()).toMatchObject({
      username: 'rup.faenza',
      displayName: 'Franco Marini',
      tenantId: '039',
      provinceName: 'Provincia di Ravenna',
      comune: '039010',
      comuneName: 'Faenza',
      roles: ['comune-rup'],
      authenticatedBy: 'password',
    });
    expect(me.json<{ permissions: string[] }>().permissions).toEqual([
      'cases.read',
      'requests.start',
      'tasks.work',
      // a comune's staff propose individual training plans (the head of an office, checked by the training room)
      'training.plan',
    ]);
  });
});

describe('personal API tokens', () => {
  it('are created from the browser, shown once, stored hashed, work as bearer tokens, and die when revoked', async () => {
    const web = await signIn(product.url, 'analista.po');
    const created = await web.postJson('/api/v1/tokens', {
      name: 'script notturno',
      expiresInDays: 30,
    });
    expect(created.status).toBe(201);
    const body = created.json<{
      id: string;
      token: string;
      prefix: string;
      name: string;
      expiresAt: string;
    }>();
    expect(body.token).toMatch(/^pc_[A-Za-z0-9_-]{43}$/);
    expect(body.token.startsWith(body.prefix)).toBe(true);
    expect(Date.parse(body.expiresAt) - Date.now()).toBeGreaterThan(29 * 86_400_000);
    // Stored as a hash only.
    const stored = await product.db.connection.db!.collection('api_tokens').findOne({});
    expect(JSON.stringify(stored)).not.toContain(body.token);

    const api = new TokenClient(product.url, body.token);
    const me = await api.send('GET', '/api/v1/me');
    expect(me.status).toBe(200);
    expect(me.json()).toMatchObject({
      username: 'analista.po',
      tenantId: '100',
      authenticatedBy: 'token',
    });
    // Listed without the secret.
    const list = await api.send('GET', '/api/v1/tokens');
    expect(list.json<{ items: { id: string; name: string }[] }>().items).toEqual([
      expect.objectContaining({ id: body.id, name: 'script notturno' }),
    ]);
    expect(list.text).not.toContain(body.token);
    // A token cannot mint more tokens.
    const mint = await api.send('POST', '/api/v1/tokens', { name: 'altro' });
    expect(mint.status).toBe(403);
    // Nobody else can revoke it; its owner can.
    const other = await signIn(product.url, 'admin.po');
    expect((await other.sendJson('DELETE', `/api/v1/tokens/${body.id}`)).status).toBe(404);
    expect((await web.sendJson('DELETE', `/api/v1/tokens/${body.id}`)).status).toBe(204);
    expect((await api.send('GET', '/api/v1/me')).status).toBe(401);

    const events = await product.auth.securityLog.list('100', { actor: 'analista.po' });
    expect(events.map((e) => e.action)).toEqual(
      expect.arrayContaining(['tokens.created', 'tokens.revoked']),
    );
    expect(JSON.stringify(events)).not.toContain(body.token);
  });

  it('stop working when their owner is deactivated', async () => {
    const web = await signIn(product.url, 'dpo.po');
    const { token } = (await web.postJson('/api/v1/tokens', { name: 'x' })).json<{
      token: string;
    }>();
    const api = new TokenClient(product.url, token);
    expect((await api.send('GET', '/api/v1/me')).status).toBe(200);
    const account = await product.auth.accounts.findByUsername('dpo.po');
    await product.auth.accounts.update(account!.id, { active: false });
    expect((await api.send('GET', '/api/v1/me')).status).toBe(401);
    // The browser session ends too.
    expect((await web.get('/profilo')).status).toBe(303);
    await product.auth.accounts.update(account!.id, { active: true });
  });

  it('answers invalid input with problem+json naming every field', async () => {
    const web = await signIn(product.url, 'sape.ra');
    const res = await web.postJson('/api/v1/tokens', {
      name: '',
      expiresInDays: 9999,
      extra: true,
    });
    expect(res.status).toBe(400);
    const problem = res.json<{ code: string; errors: { field: string }[] }>();
    expect(problem.code).toBe('validation-failed');
    expect(problem.errors.map((e) => e.field).sort()).toEqual(['expiresInDays', 'extra', 'name']);
    const noBody = await web.sendJson('POST', '/api/v1/tokens');
    expect(noBody.status).toBe(415); // no JSON body at all: unsupported media type
    const badId = await web.sendJson('DELETE', '/api/v1/tokens/not-an-id');
    expect(badId.status).toBe(400);
    expect(badId.json<{ errors: { field: string }[] }>().errors[0].field).toBe('id');
  });

  it('refuses a bearer token that is not one', async () => {
    const api = new TokenClient(product.url, 'pc_not-a-real-token');
    const res = await api.send('GET', '/api/v1/me');
    expect(res.status).toBe(401);
    // A token sent to a page does not sign anybody in there.
    const page = await fetch(`${product.url}/profilo`, {
      headers: { authorization: 'Bearer pc_x' },
      redirect: 'manual',
    });
    expect(page.status).toBe(303);
  });
});

describe('the personal API tokens page over HTTP (as a browser without JavaScript)', () => {
  const tokensOf = async (web: Awaited<ReturnType<typeof signIn>>) =>
    (await web.get('/api/v1/tokens', { accept: 'application/json' })).json<{
      items: { id: string; name: string; expiresAt: string }[];
    }>().items;
  const tokensOwner = async (web: Awaited<ReturnType<typeof signIn>>) =>
    (await web.get('/api/v1/me', { accept: 'application/json' })).json<{
      id: string;
      tenantId: string;
    }>();
  /** The one-time id of the "new token" form on a page. */
  const formIdOf = (html: string): string => {
    const id = /name='formId' value='([0-9a-f]{24})'/.exec(html)?.[1];
    if (!id) throw new Error('no new-token form id on the page');
    return id;
  };

  it('needs the CSRF field, names a bad duration, defaults to 90 days, shows the token once and never caches it', async () => {
    const web = await signIn(product.url, 'dirigente.po');
    const formId = formIdOf((await web.get('/profilo/token')).text);
    const forged = await web.postForm('/profilo/token', { _csrf: '', formId, name: 'senza csrf' });
    expect(forged.status).toBe(403);
    const tooLong = await web.postForm('/profilo/token', {
      formId,
      name: 'troppo',
      expiresInDays: '400',
    });
    expect(tooLong.status).toBe(422);
    expect(tooLong.text).toContain('La durata deve essere un numero intero di giorni da 1 a 366.');
    expect(tooLong.text).toContain("href='#expiresInDays'");
    expect(await tokensOf(web)).toEqual([]);

    // The form sent again after an error still creates its token (nothing was created).
    const created = await web.postForm('/profilo/token', { formId, name: 'Gestionale' });
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    const token = /value='(pc_[\w-]+)'/.exec(created.text)?.[1];
    expect(token).toMatch(/^pc_/);
    const [record] = await tokensOf(web);
    expect(record.name).toBe('Gestionale');
    const days = (Date.parse(record.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(89.9);
    expect(days).toBeLessThanOrEqual(90);
    const list = await web.get('/profilo/token');
    expect(list.headers.get('cache-control')).toBe('no-store');
    expect(list.text).toContain('Gestionale');
    expect(list.text).not.toContain(token!);

    // Somebody else cannot see or revoke it: 404, and the token still works.
    const other = await signIn(product.url, 'istruttore.po');
    expect((await other.get(`/profilo/token/${record.id}/revoca`)).status).toBe(404);
    await other.get('/profilo/token');
    expect((await other.postForm(`/profilo/token/${record.id}/revoca`)).status).toBe(404);
    expect((await new TokenClient(product.url, token!).send('GET', '/api/v1/me')).status).toBe(200);
  });

  it('refuses a 21st active token with a message on the page', async () => {
    const web = await signIn(product.url, 'dati.po');
    let formId = formIdOf((await web.get('/profilo/token')).text);
    for (let i = 1; i <= 20; i++) {
      const res = await web.postForm('/profilo/token', {
        formId,
        name: `token ${i}`,
        expiresInDays: '7',
      });
      expect(res.status).toBe(201);
      formId = formIdOf(res.text); // the answer's form, for the next token
    }
    const extra = await web.postForm('/profilo/token', { formId, name: 'uno di troppo' });
    expect(extra.status).toBe(409);
    expect(extra.text).toContain('Hai già il numero massimo di token attivi');
    expect(await tokensOf(web)).toHaveLength(20);
  });

  it('creates one token when the same form is sent twice (a reload of the answer), and says so', async () => {
    const web = await signIn(product.url, 'dirigente.ra');
    const formId = formIdOf((await web.get('/profilo/token')).text);
    const fields = { formId, name: 'Ricaricato', expiresInDays: '30' };
    const first = await web.postForm('/profilo/token', fields);
    expect(first.status).toBe(201);
    const token = /value='(pc_[\w-]+)'/.exec(first.text)?.[1];
    expect(token).toMatch(/^pc_/);

    const again = await web.postForm('/profilo/token', fields);
    expect(again.status).toBe(200);
    expect(again.headers.get('cache-control')).toBe('no-store');
    const tokens = await tokensOf(web);
    expect(tokens.map((t) => t.name)).toEqual(['Ricaricato']);
    expect(again.text).toContain('Il token «Ricaricato» è già stato creato');
    expect(again.text).toContain(`inizia con ${token!.slice(0, 10)}…`);
    expect(again.text).toContain(`href='/profilo/token/${tokens[0].id}/revoca'`);
    expect(again.text).not.toContain(token!);
    // The answer's own form is a new one: it creates a second token.
    expect(formIdOf(again.text)).not.toBe(formId);

    // Once revoked, sending the form yet again still creates nothing, and says it is gone.
    await web.postForm(`/profilo/token/${tokens[0].id}/revoca`);
    const third = await web.postForm('/profilo/token', fields);
    expect(third.status).toBe(200);
    expect(third.text).toContain('Questo token non è più attivo');
    expect(third.text).not.toContain('/revoca');
    expect(await tokensOf(web)).toEqual([]);
  });

  it('refuses a form without its id, or with one this session was never given (400, nothing created)', async () => {
    const web = await signIn(product.url, 'dati.ra');
    const page = await web.get('/profilo/token');
    const missing = await web.postForm('/profilo/token', { name: 'Senza id' });
    expect(missing.status).toBe(400);
    expect(missing.text).toContain('Il modulo inviato non contiene il suo identificativo');
    expect(missing.text).toContain("value='Senza id'"); // what was typed is kept
    // An id shown to another session is unknown here.
    const other = await signIn(product.url, 'istruttore.po');
    const foreign = formIdOf((await other.get('/profilo/token')).text);
    const unknown = await web.postForm('/profilo/token', { formId: foreign, name: 'Altrui' });
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain('Il modulo inviato non è più valido');
    expect(await tokensOf(web)).toEqual([]);
    // The page's own form still works.
    const ok = await web.postForm('/profilo/token', { formId: formIdOf(page.text), name: 'Mio' });
    expect(ok.status).toBe(201);
    expect((await tokensOf(web)).map((t) => t.name)).toEqual(['Mio']);
  });

  it('lists revoked and expired tokens of the last 30 days greyed, with their state and no revoke link', async () => {
    const web = await signIn(product.url, 'dirigente.faenza');
    const me = await tokensOwner(web);
    const owner = { accountId: me.id, tenantId: me.tenantId };
    // The real store with its clock set back: tokens made 10 and 60 days ago, for 7 days.
    const daysAgo = (d: number) =>
      createApiTokenStore(product.db.connection, () => new Date(Date.now() - d * 86_400_000));
    await daysAgo(10).create(owner, { name: 'Scaduto di recente', expiresInDays: 7 });
    await daysAgo(60).create(owner, { name: 'Scaduto da tempo', expiresInDays: 7 });
    let formId = formIdOf((await web.get('/profilo/token')).text);
    for (const name of ['Revocato', 'In uso']) {
      const res = await web.postForm('/profilo/token', { formId, name });
      expect(res.status).toBe(201);
      formId = formIdOf(res.text);
    }
    const revoked = (await tokensOf(web)).find((t) => t.name === 'Revocato')!;
    await web.postForm(`/profilo/token/${revoked.id}/revoca`);

    const page = (await web.get('/profilo/token')).text;
    const rows = [
      ...page.matchAll(
        /<tr data-token-id='(\w+)' data-state='(\w+)'([^>]*)>\s*<th scope='row'>([^<]*)</g,
      ),
    ];
    expect(rows.map((r) => [r[4], r[2], r[3].includes('pc-token-inactive')])).toEqual([
      ['In uso', 'active', false],
      ['Revocato', 'revoked', true],
      ['Scaduto di recente', 'expired', true],
    ]);
    expect(page).toContain("<td data-testid='token-state'>revocato</td>");
    expect(page).toContain("<td data-testid='token-state'>scaduto</td>");
    expect(page).toContain('In grigio i token revocati o scaduti negli ultimi 30 giorni');
    // Only the active one can be revoked; the API still lists only active tokens.
    expect(page.match(/data-testid='revoke-link'/g)).toHaveLength(1);
    expect((await tokensOf(web)).map((t) => t.name)).toEqual(['In uso']);
  });
});
