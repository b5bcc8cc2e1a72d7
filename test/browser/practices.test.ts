/**
 * The good-practice catalogue in Chromium (issue 14): Prato publishes a good practice
 * with its procurement package; Ravenna finds it by search, imports it, sees the report
 * and gets drafts (never deployed); Ravenna cannot edit or withdraw Prato's entry; axe
 * finds nothing serious at desktop and 390 px on the catalogue's pages.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { permissionsOf } from '../../src/auth';
import { createModeling, type ModelActor } from '../../src/modeling';
import { PRACTICES } from '../../src/practices';
import {
  describeInBrowser,
  launchBrowser,
  seriousAxeViolations,
  signInInBrowser,
  watchPageErrors,
} from '../support/browser';
import { startTestProduct, type TestProduct } from '../support/web';

jest.setTimeout(300_000);

const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
);
const actor = (tenantId: string, username: string): ModelActor => ({
  tenantId,
  username,
  displayName: username,
  permissions: permissionsOf(['analyst']),
});

describeInBrowser('good-practice catalogue in a real browser', () => {
  let product: TestProduct;
  let browser: Browser;
  const opened: BrowserContext[] = [];

  beforeAll(async () => {
    product = await startTestProduct({ name: 'browser_practices' });
    browser = await launchBrowser();
    // Prato's workspace: its procurement process differs from the shared model in one
    // task name (saved as a version), so Ravenna's import has something to change.
    const modeling = createModeling({ connection: product.db.connection });
    await modeling.seed('100');
    const po = actor('100', 'analista.po');
    const proc = (await modeling.repo.findByKey(po, 'bpmn', 'procurement'))!;
    const xml = await modeling.repo.contentOf(po, proc._id, 1);
    await modeling.repo.createVersion(po, proc._id, {
      content: xml.replace(
        'name="Apertura del fascicolo"',
        'name="Apertura del fascicolo e verifica dei requisiti"',
      ),
      message: 'Verifica dei requisiti all’apertura',
    });
  });
  afterAll(async () => {
    for (const c of opened) await c.close().catch(() => undefined);
    await browser?.close();
    await product?.stop();
  });

  async function pageFor(
    username: string,
    viewport = { width: 1280, height: 900 },
  ): Promise<{ page: Page; errors: string[] }> {
    const context = await browser.newContext({ viewport });
    opened.push(context);
    const page = await context.newPage();
    const errors = watchPageErrors(page);
    await signInInBrowser(page, product.url, username);
    return { page, errors };
  }

  let practiceUrl = '';

  it('Prato publishes a good practice with its procurement package and a document', async () => {
    const { page, errors } = await pageFor('analista.po');
    await page.goto(`${product.url}/buone-pratiche`);
    await Promise.all([
      page.waitForURL(/\/buone-pratiche\/nuova$/),
      page.click('[data-testid=practice-new]'),
    ]);
    expect(await seriousAxeViolations(page)).toEqual([]);

    // A first try without the required parts: the error summary names them, nothing published.
    await page.fill('#name', 'Affidamenti SUA in 30 giorni');
    await page.click('[data-testid=practice-save]');
    await page.locator('[data-testid=error-summary]').waitFor();
    const summary = await page.locator('[data-testid=error-summary] li').allTextContents();
    expect(summary.length).toBeGreaterThanOrEqual(5);
    expect(summary).toContain('Indica almeno un risultato in cifre.');
    expect(await page.inputValue('#name')).toBe('Affidamenti SUA in 30 giorni');
    expect(await product.db.connection.db!.collection(PRACTICES).countDocuments()).toBe(0);
    errors.length = 0; // the 422 of the refused form is expected

    await page.fill(
      '#summary',
      'La procedura della SUA con la scelta automatica della procedura di gara.',
    );
    await page.selectOption('#serviceLine', 'procurement');
    await page.selectOption('#theme', 'digitalisation');
    await page.fill(
      '#problem',
      'I comuni aspettavano in media 64 giorni per l’avvio di una procedura.',
    );
    await page.fill(
      '#solution',
      'Un processo unico con la verifica dei requisiti all’apertura del fascicolo.',
    );
    await page.fill('#results', 'I tempi medi di avvio si sono più che dimezzati nel primo anno.');
    await page.fill('#figureLabel0', 'Giorni medi per l’avvio');
    await page.fill('#figureValue0', '30');
    await page.fill('#figureUnit0', 'giorni');
    await page.fill('#maintainerName', 'Ufficio SUA della Provincia di Prato');
    await page.fill('#contactName0', 'Giulia Neri');
    await page.fill('#contactEmail0', 'g.neri@provincia.prato.it');
    await page.click('label[for="model-bpmn-procurement"]');
    expect(await page.isChecked('#model-bpmn-procurement')).toBe(true);
    await page.setInputFiles('#documents', {
      name: 'Relazione finale.pdf',
      mimeType: 'application/pdf',
      buffer: PDF,
    });
    await Promise.all([
      page.waitForURL(/\/buone-pratiche\/bp-[0-9a-f]{16}$/),
      page.click('[data-testid=practice-save]'),
    ]);
    practiceUrl = page.url();
    await expect(page.locator('[data-testid=practice-name]').textContent()).resolves.toBe(
      'Affidamenti SUA in 30 giorni',
    );
    const models = await page.locator('[data-testid=practice-package-models] li').allTextContents();
    expect(models.join(' ')).toContain('(procurement)');
    expect(models.join(' ')).toContain('(procurementProcedure)');
    await expect(page.locator('[data-testid=practice-documents]').textContent()).resolves.toContain(
      'Relazione finale.pdf',
    );
    await expect(page.locator('[data-testid=practice-edit]').isVisible()).resolves.toBe(true);
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('Ravenna finds it by search, imports it, sees the report and gets drafts only', async () => {
    const { page, errors } = await pageFor('analista.ra');
    await page.goto(`${product.url}/buone-pratiche`);
    await page.fill('#q', 'affidamenti requisiti');
    await page.selectOption('#provincia', '100');
    await Promise.all([
      page.waitForURL(/\?q=/),
      page.click('[data-testid=practice-search-submit]'),
    ]);
    const results = page.locator('[data-testid=practice-results] li');
    await expect(results.count()).resolves.toBe(1);
    await expect(results.first().textContent()).resolves.toContain('Provincia di Prato');
    expect(await seriousAxeViolations(page)).toEqual([]);
    // A search that matches nothing says so.
    await page.goto(`${product.url}/buone-pratiche?q=inesistente`);
    await expect(page.locator('[data-testid=practice-none]').isVisible()).resolves.toBe(true);
    await page.goBack();

    await Promise.all([
      page.waitForURL(practiceUrl),
      page.click('[data-testid=practice-results] a:has-text("Affidamenti SUA in 30 giorni")'),
    ]);
    // Not Ravenna's entry: no edit and no withdraw.
    await expect(page.locator('[data-testid=practice-edit]').count()).resolves.toBe(0);
    await expect(page.locator('[data-testid=withdraw-form]').count()).resolves.toBe(0);

    const ravenna = createModeling({ connection: product.db.connection });
    await Promise.all([
      page.waitForURL(/\/importazione$/),
      page.click('[data-testid=practice-import]'),
    ]);
    const report = page.locator('[data-testid=import-report]');
    await report.waitFor();
    const procRow = page.locator('[data-testid=import-models] tr[data-model="bpmn:procurement"]');
    expect(await procRow.getAttribute('data-status')).toBe('changed');
    await expect(procRow.textContent()).resolves.toContain(
      'Apertura del fascicolo e verifica dei requisiti',
    );
    expect(
      await page
        .locator('[data-testid=import-models] tr[data-model="dmn:procurementProcedure"]')
        .getAttribute('data-status'),
    ).toBe('unchanged');
    await expect(page.locator('[data-testid=import-counts]').textContent()).resolves.toMatch(
      /1 modificati/,
    );
    expect(await seriousAxeViolations(page)).toEqual([]);
    // The report alone changed nothing in Ravenna's workspace.
    const ra = actor('039', 'analista.ra');
    const proc = (await ravenna.repo.findByKey(ra, 'bpmn', 'procurement'))!;
    expect((await ravenna.repo.get(ra, proc._id)).draftContent).not.toContain(
      'verifica dei requisiti',
    );
    const versionsBefore = (await ravenna.repo.versions(ra, proc._id)).length;

    await Promise.all([
      page.waitForURL(/\/importazione$/),
      page.click('[data-testid=import-confirm]'),
    ]);
    const drafts = page.locator('[data-testid=import-drafts] li[data-model="bpmn:procurement"]');
    await expect(drafts.textContent()).resolves.toContain('bozza aggiornata');
    expect((await ravenna.repo.get(ra, proc._id)).draftContent).toContain(
      'Apertura del fascicolo e verifica dei requisiti',
    );
    expect(await ravenna.repo.versions(ra, proc._id)).toHaveLength(versionsBefore);
    expect(await ravenna.repo.deployments(ra, proc._id)).toEqual([]);

    // The adoption is on the entry for everybody; Ravenna adds its report and a comment.
    await page.goto(practiceUrl);
    await expect(page.locator('[data-testid=practice-adoptions]').textContent()).resolves.toContain(
      'Provincia di Ravenna',
    );
    await page.selectOption('#outcome', 'trial');
    await page.fill('#report-text', 'In prova in tre comuni: l’avvio richiede ora 28 giorni.');
    await Promise.all([page.waitForURL(/#adozioni$/), page.click('[data-testid=adoption-save]')]);
    await expect(page.locator('[data-testid=practice-adoptions]').textContent()).resolves.toContain(
      'l’avvio richiede ora 28 giorni',
    );
    await page.fill('#comment-text', 'Abbiamo adattato il modulo di richiesta ai nostri uffici.');
    await Promise.all([page.waitForURL(/#commenti$/), page.click('[data-testid=comment-save]')]);
    await expect(page.locator('[data-testid=practice-comments]').textContent()).resolves.toContain(
      'Abbiamo adattato il modulo',
    );
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('Ravenna cannot edit or withdraw Prato’s entry', async () => {
    const { page } = await pageFor('admin.ra');
    const edit = await page.goto(`${practiceUrl}/modifica`);
    expect(edit?.status()).toBe(403);
    await page.goto(practiceUrl);
    const token = await page.locator('meta[name=csrf-token]').getAttribute('content');
    const withdraw = await page.request.post(`${practiceUrl}/ritiro`, {
      form: { _csrf: token!, reason: 'Ritirata da Ravenna' },
      maxRedirects: 0,
    });
    expect(withdraw.status()).toBe(403);
    const save = await page.request.post(`${practiceUrl}/modifica`, {
      multipart: { _csrf: token!, name: 'Presa da Ravenna' },
      maxRedirects: 0,
    });
    expect(save.status()).toBe(403);
    const api = await page.request.put(
      `${product.url}/api/v1${new URL(practiceUrl).pathname.replace('/buone-pratiche', '/practices')}`,
      {
        headers: { 'x-csrf-token': token! },
        data: { name: 'Presa da Ravenna' },
      },
    );
    expect(api.status()).toBe(403);
    const doc = await product.db.connection
      .db!.collection(PRACTICES)
      .findOne({}, { projection: { name: 1, status: 1 } });
    expect(doc).toMatchObject({ name: 'Affidamenti SUA in 30 giorni', status: 'published' });
  });

  it('has no serious axe violations at 390 px on the catalogue, the entry and the form', async () => {
    const { page, errors } = await pageFor('analista.po', { width: 390, height: 844 });
    for (const path of [
      '/buone-pratiche',
      new URL(practiceUrl).pathname,
      '/buone-pratiche/nuova',
    ]) {
      await page.goto(`${product.url}${path}`);
      expect({ path, violations: await seriousAxeViolations(page) }).toEqual({
        path,
        violations: [],
      });
      const overflow = await page.evaluate(
        () =>
          (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } })
            .document.documentElement.scrollWidth,
      );
      expect(overflow).toBeLessThanOrEqual(390);
    }
    expect(errors).toEqual([]);
  });
});
