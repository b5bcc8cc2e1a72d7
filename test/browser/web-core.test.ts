/**
 * The web core in Chromium: signing in, the header and the mobile menu at 390 px,
 * keyboard use, fonts under the CSP, Swagger UI, and axe on every page of every route
 * table (as a person who may open it) with no serious or critical violations.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { permissionsOf } from '../../src/auth';
import type { MountedRoute } from '../../src/web/app';
import { isHtmlPage, pathParams } from '../../src/web/core/route-table';
import { IDOR_FIXTURES, type FixtureEnv } from '../support/idor';
import {
  describeInBrowser,
  launchBrowser,
  seriousAxeViolations,
  signInInBrowser,
  watchPageErrors,
  type AxeViolation,
} from '../support/browser';
import {
  demoUsers,
  signIn,
  startTestProduct,
  type DemoUser,
  type TestProduct,
} from '../support/web';

jest.setTimeout(300_000);

describeInBrowser('web core in a real browser', () => {
  let product: TestProduct;
  let browser: Browser;

  beforeAll(async () => {
    // Some fixtures (tasks, cases) need the service workers to bring a case to its first task.
    const needsWorkers = IDOR_FIXTURES.some((f) => f.needsWorkers);
    product = await startTestProduct({
      name: 'browser_core',
      ...(needsWorkers ? { env: { WORKERS: 'true' } } : {}),
    });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await product?.stop();
  });

  async function newPage(
    viewport = { width: 1280, height: 900 },
  ): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    return { context, page, errors: watchPageErrors(page) };
  }

  it('signs in as a comune RUP: header with name, province and comune, only their menu, fonts loaded, no CSP errors', async () => {
    const { context, page, errors } = await newPage();
    await signInInBrowser(page, product.url, 'rup.faenza');
    await expect(page.locator('[data-testid=header-user-name]').textContent()).resolves.toBe(
      'Franco Marini',
    );
    await expect(page.locator('[data-testid=brand-province]').textContent()).resolves.toBe(
      'Provincia di Ravenna',
    );
    await expect(page.locator('[data-testid=header-province]').textContent()).resolves.toContain(
      'Comune di Faenza',
    );
    const menu = await page
      .locator('[data-testid=main-menu] > li.nav-item:not(.d-lg-none) a')
      .evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    const allowed = permissionsOf(['comune-rup']);
    expect(menu).toEqual(
      product.web.menu
        .filter((m) => m.permission === 'signed-in' || allowed.has(m.permission))
        .sort((a, b) => a.order - b.order)
        .map((m) => m.href),
    );
    // Titillium Web comes from the static fonts.css (the CSP blocks Bootstrap Italia's injected style).
    await page.evaluate(
      () =>
        (globalThis as unknown as { document: { fonts: { ready: Promise<unknown> } } }).document
          .fonts.ready,
    );
    const fontFamily = await page
      .locator('body')
      .evaluate(
        (el) =>
          (
            globalThis as unknown as { getComputedStyle(e: unknown): { fontFamily: string } }
          ).getComputedStyle(el).fontFamily,
      );
    expect(fontFamily).toMatch(/Titillium Web/);
    const titillium = await page.evaluate(() =>
      (
        globalThis as unknown as { document: { fonts: { check(f: string): boolean } } }
      ).document.fonts.check('16px "Titillium Web"'),
    );
    expect(titillium).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('works by keyboard: skip link first, then the form; Enter signs in; sign-out is a button', async () => {
    const { context, page } = await newPage();
    await page.goto(`${product.url}/accedi`);
    await page.keyboard.press('Tab');
    const first = await page.evaluate(
      () =>
        (globalThis as unknown as { document: { activeElement: { textContent: string } } }).document
          .activeElement.textContent,
    );
    expect(first).toBe('Vai al contenuto principale');
    await page.focus('#username');
    await page.keyboard.type('dati.ra');
    await page.keyboard.press('Tab');
    await page.keyboard.type('demo');
    await Promise.all([page.waitForURL(`${product.url}/`), page.keyboard.press('Enter')]);
    await expect(page.locator('h1').textContent()).resolves.toContain('Andrea Conti');
    await page.focus('[data-testid=sign-out]');
    await Promise.all([page.waitForURL(/\/accedi\?uscita=1$/), page.keyboard.press('Enter')]);
    await expect(page.locator('[data-testid=signed-out]').isVisible()).resolves.toBe(true);
    await context.close();
  });

  it('shows a wrong password as an Italian error next to the form', async () => {
    const { context, page } = await newPage();
    await page.goto(`${product.url}/accedi`);
    await page.fill('#username', 'admin.po');
    await page.fill('#password', 'sbagliata');
    await page.click('[data-testid=sign-in-submit]');
    await expect(page.locator('[data-testid=sign-in-error]').textContent()).resolves.toBe(
      'Nome utente o password non corretti.',
    );
    expect(await page.getAttribute('#username', 'aria-invalid')).toBe('true');
    await context.close();
  });

  it('has a working mobile menu at 390 px that covers nothing while closed', async () => {
    const { context, page, errors } = await newPage({ width: 390, height: 844 });
    await signInInBrowser(page, product.url, 'admin.ra');
    const toggle = page.locator('[data-testid=menu-toggle]');
    await expect(toggle.isVisible()).resolves.toBe(true);
    // Closed: the page under the header takes taps (no invisible panel on top of it).
    const hit = await page.evaluate(() => {
      type El = {
        getBoundingClientRect(): { left: number; top: number; height: number };
        contains(e: unknown): boolean;
      };
      const d = (
        globalThis as unknown as {
          document: {
            querySelector(s: string): El;
            elementFromPoint(x: number, y: number): El | null;
          };
        }
      ).document;
      const h1 = d.querySelector('main h1').getBoundingClientRect();
      const el = d.elementFromPoint(h1.left + 10, h1.top + h1.height / 2);
      return Boolean(el && d.querySelector('main').contains(el));
    });
    expect(hit).toBe(true);
    await expect(page.locator('#nav-main').isVisible()).resolves.toBe(false);
    await toggle.click();
    await page.locator('#nav-main .menu-wrapper').waitFor({ state: 'visible' });
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    const profileLink = page.locator('#nav-main a[href="/profilo"]');
    await profileLink.waitFor({ state: 'visible' });
    const axe = await seriousAxeViolations(page);
    expect(axe).toEqual([]);
    // Escape closes it and gives focus back to the toggle.
    await page.keyboard.press('Escape');
    await page.locator('#nav-main').waitFor({ state: 'hidden' });
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    // A link in the menu works.
    await toggle.click();
    await profileLink.waitFor({ state: 'visible' });
    await Promise.all([page.waitForURL(`${product.url}/profilo`), profileLink.click()]);
    await expect(page.locator('h1').textContent()).resolves.toBe('Il mio profilo');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('serves Swagger UI at /api/docs under the CSP, listing the operations', async () => {
    const { context, page, errors } = await newPage();
    await page.goto(`${product.url}/api/docs`);
    await page.locator('.opblock').first().waitFor();
    const ops = await page.locator('.opblock-summary-path').allTextContents();
    expect(ops.join(' ')).toContain('/api/v1/me');
    expect(errors.filter((e) => /Content Security Policy/i.test(e))).toEqual([]);
    await context.close();
  });

  /** Areas of the modeling and settings pages: crawled in a test of their own (time budget). */
  const MODELING_AREAS = new Set(['modeling', 'settings']);

  async function axeCrawl(areas: (area: string) => boolean): Promise<void> {
    const users = demoUsers();
    const pages = product.web.routes.filter(
      (r) => areas(r.area) && (isHtmlPage(r) || r.path === '/api/docs'),
    );
    expect(pages.length).toBeGreaterThan(0);
    const whoFor = (route: MountedRoute): DemoUser | undefined => {
      if (route.permission === 'public') return undefined;
      if (route.permission === 'signed-in') return users[0];
      return users.find((u) => permissionsOf(u.roles).has(route.permission as never));
    };
    const env: FixtureEnv = { product, client: (u) => signIn(product.url, u) };
    const failures: {
      page: string;
      width: number;
      violations: AxeViolation[];
      errors: string[];
    }[] = [];
    for (const width of [1280, 390]) {
      const contexts = new Map<string, { context: BrowserContext; page: Page; errors: string[] }>();
      for (const route of pages) {
        const user = whoFor(route);
        if (route.permission !== 'public' && !user) continue; // no demo role holds it
        const key = user?.username ?? '(anonymous)';
        let entry = contexts.get(key);
        if (!entry) {
          entry = await newPage({ width, height: 900 });
          if (user) await signInInBrowser(entry.page, product.url, user.username);
          contexts.set(key, entry);
        }
        let path = route.path;
        for (const p of pathParams(route.path)) {
          const spec = route.params![p];
          let value: string;
          if ('example' in spec) value = spec.example;
          else {
            const fixture = IDOR_FIXTURES.find((f) => f.kind === spec.resource)!;
            const site = users.find(
              (u) =>
                u.tenantId === (user ?? users[0]).tenantId &&
                (fixture.sites === 'users' ? u === user : u.comune),
            )!;
            value = (
              await fixture.create(env, {
                tenantId: site.tenantId,
                comune: site.comune,
                owner: site,
              })
            ).id;
          }
          path = path.replace(`:${p}`, encodeURIComponent(value));
        }
        entry.errors.length = 0;
        const res = await entry.page.goto(`${product.url}${path}`).catch((err: Error) => {
          if (!/Download is starting/.test(err.message)) throw err;
          failures.push({
            page: `${path} (${key}): starts a download; mark the route kind: 'download' (src/web/README.md)`,
            width,
            violations: [],
            errors: [],
          });
          return undefined;
        });
        if (res === undefined) continue;
        if (path === '/api/docs') await entry.page.locator('.opblock').first().waitFor();
        const violations = await seriousAxeViolations(entry.page);
        if ((res?.status() ?? 0) >= 400 || violations.length > 0 || entry.errors.length > 0) {
          failures.push({
            page: `${path} (${key}, ${res?.status()})`,
            width,
            violations,
            errors: [...entry.errors],
          });
        }
      }
      for (const { context } of contexts.values()) await context.close();
    }
    expect(failures).toEqual([]);
  }

  it('passes axe (no serious or critical violations) on every page of every route table, at desktop and 390 px', async () => {
    await axeCrawl((area) => !MODELING_AREAS.has(area) && area !== 'practices');
  });

  it('passes axe on every page of the good-practice catalogue, at desktop and 390 px', async () => {
    await axeCrawl((area) => area === 'practices');
  });

  it('passes axe on every modeling and settings page, at desktop and 390 px', async () => {
    await axeCrawl((area) => MODELING_AREAS.has(area));
  });
});
