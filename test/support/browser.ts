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
