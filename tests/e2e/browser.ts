// Headless Chromium for end-to-end tests: Debian's /usr/bin/chromium driven by playwright-core.
//
// Never a browser download: the machines reach only the npm registry and Debian's archive, so
// `scripts/ensure-chromium.mjs` (the `pretest` script) installs Debian's package instead.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page, type Response } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  // Root in a container: Chromium's sandbox needs user namespaces we don't have.
  '--no-sandbox',
  '--disable-gpu',
  // No phoning home, no component updates, no sync: quiet, deterministic, offline-safe runs.
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Starts Chromium. Each launch gets a fresh temporary profile (playwright-core's launch() creates
 * its own user-data-dir and deletes it on close), so runs never share cookies or caches.
 * Close the browser in afterAll; browser.close() ends the Chromium processes.
 */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is missing at ${CHROMIUM_PATH}. Run \`node scripts/ensure-chromium.mjs\` ` +
        '(npm test runs it as pretest), or `apt-get update && apt-get install -y chromium` as root.',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

/**
 * Opens the Sync module in a new page of `context` as the stand-in's admin, once its navigation
 * shows. `problems` collects page errors and HTTP answers ≥ 400 that `expected` does not excuse.
 */
export async function openModule(
  context: BrowserContext,
  standIn: { readonly url: string; readonly admin: { readonly loginToken: string } },
  expected: (response: Response) => boolean = () => false,
): Promise<{ page: Page; problems: string[] }> {
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400 && !expected(response)) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  await page.goto(`${standIn.url}/ccm/optigem-sync/?login_token=${encodeURIComponent(standIn.admin.loginToken)}`);
  await page.locator('.optigem-sync nav').waitFor();
  return { page, problems };
}
