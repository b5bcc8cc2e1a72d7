/**
 * Signing in as the people who use the product: every demo user, wrong passwords, the
 * lock-out, the forced password change, sign-out and the session id at sign-in.
 */
import { permissionsOf } from '../../src/auth';
import { demoUsers, signIn, startTestProduct, WebClient, type TestProduct } from '../support/web';

let product: TestProduct;

beforeAll(async () => {
  product = await startTestProduct({ name: 'signin' });
});
afterAll(async () => {
  await product?.stop();
});

function menuHrefs(html: string): string[] {
  const menu =
    /<ul class="navbar-nav" data-testid="main-menu">([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? '';
  return [...menu.matchAll(/<li class="nav-item">\s*<a class="nav-link[^"]*" href="([^"]+)"/g)].map(
    (m) => m[1],
  );
}

describe('every demo user', () => {
  it.each(demoUsers().map((u) => [u.username, u] as const))(
    '%s signs in with DEMO_PASSWORD and lands on a home page with their name, province and only their menu entries',
    async (_name, user) => {
      const client = await signIn(product.url, user.username);
      const home = await client.get('/');
      expect(home.status).toBe(200);
      const province = product.config.provinces.get(user.tenantId)!;
      expect(home.text).toContain(`data-testid="header-user-name">${user.name}<`);
      expect(home.text).toContain(`data-testid="brand-province">${province.name}<`);
      // The other province is never named on a signed-in page.
      const other = [...product.config.provinces.values()].find(
        (p) => p.tenantId !== user.tenantId,
      )!;
      expect(home.text).not.toContain(other.name);
      if (user.comune) {
        const comune = province.comuni.find((c) => c.istat === user.comune)!;
        expect(home.text).toContain(`Comune di ${comune.name}`);
      }
      const allowed = permissionsOf(user.roles);
      const expected = product.web.menu
        .filter((m) => m.permission === 'signed-in' || allowed.has(m.permission))
        .sort((a, b) => a.order - b.order)
        .map((m) => m.href);
      expect(menuHrefs(home.text)).toEqual(expected);
    },
  );
});

describe('sign-in errors', () => {
  it('answers a wrong password with an Italian message, and keeps the username', async () => {
    const client = new WebClient(product.url);
    await client.get('/accedi');
    const res = await client.postForm('/accedi', { username: 'dpo.ra', password: 'sbagliata' });
    expect(res.status).toBe(401);
    expect(res.text).toContain('Nome utente o password non corretti.');
    expect(res.text).toMatch(/id='username' name='username' value='dpo.ra'/);
    // An unknown username gets exactly the same answer (no username probing).
    const unknown = await client.postForm('/accedi', {
      username: 'nessuno.ra',
      password: 'sbagliata',
    });
    expect(unknown.status).toBe(401);
    expect(unknown.text).toContain('Nome utente o password non corretti.');
  });

  it('refuses the 6th attempt within 15 minutes even with the right password, and logs the lock-out', async () => {
    const client = new WebClient(product.url);
    await client.get('/accedi');
    for (let i = 1; i <= 5; i++) {
      const res = await client.postForm('/accedi', { username: 'sape.po', password: `wrong-${i}` });
      expect(res.status).toBe(401);
    }
    const sixth = await client.postForm('/accedi', { username: 'sape.po', password: 'demo' });
    expect(sixth.status).toBe(429);
    expect(sixth.text).toContain('bloccato');
    expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThan(800);
    // Other people are not affected.
    await expect(signIn(product.url, 'dati.po')).resolves.toBeInstanceOf(WebClient);
    const events = await product.auth.securityLog.list('100', { actor: 'sape.po' });
    const actions = events.map((e) => e.action);
    expect(actions.filter((a) => a === 'auth.sign-in.failed')).toHaveLength(5);
    expect(actions).toContain('auth.locked');
    expect(actions).toContain('auth.sign-in.refused-locked');
    expect(events.find((e) => e.action === 'auth.locked')?.ip).toBeTruthy();
    // Passwords never reach the log.
    expect(JSON.stringify(events)).not.toMatch(/wrong-\d|"demo"/);
  });
});

describe('the per-username limit', () => {
  /** A fresh browser at a given client address (the app trusts the loopback proxy's X-Forwarded-For). */
  async function attempt(ip: string, username: string, password: string) {
    const client = new WebClient(product.url);
    const headers = { 'x-forwarded-for': ip };
    await client.get('/accedi', headers);
    const body = new URLSearchParams({ _csrf: client.csrfToken ?? '', username, password });
    return client.request('/accedi', {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
    });
  }
  const addresses = [
    '198.51.100.11',
    '198.51.100.12',
    '203.0.113.13',
    '203.0.113.14',
    '192.0.2.15',
  ];

  it('locks one username for 15 minutes after 5 failures from 5 different addresses, and logs it; another username from the same addresses is unaffected', async () => {
    const started = Date.now();
    for (const [i, ip] of addresses.entries()) {
      const res = await attempt(ip, 'sape.ra', `wrong-${i}`);
      expect(res.status).toBe(401);
      // The 5th failure says the account is now locked.
      expect(res.text).toContain(i === 4 ? 'bloccato per 15 minuti' : 'non corretti');
    }
    // From a sixth address, with the right password: still refused.
    const refused = await attempt('192.0.2.99', 'sape.ra', 'demo');
    expect(refused.status).toBe(429);
    expect(refused.text).toContain('Troppi tentativi non riusciti');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(14 * 60);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(15 * 60);

    // The log names each address, and the lock's end is 15 minutes after the 5th failure.
    const events = await product.auth.securityLog.list('039', { actor: 'sape.ra' });
    const failed = events.filter((e) => e.action === 'auth.sign-in.failed');
    expect(failed.map((e) => e.ip).sort()).toEqual([...addresses].sort());
    const locked = events.find((e) => e.action === 'auth.locked');
    expect(locked?.ip).toBe(addresses[4]);
    const until = Date.parse(String(locked?.details?.until));
    expect(until - started).toBeGreaterThanOrEqual(15 * 60_000 - 1_000);
    expect(until - Date.now()).toBeLessThanOrEqual(15 * 60_000);
    expect(events.find((e) => e.action === 'auth.sign-in.refused-locked')?.ip).toBe('192.0.2.99');

    // Another username from the very same addresses: its own 4 failures lock nothing,
    // and the right password from one of those addresses signs in.
    for (const [i, ip] of addresses.slice(0, 4).entries()) {
      const res = await attempt(ip, 'dati.ra', `wrong-${i}`);
      expect(res.status).toBe(401);
      expect(res.text).toContain('Nome utente o password non corretti.');
      expect(res.text).not.toContain('bloccato');
    }
    const ok = await attempt(addresses[4], 'dati.ra', 'demo');
    expect(ok.status).toBe(303);
    const bystander = await product.auth.securityLog.list('039', { actor: 'dati.ra' });
    expect(bystander.map((e) => e.action)).not.toContain('auth.locked');
  });

  it('also caps the requests for one username from any address (LOGIN_LIMIT_PER_USERNAME, 10 in 15 minutes): the 11th is refused before the password is checked', async () => {
    const at = (i: number) => `198.18.0.${i + 1}`;
    for (let i = 0; i < 10; i++) {
      const res = await attempt(at(i), 'ospite.ra', `wrong-${i}`);
      // 5 failures, then the lock-out answers; both count for the limiter.
      expect(res.status).toBe(i < 5 ? 401 : 429);
      if (i >= 5) expect(res.text).toContain('Troppi tentativi non riusciti');
    }
    const eleventh = await attempt('198.18.1.1', 'ospite.ra', 'whatever');
    expect(eleventh.status).toBe(429);
    expect(eleventh.text).toContain('Troppi tentativi di accesso in poco tempo.');
    // The limiter, not the lock-out: this attempt reached no sign-in code, so it is not logged.
    const events = await product.auth.securityLog.list('039', { actor: 'ospite.ra' });
    expect(events.filter((e) => e.action === 'auth.sign-in.refused-locked')).toHaveLength(5);
    expect(events.filter((e) => e.ip === '198.18.1.1')).toEqual([]);
    // Another username from the same address is unaffected.
    const other = await attempt('198.18.1.1', 'formazione.ra', 'whatever');
    expect(other.status).toBe(401);
    expect(other.text).toContain('Nome utente o password non corretti.');
  });
});

describe('the session', () => {
  it('gets a new id at sign-in (a cookie planted before is worth nothing) and ends at sign-out', async () => {
    const client = new WebClient(product.url);
    await client.get('/accedi');
    const before = client.cookie('pc.sid');
    expect(before).toBeTruthy();
    const res = await client.postForm('/accedi', { username: 'analista.ra', password: 'demo' });
    expect(res.status).toBe(303);
    expect(res.location).toBe('/');
    const after = client.cookie('pc.sid');
    expect(after).toBeTruthy();
    expect(after).not.toBe(before);
    // The pre-sign-in cookie does not open the account.
    const planted = new WebClient(product.url);
    planted.setCookie('pc.sid', before!);
    expect((await planted.get('/profilo')).status).toBe(303);

    await client.get('/');
    const out = await client.postForm('/esci');
    expect(out.status).toBe(303);
    expect(out.location).toBe('/accedi?uscita=1');
    const profile = await client.get('/profilo');
    expect(profile.status).toBe(303);
    expect(profile.location).toBe('/accedi?torna=%2Fprofilo');
    // The old cookie is dead on the server too.
    const replay = new WebClient(product.url);
    replay.setCookie('pc.sid', after!);
    expect((await replay.get('/profilo')).status).toBe(303);
  });

  it('sends the person back to the page they asked for, but never to another site', async () => {
    const client = new WebClient(product.url);
    const asked = await client.get('/profilo');
    expect(asked.location).toBe('/accedi?torna=%2Fprofilo');
    await client.get(asked.location!);
    const res = await client.postForm('/accedi', {
      username: 'dpo.po',
      password: 'demo',
      torna: '/profilo',
    });
    expect(res.location).toBe('/profilo');
    const evil = new WebClient(product.url);
    await evil.get('/accedi');
    for (const torna of ['//evil.example/x', 'https://evil.example/', '/\\evil.example']) {
      const r = await evil.postForm('/accedi', { username: 'dpo.po', password: 'demo', torna });
      expect(r.location).toBe('/');
      await evil.get('/');
      await evil.postForm('/esci');
      await evil.get('/accedi');
    }
  });
});

describe('cambia password', () => {
  it('checks the current password and the policy, names each field, then changes it', async () => {
    const client = await signIn(product.url, 'ospite.po');
    await client.get('/profilo/password');
    const bad = await client.postForm('/profilo/password', {
      currentPassword: 'not-it',
      newPassword: 'ospite.po',
      confirmation: 'different',
    });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('La password attuale non è corretta.');
    expect(bad.text).toContain('almeno 12 caratteri');
    expect(bad.text).toContain('Le due nuove password non coincidono.');
    expect(bad.text).toMatch(/aria-describedby='newPassword-error'/);

    const ok = await client.postForm('/profilo/password', {
      currentPassword: 'demo',
      newPassword: 'una frase lunga e segreta',
      confirmation: 'una frase lunga e segreta',
    });
    expect(ok.status).toBe(303);
    const home = await client.get('/');
    expect(home.text).toContain('La password è stata cambiata.');
    await expect(
      signIn(product.url, 'ospite.po', 'una frase lunga e segreta'),
    ).resolves.toBeInstanceOf(WebClient);
    await expect(signIn(product.url, 'ospite.po', 'demo')).rejects.toThrow(/401/);
  });
});
