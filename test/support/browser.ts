/**
 * Debian's Chromium driven by playwright-core. Browser suites never skip: without
 * Chromium they fail, naming what is missing (bash .ci/run installs it, and fails the run
 * if it cannot).
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumAvailable = existsSync(CHROMIUM_PATH);

export function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    return Promise.reject(
      new Error(
        `Chromium is not installed at ${CHROMIUM_PATH}: the browser tests cannot run. ` +
          'Install it (apt-get install chromium) or set CHROMIUM_PATH.',
      ),
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/**
 * The browser suites' `describe`. It never skips: a missing Chromium makes the suite
 * fail in launchBrowser, so a run without a browser cannot pass.
 */
export const describeInBrowser = describe;

import type { Page } from 'playwright-core';

/** Signs in through the real form at /accedi and waits for the page after it. */
export async function signInInBrowser(
  page: Page,
  baseUrl: string,
  username: string,
  password = 'demo',
): Promise<void> {
  await page.goto(`${baseUrl}/accedi`);
  await page.fill('#username', username);
  await page.fill('#password', password);
  await Promise.all([
    page.waitForURL((url) => !url.pathname.startsWith('/accedi')),
    page.click('[data-testid=sign-in-submit]'),
  ]);
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; html: string }[];
}

/**
 * Runs axe-core (WCAG 2.0/2.1 A and AA rules) on the page as it is now and returns the
 * serious and critical violations (assert the list is empty). axe's source is evaluated
 * through the DevTools protocol rather than with page.addScriptTag: our CSP refuses
 * inline <script> tags (and would log a violation), the protocol is not subject to it.
 */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  const source = (require('axe-core') as { source: string }).source;
  const loaded = await page.evaluate(
    () => typeof (globalThis as { axe?: unknown }).axe !== 'undefined',
  );
  if (!loaded) await page.evaluate(source);
  const result = (await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<unknown> } }
    ).axe;
    return axe.run((globalThis as unknown as { document: unknown }).document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
  })) as { violations: AxeViolation[] };
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target, html: n.html })),
    }));
}

/** Collects Content-Security-Policy violations and console errors of a page. */
export function watchPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  return errors;
}
