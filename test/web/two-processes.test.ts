/**
 * Stateless app processes (DESIGN.md): two product processes on one database — the
 * second with BUILT_IN_ENGINE=false, using the first one's gateway with a bearer token
 * of ZEEBE_GATEWAY_TOKENS — share sessions,
 * the session secret, failed sign-in counts, lock-outs and rate limits. Also the session
 * time-outs: idle (rolling expiry of the stored session and the cookie) and absolute
 * (from sign-in, whatever the activity).
 */
import { startProduct } from '../../src/product';
import { SESSIONS_COLLECTION } from '../../src/web/core/session';
import { startTestProduct, WebClient, signIn, type TestProduct } from '../support/web';

let first: TestProduct;
let second: TestProduct;

// Small limits so the test reaches them; the lock-out (5 failures per username) is fixed.
const LIMITS = {
  LOGIN_LIMIT_PER_IP: '8',
  SESSION_IDLE_MINUTES: '30',
  SESSION_ABSOLUTE_HOURS: '12',
};

const SECOND_TOKEN = 'second-app-process-token-0123456789';

beforeAll(async () => {
  first = await startTestProduct({
    name: 'twoproc',
    env: { ...LIMITS, ZEEBE_GATEWAY_TOKENS: JSON.stringify({ [SECOND_TOKEN]: ['039', '100'] }) },
  });
  second = await startTestProduct({
    database: first.databaseName,
    env: {
      ...LIMITS,
      BUILT_IN_ENGINE: 'false',
      ZEEBE_ADDRESS: first.zeebeAddress,
      ZEEBE_TOKEN: SECOND_TOKEN,
      ENGINE_REST_ADDRESS: `http://${first.env.engineRestAddress}`,
    },
  });
});
afterAll(async () => {
  await second?.stop();
  await first?.stop();
});

/** The same cookie jar, pointed at the other process. */
function sameBrowserOn(client: WebClient, url: string): WebClient {
  const other = new WebClient(url);
  other.setCookie('pc.sid', client.cookie('pc.sid')!);
  return other;
}

async function storedSession(
  sid: string,
): Promise<{ expires: Date; session: { signedInAt: number } }> {
  // The cookie is "s:<id>.<signature>".
  const id = decodeURIComponent(sid).replace(/^s:/, '').replace(/\..*$/, '');
  const doc = await first.db.connection
    .db!.collection(SESSIONS_COLLECTION)
    .findOne({ _id: id as never });
  if (!doc) throw new Error(`no stored session ${id}`);
  return doc as unknown as { expires: Date; session: { signedInAt: number } };
}

async function editSession(sid: string, change: Record<string, unknown>): Promise<void> {
  const id = decodeURIComponent(sid).replace(/^s:/, '').replace(/\..*$/, '');
  await first.db.connection
    .db!.collection(SESSIONS_COLLECTION)
    .updateOne({ _id: id as never }, { $set: change });
}

describe('two product processes on one database', () => {
  it('the second runs without its own engine, on the first one’s gateway with its bearer token', async () => {
    expect(second.env.builtInEngine).toBe(false);
    expect(second.zeebeAddress).toBe(first.zeebeAddress);
    const health = (await (await fetch(`${second.url}/health`)).json()) as {
      engine: { status: string; mode: string };
    };
    expect(health.engine).toMatchObject({ status: 'ok', mode: 'external' });
  });

  it('a built-in gateway beyond loopback without ZEEBE_GATEWAY_TOKENS is refused at start, naming the fix', async () => {
    await expect(
      startProduct({ ...process.env, ZEEBE_ADDRESS: '0.0.0.0:26599', BUILT_IN_ENGINE: 'true' }),
    ).rejects.toThrow(
      /ZEEBE_ADDRESS=0\.0\.0\.0:26599 exposes the built-in Zeebe gateway.*ZEEBE_GATEWAY_TOKENS/,
    );
  });

  it('share sessions: signed in on one, signed in on the other; signed out on the other, out on both', async () => {
    const onFirst = await signIn(first.url, 'istruttore.ra');
    const onSecond = sameBrowserOn(onFirst, second.url);
    const profile = await onSecond.get('/profilo');
    expect(profile.status).toBe(200);
    expect(profile.text).toContain('data-testid="header-user-name">Giulia Verdi<');
    // The CSRF token lives in the shared session: a form of the second process posts fine.
    const out = await onSecond.postForm('/esci');
    expect(out.status).toBe(303);
    expect((await onFirst.get('/profilo')).status).toBe(303);
  });

  it('count failed sign-ins together: 3 on one and 2 on the other lock the account on both', async () => {
    const a = new WebClient(first.url);
    const b = new WebClient(second.url);
    await a.get('/accedi');
    await b.get('/accedi');
    for (let i = 0; i < 3; i++)
      expect(
        (await a.postForm('/accedi', { username: 'dpo.po', password: `no-${i}` })).status,
      ).toBe(401);
    for (let i = 0; i < 2; i++)
      expect(
        (await b.postForm('/accedi', { username: 'dpo.po', password: `no-b${i}` })).status,
      ).toBe(401);
    const locked = await a.postForm('/accedi', { username: 'dpo.po', password: 'demo' });
    expect(locked.status).toBe(429);
    expect(locked.text).toContain('bloccato');
    expect((await b.postForm('/accedi', { username: 'dpo.po', password: 'demo' })).status).toBe(
      429,
    );
  });

  it('share the per-address limit: 8 failures spread over both processes, then /accedi answers 429 in Italian on both', async () => {
    // A fresh budget for this address (the lock-out test above spent some of it).
    await first.db.connection.db!.collection('rate_limits').deleteMany({});
    const a = new WebClient(first.url);
    const b = new WebClient(second.url);
    await a.get('/accedi');
    await b.get('/accedi');
    // Different unknown usernames, so the per-username lock-out does not come first.
    for (let i = 0; i < 8; i++) {
      const res = await (i % 2 === 0 ? a : b).postForm('/accedi', {
        username: `nessuno${i}.ra`,
        password: 'x',
      });
      expect(res.status).toBe(401);
    }
    for (const client of [a, b]) {
      // Even the right password of an unlocked account: the address has spent its budget.
      const refused = await client.postForm('/accedi', { username: 'ospite.po', password: 'demo' });
      expect(refused.status).toBe(429);
      expect(refused.text).toContain('Troppi tentativi di accesso');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    await first.db.connection.db!.collection('rate_limits').deleteMany({});
  });
});

describe('session time-outs', () => {
  it('idle: every request pushes the stored expiry and the cookie 30 minutes ahead; an expired session is over', async () => {
    const client = await signIn(first.url, 'analista.po');
    const res = await client.get('/profilo');
    expect(res.status).toBe(200);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('pc.sid='));
    const cookieExpires = Date.parse(/Expires=([^;]+)/i.exec(cookie!)![1]);
    expect(cookieExpires - Date.now()).toBeGreaterThan(29 * 60_000);
    expect(cookieExpires - Date.now()).toBeLessThanOrEqual(30 * 60_000 + 5_000);
    const sid = client.cookie('pc.sid')!;
    const { expires } = await storedSession(sid);
    const ahead = expires.getTime() - Date.now();
    expect(ahead).toBeGreaterThan(29 * 60_000);
    expect(ahead).toBeLessThanOrEqual(30 * 60_000 + 5_000);
    // 31 minutes without requests: the stored session has expired.
    await editSession(sid, { expires: new Date(Date.now() - 60_000) });
    const after = await client.get('/profilo');
    expect(after.status).toBe(303);
    expect(after.location).toMatch(/^\/accedi/);
  });

  it('absolute: 12 hours after sign-in the session ends even if it was used a minute ago', async () => {
    const client = await signIn(second.url, 'admin.ra');
    expect((await client.get('/profilo')).status).toBe(200);
    const sid = client.cookie('pc.sid')!;
    expect((await storedSession(sid)).session.signedInAt).toBeGreaterThan(Date.now() - 60_000);
    await editSession(sid, { 'session.signedInAt': Date.now() - 12 * 3_600_000 - 60_000 });
    const after = await client.get('/profilo');
    expect(after.status).toBe(303);
    expect(after.location).toMatch(/^\/accedi\?(.*&)?scaduta=1/);
    const page = await client.get(after.location!);
    expect(page.text).toContain('La sessione è scaduta');
    // On the other process too (it is the same session).
    expect((await sameBrowserOn(client, first.url).get('/profilo')).status).toBe(303);
  });
});
