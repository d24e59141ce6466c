// Issue 17 in the browser: the built extension inside the ChurchTools stand-in, a real bridge with
// nightly runs whose window is not open. The admin clicks "Jetzt automatisch ausführen" on the
// demo job's page, the module says it started and when it finished, and the overview then shows
// the red flag (the never-simulated job held its imports back) with the reason and the fix.
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStandIn, type StandIn } from '../../dev/standin/server.ts';
import { createTempDemoDatabase, startBridge, type RunningBridge, type TempDatabase } from '../../src/bridge/index.ts';
import { createChurchTools } from '../../src/churchtools/index.ts';
import { createNodeClient } from '../../src/churchtools/node-client.ts';
import { importDocument } from '../../src/runner/job-document.ts';
import { FAST_HTTP } from '../churchtools/helpers.ts';
import { demoDocument } from '../cli/helpers.ts';
import { ensureBuiltDist, projectRoot } from '../extension/dist-build.ts';
import { launchBrowser, openModule } from './browser.ts';

let browser: Browser | undefined;
let standIn: StandIn | undefined;
let bridge: RunningBridge | undefined;
let db: TempDatabase | undefined;
let context: BrowserContext | undefined;

/** HH:MM in UTC, `minutes` from now. */
const hhmm = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString().slice(11, 16);

beforeAll(async () => {
  const [dist, database] = await Promise.all([ensureBuiltDist(), createTempDemoDatabase()]);
  db = database;
  standIn = await startStandIn({ extensionDist: dist });
  bridge = await startBridge({
    databasePath: db.path,
    allowedOrigins: [standIn.url],
    nightly: { enabled: true, churchToolsUrl: standIn.url, window: { start: hhmm(120), end: hhmm(180) }, timeZone: 'UTC' },
    nightlyLoginToken: standIn.admin.loginToken,
    nightlyTesting: { http: FAST_HTTP },
  });
  browser = await launchBrowser();
  const ct = createChurchTools(createNodeClient(standIn.url, standIn.admin.loginToken, { personId: standIn.admin.personId }));
  const document = demoDocument(bridge.url);
  const imported = await importDocument(ct.storage, { ...document, connection: { ...document.connection, token: { value: bridge.tokens?.readWrite ?? '' } } }, { writeToken: true });
  expect(imported.ok).toBe(true);
}, 120_000);

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await browser?.close();
  await standIn?.close();
  await bridge?.close();
  db?.remove();
});

async function open(): Promise<{ page: Page; problems: string[] }> {
  if (!browser || !standIn) throw new Error('not started');
  // bypassCSP only for axe-core's script tag (sync-module.e2e.test.ts checks the CSP itself).
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'de-DE', bypassCSP: true });
  return openModule(context, standIn);
}

describe('automatic execution in the Sync module (Chromium)', () => {
  it('"Jetzt automatisch ausführen" starts the job on the bridge; the overview then flags what it held back', async () => {
    const { page, problems } = await open();
    const root = page.locator('.optigem-sync');
    await page.evaluate(() => {
      window.location.hash = '#/jobs/personen/run';
    });
    await root.getByRole('button', { name: 'Jetzt automatisch ausführen' }).click();
    await root.getByText('Gestartet: Die Bridge führt „Personen abgleichen“ jetzt aus.', { exact: false }).waitFor();
    await root.getByText('Die automatische Ausführung von „Personen abgleichen“ ist beendet: erfolgreich.').waitFor({ timeout: 90_000 });
    expect(bridge?.nightly?.nightly.status().lastResults).toEqual([expect.objectContaining({ jobId: 'personen', trigger: 'runNow', status: 'succeeded' })]);

    await root.getByRole('link', { name: 'Übersicht', exact: true }).click();
    const flag = root.locator('[data-test="nightly-flag"]');
    await flag.waitFor();
    expect(await flag.getAttribute('data-reason')).toBe('heldBack');
    expect(await flag.textContent()).toContain('Auftrag „Personen abgleichen“: Die automatische Ausführung hat Änderungen zurückgehalten');
    expect(await flag.locator('[data-test="nightly-flag-detail"]').textContent()).toContain('Nachts nicht ausgeführt: mehr als die letzte Simulation zeigte');
    await flag.getByRole('link', { name: 'Beheben' }).click();
    await root.locator('[data-test="simulate"]').waitFor();
    expect(page.url()).toContain('#/jobs/personen/run');
    expect(problems).toEqual([]);

    await root.getByRole('link', { name: 'Übersicht', exact: true }).click();
    await flag.waitFor();
    await page.addScriptTag({ path: join(projectRoot, 'node_modules', 'axe-core', 'axe.min.js') });
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(context: Element, options: object): Promise<{ violations: { id: string; impact: string | null }[] }> } }).axe;
      const section = document.querySelector('[data-test="nightly-flags"]');
      if (!section) throw new Error('nightly flags missing');
      return (await axe.run(section, { resultTypes: ['violations'] })).violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
    });
    expect(violations).toEqual([]);
  }, 240_000);
});
