// The built extension loaded the new way (ChurchTools' extension boilerplate, branch `entry-points`):
// a host page imports /extensions/optigem-sync/extension.es.js, asks it for the `main` entry point
// named in the manifest and renders it. No script or stylesheet tag of ours is on that page, so
// everything — the app and its CSS — must come through the module.
import type { Browser, BrowserContext, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStandIn, type StandIn } from '../../dev/standin/server.ts';
import { ensureBuiltDist } from '../extension/dist-build.ts';
import { launchBrowser } from './browser.ts';

declare global {
  interface Window {
    __cspViolations?: string[];
    extensionInstance?: { destroy(): Promise<void> };
  }
}

const GERMAN_NAV = ['Übersicht', 'Verbindungen', 'Aufträge', 'Ausführungen', 'Paare', 'Person prüfen'];

let browser: Browser | undefined;
let standIn: StandIn | undefined;
let context: BrowserContext | undefined;

beforeAll(async () => {
  const dist = await ensureBuiltDist();
  browser = await launchBrowser();
  standIn = await startStandIn({ extensionDist: dist });
});

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await browser?.close();
  await standIn?.close();
});

describe('built extension through the new format (/extensions/<key>/extension.es.js)', () => {
  it('mounts the main entry point on the host page, with its own CSS, and unmounts on destroy', async () => {
    if (!browser || !standIn) throw new Error('not started');
    context = await browser.newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    const requests: Request[] = [];
    await page.addInitScript(() => {
      window.__cspViolations = [];
      document.addEventListener('securitypolicyviolation', (event) => {
        window.__cspViolations?.push(`${event.violatedDirective} blocked ${event.blockedURI || 'inline'}`);
      });
    });
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`));
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
    });
    page.on('request', (request) => requests.push(request));
    await page.route('**/favicon.ico', (route) => route.fulfill({ status: 204, body: '' }));

    await page.goto(`${standIn.url}/extension-host/optigem-sync/?login_token=${encodeURIComponent(standIn.admin.loginToken)}`);
    const root = page.locator('#extension-root');
    await root.locator('.optigem-sync nav').waitFor({ state: 'visible' });
    await expect.poll(() => root.getAttribute('data-rendered')).toBe('true');
    expect((await root.locator('.optigem-sync nav a').allTextContents()).map((s) => s.trim())).toEqual(GERMAN_NAV);
    expect(await root.locator('.optigem-sync .os-layout__content h2').textContent()).toBe('Übersicht');

    // The CSS came with the module — the page itself links none of ours — and it beats the host's
    // `h1 { font-weight: 400 }`. The module waits for it, so it applies as soon as the app shows.
    const links = page.locator('link[rel="stylesheet"][href*="optigem-sync"]');
    expect(await links.count()).toBe(1);
    expect(await links.getAttribute('data-extension-style')).toBe('optigem-sync');
    expect(new URL((await links.evaluate((el: HTMLLinkElement) => el.href))).pathname).toBe('/extensions/optigem-sync/assets/optigem-sync.css');
    expect(await root.locator('.optigem-sync h1').evaluate((el) => getComputedStyle(el).fontWeight)).toBe('700');

    // Everything of ours was loaded from /extensions/optigem-sync/, nothing through the legacy path.
    const paths = requests.map((r) => new URL(r.url()).pathname);
    expect(paths).toEqual(
      expect.arrayContaining(['/extensions/optigem-sync/manifest.json', '/extensions/optigem-sync/extension.es.js', '/extensions/optigem-sync/assets/optigem-sync.js', '/extensions/optigem-sync/assets/optigem-sync.css']),
    );
    expect(paths.filter((p) => p.startsWith('/ccm/'))).toEqual([]);

    // The host owns the page URL: navigation inside the extension leaves it alone (memory history).
    const url = page.url();
    await root.locator('.optigem-sync nav a', { hasText: 'Aufträge' }).click();
    await expect.poll(() => root.locator('.optigem-sync .os-layout__content h2').textContent()).toBe('Aufträge');
    expect(page.url()).toBe(url);
    // The jobs view is a lazy chunk: fetched on that navigation, relative to the bundle, so from
    // /extensions/optigem-sync/ too, and not before.
    const chunks = requests.map((r) => new URL(r.url()).pathname).filter((p) => /\/JobsView-[\w-]{8}\.js$/.test(p));
    expect(chunks).toHaveLength(1);
    expect(chunks[0]).toMatch(/^\/extensions\/optigem-sync\/assets\/JobsView-[\w-]{8}\.js$/);
    expect(paths.some((p) => p.includes('JobsView-'))).toBe(false);

    await page.waitForLoadState('networkidle');
    await page.evaluate(async () => window.extensionInstance?.destroy());
    expect(await root.locator('.optigem-sync').count()).toBe(0);

    expect(await page.evaluate(() => window.__cspViolations ?? [])).toEqual([]);
    expect(problems).toEqual([]);
  });
});
