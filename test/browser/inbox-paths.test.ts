/**
 * The inbox, start forms and the case file in Chromium, as the demo users work: a comune
 * RUP files a procurement request through the start form; the SUA istruttore finds the
 * document check in "Del mio ufficio", claims it, submits it with a missing answer (error
 * summary and messages from ajv-i18n), then with a conditional field missing, then
 * correctly; the comune sees both steps in the case file, with names, and the process's
 * next activity on the diagram. axe on every page at desktop and 390 px; a second task is
 * completed by keyboard only. One product and one browser for the file.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { deployServiceProcesses } from '../../src/workers/demo/deploy-processes';
import { createZeebeClient } from '../../src/workers/runtime';
import {
  launchBrowser,
  seriousAxeViolations,
  signInInBrowser,
  watchPageErrors,
  describeInBrowser,
} from '../support/browser';
import { eventually } from '../support/eventually';
import { mailToSink, type MailSetup } from '../support/mail-sink';
import { PROCUREMENT_REQUEST } from '../support/idor/inbox-fixtures';
import { signIn, startTestProduct, type TestProduct } from '../support/web';

jest.setTimeout(300_000);

const PDF = Buffer.from('%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<<>>\n%%EOF\n');

describeInBrowser('inbox, start forms and case file in a real browser', () => {
  let product: TestProduct;
  let mail: MailSetup;
  let browser: Browser;
  const opened: BrowserContext[] = [];

  beforeAll(async () => {
    mail = await mailToSink();
    product = await startTestProduct({
      name: 'browser_inbox',
      env: { WORKERS: 'true', ...mail.env },
    });
    const zbc = createZeebeClient(product.env.zeebeAddress, { tenantId: '039' });
    try {
      await deployServiceProcesses(zbc, '039', ['procurement']);
    } finally {
      await zbc.close();
    }
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const c of opened) await c.close().catch(() => undefined);
    await browser?.close();
    await product?.stop();
    await mail?.close();
  });

  async function as(username: string, width = 1280): Promise<{ page: Page; errors: string[] }> {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    opened.push(context);
    const page = await context.newPage();
    const errors = watchPageErrors(page);
    await signInInBrowser(page, product.url, username);
    return { page, errors };
  }

  /** axe on the page as it is, then again at 390 px (same page, narrower window). */
  async function expectAccessible(page: Page, what: string): Promise<void> {
    const size = page.viewportSize()!;
    expect({ what, width: size.width, v: await seriousAxeViolations(page) }).toEqual({
      what,
      width: size.width,
      v: [],
    });
    await page.setViewportSize({ width: 390, height: 844 });
    expect({ what, width: 390, v: await seriousAxeViolations(page) }).toEqual({
      what,
      width: 390,
      v: [],
    });
    // Nothing wider than the phone's screen (no sideways scrolling of the page).
    const overflow = await page.evaluate(() => {
      const d = (
        globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }
      ).document;
      return d.documentElement.scrollWidth;
    });
    expect({ what, overflow: overflow <= 390 }).toEqual({ what, overflow: true });
    await page.setViewportSize(size);
  }

  const subject = `Manutenzione del verde pubblico ${Date.now().toString(36)}`;
  let caseKey = '';

  it('a comune RUP files a procurement request through the start form and follows it in "Le mie richieste"', async () => {
    const { page, errors } = await as('rup.faenza');
    await page.goto(`${product.url}/richieste`);
    await expectAccessible(page, 'le mie richieste (vuota)');
    await page.click('[data-testid=new-request]');
    await expectAccessible(page, 'scelta del servizio');
    await Promise.all([
      page.waitForURL(/\/richieste\/nuova\/procurement$/),
      page.click('[data-testid=request-type-procurement]'),
    ]);
    await expectAccessible(page, 'modulo di avvio');
    // The comune is the RUP's own, fixed.
    expect(await page.locator('input[name=comuneIstat]').inputValue()).toBe('039010');
    await page.check('label[for=f-contractType-1]');
    await page.fill('#f-subject', subject);
    await page.fill('#f-amount', '180.000,00');
    await page.fill('#f-cpv', PROCUREMENT_REQUEST.cpv);
    await page.check('label[for=f-awardCriterion]');
    await page.fill('#f-determinaNumber', PROCUREMENT_REQUEST.determinaNumber);
    await page.fill('#f-determinaDate', PROCUREMENT_REQUEST.determinaDate);
    await page.fill('#f-rupName', PROCUREMENT_REQUEST.rupName);
    await page.fill('#f-rupCodiceFiscale', PROCUREMENT_REQUEST.rupCodiceFiscale);
    await page.fill('#f-rupEmail', PROCUREMENT_REQUEST.rupEmail);
    await page.selectOption('#f-fundingSource', PROCUREMENT_REQUEST.fundingSource);
    await page.setInputFiles('#f-documents', {
      name: 'determina.pdf',
      mimeType: 'application/pdf',
      buffer: PDF,
    });
    await Promise.all([
      page.waitForURL(/\/richieste\?inviata=\d+/),
      page.click('[data-testid=request-form] button[type=submit]:not([name])'),
    ]);
    caseKey = new URL(page.url()).searchParams.get('inviata')!;
    const row = page.locator('[data-testid=request-row]', { hasText: subject });
    await expect(row.count()).resolves.toBe(1);
    await expectAccessible(page, 'le mie richieste');
    expect(errors).toEqual([]);
  });

  it('the SUA istruttore claims the document check, gets the error summary, then completes it; the comune sees the case file move on', async () => {
    expect(caseKey).not.toBe('');
    const { page, errors } = await as('istruttore.ra');
    // The task arrives in "Del mio ufficio" (the openCase worker runs first).
    await eventually(
      async () => {
        await page.goto(`${product.url}/attivita?view=office&q=${encodeURIComponent(subject)}`);
        expect(await page.locator('[data-testid=task-row]').count()).toBe(1);
        return true;
      },
      'the task in "Del mio ufficio"',
      30_000,
    );
    await expectAccessible(page, 'del mio ufficio');
    const listUrl = page.url();
    await page.click('[data-testid=task-link]');
    await expect(page.locator('[data-testid=task-title]').textContent()).resolves.toBe(
      'Verifica della documentazione',
    );
    await expectAccessible(page, 'attività da prendere in carico');
    await Promise.all([page.waitForNavigation(), page.click('[data-testid=claim]')]);
    await expect(page.locator('[data-testid=task-assignee]').textContent()).resolves.toContain(
      'Giulia Verdi',
    );

    // 1. Nothing answered: the error summary names the question, the field has its message.
    const submit = page.locator('[data-testid=task-form] button[type=submit]:not([name])');
    await Promise.all([page.waitForNavigation(), submit.click()]);
    const summary = page.locator('[data-pc-error-summary]');
    await expect(summary.textContent()).resolves.toContain('La documentazione è completa?');
    await expect(page.locator('#f-documentsComplete-error').textContent()).resolves.toMatch(
      /deve avere la proprietà obbligatoria|obbligatori/,
    );
    await expectAccessible(page, 'modulo con errori');

    // 2. "No" without saying what is missing: the conditional field is required (server-side).
    await page.check('label[for=f-documentsComplete-1]');
    await Promise.all([page.waitForNavigation(), submit.click()]);
    await expect(summary.textContent()).resolves.toContain('Documenti mancanti o da correggere');
    // Nothing reached the engine: the task is still open and assigned.
    await expect(page.locator('[data-testid=task-state]').textContent()).resolves.toBe('aperta');

    // 3. Correct: back to the list the officer came from, with the flash message.
    await page.check('label[for=f-documentsComplete-1]');
    await page.fill('#f-missingDocuments', 'Manca il quadro economico firmato');
    await Promise.all([page.waitForURL((u) => u.pathname === '/attivita'), submit.click()]);
    const state = (u: string) => [...new URL(u).searchParams].sort().join('&');
    expect(state(page.url())).toBe(state(listUrl));
    await expect(page.locator('[data-testid=task-row]').count()).resolves.toBe(0);
    // The refused submissions were answered 422 by design (the form page with its errors).
    expect(errors.filter((e) => !/status of 422/.test(e))).toEqual([]);

    // The comune's RUP sees the case file: both steps with names, the next activity open.
    const rup = await as('rup.faenza');
    await eventually(
      async () => {
        await rup.page.goto(`${product.url}/fascicoli/${caseKey}`);
        const timeline = await rup.page.locator('[data-testid=case-timeline]').textContent();
        expect(timeline).toContain('Franco Marini');
        expect(timeline).toContain('Giulia Verdi');
        expect(await rup.page.locator('[data-testid=open-tasks]').textContent()).toContain(
          'Integrazione della documentazione',
        );
        return true;
      },
      'the case file updated',
      30_000,
    );
    await expect(rup.page.locator('[data-testid=done-tasks]').textContent()).resolves.toContain(
      'Verifica della documentazione',
    );
    await expect(
      rup.page.locator('[data-testid=case-attachments]').textContent(),
    ).resolves.toContain('determina.pdf');
    // The diagram (bpmn-js) marks the current activity.
    await rup.page
      .locator(
        '[data-testid=case-diagram] .djs-element[data-element-id=integrateDocuments].pc-active',
      )
      .waitFor({ timeout: 20_000 });
    await expectAccessible(rup.page, 'fascicolo');
    expect(rup.errors).toEqual([]);

    // The engine moved on: the comune's integration task is in its inbox.
    const rupApi = await signIn(product.url, 'rup.faenza');
    const mine = await rupApi.get(`/api/v1/tasks?view=office&q=${encodeURIComponent(subject)}`, {
      accept: 'application/json',
    });
    expect(mine.json<{ items: { name: string }[] }>().items.map((t) => t.name)).toEqual([
      'Integrazione della documentazione',
    ]);
  });

  it('completes a task by keyboard only: j/o/c shortcuts to select, open and claim, Tab and Space to answer, Enter to submit', async () => {
    const rup = await signIn(product.url, 'rup.faenza');
    const second = `Fornitura di arredi scolastici ${Date.now().toString(36)}`;
    const started = await rup.postJson('/api/v1/requests', {
      process: 'procurement',
      variables: { ...PROCUREMENT_REQUEST, subject: second },
    });
    expect(started.status).toBe(201);
    const { page, errors } = await as('istruttore.ra');
    await eventually(
      async () => {
        await page.goto(`${product.url}/attivita?view=office&q=${encodeURIComponent(second)}`);
        expect(await page.locator('[data-testid=task-row]').count()).toBe(1);
        return true;
      },
      'the second task',
      30_000,
    );
    const focused = () =>
      page.evaluate(() => {
        const el = (
          globalThis as unknown as {
            document: { activeElement: { getAttribute(n: string): string | null } | null };
          }
        ).document.activeElement;
        return el?.getAttribute('data-testid') ?? el?.getAttribute('id') ?? null;
      });
    // The documented shortcuts (/attivita/scorciatoie): j selects the first task, o opens it,
    // c claims it.
    await page.keyboard.press('j');
    expect(await focused()).toBe('task-link');
    await Promise.all([page.waitForURL(/\/attivita\/\d+/), page.keyboard.press('o')]);
    await Promise.all([page.waitForNavigation(), page.keyboard.press('c')]);
    await expect(page.locator('[data-testid=task-assignee]').textContent()).resolves.toContain(
      'Giulia Verdi',
    );
    // The radio group: Tab into it, Space picks "Sì".
    for (let i = 0; i < 80 && (await focused()) !== 'f-documentsComplete'; i++)
      await page.keyboard.press('Tab');
    expect(await focused()).toBe('f-documentsComplete');
    await page.keyboard.press('Space');
    expect(await page.isChecked('#f-documentsComplete')).toBe(true);
    await page.keyboard.press('Tab'); // the notes
    for (let i = 0; i < 5 && (await focused()) !== 'f-checkNotes'; i++)
      await page.keyboard.press('Tab');
    expect(await focused()).toBe('f-checkNotes');
    await page.keyboard.type('Documentazione completa e regolare');
    // Enter on the submit button (not the draft one).
    const submitIsFocused = () =>
      page.evaluate(() => {
        const el = (
          globalThis as unknown as {
            document: {
              activeElement: { tagName: string; getAttribute(n: string): string | null };
            };
          }
        ).document.activeElement;
        return (
          el.tagName === 'BUTTON' &&
          el.getAttribute('type') === 'submit' &&
          !el.getAttribute('name')
        );
      });
    for (let i = 0; i < 10 && !(await submitIsFocused()); i++) await page.keyboard.press('Tab');
    expect(await submitIsFocused()).toBe(true);
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/attivita'),
      page.keyboard.press('Enter'),
    ]);
    const api = await signIn(product.url, 'istruttore.ra');
    await eventually(
      async () => {
        const done = await api.get(`/api/v1/tasks?view=completed&q=${encodeURIComponent(second)}`, {
          accept: 'application/json',
        });
        expect(done.json<{ items: { name: string; state: string }[] }>().items).toEqual([
          expect.objectContaining({ name: 'Verifica della documentazione', state: 'completed' }),
        ]);
        return true;
      },
      'the completed task',
      20_000,
    );
    expect(errors).toEqual([]);
  });

  it('a task of another province is 404 in the browser, and comune staff do not see the SUA’s task', async () => {
    const api = await signIn(product.url, 'istruttore.ra');
    const list = await api.get(`/api/v1/tasks?view=all&q=${encodeURIComponent(subject)}`, {
      accept: 'application/json',
    });
    const any = await api.get(`/api/v1/tasks?view=completed&q=${encodeURIComponent(subject)}`, {
      accept: 'application/json',
    });
    const id = [
      ...list.json<{ items: { id: string }[] }>().items,
      ...any.json<{ items: { id: string }[] }>().items,
    ][0]?.id;
    expect(id).toBeDefined();
    const other = await as('istruttore.po');
    const res = await other.page.goto(`${product.url}/attivita/${id}`);
    expect(res?.status()).toBe(404);
    const caseRes = await other.page.goto(`${product.url}/fascicoli/${caseKey}`);
    expect(caseRes?.status()).toBe(404);
    const lugo = await as('ufficio.lugo');
    expect((await lugo.page.goto(`${product.url}/fascicoli/${caseKey}`))?.status()).toBe(404);
  });
});
