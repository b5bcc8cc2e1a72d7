import type { Browser } from 'playwright-core';
import { startProduct, type RunningProduct } from '../../src/product';
import { findFreePort } from '../../src/db/embedded-ferretdb';
import { testDatabaseUri } from '../support/database';
import { describeInBrowser, launchBrowser } from '../support/browser';

describeInBrowser('home page in a real browser', () => {
  let product: RunningProduct;
  let browser: Browser;

  beforeAll(async () => {
    product = await startProduct({
      ...process.env,
      PORT: '0',
      ZEEBE_ADDRESS: `127.0.0.1:${await findFreePort()}`,
      ENGINE_REST_ADDRESS: `127.0.0.1:${await findFreePort()}`,
      MONGODB_URI: testDatabaseUri(`browser_home_${Date.now()}`),
      DEMO_DATA: 'false',
      LOG_LEVEL: 'warn',
    });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await product?.stop();
  });

  it('shows the services and the demo provinces in Italian, styled by Bootstrap Italia', async () => {
    const page = await browser.newPage();
    await page.goto(product.url);
    expect(await page.getAttribute('html', 'lang')).toBe('it');
    await expect(page.locator('h1').textContent()).resolves.toBe('Servizi associati per i Comuni');
    const cards = await page.locator('.card-title').allTextContents();
    expect(cards).toEqual([
      'Stazione Unica Appaltante',
      'Servizio Associato Politiche Europee',
      'Dati ed elaborazioni',
      'Formazione del personale',
    ]);
    const provinces = await page.locator('[data-testid=provinces] li').allTextContents();
    expect(provinces.join(' ').replace(/\s+/g, ' ')).toMatch(/Provincia di Ravenna \(ISTAT 039\)/);
    expect(provinces.join(' ').replace(/\s+/g, ' ')).toMatch(/Provincia di Prato \(ISTAT 100\)/);
    // Bootstrap Italia's stylesheet loaded: the header gets its primary colour.
    const headerBg = await page
      .locator('.it-header-center-wrapper')
      .evaluate(
        (el) =>
          (
            globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }
          ).getComputedStyle(el).backgroundColor,
      );
    expect(headerBg).not.toBe('rgba(0, 0, 0, 0)');
  });

  it('shows the system status page with database and engine up', async () => {
    const page = await browser.newPage();
    await page.goto(`${product.url}/stato`);
    await expect(page.locator('[data-testid=database-status]').textContent()).resolves.toBe(
      'in funzione',
    );
    await expect(page.locator('[data-testid=engine-status]').textContent()).resolves.toMatch(
      /^in funzione/,
    );
  });

  it('answers an unknown page with an Italian 404', async () => {
    const page = await browser.newPage();
    const res = await page.goto(`${product.url}/non-esiste`);
    expect(res?.status()).toBe(404);
    await expect(page.locator('h1').textContent()).resolves.toBe('Pagina non trovata');
  });
});
