/**
 * The personal API tokens page in Chromium, as the people who use it: a province officer
 * creates a token from their profile, sees it once, copies it, calls GET /api/v1/me with
 * it, revokes it and the same call is refused; a comune officer does the whole path by
 * keyboard at 390 px; without JavaScript the page still works (the copy button is an
 * enhancement). axe at 1280 and 390 px on every state of the page.
 */
import { DateTime } from 'luxon';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  describeInBrowser,
  launchBrowser,
  seriousAxeViolations,
  signInInBrowser,
  watchPageErrors,
} from '../support/browser';
import { demoUser, startTestProduct, type TestProduct } from '../support/web';

jest.setTimeout(180_000);

describeInBrowser('personal API tokens in a real browser', () => {
  let product: TestProduct;
  let browser: Browser;
  const opened: BrowserContext[] = [];

  beforeAll(async () => {
    product = await startTestProduct({ name: 'browser_tokens' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const c of opened) await c.close().catch(() => undefined);
    await browser?.close();
    await product?.stop();
  });

  async function as(
    username: string,
    opts: { width?: number; javaScript?: boolean } = {},
  ): Promise<{ page: Page; errors: string[] }> {
    const context = await browser.newContext({
      viewport: { width: opts.width ?? 1280, height: 900 },
      javaScriptEnabled: opts.javaScript ?? true,
    });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: product.url,
    });
    opened.push(context);
    const page = await context.newPage();
    const errors = watchPageErrors(page);
    await signInInBrowser(page, product.url, username);
    return { page, errors };
  }

  interface WideDocument {
    documentElement: { scrollWidth: number };
    querySelectorAll(s: string): Iterable<{
      tagName: string;
      className: string;
      closest(s: string): unknown;
      getBoundingClientRect(): { right: number };
    }>;
  }

  /** axe at the page's width and at 390 px, and nothing wider than the phone. */
  async function expectAccessible(page: Page, what: string): Promise<void> {
    const size = page.viewportSize()!;
    for (const width of [size.width, 390]) {
      await page.setViewportSize({ width, height: 844 });
      expect({ what, width, v: await seriousAxeViolations(page) }).toEqual({ what, width, v: [] });
    }
    // Nothing wider than the phone (named, so a failure says what sticks out).
    const wider = await page.evaluate(() => {
      const d = (globalThis as unknown as { document: WideDocument }).document;
      if (d.documentElement.scrollWidth <= 390) return [];
      return [...d.querySelectorAll('main *')]
        .filter((el) => el.getBoundingClientRect().right > 390 && !el.closest('.table-responsive'))
        .map((el) => `${el.tagName.toLowerCase()}.${el.className}`)
        .slice(0, 5);
    });
    expect({ what, wider }).toEqual({ what, wider: [] });
    await page.setViewportSize(size);
  }

  const me = (token: string) =>
    fetch(`${product.url}/api/v1/me`, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
    });

  interface BrowserGlobals {
    document: { activeElement: { id: string } | null };
    navigator: { clipboard: { readText(): Promise<string> } };
    getComputedStyle(el: unknown): { color: string };
  }
  const activeId = (page: Page) =>
    page.evaluate(() => (globalThis as unknown as BrowserGlobals).document.activeElement?.id);
  const clipboard = (page: Page) =>
    page.evaluate(() => (globalThis as unknown as BrowserGlobals).navigator.clipboard.readText());

  /** The clipboard write is asynchronous: wait (bounded) for the page to announce it. */
  const copiedAnnounced = (page: Page) =>
    page
      .locator('[data-copy-status]')
      .filter({ hasText: 'Token copiato negli appunti.' })
      .waitFor({ state: 'attached', timeout: 10_000 });

  /** Presses Tab until `selector` has the focus (bounded: fails after `max` presses). */
  async function tabTo(page: Page, selector: string, max = 60): Promise<void> {
    for (let i = 0; i < max; i++) {
      if (await page.locator(selector).evaluate((el) => el === el.ownerDocument.activeElement))
        return;
      await page.keyboard.press('Tab');
    }
    throw new Error(`${selector} never got the focus after ${max} Tab presses`);
  }

  it('creates a token from the profile, shows it once with a copy button, the token calls /api/v1/me; revoked after confirmation, the call gets 401; both audited', async () => {
    const { page, errors } = await as('istruttore.ra');
    await page.goto(`${product.url}/profilo`);
    await Promise.all([
      page.waitForURL(/\/profilo\/token$/),
      page.click('[data-testid=tokens-link]'),
    ]);
    await expect(page.locator('h1').textContent()).resolves.toBe('Token per le API');
    await expect(page.locator('[data-testid=no-tokens]').textContent()).resolves.toBe(
      'Non hai token attivi.',
    );
    // 90 days is the default; a year is the longest choice.
    expect(await page.locator('#expiresInDays').inputValue()).toBe('90');
    const choices = await page.locator('#expiresInDays option').allTextContents();
    expect(choices.at(-1)).toBe('1 anno (366 giorni)');
    await expectAccessible(page, 'empty token list');

    await page.fill('#name', 'Script protocollo');
    await page.selectOption('#expiresInDays', '30');
    await page.click('[data-testid=create-token]');
    await page.locator('[data-testid=new-token]').waitFor();
    const shown = page.locator('[data-testid=new-token]');
    await expect(shown.locator('h2').textContent()).resolves.toBe(
      'Token «Script protocollo» creato',
    );
    await expect(shown.textContent()).resolves.toContain('non sarà più mostrato');
    const token = await page.locator('[data-testid=new-token-value]').inputValue();
    expect(token).toMatch(/^pc_[A-Za-z0-9_-]{43}$/);
    // The expiry is 30 days from now (Europe/Rome date on the page).
    const in30 = DateTime.now()
      .plus({ days: 30 })
      .setZone('Europe/Rome')
      .setLocale('it')
      .toLocaleString(DateTime.DATE_MED);
    await expect(page.locator('#new-token-expiry').textContent()).resolves.toContain(in30);
    // The copy button (JavaScript) puts the token on the clipboard and says so.
    await page.click('[data-testid=copy-token]');
    await copiedAnnounced(page);
    expect(await clipboard(page)).toBe(token);
    await expectAccessible(page, 'token just created');

    // Reloading the answer sends the form again: no second token, the page says so.
    await page.reload();
    const again = page.locator('[data-testid=already-created]');
    await again.waitFor();
    await expect(again.locator('h2').textContent()).resolves.toBe(
      'Il token «Script protocollo» è già stato creato',
    );
    await expect(again.textContent()).resolves.toContain(`inizia con ${token.slice(0, 10)}…`);
    expect(await page.content()).not.toContain(token);
    await expectAccessible(page, 'token form sent again');

    const res = await me(token);
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      username: string;
      tenantId: string;
      authenticatedBy: string;
    };
    expect(body).toMatchObject({
      username: 'istruttore.ra',
      tenantId: '039',
      authenticatedBy: 'token',
    });

    // Shown once: the list has it (name, beginning, last use) but never the secret again.
    await page.goto(`${product.url}/profilo/token`);
    expect(await page.content()).not.toContain(token);
    const row = page.locator('[data-testid=tokens] tbody tr');
    await expect(row.count()).resolves.toBe(1);
    const cells = await row.locator('th, td').allTextContents();
    expect(cells[0]).toBe('Script protocollo');
    expect(cells[1]).toBe(`${token.slice(0, 10)}…`);
    expect(cells[3]).not.toBe('mai usato');
    expect(cells[4]).toContain(in30);
    await expectAccessible(page, 'token list');

    await Promise.all([page.waitForURL(/\/revoca$/), page.click('[data-testid=revoke-link]')]);
    await expect(page.locator('h1').textContent()).resolves.toBe(
      'Revocare il token «Script protocollo»?',
    );
    await expectAccessible(page, 'revoke confirmation');
    // Still valid until confirmed.
    expect((await me(token)).status).toBe(200);
    await Promise.all([
      page.waitForURL(/\/profilo\/token$/),
      page.click('[data-testid=confirm-revoke]'),
    ]);
    await expect(page.locator('[data-testid=flash]').textContent()).resolves.toBe(
      'Token revocato: non può più essere usato.',
    );
    await expect(page.locator('[data-testid=no-tokens]').count()).resolves.toBe(1);
    // The revoked token stays in the list for 30 days, greyed, with its state and no link.
    const revokedRow = page.locator('[data-testid=tokens] tbody tr[data-state=revoked]');
    await expect(revokedRow.locator('[data-testid=token-state]').textContent()).resolves.toBe(
      'revocato',
    );
    await expect(revokedRow.locator('[data-testid=revoke-link]').count()).resolves.toBe(0);
    await expect(
      revokedRow
        .locator('th')
        .evaluate((el) => (globalThis as unknown as BrowserGlobals).getComputedStyle(el).color),
    ).resolves.toBe('rgb(92, 111, 130)');
    await expectAccessible(page, 'token list with a revoked token');
    const after = await me(token);
    expect(after.status).toBe(401);
    expect(after.headers.get('www-authenticate')).toMatch(/^Bearer/);

    const events = await product.auth.securityLog.list('039', { actor: 'istruttore.ra' });
    const tokenEvents = events.filter((e) => e.action.startsWith('tokens.'));
    expect(tokenEvents.map((e) => e.action).sort()).toEqual(['tokens.created', 'tokens.revoked']);
    for (const e of tokenEvents) expect(e.target?.label).toBe(token.slice(0, 10));
    expect(JSON.stringify(events)).not.toContain(token);
    expect(errors).toEqual([]);
  });

  it('works by keyboard alone at 390 px for a comune officer: create, copy, revoke', async () => {
    const user = demoUser('ufficio.lugo');
    const { page, errors } = await as(user.username, { width: 390 });
    await page.goto(`${product.url}/profilo/token`);
    await tabTo(page, '#name');
    await page.keyboard.type('Integrazione gestionale');
    await page.keyboard.press('Tab');
    expect(await activeId(page)).toBe('expiresInDays');
    await page.keyboard.press('ArrowDown'); // 90 → 180 days
    expect(await page.locator('#expiresInDays').inputValue()).toBe('180');
    await tabTo(page, '[data-testid=create-token]');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid=new-token]').waitFor();
    // The focus lands on the new token's heading; the next stops are the field and the button.
    await page.waitForFunction(
      () =>
        (globalThis as unknown as BrowserGlobals).document.activeElement?.id ===
        'new-token-heading',
      undefined,
      { timeout: 10_000 },
    );
    const token = await page.locator('[data-testid=new-token-value]').inputValue();
    await tabTo(page, '[data-testid=copy-token]', 5);
    await page.keyboard.press('Enter');
    await copiedAnnounced(page);
    expect(await clipboard(page)).toBe(token);
    const res = await me(token);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ username: user.username, comune: user.comune });

    await tabTo(page, '[data-testid=revoke-link]');
    await Promise.all([page.waitForURL(/\/revoca$/), page.keyboard.press('Enter')]);
    await tabTo(page, '[data-testid=confirm-revoke]');
    await Promise.all([page.waitForURL(/\/profilo\/token$/), page.keyboard.press('Enter')]);
    expect((await me(token)).status).toBe(401);
    expect(errors).toEqual([]);
  });

  it('works without JavaScript: the token is in a read-only field, the copy button stays hidden; a form without a name names the field', async () => {
    const { page } = await as('analista.po', { javaScript: false });
    await page.goto(`${product.url}/profilo/token`);
    await page.selectOption('#expiresInDays', '7');
    await page.click('[data-testid=create-token]');
    await page.locator('[data-testid=error-summary]').waitFor();
    await expect(page.locator('[data-testid=error-summary]').textContent()).resolves.toContain(
      'Dai al token un nome da 1 a 80 caratteri.',
    );
    expect(await page.locator('#name').getAttribute('aria-invalid')).toBe('true');
    // The chosen duration is kept.
    expect(await page.locator('#expiresInDays').inputValue()).toBe('7');

    await page.fill('#name', 'Senza script');
    await page.click('[data-testid=create-token]');
    await page.locator('[data-testid=new-token]').waitFor();
    const token = await page.locator('[data-testid=new-token-value]').inputValue();
    expect(
      await page.locator('[data-testid=new-token-value]').getAttribute('readonly'),
    ).not.toBeNull();
    expect(await page.locator('[data-testid=copy-token]').isVisible()).toBe(false);
    expect((await me(token)).status).toBe(200);

    await page.click('[data-testid=revoke-link]');
    await Promise.all([
      page.waitForURL(/\/profilo\/token$/),
      page.click('[data-testid=confirm-revoke]'),
    ]);
    expect((await me(token)).status).toBe(401);
  });
});
