/**
 * The benchmarks' web product (bench/inbox.ts, bench/monitoring.ts): started on a data
 * directory with the demo accounts, and read over HTTP by a signed-in session.
 */
import { findFreePort } from '../src/db/embedded-ferretdb';
import { startProduct, type RunningProduct } from '../src/product';

/** The product on `dataDir`: free ports, demo accounts (no demo instances), quiet logs. */
export async function startBenchProduct(
  dataDir: string,
  env: Record<string, string>,
): Promise<RunningProduct> {
  return startProduct({
    ...process.env,
    DATA_DIR: dataDir,
    PORT: '0',
    ZEEBE_ADDRESS: `127.0.0.1:${await findFreePort()}`,
    ENGINE_REST_ADDRESS: `127.0.0.1:${await findFreePort()}`,
    DEMO_DATA: 'true',
    DEMO_INSTANCES: 'false',
    DEMO_MAIL_SINK: 'false',
    LOG_LEVEL: 'error',
    ...env,
  });
}

/** A signed-in session over HTTP (cookies + CSRF token), like a browser without JS. */
export class Session {
  private cookie = '';
  csrf = '';
  constructor(private readonly base: string) {}
  async request(p: string, init: RequestInit = {}): Promise<{ status: number; text: string }> {
    const headers = new Headers(init.headers);
    if (this.cookie) headers.set('cookie', this.cookie);
    const res = await fetch(new URL(p, this.base), { ...init, headers, redirect: 'manual' });
    const set = res.headers.getSetCookie().map((c) => c.split(';')[0]);
    if (set.length) this.cookie = set.join('; ');
    const text = await res.text();
    const token = /name="_csrf" value="([^"]+)"/.exec(text)?.[1];
    if (token) this.csrf = token;
    return { status: res.status, text };
  }
  /** Signs in with the demo password and opens `landing` (whose form carries the token). */
  static async signIn(base: string, username: string, landing = '/attivita'): Promise<Session> {
    const s = new Session(base);
    await s.request('/accedi');
    const body = new URLSearchParams({ _csrf: s.csrf, username, password: 'demo' });
    const res = await s.request('/accedi', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    if (res.status !== 303) throw new Error(`sign-in of ${username}: ${res.status}`);
    await s.request(landing);
    return s;
  }
  json(method: string, p: string, body?: unknown) {
    return this.request(p, {
      method,
      headers: {
        accept: 'application/json',
        'content-type': 'application/json',
        'x-csrf-token': this.csrf,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }
}
