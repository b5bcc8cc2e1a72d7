/**
 * OpenID Connect sign-in end to end, in Chromium, against a real OIDC provider
 * (oidc-provider) started by the test: PKCE, state and nonce; the codice fiscale claim
 * (SPID's fiscal_number, "TINIT-" prefix) maps to an existing account; unknown people,
 * people of another province, a wrong state and a wrong nonce are refused.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  describeInBrowser,
  launchBrowser,
  seriousAxeViolations,
  watchPageErrors,
} from '../support/browser';
import {
  reserveOidcPort,
  startOidcProvider,
  type TestOidcProvider,
} from '../support/oidc-provider';
import { startTestProduct, WebClient, type TestProduct } from '../support/web';

jest.setTimeout(300_000);

const CALLBACK = '/accedi/oidc/ritorno';

describeInBrowser('OIDC sign-in against a real OpenID provider', () => {
  let product: TestProduct;
  let idp: TestOidcProvider;
  let browser: Browser;
  let configDir: string;

  beforeAll(async () => {
    const port = await reserveOidcPort();
    configDir = mkdtempSync(path.join(os.tmpdir(), 'pc-oidc-config-'));
    cpSync(path.resolve(__dirname, '../../engine-config'), configDir, { recursive: true });
    const file = path.join(configDir, 'provinces', '039.yaml');
    writeFileSync(
      file,
      `${readFileSync(file, 'utf8').trimEnd()}\noidc:\n  issuer: http://127.0.0.1:${port}\n  clientId: province-039\n` +
        `  clientSecretEnv: OIDC_039_CLIENT_SECRET\n  label: Entra con SPID o CIE (prova)\n`,
    );
    product = await startTestProduct({
      name: 'oidc',
      env: {
        CONFIG_DIR: configDir,
        OIDC_039_CLIENT_SECRET: 'a-test-client-secret-of-enough-length',
      },
    });
    idp = await startOidcProvider({
      port,
      redirectUris: [`${product.url}${CALLBACK}`],
      postLogoutRedirectUris: [`${product.url}/accedi?uscita=1`],
      people: {
        giulia: { name: 'Giulia Verdi', fiscal_number: 'TINIT-VRDGLI88S61D458D' }, // istruttore.ra
        sconosciuto: { name: 'Mario Sconosciuto', fiscal_number: 'TINIT-RSSMRA80A01H199L' },
        pratese: { name: 'Roberto Ferri', fiscal_number: 'TINIT-FRRRRT72D11G999K' }, // admin.po (Prato)
        senzacf: { name: 'Senza Codice' },
      },
    });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await idp?.close();
    await product?.stop();
    rmSync(configDir, { recursive: true, force: true });
  });

  /** Logs in at the provider's own pages (development login + consent). */
  async function loginAtProvider(page: Page, login: string): Promise<void> {
    await page.waitForURL((u) => u.origin === idp.issuer);
    await page.fill('input[name=login]', login);
    await page.fill('input[name=password]', 'any');
    await page.click('button[type=submit]');
    await page.waitForLoadState();
    if (new URL(page.url()).origin === idp.issuer) {
      // The consent page.
      await page.click('button[type=submit]');
    }
  }

  async function newContext(): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    return { context, page, errors: watchPageErrors(page) };
  }

  it('signs in a known person by their codice fiscale, from the button on /accedi', async () => {
    const { context, page } = await newContext();
    await page.goto(`${product.url}/accedi`);
    const button = page.locator('[data-testid=oidc-buttons] a');
    await expect(button.textContent()).resolves.toBe('Entra con SPID o CIE (prova)');
    const [authorizeRequest] = await Promise.all([
      page.waitForRequest((r) => r.url().startsWith(`${idp.issuer}/auth?`)),
      button.click(),
    ]);
    const authorize = new URL(authorizeRequest.url());
    expect(authorize.origin).toBe(idp.issuer);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('state')).toBeTruthy();
    expect(authorize.searchParams.get('nonce')).toBeTruthy();
    await loginAtProvider(page, 'giulia');
    await page.waitForURL(`${product.url}/`);
    await expect(page.locator('[data-testid=header-user-name]').textContent()).resolves.toBe(
      'Giulia Verdi',
    );
    const me = await page.evaluate(async () => (await fetch('/api/v1/me')).json());
    expect(me).toMatchObject({
      username: 'istruttore.ra',
      tenantId: '039',
      authenticatedBy: 'oidc',
    });
    const log = await product.auth.securityLog.list('039', {
      actor: 'istruttore.ra',
      action: 'auth.sign-in',
    });
    expect(log[0].actor?.via).toBe('oidc');

    // Sign-out ends the product's session and then the provider's (RP-initiated logout).
    await page.click('[data-testid=sign-out]');
    await page.waitForURL((u) => u.origin === idp.issuer);
    await page.click('button[name=logout]');
    await page.waitForURL(`${product.url}/accedi?uscita=1`);
    const out = await product.auth.securityLog.list('039', {
      actor: 'istruttore.ra',
      action: 'auth.sign-out',
    });
    expect(out[0].actor?.via).toBe('oidc');
    expect(new URL((await page.goto(`${product.url}/profilo`))!.url()).pathname).toBe('/accedi');
    // The provider's session is over too: the next sign-in asks for the login again.
    await page.goto(`${product.url}/accedi/oidc/039`);
    await page.waitForURL((u) => u.origin === idp.issuer);
    await expect(page.locator('input[name=login]').count()).resolves.toBe(1);
    await context.close();
  });

  it.each([
    ['an unknown person', 'sconosciuto'],
    ['a person of another province', 'pratese'],
  ])('refuses %s with a clear page and creates nobody', async (_what, login) => {
    const { context, page, errors } = await newContext();
    await page.goto(`${product.url}/accedi/oidc/039`);
    await loginAtProvider(page, login);
    await page.waitForURL((u) => u.pathname === CALLBACK);
    await expect(
      page.locator('[data-testid=oidc-refused-message]').textContent(),
    ).resolves.toContain('non corrisponde a nessun utente attivo della Provincia');
    expect(await seriousAxeViolations(page)).toEqual([]);
    // At 390 px too, and by keyboard the way back to /accedi is reachable.
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await seriousAxeViolations(page)).toEqual([]);
    let focused = '';
    for (let i = 0; i < 40 && focused !== 'oidc-back'; i++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(
        () =>
          (
            globalThis as unknown as {
              document: { activeElement: { getAttribute(n: string): string | null } | null };
            }
          ).document.activeElement?.getAttribute('data-testid') ?? '',
      );
    }
    expect(focused).toBe('oidc-back');
    await Promise.all([page.waitForURL(`${product.url}/accedi`), page.keyboard.press('Enter')]);
    // Only the refusal page's own errors count (the provider's pages load web fonts from
    // the internet, which this machine cannot reach); its 403 status is expected.
    expect(errors.filter((e) => !/403|ERR_NAME_NOT_RESOLVED/.test(e))).toEqual([]);
    // Not signed in, and no account was made.
    const res = await page.goto(`${product.url}/profilo`);
    expect(new URL(res!.url()).pathname).toBe('/accedi');
    expect(await product.auth.accounts.model.countDocuments({ displayName: /Sconosciuto/ })).toBe(
      0,
    );
    const refused = await product.auth.securityLog.list('039', { action: 'auth.oidc.refused' });
    expect(refused[0].reason).toMatch(/^unknown-person/);
    expect(JSON.stringify(refused[0])).not.toMatch(/RSSMRA80A01H199L|FRRRRT72D11G999K/);
    await context.close();
  });

  it('refuses a provider answer without the codice fiscale claim', async () => {
    const { context, page } = await newContext();
    await page.goto(`${product.url}/accedi/oidc/039`);
    await loginAtProvider(page, 'senzacf');
    await page.waitForURL((u) => u.pathname === CALLBACK);
    await expect(
      page.locator('[data-testid=oidc-refused-message]').textContent(),
    ).resolves.toContain('non ha comunicato il codice fiscale');
    const refused = await product.auth.securityLog.list('039', { action: 'auth.oidc.refused' });
    expect(refused[0].reason).toMatch(/^no-fiscal-code/);
    await context.close();
  });

  /** An HTTP client holding the browser context's cookies for the product. */
  async function clientOf(context: BrowserContext): Promise<WebClient> {
    const client = new WebClient(product.url);
    for (const c of await context.cookies(product.url))
      if (c.name === 'pc.sid') client.setCookie(c.name, c.value);
    return client;
  }

  /**
   * Starts a sign-in over HTTP, gives its session cookie to the browser context and returns
   * the authorisation request the product asked for (which the test may then alter).
   */
  async function startIn(context: BrowserContext): Promise<URL> {
    const start = await new WebClient(product.url).get('/accedi/oidc/039');
    expect(start.status).toBe(303);
    const cookie = /pc\.sid=([^;]+)/.exec(start.headers.getSetCookie().join(';'))![1];
    await context.addCookies([{ name: 'pc.sid', value: cookie, url: product.url }]);
    return new URL(start.location!);
  }

  it('refuses an answer with a wrong state, and the sign-in cannot be replayed after that', async () => {
    const { context, page } = await newContext();
    const authorize = await startIn(context);
    const state = authorize.searchParams.get('state')!;
    // The provider answers to a request whose state is not the one this session keeps.
    authorize.searchParams.set('state', 'forged-state-value');
    await page.goto(authorize.href);
    await loginAtProvider(page, 'giulia');
    await page.waitForURL((u) => u.pathname === CALLBACK);
    await expect(page.locator('[data-testid=oidc-refused]').textContent()).resolves.toBe(
      'Accesso non riuscito',
    );
    const back = new URL(page.url());
    expect(back.searchParams.get('code')).toBeTruthy();
    // The same code with the right state: the attempt is spent, nothing to sign in to.
    back.searchParams.set('state', state);
    const client = await clientOf(context);
    const replay = await client.get(back.pathname + back.search);
    expect(replay.status).toBe(400);
    expect((await client.get('/profilo')).status).toBe(303);
    const refused = await product.auth.securityLog.list('039', { action: 'auth.oidc.refused' });
    expect(refused.map((e) => e.reason).join(' ')).toMatch(/rejected: .*state/i);
    await context.close();
  });

  it('refuses an ID token whose nonce is not the one of this session', async () => {
    // Two sign-ins start; the provider is asked (by an altered authorisation request) to put
    // the second one's nonce into the first one's ID token. PKCE and state match; the nonce does not.
    const { context, page } = await newContext();
    const authorize = await startIn(context);
    const second = await new WebClient(product.url).get('/accedi/oidc/039');
    const secondNonce = new URL(second.location!).searchParams.get('nonce')!;
    expect(secondNonce).not.toBe(authorize.searchParams.get('nonce'));
    authorize.searchParams.set('nonce', secondNonce);
    await page.goto(authorize.href);
    await loginAtProvider(page, 'giulia');
    await page.waitForURL((u) => u.pathname === CALLBACK);
    await expect(page.locator('[data-testid=oidc-refused]').textContent()).resolves.toBe(
      'Accesso non riuscito',
    );
    expect(new URL(page.url()).searchParams.get('state')).toBe(authorize.searchParams.get('state'));
    expect((await (await clientOf(context)).get('/profilo')).status).toBe(303);
    const refused = await product.auth.securityLog.list('039', { action: 'auth.oidc.refused' });
    expect(refused[0].reason).toMatch(/rejected: .*nonce/i);
    await context.close();
  });

  it('answers a callback that no sign-in started with 400, and an unknown province with 404', async () => {
    const client = new WebClient(product.url);
    expect((await client.get(`${CALLBACK}?code=x&state=y`)).status).toBe(400);
    expect((await client.get('/accedi/oidc/100')).status).toBe(404);
  });
});
