// The Sync module end to end in headless Chromium: the built extension inside the ChurchTools
// stand-in, talking to a real Optigem bridge on its demo database. One admin's first day:
// connection, property pairs, a members job with conditions on both sides, simulate, run,
// executions, pairs, the person panel with unlink and relink. Afterwards the main views are
// checked with axe-core and saved as screenshots for the docs.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStandIn, type StandIn } from '../../dev/standin/server.ts';
import { blankPerson, newMeta } from '../../dev/standin/state.ts';
import { createTempDemoDatabase, startBridge, type RunningBridge, type TempDatabase } from '../../src/bridge/index.ts';
import { createChurchTools, type ChurchTools } from '../../src/churchtools/index.ts';
import { createNodeClient } from '../../src/churchtools/node-client.ts';
import { BridgeClient, OptigemSystemPort } from '../../src/optigem/index.ts';
import { simulate } from '../../src/sync/engine.ts';
import { MemoryPairStore } from '../../src/sync/memory.ts';
import type { Counters } from '../../src/sync/model.ts';
import { ensureBuiltDist, projectRoot } from '../extension/dist-build.ts';
import { launchBrowser } from './browser.ts';

declare global {
  interface Window {
    __cspViolations?: string[];
    axe?: { run(context: Element, options: object): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: unknown[] }[] }> };
  }
}

const SCRIPT_NAME = '<script>window.__pwned = 1</script>';
const SCREENSHOTS = join(projectRoot, 'docs', 'screenshots');
const AXE = join(projectRoot, 'node_modules', 'axe-core', 'axe.min.js');

let browser: Browser | undefined;
let standIn: StandIn | undefined;
let bridge: RunningBridge | undefined;
let db: TempDatabase | undefined;
let token = '';
let ct: ChurchTools | undefined;
const contexts: BrowserContext[] = [];

/** What the flow found out, for the accessibility pass. */
const ids = { connection: '', job: '', run: '', person: '' };

beforeAll(async () => {
  const [dist, database] = await Promise.all([ensureBuiltDist(), createTempDemoDatabase()]);
  db = database;
  standIn = await startStandIn({ extensionDist: dist });
  // The bridge must allow the ChurchTools origin (CORS), exactly as a church would configure it.
  bridge = await startBridge({ databasePath: db.path, allowedOrigins: [standIn.url] });
  token = bridge.tokens?.readWrite ?? '';
  browser = await launchBrowser();
  ct = createChurchTools(createNodeClient(standIn.url, standIn.admin.loginToken, { personId: standIn.admin.personId }));

  // A person whose name is markup: it must be shown as text, never run.
  const state = standIn.state;
  const id = state.nextId.person++;
  const person = blankPerson(id, newMeta(state, 1));
  Object.assign(person, { firstName: SCRIPT_NAME, lastName: 'Skript', statusId: 1, campusId: 1, departmentIds: [1] });
  state.persons.set(id, person);
}, 120_000);

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await standIn?.close();
  await bridge?.close();
  db?.remove();
});

interface Watched {
  page: Page;
  problems: string[];
  dialogs: string[];
}

async function open(options: { bypassCSP?: boolean } = {}): Promise<Watched> {
  if (!browser || !standIn) throw new Error('not started');
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'de-DE', ...options });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const problems: string[] = [];
  const dialogs: string[] = [];
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
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} ${request.failure()?.errorText ?? ''}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.route('**/favicon.ico', (route) => route.fulfill({ status: 204, body: '' }));
  await page.goto(`${standIn.url}/ccm/optigem-sync/?login_token=${encodeURIComponent(standIn.admin.loginToken)}`);
  await page.locator('.optigem-sync nav').waitFor();
  return { page, problems, dialogs };
}

function app(page: Page) {
  return page.locator('.optigem-sync');
}

async function confirm(page: Page, button: string): Promise<void> {
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  await dialog.getByRole('button', { name: button, exact: true }).click();
  await dialog.waitFor({ state: 'detached' });
}

/** The counters table as numbers, row by row. */
async function counters(page: Page): Promise<Counters> {
  const read = async (system: string, kind: string) =>
    Number(await page.locator(`[data-test="report"] tr[data-system="${system}"] td[data-kind="${kind}"]`).textContent());
  const result = {} as Counters;
  for (const system of ['churchtools', 'optigem', 'both'] as const) {
    result[system] = { create: 0, update: 0, archive: 0, delete: 0, storno: 0, link: 0 };
    for (const kind of ['create', 'update', 'archive', 'delete', 'storno', 'link'] as const) result[system][kind] = await read(system, kind);
  }
  return result;
}

/** The same job simulated by the engine in Node, over the same HTTP APIs: what the report must say. */
async function expectedCounters(jobId: string): Promise<Counters> {
  if (!ct || !bridge) throw new Error('not started');
  const job = (await ct.storage.jobs.get(jobId))?.data;
  const connection = job ? (await ct.storage.connections.get(job.connectionId))?.data : undefined;
  if (!job || !connection) throw new Error('job or connection not stored');
  const optigem = new OptigemSystemPort(new BridgeClient({ baseUrl: bridge.url, token }));
  const outcome = await simulate(job, {
    ports: { churchtools: ct.persons, optigem },
    // Before the first run the connection has no pairs.
    pairStore: new MemoryPairStore(),
    propertyPairs: connection.propertyPairs,
  });
  return outcome.execution.counters;
}

describe('the Sync module in Chromium', () => {
  it('sets up a connection and a members job, simulates, runs, and manages pairs', async () => {
    const { page, problems, dialogs } = await open();
    const root = app(page);
    await expect.poll(() => root.getByText('Willkommen beim Optigem-Sync').isVisible()).toBe(true);

    // 1. Connection: URL and token, saved and tested.
    await root.getByRole('link', { name: 'Verbindungen' }).click();
    await root.getByRole('link', { name: 'Neue Verbindung' }).click();
    await root.getByLabel('Adresse der Bridge').fill(bridge?.url ?? '');
    await root.getByLabel('Bridge-Token').fill(token);
    await root.getByRole('button', { name: 'Speichern' }).click();
    await root.getByText('Gespeichert.', { exact: true }).waitFor();
    await page.waitForURL(/#\/connections\/(?!new)[^/]+$/);
    ids.connection = /#\/connections\/([^/?]+)/.exec(page.url())?.[1] ?? '';
    expect(ids.connection).not.toBe('');
    await expect.poll(async () => root.getByLabel('Bridge-Token').getAttribute('placeholder')).toBe('Leer lassen, um das gespeicherte Token zu behalten');
    expect(await root.getByLabel('Bridge-Token').inputValue()).toBe('');
    await root.getByRole('button', { name: 'Verbindung testen' }).click();
    const ok = root.locator('[data-test="test-ok"]');
    await ok.waitFor();
    expect(await ok.locator('[data-test="bridge-version"]').textContent()).toContain((await new BridgeClient({ baseUrl: bridge?.url ?? '', token }).health()).version);
    expect(await ok.locator('[data-test="categories"]').textContent()).toContain('150: Mitglieder');
    expect(await root.textContent()).not.toContain(token);

    // 2. Property pairs: the usual ones, "apply all", skip for statuses without a category.
    await root.getByRole('link', { name: /Eigenschaften-Paare bearbeiten/ }).click();
    await root.locator('[data-test="add-defaults"]').click();
    const status = root.locator('[data-pair="stat"]');
    const sex = root.locator('[data-pair="sex"]');
    await status.getByRole('button', { name: 'Alle zuordnen' }).click();
    await sex.getByRole('button', { name: 'Alle zuordnen' }).click();
    await expect.poll(() => status.locator('.os-completeness__text').textContent()).toBe('4 von 5 Werten zugeordnet');
    expect(await status.locator('[data-test="missing"]').textContent()).toContain('Optigem (ChurchTools)');
    expect(await sex.locator('.os-completeness__text').textContent()).toBe('4 von 6 Werten zugeordnet');
    await status.getByLabel('Feld überspringen (mit Warnung)').check();
    await root.locator('[data-test="save-pairs"]').click();
    await confirm(page, 'Speichern');
    await root.getByText('Eigenschaften-Paare gespeichert.').waitFor();

    // 3. Job: link & unify, update properties; Status = Mitglied, Kategorien = 150: Mitglieder.
    await root.getByRole('link', { name: 'Aufträge' }).click();
    await root.getByRole('link', { name: 'Neuer Auftrag' }).click();
    await root.getByLabel('Name', { exact: true }).fill('Mitglieder abgleichen');
    await root.locator('input[data-action="link"]').check();
    await root.locator('input[data-action="updateProperties"]').check();
    const ctConditions = root.getByRole('group', { name: 'Bedingungen für ChurchTools' });
    await ctConditions.getByRole('button', { name: 'Bedingung hinzufügen' }).click();
    await ctConditions.locator('.os-multi__button').click();
    await ctConditions.getByLabel('Mitglied', { exact: true }).check();
    await ctConditions.getByRole('button', { name: 'Fertig' }).click();
    const ogConditions = root.getByRole('group', { name: 'Bedingungen für Optigem' });
    await ogConditions.getByRole('button', { name: 'Bedingung hinzufügen' }).click();
    await ogConditions.locator('.os-multi__button').click();
    await ogConditions.getByLabel('150: Mitglieder', { exact: true }).check();
    await ogConditions.getByRole('button', { name: 'Fertig' }).click();
    await root.getByRole('button', { name: 'Alle wählen' }).click();
    expect(await root.locator('.os-conditions__sentence').textContent()).toBe(
      'Dieser Auftrag berücksichtigt in ChurchTools Personen, bei denen Status „Mitglied“ ist und in Optigem Personen, bei denen Kategorien „150: Mitglieder“ ist.',
    );
    await expect.poll(() => root.locator('[data-test="job-status"]').textContent()).toContain('Der Auftrag ist bereit.');
    await root.locator('[data-test="save-job"]').click();
    await confirm(page, 'Speichern');
    await root.getByText('Auftrag gespeichert.').waitFor();
    await page.waitForURL(/#\/jobs\/(?!new)[^/]+$/);
    ids.job = /#\/jobs\/([^/?]+)/.exec(page.url())?.[1] ?? '';
    expect(ids.job).not.toBe('new');

    // 4. Simulate: the report's counts are the engine's, computed here over the same APIs.
    await root.getByRole('link', { name: 'Simulieren / Ausführen' }).click();
    await root.locator('[data-test="simulate"]').click();
    await root.locator('[data-test="report"]').waitFor({ timeout: 30_000 });
    const simulated = await counters(page);
    expect(simulated).toEqual(await expectedCounters(ids.job));
    expect(simulated.both.link).toBeGreaterThan(10);

    // 5. Run exactly this; the run does what the simulation said.
    await root.locator('[data-test="run-exact"]').click();
    await confirm(page, 'Genau das ausführen');
    // While it runs: progress with counts and the current step. ChurchTools' rate limit (the
    // pacer) makes the ~100 partner notes take a while.
    await root.locator('[data-test="progress"] [role="progressbar"]').waitFor();
    await root.locator('[data-test="report"] .os-badge--succeeded').waitFor({ timeout: 60_000 });
    await expect.poll(() => root.locator('[data-test="report"]').textContent()).toContain('Durchgeführte Änderungen');
    expect(await counters(page)).toEqual(simulated);
    // This Node session listed the categories before the run created the pairs category; its
    // cached listing would hide it (see the report to the lead), so look afresh.
    ct?.storage.categories.reset();
    const stored = await ct?.storage.pairs.load(ids.connection, 'person');
    expect(stored?.length).toBe(simulated.both.link);

    // 6. Executions: the simulation and the run; the run's log as CSV.
    await root.getByRole('link', { name: 'Ausführungen' }).click();
    await expect.poll(() => root.locator('[data-test="execution-row"]').count()).toBe(2);
    await root.locator('[data-test="execution-row"]').first().getByRole('link').click();
    await root.locator('[data-test="report"]').waitFor();
    ids.run = /#\/executions\/([^/?]+)/.exec(page.url())?.[1] ?? '';
    const [download] = await Promise.all([page.waitForEvent('download'), root.locator('[data-test="csv"]').click()]);
    const csv = readFileSync((await download.path()) ?? '', 'utf8');
    expect(csv.startsWith('\uFEFFNr.;Aktion;Vorgang;System;Stufe;Zustand;Person;ChurchTools-ID;Optigem-Nr.;Meldung;Änderungen;Fehler;Änderungen (Rohwerte)\r\n')).toBe(true);
    const links = csv.split('\r\n').filter((line) => line.includes(';Verknüpfen;'));
    // A couple record paired with both spouses is one entry for two links.
    const couples = links.filter((line) => line.includes('Ehepaar-Datensatz mit beiden Ehepartnern gepaart')).length;
    expect(couples).toBeGreaterThan(0);
    expect(links.length + couples).toBe(simulated.both.link);

    // 7. Pairs: find one by name.
    await root.getByRole('link', { name: 'Paare', exact: true }).click();
    const firstRow = root.locator('.os-pair-row').first();
    await firstRow.waitFor({ timeout: 20_000 });
    expect(await root.getByText(`${simulated.both.link} von ${simulated.both.link}`).count()).toBe(1);
    const pair = { ct: (await firstRow.getAttribute('data-ct')) ?? '', og: (await firstRow.getAttribute('data-og')) ?? '' };
    const name = (await firstRow.locator('strong').first().textContent()) ?? '';
    await root.locator('input[data-filter="search"]').fill(name.split(',')[0] ?? name);
    await expect.poll(() => root.locator(`.os-pair-row[data-ct="${pair.ct}"]`).count()).toBe(1);

    // 8. Person panel: side by side; unlink, then relink from the candidates.
    await root.locator(`.os-pair-row[data-ct="${pair.ct}"]`).getByRole('link', { name: /^Ansehen:/ }).click();
    // The person view is a lazy chunk: the URL changes once it has loaded.
    await page.waitForURL((url) => url.hash === `#/person/${pair.ct}`);
    ids.person = pair.ct;
    const panel = root.locator('[data-test="person-panel"]');
    await panel.getByText(/Verknüpft mit/).waitFor();
    expect(await panel.locator('[data-test="compare"] tbody tr').count()).toBe(10);
    await panel.locator('[data-test="unlink"]').click();
    await confirm(page, 'Verknüpfung lösen');
    await panel.getByText('Nicht mit Optigem verknüpft.').waitFor();
    const candidate = root.locator(`[data-test="candidates"] li[data-og="${pair.og}"]`);
    await candidate.getByRole('button', { name: 'Verknüpfen' }).click();
    await confirm(page, 'Verknüpfen');
    await panel.getByText(/Verknüpft mit/).waitFor();
    ct?.storage.categories.reset();
    expect((await ct?.storage.pairs.load(ids.connection, 'person'))?.some((p) => p.ct === pair.ct && p.og === pair.og)).toBe(true);
    await root.locator('[data-test="history"] li').first().waitFor();

    // 9. A name with markup is text.
    await root.getByRole('link', { name: 'Person prüfen' }).click();
    await root.getByLabel('Person in ChurchTools suchen').fill('Skript');
    const hit = root.locator('.os-picker__result').first();
    await hit.waitFor();
    expect(await hit.textContent()).toContain(SCRIPT_NAME);
    await hit.click();
    expect(await root.locator('[data-test="person-panel"] h3').textContent()).toBe(`Skript, ${SCRIPT_NAME}`);
    expect(await root.locator('script').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();

    expect(await page.evaluate(() => window.__cspViolations ?? [])).toEqual([]);
    expect(dialogs).toEqual([]);
    expect(problems).toEqual([]);
  }, 120_000);

  it('has no serious or critical accessibility violations on the main views (axe-core), saved as screenshots', async () => {
    expect(ids.run).not.toBe('');
    expect(existsSync(AXE)).toBe(true);
    mkdirSync(SCREENSHOTS, { recursive: true });
    // axe is injected as a script tag: this context lets it past ChurchTools' CSP (the flow above
    // ran with the CSP on and checked it).
    const { page } = await open({ bypassCSP: true });
    const views: [name: string, hash: string, ready: string][] = [
      ['overview', '#/', 'section[aria-busy="false"] [data-test="overview-job"]'],
      ['connection', `#/connections/${ids.connection}`, 'input[type="url"]'],
      ['property-pairs', `#/connections/${ids.connection}/properties`, '[data-pair="stat"] tbody tr'],
      ['job-editor', `#/jobs/${ids.job}`, '[data-test="job-status"]'],
      ['report', `#/executions/${ids.run}`, '[data-test="report"] .os-log-row'],
      ['executions', '#/executions', '[data-test="execution-row"]'],
      ['pairs', '#/pairs', '.os-pair-row'],
      ['person', `#/person/${ids.person}`, '[data-test="history"] li'],
    ];
    const found: string[] = [];
    for (const [name, hash, ready] of views) {
      await page.evaluate((h) => {
        window.location.hash = h;
      }, hash);
      await app(page).locator(ready).first().waitFor({ timeout: 20_000 });
      // Screenshots are taken every time (rendering must not fail) but written to docs/ only when
      // asked, so a test run does not change tracked files: UPDATE_SCREENSHOTS=1 npm test.
      const shot = await page.screenshot({ fullPage: true });
      if (process.env.UPDATE_SCREENSHOTS === '1') writeFileSync(join(SCREENSHOTS, `${name}.png`), shot);
      expect(shot.byteLength).toBeGreaterThan(10_000);
      await page.addScriptTag({ path: AXE });
      const result = await page.evaluate(() => {
        const root = document.querySelector('.optigem-sync');
        if (!root || !window.axe) throw new Error('axe or app missing');
        return window.axe.run(root, { resultTypes: ['violations'] });
      });
      for (const v of result.violations) {
        if (v.impact === 'serious' || v.impact === 'critical') found.push(`${name}: ${v.id} (${v.impact}) ${v.help} ×${v.nodes.length}`);
      }
    }
    expect(found).toEqual([]);
  }, 60_000);

  it('sets up a booking job for fiscal year 2026, simulates it and runs exactly that', async () => {
    expect(ids.connection).not.toBe('');
    const { page, problems } = await open();
    const root = app(page);
    await page.evaluate((hash) => {
      window.location.hash = hash;
    }, `#/connections/${ids.connection}/properties`);
    // Opened by address while the overview still loads: the person pairs must be there.
    await root.locator('[data-pair="stat"]').waitFor();
    await root.locator('[data-test="add-transaction-defaults"]').click();
    await root.locator('[data-test="donor-explanation"]').waitFor();
    await root.locator('[data-test="save-pairs"]').click();
    await confirm(page, 'Speichern');
    await root.getByText('Eigenschaften-Paare gespeichert.').waitFor();

    // Link and import the bookings; donors are left out: the members job linked only members.
    await root.getByRole('link', { name: 'Aufträge' }).click();
    await root.getByRole('link', { name: 'Neuer Auftrag' }).click();
    await root.getByLabel('Name', { exact: true }).fill('Buchungen 2026');
    await root.getByLabel('Bereich', { exact: true }).selectOption('transaction');
    await root.locator('[data-test="fiscal-year"]').fill('2026');
    await root.locator('input[data-action="link"]').check();
    await root.locator('input[data-action="import"]').check();
    await root.getByRole('button', { name: 'Alle wählen' }).click();
    await root.locator('input[data-pair="tp"]').uncheck();
    await expect.poll(() => root.locator('[data-test="job-status"]').textContent()).toContain('Der Auftrag ist bereit.');
    await root.locator('[data-test="save-job"]').click();
    await confirm(page, 'Speichern');
    await root.getByText('Auftrag gespeichert.').waitFor();

    await root.getByRole('link', { name: 'Simulieren / Ausführen' }).click();
    await root.locator('[data-test="simulate"]').click();
    await root.locator('[data-test="report"]').waitFor({ timeout: 30_000 });
    const simulated = await counters(page);
    expect(simulated.both.link).toBeGreaterThan(50);
    expect(simulated.churchtools.create).toBeGreaterThan(0);
    await root.locator('[data-test="run-exact"]').click();
    await confirm(page, 'Genau das ausführen');
    await root.locator('[data-test="report"] .os-badge--succeeded').waitFor({ timeout: 60_000 });
    expect(await counters(page)).toEqual(simulated);
    expect([...(standIn?.state.finance.transactions.values() ?? [])].filter((t) => t.isSynced)).toHaveLength(simulated.churchtools.create);
    // Imported donations land the ChurchTools way: Konto (accountId) the bank, Gegenkonto
    // (contraAccountId) the donation account; the bookings entered that way were linked above.
    const finance = standIn!.state.finance;
    const imported = [...finance.transactions.values()].filter((t) => t.isSynced && finance.accounts.get(t.contraAccountId)?.isDonationAccount === true && !t.isWaiverOfReimbursementOfExpenses);
    expect(imported.length).toBeGreaterThan(0);
    expect(new Set(imported.map((t) => finance.accounts.get(t.accountId)?.number))).toEqual(new Set(['1200']));
    expect(problems).toEqual([]);
  }, 120_000);

  it('shows a simulation whose read failed as incomplete everywhere, says a refused token at save time, and breaks a stale lock after confirmation', async () => {
    const { page } = await open();
    const root = app(page);
    const storage = ct!.storage;
    storage.categories.reset();
    // The bridge refuses this token: reading Optigem fails.
    await storage.secrets.setToken(ids.connection, 'not-the-token');
    await page.goto(`${standIn!.url}/ccm/optigem-sync/?login_token=${encodeURIComponent(standIn!.admin.loginToken)}#/jobs/${ids.job}/run`);
    await root.locator('[data-test="simulate"]').click();
    const report = root.locator('[data-test="report"]');
    await report.locator('.os-badge--incomplete').waitFor({ timeout: 30_000 });
    expect(await report.locator('.os-badge--incomplete').textContent()).toContain('unvollständig');
    expect(await report.locator('[data-test="problems"]').textContent()).toContain('Optigem wurde nicht vollständig gelesen');
    expect(await report.locator('[data-test="problems"]').textContent()).toContain('Die Optigem-Bridge hat das Token abgelehnt.');
    expect(await root.locator('[data-test="run-exact"]').isDisabled()).toBe(true);
    expect(await root.locator('[data-test="incomplete-cannot-run"]').textContent()).toContain('kann so nicht ausgeführt werden');

    // The overview warns on the job; the pairs page does not claim there are no pairs.
    await page.goto(`${standIn!.url}/ccm/optigem-sync/?login_token=${encodeURIComponent(standIn!.admin.loginToken)}#/`);
    await root.locator('[data-test="warnings"] [data-kind="incomplete"]').waitFor({ timeout: 30_000 });
    await page.goto(`${standIn!.url}/ccm/optigem-sync/?login_token=${encodeURIComponent(standIn!.admin.loginToken)}#/pairs?connection=${ids.connection}`);
    await root.locator('[data-incomplete="optigem"]').waitFor({ timeout: 30_000 });
    expect(await root.textContent()).not.toContain('Keine Paare.');

    // Saving the connection with the refused token says so at once.
    await page.goto(`${standIn!.url}/ccm/optigem-sync/?login_token=${encodeURIComponent(standIn!.admin.loginToken)}#/connections/${ids.connection}`);
    await root.getByLabel('Bridge-Token').fill('still-not-the-token');
    await root.getByRole('button', { name: 'Speichern' }).click();
    await root.locator('[data-test="test-failed"][data-problem="unauthorized"]').waitFor();
    await root.getByText('Gespeichert – aber die Bridge ist so nicht nutzbar', { exact: false }).waitFor();
    await storage.secrets.setToken(ids.connection, token);

    // Another run of the same user holds the lock: refused with job, time and holder; an admin
    // breaks it after confirming, and then the run goes.
    const held = await storage.locks.acquire(`${ids.connection}:person`, { owner: 'CLI (Demo Admin)', jobId: ids.job, jobName: 'Mitglieder' });
    await page.goto(`${standIn!.url}/ccm/optigem-sync/?login_token=${encodeURIComponent(standIn!.admin.loginToken)}#/jobs/${ids.job}/run`);
    await root.locator('[data-test="simulate"]').click();
    await report.locator('.os-badge--succeeded').waitFor({ timeout: 30_000 });
    await root.locator('[data-test="run-exact"]').click();
    await confirm(page, 'Genau das ausführen');
    await root.getByText('läuft bereits (seit', { exact: false }).waitFor({ timeout: 30_000 });
    expect(await root.locator('[role="alert"]').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('von CLI (Demo Admin)')]));
    await root.locator('[data-test="break-lock"]').click();
    await confirm(page, 'Sperre aufheben …');
    await root.getByText('Laufsperre aufgehoben (1 Einträge entfernt)', { exact: false }).waitFor();
    expect(await storage.locks.claims(held.data.id)).toEqual([]);
  }, 180_000);
});
