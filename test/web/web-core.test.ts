/**
 * The web core's guarantees, over HTTP against the real product: every route names a
 * permission, CSRF, forged cookies, body limits, security headers, uniform errors
 * without stack traces, the language switch.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AREAS, createWebApp } from '../../src/web/app';
import { ROUTE_DEF } from '../../src/web/core/access';
import type { RouteDef } from '../../src/web/core/route-table';
import { resolveSessionSecret } from '../../src/web/core/session';
import { signIn, startTestProduct, WebClient, type TestProduct } from '../support/web';

let product: TestProduct;

beforeAll(async () => {
  product = await startTestProduct({ name: 'webcore' });
});
afterAll(async () => {
  await product?.stop();
});

interface Layer {
  route?: {
    path: string;
    methods: Record<string, boolean>;
    stack: { handle: { [ROUTE_DEF]?: RouteDef } }[];
  };
}

describe('route tables', () => {
  it('every route of the app was mounted from a route table and names its permission', () => {
    const stack = (product.web.app as unknown as { router: { stack: Layer[] } }).router.stack;
    const routes = stack.filter((l) => l.route);
    expect(routes.length).toBe(product.web.routes.length);
    const missing: string[] = [];
    for (const layer of routes) {
      const def = layer.route!.stack[0]?.handle?.[ROUTE_DEF];
      const where = `${Object.keys(layer.route!.methods).join(',').toUpperCase()} ${layer.route!.path}`;
      if (!def || !def.permission) missing.push(where);
    }
    expect(missing).toEqual([]);
    // The core's own routes are there with the access they should have.
    const access = Object.fromEntries(
      product.web.routes.map((r) => [`${r.method} ${r.path}`, r.permission]),
    );
    expect(access['get /accedi']).toBe('public');
    expect(access['post /esci']).toBe('signed-in');
    expect(access['get /api/v1/me']).toBe('signed-in');
  });

  it('refuses at start-up a route table with a route without permission, with undescribed parameters or an unmarked file route', async () => {
    const secret = await resolveSessionSecret(product.db.connection, undefined);
    const noPermission = () => ({
      name: 'broken',
      routes: [
        { method: 'get' as const, path: '/rotto', handler: () => undefined } as unknown as RouteDef,
      ],
    });
    expect(() =>
      createWebApp(product.webContext, { sessionSecret: secret, areas: [...AREAS, noPermission] }),
    ).toThrow(/GET \/rotto declares no permission/);
    const undescribed = () => ({
      name: 'broken',
      routes: [
        {
          method: 'get' as const,
          path: '/rotto/:id',
          permission: 'public' as const,
          handler: () => undefined,
        },
      ],
    });
    expect(() =>
      createWebApp(product.webContext, { sessionSecret: secret, areas: [...AREAS, undescribed] }),
    ).toThrow(/":id" is not described/);
    // A CSV route not marked as a download would be opened as a page by the axe crawl.
    const unmarked = () => ({
      name: 'broken',
      routes: [
        {
          method: 'get' as const,
          path: '/rotto/elenco.csv',
          permission: 'public' as const,
          handler: () => undefined,
        },
      ],
    });
    expect(() =>
      createWebApp(product.webContext, { sessionSecret: secret, areas: [...AREAS, unmarked] }),
    ).toThrow(/GET \/rotto\/elenco\.csv: a file path must say what it answers: kind: 'download'/);
  });
});

describe('CSRF and cookies', () => {
  it('refuses a form post without the CSRF token, or with another session’s token', async () => {
    const client = await signIn(product.url, 'admin.ra');
    const none = await client.postForm('/esci', { _csrf: '' });
    expect(none.status).toBe(403);
    expect(none.text).toContain('Operazione non consentita');
    const other = await signIn(product.url, 'admin.po');
    const foreign = await client.postForm('/esci', { _csrf: other.csrfToken! });
    expect(foreign.status).toBe(403);
    // Still signed in: nothing happened.
    expect((await client.get('/profilo')).status).toBe(200);
    // A JSON call from the page needs the header too.
    const noHeader = await client.request('/api/v1/tokens', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x' }),
    });
    expect(noHeader.status).toBe(403);
    expect(noHeader.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(noHeader.json<{ code: string }>().code).toBe('csrf-invalid');
  });

  it('treats a forged or tampered session cookie as no session', async () => {
    const client = await signIn(product.url, 'istruttore.ra');
    const real = client.cookie('pc.sid')!;
    // Same session id, forged signature; and a made-up id.
    const [id] = decodeURIComponent(real).replace(/^s:/, '').split('.');
    for (const forged of [
      `s%3A${id}.AAAAforgedsignatureAAAA`,
      's%3Anot-a-session.xyz',
      'garbage',
    ]) {
      const attacker = new WebClient(product.url);
      attacker.setCookie('pc.sid', forged);
      const page = await attacker.get('/profilo');
      expect(page.status).toBe(303);
      expect(page.location).toMatch(/^\/accedi/);
      const api = await attacker.get('/api/v1/me');
      expect(api.status).toBe(401);
      expect(api.headers.get('www-authenticate')).toBe('Bearer');
    }
  });

  it('sets the session cookie HttpOnly and SameSite=Lax, without Secure over plain http', async () => {
    const res = await fetch(`${product.url}/accedi`);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('pc.sid='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/);
    // Idle time-out: the cookie lives 30 minutes (renewed by every request).
    const expires = Date.parse(/Expires=([^;]+)/.exec(cookie)![1]);
    expect(expires - Date.now()).toBeGreaterThan(29 * 60_000);
    expect(expires - Date.now()).toBeLessThan(31 * 60_000);
  });

  it('served over HTTPS (PUBLIC_URL https://…, behind a local proxy): __Host- cookie, Secure, HSTS', async () => {
    const web = createWebApp(
      { ...product.webContext, env: { ...product.env, publicUrl: 'https://pc.provincia.example' } },
      { sessionSecret: await resolveSessionSecret(product.db.connection, undefined) },
    );
    const server: Server = await new Promise((resolve) => {
      const s = web.app.listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const res = await fetch(`${base}/accedi`, { headers: { 'x-forwarded-proto': 'https' } });
      expect(res.status).toBe(200);
      const cookie = res.headers.getSetCookie().find((c) => c.startsWith('__Host-pc.sid='));
      expect(cookie).toBeDefined();
      expect(cookie).toMatch(/; Secure/);
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Lax/);
      expect(cookie).toMatch(/Path=\//);
      expect(res.headers.get('strict-transport-security')).toMatch(/max-age=31536000/);
    } finally {
      await new Promise((r) => server.close(r));
      await web.close();
    }
  });
});

describe('body limits', () => {
  it('refuses an oversize form with 413 and an oversize JSON body with problem+json 413', async () => {
    const client = new WebClient(product.url);
    await client.get('/accedi');
    const big = await client.postForm('/accedi', { username: 'x', password: 'y'.repeat(200_000) });
    expect(big.status).toBe(413);
    expect(big.text).toContain('Richiesta troppo grande');
    const signedIn = await signIn(product.url, 'dati.ra');
    const json = await signedIn.postJson('/api/v1/tokens', {
      name: 'x',
      padding: 'z'.repeat(2_000_000),
    });
    expect(json.status).toBe(413);
    expect(json.json<{ status: number; code: string }>()).toMatchObject({
      status: 413,
      code: 'body-too-large',
    });
  });
});

describe('headers and errors', () => {
  it('sends a CSP without unsafe-inline, and the other helmet headers', async () => {
    const res = await fetch(`${product.url}/`);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toMatch(/script-src 'self'/);
    expect(csp).toMatch(/style-src 'self'/);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('answers an unknown page with an Italian 404 page and an unknown API path with problem+json', async () => {
    const page = await fetch(`${product.url}/non-esiste`);
    expect(page.status).toBe(404);
    expect(await page.text()).toContain('Pagina non trovata');
    const api = await fetch(`${product.url}/api/v1/non-esiste`);
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(await api.json()).toMatchObject({
      status: 404,
      title: 'Not Found',
      instance: '/api/v1/non-esiste',
    });
  });

  it('never shows a stack trace: a failing handler gets the uniform 500 page or problem', async () => {
    const secret = await resolveSessionSecret(product.db.connection, undefined);
    const failing = () => ({
      name: 'failing',
      routes: [
        {
          method: 'get' as const,
          path: '/guasto',
          permission: 'public' as const,
          handler: () => {
            throw new Error('secret internal detail at /srv/app/x.ts:12');
          },
        },
        {
          method: 'get' as const,
          path: '/api/guasto',
          permission: 'public' as const,
          handler: () => {
            throw new Error('secret internal detail at /srv/app/x.ts:12');
          },
        },
      ],
      openapi: {
        paths: { '/api/guasto': { get: { responses: { '500': { description: 'always' } } } } },
      },
    });
    const web = createWebApp(
      { ...product.webContext, logger: product.logger.child({}, { level: 'silent' }) },
      {
        sessionSecret: secret,
        areas: [...AREAS, failing],
      },
    );
    const server: Server = await new Promise((resolve) => {
      const s = web.app.listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const page = await fetch(`${base}/guasto`);
      expect(page.status).toBe(500);
      const html = await page.text();
      expect(html).toContain('Errore del server');
      expect(html).not.toMatch(/secret internal detail|x\.ts|at Object|Error:/);
      const api = await fetch(`${base}/api/guasto`);
      expect(api.status).toBe(500);
      const body = await api.text();
      expect(JSON.parse(body)).toMatchObject({ status: 500, code: 'internal' });
      expect(body).not.toMatch(/secret internal detail|x\.ts/);
    } finally {
      await new Promise((r) => server.close(r));
      await web.close();
    }
  });
});

describe('language', () => {
  it('switches to English and back through the i18n layer', async () => {
    const client = new WebClient(product.url);
    const it = await client.get('/accedi');
    expect(it.text).toContain('<html lang="it">');
    expect(it.text).toContain('Nome utente');
    const sw = await client.get('/lingua/en?torna=%2Faccedi');
    expect(sw.status).toBe(303);
    expect(sw.location).toBe('/accedi');
    const en = await client.get('/accedi');
    expect(en.text).toContain('<html lang="en">');
    expect(en.text).toContain('Username');
    expect(en.text).toContain('href="/lingua/it?torna&#x3D;%2Faccedi"');
    // The switch never sends people to another site.
    expect((await client.get('/lingua/it?torna=https://evil.example')).location).toBe('/');
  });
});
