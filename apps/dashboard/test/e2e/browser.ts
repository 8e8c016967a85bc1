import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { REPO_ROOT } from '../../../server/test/support/harness.js';

/** Debian's Chromium (scripts/ensure-test-tools.sh installs it); no browser is ever downloaded. */
export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = path.join(REPO_ROOT, '.test-artifacts', 'dashboard');

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** Saves a screenshot of the page as a test artifact (.test-artifacts/dashboard/<name>.png). */
export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** The page's own content, apart from the top bar (whose New project dialog also has a Name field). */
export function mainOf(page: Page): Locator {
  return page.locator('main#main');
}

/** A page in a browser context of its own (its own session, laptop-sized), signed in as `user`. */
export async function signedInPage(browser: Browser, url: string, user: { name: string; password: string }): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  await signIn(page, url, user.name, user.password);
  return page;
}

/** Signs in through the login form. */
export async function signIn(page: Page, url: string, user: string, password: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel('User').fill(user);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('whoami').waitFor();
}

/** The dashboard must be built for Gureum to serve it. */
export function assertDashboardBuilt(): void {
  if (!fs.existsSync(path.join(REPO_ROOT, 'apps/dashboard/dist/index.html'))) {
    throw new Error('apps/dashboard/dist is missing: run `npm run build` first');
  }
}
