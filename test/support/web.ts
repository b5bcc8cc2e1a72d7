/**
 * Test helpers for the web product (see src/web/README.md, "Testing your area"):
 *
 *   const product = await startTestProduct();          // in-process, own database, free ports
 *   const rup = await signIn(product.url, 'rup.faenza'); // an HTTP client with cookie + CSRF token
 *   const res = await rup.get('/attivita');
 *   await rup.postForm('/attivita/123/claim', { note: 'x' });   // adds _csrf
 *   await rup.postJson('/api/v1/requests', {...});               // adds X-CSRF-Token
 *   await product.stop();                                // stops it and drops its database
 *
 * Everything is real: the product's own startProduct(), FerretDB, the engine and gRPC.
 */
import { loadProductConfig, type UserConfig } from '../../src/config';
import { findFreePort } from '../../src/db/embedded-ferretdb';
import { startProduct, type RunningProduct } from '../../src/product';
import { testDatabaseUri } from './database';

export const DEMO_PASSWORD = 'demo';

export interface TestProduct extends RunningProduct {
  databaseName: string;
  /** Stops the product and drops its database (unless it was given as `database`, or kept). */
  stop(opts?: { keepDatabase?: boolean }): Promise<void>;
}

export interface StartTestProductOptions {
  /** Extra environment variables (e.g. { WORKERS: 'true' }). */
  env?: Record<string, string>;
  /** Database name prefix (default "web"). */
  name?: string;
  /** Reuse this database (e.g. to restart on the same data); it is then not dropped by stop(). */
  database?: string;
}

/**
 * Starts the whole product in this process: web app on a free port, the built-in engine
 * on a free gRPC port, its own database, DEMO_DATA on (demo accounts with password
 * "demo") but no demo process instances and no workers unless `env` asks for them.
 */
export async function startTestProduct(opts: StartTestProductOptions = {}): Promise<TestProduct> {
  const dbName =
    opts.database ??
    `${opts.name ?? 'web'}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 6)}`;
  const product = await startProduct({
    ...process.env,
    PORT: '0',
    ZEEBE_ADDRESS: `127.0.0.1:${await findFreePort()}`,
    ENGINE_REST_ADDRESS: `127.0.0.1:${await findFreePort()}`,
    MONGODB_URI: testDatabaseUri(dbName),
    DEMO_DATA: 'true',
    DEMO_INSTANCES: 'false',
    DEMO_PASSWORD,
    DEMO_MAIL_SINK: 'false',
    WORKERS: 'false',
    LOG_LEVEL: 'warn',
    ...opts.env,
  });
  const stopProduct = product.stop;
  return Object.assign(product, {
    databaseName: dbName,
    async stop(stopOpts: { keepDatabase?: boolean } = {}) {
      if (!opts.database && !stopOpts.keepDatabase) {
        await product.db.connection.db?.dropDatabase().catch(() => undefined);
      }
      await stopProduct();
    },
  });
}

export interface DemoUser extends UserConfig {
  tenantId: string;
}

/** The demo users of engine-config (both provinces), as the product seeds them. */
export function demoUsers(): DemoUser[] {
  const config = loadProductConfig(require('node:path').resolve(__dirname, '../../engine-config'));
  return [...config.provinces.values()].flatMap((p) =>
    p.users.map((u) => ({ ...u, tenantId: p.tenantId })),
  );
}

export function demoUser(username: string): DemoUser {
  const user = demoUsers().find((u) => u.username === username);
  if (!user) throw new Error(`no demo user ${username}`);
  return user;
}

export interface WebResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The JSON body (throws if the body is not JSON). */
  json<T = unknown>(): T;
  /** The Location header, for redirects. */
  location: string | null;
}

/**
 * A tiny browser-like HTTP client: keeps cookies, never follows redirects (tests look at
 * them), and adds the CSRF token to state-changing requests.
 */
export class WebClient {
  private readonly cookies = new Map<string, string>();
  csrfToken: string | undefined;

  constructor(readonly baseUrl: string) {}

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  setCookie(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  async request(
    path: string,
    init: RequestInit & { headers?: Record<string, string> } = {},
  ): Promise<WebResponse> {
    const headers: Record<string, string> = { ...(init.headers ?? {}) };
    if (this.cookies.size > 0 && !headers.cookie) headers.cookie = this.cookieHeader();
    const res = await fetch(new URL(path, this.baseUrl), { ...init, headers, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a)) || value === '';
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await res.text();
    const token =
      /<meta name="csrf-token" content="([^"]+)"/.exec(text)?.[1] ??
      /name="_csrf" value="([^"]+)"/.exec(text)?.[1];
    if (token) this.csrfToken = token;
    return {
      status: res.status,
      headers: res.headers,
      text,
      location: res.headers.get('location'),
      json: <T>() => JSON.parse(text) as T,
    };
  }

  get(path: string, headers: Record<string, string> = {}): Promise<WebResponse> {
    return this.request(path, { method: 'GET', headers });
  }

  /** An HTML form post (adds the hidden _csrf field unless `_csrf` is given, even as ''). */
  postForm(path: string, fields: Record<string, string | string[]> = {}): Promise<WebResponse> {
    const body = new URLSearchParams();
    const withToken = '_csrf' in fields ? fields : { _csrf: this.csrfToken ?? '', ...fields };
    for (const [k, v] of Object.entries(withToken)) for (const x of [v].flat()) body.append(k, x);
    return this.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
    });
  }

  /** A JSON call as the browser's fetch() would make it (session cookie + X-CSRF-Token). */
  sendJson(method: string, path: string, body?: unknown): Promise<WebResponse> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.csrfToken) headers['x-csrf-token'] = this.csrfToken;
    if (body !== undefined) headers['content-type'] = 'application/json';
    return this.request(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  postJson(path: string, body: unknown): Promise<WebResponse> {
    return this.sendJson('POST', path, body);
  }
}

/** An API client that authenticates with a personal API token only (no cookies). */
export class TokenClient {
  constructor(
    readonly baseUrl: string,
    readonly token: string,
  ) {}

  async send(method: string, path: string, body?: unknown): Promise<WebResponse> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.token}`,
      accept: 'application/json',
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(new URL(path, this.baseUrl), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      redirect: 'manual',
    });
    const text = await res.text();
    return {
      status: res.status,
      headers: res.headers,
      text,
      location: res.headers.get('location'),
      json: <T>() => JSON.parse(text) as T,
    };
  }
}

/** Signs in over HTTP as a browser would (GET the form, POST it); fails loudly otherwise. */
export async function signIn(
  baseUrl: string,
  username: string,
  password = DEMO_PASSWORD,
): Promise<WebClient> {
  const client = new WebClient(baseUrl);
  await client.get('/accedi');
  const res = await client.postForm('/accedi', { username, password });
  if (res.status !== 303) {
    throw new Error(`sign-in of ${username} answered ${res.status}: ${res.text.slice(0, 300)}`);
  }
  // The token changes at sign-in: pick up the new one from the page we land on.
  await client.get(res.location ?? '/');
  return client;
}

/** Signs in and creates a personal API token for the person; returns a token-only client. */
export async function tokenClient(
  baseUrl: string,
  username: string,
  password = DEMO_PASSWORD,
): Promise<TokenClient> {
  const web = await signIn(baseUrl, username, password);
  const res = await web.postJson('/api/v1/tokens', { name: `test ${username}` });
  if (res.status !== 201) throw new Error(`token for ${username}: ${res.status} ${res.text}`);
  return new TokenClient(baseUrl, res.json<{ token: string }>().token);
}
