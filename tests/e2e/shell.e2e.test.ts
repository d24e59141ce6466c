// Smoke test of the built extension in a real browser, loaded the way ChurchTools loads it today:
// the page at /ccm/optigem-sync/ with our script and stylesheet tags injected, a CSP without
// 'unsafe-inline', and the app mounting on #app.
//
// Two hosts: a minimal page with a CSP stricter than ChurchTools' (no eval either), and the
// ChurchTools stand-in (dev/standin) with login, host styles and API.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStandIn, type StandIn } from '../../dev/standin/server.ts';
import { ensureBuiltDist } from '../extension/dist-build.ts';
import { launchBrowser } from './browser.ts';
import { startStaticCtPage, type StaticCtPage } from './static-ct-page.ts';

declare global {
  interface Window {
    __cspViolations?: string[];
  }
}

const GERMAN_NAV = ['Übersicht', 'Verbindungen', 'Aufträge', 'Ausführungen', 'Paare', 'Person prüfen'];

let browser: Browser | undefined;
let staticPage: StaticCtPage | undefined;
let standIn: StandIn | undefined;
const contexts: BrowserContext[] = [];

interface Watched {
  page: Page;
  /** Console errors, uncaught exceptions and failed requests. */
  problems: string[];
  cspViolations(): Promise<string[]>;
}

/** `noBackend`: the page has no ChurchTools API behind it, so failing /api/ calls are expected there. */
async function watchedPage(options: { noBackend?: boolean } = {}): Promise<Watched> {
  const expected = (url: string) => options.noBackend === true && new URL(url).pathname.startsWith('/api/');
  if (!browser) throw new Error('browser not started');
  const context = await browser.newContext();
  contexts.push(context);
  const page = await context.newPage();
  const problems: string[] = [];
  // Init scripts run through the DevTools protocol, so the page's CSP does not block this one.
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      window.__cspViolations?.push(`${event.violatedDirective} blocked ${event.blockedURI || 'inline'}`);
    });
  });
  page.on('console', (message) => {
    // Chromium logs every failed load as a console error, located at the resource's URL.
    if (message.type() === 'error' && !(message.location().url && expected(message.location().url))) problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => {
    if (!expected(request.url())) problems.push(`request failed: ${request.url()} ${request.failure()?.errorText ?? ''}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400 && !expected(response.url())) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  // Chromium asks every host for a favicon; that 404 is not the extension's.
  await page.route('**/favicon.ico', (route) => route.fulfill({ status: 204, body: '' }));
  return {
    page,
    problems,
    cspViolations: () => page.evaluate(() => window.__cspViolations ?? []),
  };
}

async function navLabels(page: Page): Promise<string[]> {
  return (await page.locator('.optigem-sync nav a').allTextContents()).map((s) => s.trim());
}

/** The checks both hosts share: German shell, routing by hash, reload keeps the route. */
async function checkShell({ page, problems, cspViolations }: Watched): Promise<void> {
  await page.locator('.optigem-sync nav').waitFor({ state: 'visible' });
  expect(await navLabels(page)).toEqual(GERMAN_NAV);
  expect(await page.locator('.optigem-sync h1').textContent()).toBe('Optigem-Sync');
  expect(await page.locator('.optigem-sync .os-layout__content h2').textContent()).toBe('Übersicht');
  expect(await page.locator('#app .optigem-sync').count()).toBe(1);

  await page.locator('.optigem-sync nav a', { hasText: 'Aufträge' }).click();
  await expect.poll(() => page.locator('.optigem-sync .os-layout__content h2').textContent()).toBe('Aufträge');
  expect(new URL(page.url()).hash).toBe('#/jobs');

  // Hash history: a reload (or a deep link) opens the same view. The views load data; let that
  // finish first, or the reload itself aborts those requests.
  await page.waitForLoadState('networkidle');
  await page.reload();
  await page.locator('.optigem-sync nav').waitFor({ state: 'visible' });
  expect(await page.locator('.optigem-sync .os-layout__content h2').textContent()).toBe('Aufträge');

  expect(await cspViolations()).toEqual([]);
  expect(problems).toEqual([]);
}

beforeAll(async () => {
  const dist = await ensureBuiltDist();
  browser = await launchBrowser();
  staticPage = await startStaticCtPage(dist);
  standIn = await startStandIn({ extensionDist: dist });
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await staticPage?.close();
  await standIn?.close();
});

describe('built extension in Chromium', () => {
  it('notices CSP violations (the check below is not blind)', async () => {
    const watched = await watchedPage();
    await watched.page.goto(staticPage?.probeUrl ?? '');
    expect(await watched.page.title()).toBe('ChurchTools');
    await expect.poll(() => watched.cspViolations()).toEqual(['script-src-elem blocked inline']);
  });

  it('renders the German shell under a strict CSP (no inline script, no eval)', async () => {
    const watched = await watchedPage({ noBackend: true });
    const response = await watched.page.goto(staticPage?.pageUrl ?? '');
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await checkShell(watched);
  });

  it('renders inside the ChurchTools stand-in page, holding its own against the host styles', async () => {
    if (!standIn) throw new Error('stand-in not started');
    const watched = await watchedPage();
    await watched.page.goto(`${standIn.url}/ccm/optigem-sync/?login_token=${encodeURIComponent(standIn.admin.loginToken)}`);
    // The host's unlayered `h1 { font-weight: 400 }` must not reach our heading.
    await watched.page.locator('.optigem-sync h1').waitFor();
    const weight = await watched.page.locator('.optigem-sync h1').evaluate((el) => getComputedStyle(el).fontWeight);
    expect(weight).toBe('700');
    await checkShell(watched);
  });
});
