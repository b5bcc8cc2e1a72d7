/**
 * The modeling workspace and the province settings in Chromium, walked as their users do:
 * an analyst of Ravenna opens the procurement process, renames a task and changes its job
 * type in the Italian properties panel, meets a lint error (a service task without a
 * type), jumps to it from the problems panel, fixes it, saves a version and deploys it by
 * keyboard; the new version is listed as deployed, the engine has it for Ravenna only,
 * and the visual diff shows the change. A province administrator changes a threshold by
 * keyboard, a bad value is refused in Italian naming the field (nothing saved). axe at
 * desktop and 390 px on these pages.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createHistoryClient, type ProcessDefinitionItem } from '../../src/monitoring';
import {
  describeInBrowser,
  launchBrowser,
  seriousAxeViolations,
  signInInBrowser,
  watchPageErrors,
} from '../support/browser';
import { eventually } from '../support/eventually';
import { startTestProduct, type TestProduct } from '../support/web';

jest.setTimeout(300_000);

describeInBrowser('modeling workspace and province settings in a real browser', () => {
  let product: TestProduct;
  let browser: Browser;

  beforeAll(async () => {
    product = await startTestProduct({ name: 'browser_modeling' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await product?.stop();
  });

  async function newPage(
    viewport = { width: 1400, height: 1000 },
  ): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    return { context, page, errors: watchPageErrors(page) };
  }

  async function openProcurement(page: Page): Promise<void> {
    await page.goto(`${product.url}/modellazione`);
    await page.click('tr[data-key="procurement"] a[data-testid=open-model]');
    await page.waitForSelector('body[data-modeler-ready="1"]');
  }

  async function definitions(tenantId: string): Promise<ProcessDefinitionItem[]> {
    const history = createHistoryClient({ baseUrl: product.env.engineRestUrl });
    return history.searchAll<ProcessDefinitionItem>('process-definitions', {
      filter: { tenantId, processDefinitionId: 'procurement' },
    });
  }

  /** The ids the modeler has selected (the page exposes its bpmn-js instance). */
  const selectedIds = (page: Page): Promise<string[]> =>
    page.evaluate(() => {
      const g = globalThis as unknown as {
        pcModeler: { get(s: 'selection'): { get(): { id: string }[] } };
      };
      return g.pcModeler
        .get('selection')
        .get()
        .map((e) => e.id);
    });
  const focusedId = (page: Page): Promise<string | undefined> =>
    page.evaluate(
      () =>
        (globalThis as unknown as { document: { activeElement: { id: string } | null } }).document
          .activeElement?.id,
    );

  it('an analyst edits, meets a lint error, fixes it, saves and deploys a version by keyboard; only Ravenna gets it', async () => {
    const { context, page, errors } = await newPage();
    await signInInBrowser(page, product.url, 'analista.ra');
    await openProcurement(page);

    // Italian modeler: palette and properties groups.
    await expect(
      page.locator('.djs-palette [data-action="create.start-event"]').getAttribute('aria-label'),
    ).resolves.toBe('Crea un evento di inizio');

    // Search by id, by keyboard (Ctrl+F focuses the search field).
    await page.locator('[data-testid=canvas]').focus();
    await page.keyboard.press('Control+f');
    await expect(focusedId(page)).resolves.toBe('pc-search');
    await page.keyboard.type('requestCig');
    await page.keyboard.press('Enter');
    await eventually(
      async () => (await selectedIds(page)).includes('requestCig'),
      'the searched task to be selected',
    );
    const groups = await page.locator('.bio-properties-panel-group-header-title').allTextContents();
    expect(groups).toEqual(expect.arrayContaining(['Generale', 'Definizione del servizio']));
    const addLabels = await page
      .locator('#pc-properties .bio-properties-panel-add-entry-label')
      .allTextContents();
    expect(addLabels.length).toBeGreaterThan(0);
    expect(new Set(addLabels)).toEqual(new Set(['Crea']));

    // Rename the task and change its job type in the properties panel.
    await page.click('[data-group-id="group-general"] .bio-properties-panel-group-header');
    await page.fill('#bio-properties-panel-name', 'Richiesta del CIG ad ANAC');
    const type = page.locator('#bio-properties-panel-taskDefinitionType');
    if (!(await type.isVisible())) {
      await page.click('[data-group-id="group-taskDefinition"] .bio-properties-panel-group-header');
    }
    await type.fill('');

    // Live lint: the service task without a type is an error in the problems panel.
    const problems = page.locator('[data-testid=problems]');
    await eventually(
      async () => (await problems.innerText()).includes('requestCig'),
      'the lint error in the problems panel',
    );
    const problemText = await problems.innerText();
    expect(problemText).toContain('Richiesta del CIG ad ANAC (requestCig)');
    expect(problemText).toContain('camunda-compat/implementation');
    await expect(page.locator('[data-testid=problem-count]').innerText()).resolves.toMatch(
      /^1 errori/,
    );

    // F8 walks the problems: select something else, F8 brings the faulty task back.
    await page.evaluate(() => {
      const m = (
        globalThis as unknown as {
          pcModeler: { get(s: string): { get(id: string): unknown; select(e: unknown): void } };
        }
      ).pcModeler;
      m.get('selection').select(m.get('elementRegistry').get('openCase'));
    });
    await page.locator('[data-testid=canvas]').focus();
    await page.keyboard.press('F8');
    await eventually(
      async () => (await selectedIds(page)).includes('requestCig'),
      'F8 to select the element with the problem',
    );

    // Fix it: a new job type; the problem goes away and the draft is autosaved.
    if (!(await type.isVisible())) {
      await page.click('[data-group-id="group-taskDefinition"] .bio-properties-panel-group-header');
    }
    await type.fill('procurement.requestCigAnac');
    await eventually(
      async () => (await problems.innerText()).includes('Nessun problema'),
      'the problems panel to be clear',
    );
    await eventually(
      async () =>
        /salvata automaticamente/.test(await page.locator('#pc-draft-status').innerText()),
      'the draft to be autosaved',
    );

    // Save a version by keyboard: Ctrl+S goes to the message, Ctrl+S again saves.
    await page.locator('[data-testid=canvas]').focus();
    await page.keyboard.press('Control+s');
    await expect(focusedId(page)).resolves.toBe('version-message');
    await page.keyboard.type('CIG ad ANAC con un servizio dedicato');
    await page.keyboard.press('Control+s');
    // The page comes back (same address) with the next version to deploy.
    await page.locator('[data-testid=deploy]', { hasText: 'Distribuisci la versione 2' }).waitFor();
    await page.waitForSelector('body[data-modeler-ready="1"]');
    await expect(page.locator('[data-testid=flash]').innerText()).resolves.toBe(
      'Versione salvata.',
    );

    // Deploy by keyboard (Ctrl+Shift+D).
    await page.locator('[data-testid=canvas]').focus();
    await page.keyboard.press('Control+Shift+D');
    await page
      .locator('[data-testid=flash]', { hasText: 'Versione distribuita per la provincia.' })
      .waitFor();

    // The versions page lists version 2 as deployed, with author and message.
    await page.click('[data-testid=versions-link]');
    const row = page.locator('[data-testid=version-row][data-version="2"]');
    await expect(row.innerText()).resolves.toMatch(/versione 2[\s\S]*Marco Rossi/i);
    await expect(row.innerText()).resolves.toContain('CIG ad ANAC con un servizio dedicato');
    await expect(row.innerText()).resolves.toContain('motore integrato');

    // The engine has the new version for Ravenna only.
    const ra = await definitions('039');
    const po = await definitions('100');
    const newest = ra.sort((a, b) => b.version - a.version)[0]!;
    const xml = await fetch(
      `${product.env.engineRestUrl}/v2/process-definitions/${newest.processDefinitionKey}/xml`,
    ).then((r) => r.text());
    expect(xml).toContain('procurement.requestCigAnac');
    for (const d of po) {
      const other = await fetch(
        `${product.env.engineRestUrl}/v2/process-definitions/${d.processDefinitionKey}/xml`,
      ).then((r) => r.text());
      expect(other).not.toContain('procurement.requestCigAnac');
    }

    // The visual diff between version 1 and 2: the task is marked changed, with its
    // hidden job type and its name among the changed properties.
    await page.click('a[href*="confronto?da=1"]');
    await page.waitForSelector('#pc-diff-to .djs-element');
    const changed = page.locator('[data-testid=diff-changed]');
    const changedText = await changed.innerText();
    expect(changedText).toContain('requestCig');
    expect(changedText).toContain('procurement.requestCigAnac');
    expect(changedText).toContain('Richiesta del CIG ad ANAC');
    await eventually(
      () => page.locator('#pc-diff-to [data-element-id="requestCig"].pc-diff-changed').count(),
      'the changed marker on the diagram',
    );

    expect(errors).toEqual([]);
    await context.close();
  });

  it('a model that fails the camunda-cloud-8-5 lint cannot be deployed from the browser', async () => {
    const { context, page, errors } = await newPage();
    await signInInBrowser(page, product.url, 'analista.ra');
    await openProcurement(page);
    await page.fill('#pc-search', 'openCase');
    await page.press('#pc-search', 'Enter');
    const type = page.locator('#bio-properties-panel-taskDefinitionType');
    if (!(await type.isVisible())) {
      await page.click('[data-group-id="group-taskDefinition"] .bio-properties-panel-group-header');
    }
    await type.fill('');
    await eventually(
      async () => (await page.locator('[data-testid=problems]').innerText()).includes('openCase'),
      'the lint error',
    );
    // A version may be kept with problems (work in progress) but not deployed.
    const before = (await definitions('039')).length;
    await page.fill('#version-message', 'senza tipo');
    await page.click('[data-testid=save-version]');
    await page.locator('[data-testid=deploy]', { hasText: 'Distribuisci la versione 3' }).waitFor();
    await page.waitForSelector('body[data-modeler-ready="1"]');
    await Promise.all([page.waitForURL(/distribuisci$/), page.click('[data-testid=deploy]')]);
    await expect(page.locator('[data-testid=refused-title]').innerText()).resolves.toBe(
      'Distribuzione rifiutata',
    );
    const issue = page.locator('[data-testid=refused-issues] li[data-element=openCase]');
    await expect(issue.getAttribute('data-rule')).resolves.toBe('camunda-compat/implementation');
    await expect(issue.innerText()).resolves.toContain('Apertura del fascicolo (openCase)');
    // The link leads back to the modeler with the element selected.
    await Promise.all([page.waitForURL(/elemento=openCase/), issue.locator('a').click()]);
    await page.waitForSelector('body[data-modeler-ready="1"]');
    await expect(page.locator('#pc-selection').innerText()).resolves.toContain('openCase');
    expect((await definitions('039')).length).toBe(before);
    expect(errors.filter((e) => !/422/.test(e))).toEqual([]);
    await context.close();
  });

  it('an analyst deploys the decision table and tries it in the "prova" panel: the matched rule is shown', async () => {
    const { context, page, errors } = await newPage();
    await signInInBrowser(page, product.url, 'analista.ra');
    await page.goto(`${product.url}/modellazione/decisioni`);
    await page.click('tr[data-key="procurementProcedure"] a[data-testid=open-model]');
    await page.waitForSelector('body[data-modeler-ready="1"]');
    // dmn-js draws the decision table with its rules.
    expect(await page.locator('[data-testid=dmn-canvas] tbody tr').count()).toBeGreaterThan(3);
    await page.click('[data-testid=deploy]');
    await page
      .locator('[data-testid=flash]', { hasText: 'Versione distribuita per la provincia.' })
      .waitFor();
    await page.waitForSelector('body[data-modeler-ready="1"]');
    await page.selectOption('[data-testid=prova-decision]', 'procurementProcedure');
    await page.fill(
      '[data-testid=prova-variables]',
      JSON.stringify({
        contractType: 'works',
        amount: 90000,
        thresholds: {
          euWorks: 5404000,
          euServicesSupplies: 216000,
          euSocialServices: 750000,
          directAwardWorks: 150000,
          directAwardServicesSupplies: 140000,
          negotiatedWorksTenOperators: 1000000,
        },
        operatorMinimums: {
          negotiatedWorks: 5,
          negotiatedWorksTenOperators: 10,
          negotiatedServicesSupplies: 5,
        },
      }),
    );
    await page.click('[data-testid=prova-run]');
    const matched = page.locator('[data-testid=prova-matched] li');
    await matched.first().waitFor();
    await expect(matched.first().innerText()).resolves.toContain('"directAward"');
    await expect(page.locator('[data-testid=prova-output]').innerText()).resolves.toContain(
      'directAward',
    );
    expect(errors).toEqual([]);
    await context.close();
  });

  it('an administrator changes a threshold by keyboard; a bad value gets an Italian error naming the field and nothing is saved', async () => {
    const { context, page, errors } = await newPage();
    await signInInBrowser(page, product.url, 'admin.ra');
    await page.goto(`${product.url}/amministrazione/impostazioni`);
    await page.click('a[href="/amministrazione/impostazioni/procurement"]');
    await expect(page.locator('[data-testid=section-title]').innerText()).resolves.toBe(
      'Stazione Unica Appaltante',
    );
    // The law-derived number shows its source.
    await expect(page.locator('main').innerText()).resolves.toContain('D.Lgs. 36/2023, art. 50');

    // Keyboard only: focus the field, replace the value, Tab to the message, Enter saves.
    const field = page.locator('#s-thresholds-directAwardServicesSupplies');
    await field.focus();
    await page.keyboard.press('Control+a');
    await page.keyboard.type('-5');
    await page.locator('#s-change-message').focus();
    await page.keyboard.type('prova di un valore errato');
    await page.keyboard.press('Enter');
    const summary = page.locator('[data-pc-error-summary]');
    await summary.waitFor();
    const problem = await summary.innerText();
    expect(problem).toContain('Affidamento diretto di servizi e forniture sotto');
    expect(problem).toMatch(/deve essere/);
    // The summary links to the field.
    await expect(summary.locator('a').first().getAttribute('href')).resolves.toBe(
      '#s-thresholds-directAwardServicesSupplies',
    );
    const versionsAfterBad = await product.settings.versions('039');
    expect(versionsAfterBad).toHaveLength(0);

    // A good value is saved as a new version; the history lists it.
    await page.locator('#s-thresholds-directAwardServicesSupplies').focus();
    await page.keyboard.press('Control+a');
    await page.keyboard.type('139000,00');
    await page.locator('#s-change-message').focus();
    await page.keyboard.press('Control+a');
    await page.keyboard.type('soglia provinciale prudenziale');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid=flash]', { hasText: 'Impostazioni salvate' }).waitFor();
    const current = await product.settings.current('039');
    expect(
      (
        current.effective as {
          procurement: { thresholds: { directAwardServicesSupplies: number } };
        }
      ).procurement.thresholds.directAwardServicesSupplies,
    ).toBe(139000);
    const prato = await product.settings.current('100');
    expect(
      (prato.effective as { procurement: { thresholds: { directAwardServicesSupplies: number } } })
        .procurement.thresholds.directAwardServicesSupplies,
    ).toBe(140000);
    await page.goto(`${product.url}/amministrazione/versioni`);
    await expect(page.locator('main').innerText()).resolves.toContain(
      'soglia provinciale prudenziale',
    );
    expect(errors.filter((e) => !/422/.test(e))).toEqual([]);
    await context.close();
  });

  it('passes axe on the modeler (after import, with the properties panel) and a settings form at desktop and 390 px (the other pages: web-core crawl)', async () => {
    const failures: { page: string; width: number; violations: unknown[] }[] = [];
    for (const width of [1280, 390]) {
      for (const user of ['analista.ra', 'admin.ra']) {
        const { context, page } = await newPage({ width, height: 900 });
        await signInInBrowser(page, product.url, user);
        const paths =
          user === 'analista.ra' ? ['procurement'] : ['/amministrazione/impostazioni/procurement'];
        for (const p of paths) {
          if (p === 'procurement') await openProcurement(page);
          else await page.goto(`${product.url}${p}`);
          const violations = await seriousAxeViolations(page);
          if (violations.length) failures.push({ page: `${p} (${user})`, width, violations });
        }
        await context.close();
      }
    }
    expect(failures).toEqual([]);
  });
});
