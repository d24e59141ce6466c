/**
 * End-to-end benchmark: the real CLI against the ChurchTools stand-in and a real Optigem bridge,
 * over real HTTP, at the size of a mission agency.
 *
 *   npm run bench:e2e -- --persons 30000
 *   npm run bench:e2e -- --bookings 150000
 *   npm run bench:e2e -- --persons 10000 --layout import
 *
 * Data: `--persons` per side; 5/6 of them match a person on the other side (first sync: link),
 * the rest exist on one side only (import, export). Steps, each a fresh CLI process: simulate,
 * first sync (run), a no-change run, and a run after 1 % of the linked persons changed (half in
 * ChurchTools, half in Optigem). The job links & unifies (newer wins), imports, exports and
 * updates properties (first name, last name, e-mail, birthday, city).
 *
 * Per step it prints ChurchTools requests per class (list pages, reference data, creates,
 * updates/archives/deletes, pair store, log, set-up, fixed), the lower bound and the ratio, the CLI's CPU time and peak memory, and
 * the minutes the step would take at ChurchTools' 600 requests per minute. Request counts are
 * exact; times depend on the machine (2 cores, shared) — repeat and compare ratios.
 *
 * `--layout import`: ChurchTools starts without persons and Optigem holds `--persons`, so the
 * first sync imports every one of them (issue 12's "first import" row); it also prints that
 * step's ChurchTools writes beyond its creates and updates, by class.
 *
 * `--bookings` does the same for a booking job of fiscal year 2026 (link & unify, import,
 * export, update properties; no donations, so no donor needs a person pair first): N bookings
 * per side in the same layout, 1 % of the linked bookings' texts changed for the last step. The
 * job selects bookings that are no donation on both sides, so that the bridge's demo donations
 * (whose donors are not linked here) stay out of it.
 *
 * The lower bound of a step counts what no implementation can leave out:
 *   ⌈active ChurchTools persons before the step / 500⌉ + ⌈archived ones / 500⌉ (at least 1) list
 *     pages — the two halves are read apart [I: whether /persons without is_archived includes
 *     archived persons is unverified, ct-api §6.7]
 *   + the creates and updates the step reports (a couple's spouse link is one of its updates;
 *     +1 for the CSRF token the client reads once before its first call of the legacy API,
 *     which is the only one that links spouses, ct-extension §3.5)
 *   + ⌈ChurchTools updates / 100⌉ reads by id right before the writes (ChurchTools has no
 *     conditional write: a record changed since the plan is skipped, issue 14); for bookings,
 *     which `GET /finance/transactions` cannot filter by id (ct-api §2.2), one read per
 *     updated booking or a second read of all pages, whichever is fewer
 *   + 1 pair-store read (+1 write when pairs changed)
 *   + 5 reads to start: the login (/whoami), the extension module, its data categories, the job,
 *     the connection (the bridge token comes from the environment here)
 *   + 2 reads of reference data a person job plans with: the relationship types (master data,
 *     read once per run: a spouse link and a new person's department reuse it) and the
 *     relationships (couples); a booking job 5: accounting periods, accounts, cost centres, and
 *     the relationship types and relationships (a couple's donation names both spouses) — its
 *     pages are ⌈ChurchTools bookings / 500⌉. Measured in the column "refs", apart from "fixed":
 *     they are data the job plans with, like the pages.
 *   + the log parts the step wrote (entries are packed up to ChurchTools' value size: that count
 *     is the floor for these entries)
 *   + 1 execution record, 2 for a run that writes (stored as "running" before its first write,
 *     so that a run killed after it changed something leaves its record)
 *   + for a run, 3 requests of the lock protocol: the claim, the read-back that resolves
 *     simultaneous starts and finds a held lock (ChurchTools' data store has no compare-and-set),
 *     the release. There is no look before the claim whether the lock is held.
 * One-time set-up is not in the bound and measured apart ("set-up"): creating a data category on
 * first use (its POST and the re-list that keeps the lowest id when two clients create it at the
 * same moment) and the re-list that confirms the pairs category is still missing before a read
 * plans as if nothing were linked (only until the first run saved pairs).
 * The measured "fixed" column is everything else: the 5 reads to start, the lock protocol, the
 * execution record. The goal is ≤ 10 (5 + 3 + 2). Clean-up of old executions reads nothing in
 * these steps (it reuses a list read anyway: the nightly run's, the extension's history).
 * `BENCH_DEBUG=1` prints each fixed and set-up request.
 */
import { fork, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_TRANSACTION_PROPERTY_PAIRS } from '../src/sync/transaction-fields.ts';
import type { Counts, Layout, Request } from './e2e/servers.ts';

const { values } = parseArgs({ options: { persons: { type: 'string' }, bookings: { type: 'string' }, layout: { type: 'string' } } });
const LAYOUT = (values.layout ?? 'mixed') as Layout;
if (LAYOUT !== 'mixed' && LAYOUT !== 'import') throw new Error('--layout must be mixed or import');
const BOOKINGS = Number(values.bookings ?? 0);
if (!Number.isInteger(BOOKINGS) || (values.bookings !== undefined && BOOKINGS < 12)) throw new Error('--bookings must be a whole number ≥ 12');
const PERSONS = Number(values.persons ?? (BOOKINGS > 0 ? 0 : 30_000));
if (!Number.isInteger(PERSONS) || (BOOKINGS === 0 && PERSONS < 12)) throw new Error('--persons must be a whole number ≥ 12');
if (LAYOUT === 'import' && BOOKINGS > 0) throw new Error('--layout import is for persons');
const SUBJECT = BOOKINGS > 0 ? `${BOOKINGS} bookings` : `${PERSONS} persons`;
const CT_LIMIT_PER_MINUTE = 600;

interface StepResult {
  code: number;
  cpuMs: number;
  peakRssMb: number;
  report: { outcome?: string; execution?: { status: string; counters: Record<'churchtools' | 'optigem' | 'both', Record<string, number>>; problems?: unknown[] } | null } | null;
  stderr: string;
  text: string;
}

const servers = fork(new URL('./e2e/servers.ts', import.meta.url), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
function ask<T>(request: Request): Promise<T> {
  return new Promise((resolve, reject) => {
    servers.once('message', (answer: { ok: boolean; error?: string } & T) => (answer.ok ? resolve(answer) : reject(new Error(answer.error))));
    servers.send(request);
  });
}

const dir = mkdtempSync(join(tmpdir(), 'optigem-bench-'));
try {
  const loadStarted = Date.now();
  const world = await ask<{ ctUrl: string; loginToken: string; bridgeUrl: string; bridgeToken: string; fiscalYear: number }>({ cmd: 'start', persons: PERSONS, bookings: BOOKINGS, layout: LAYOUT });
  console.log(`Loaded ${SUBJECT} per side in ${((Date.now() - loadStarted) / 1000).toFixed(1)} s (${cpus().length} cores, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}).`);
  const env = { ...process.env, CT_URL: world.ctUrl, CT_TOKEN: world.loginToken, OPTIGEM_BRIDGE_TOKEN: world.bridgeToken, LANG: 'en_GB.UTF-8' };
  const cli = (args: string[]): StepResult => {
    const child = spawnSync(process.execPath, ['--import', 'tsx', new URL('./e2e/cli-step.ts', import.meta.url).pathname, ...args], { env, encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024 });
    if (child.status !== 0) throw new Error(`CLI step failed: ${child.stderr}`);
    return JSON.parse(child.stdout.trim().split('\n').pop() ?? '') as StepResult;
  };

  const documentPath = join(dir, 'jobs.json');
  writeFileSync(documentPath, JSON.stringify(BOOKINGS > 0 ? bookingJobDocument(world.bridgeUrl, world.fiscalYear) : jobDocument(world.bridgeUrl)));
  const imported = cli(['import', documentPath, '--store-token']);
  if (imported.code !== 0) throw new Error(`import failed: ${imported.stderr}${imported.text}`);
  let before = (await ask<{ counts: Counts }>({ cmd: 'counts' })).counts;

  const rows: string[][] = [];
  const beyond: string[] = [];
  const step = async (name: string, args: string[], dryRun: boolean): Promise<void> => {
    const started = Date.now();
    const result = cli(args);
    const wallMs = Date.now() - started;
    const { counts } = await ask<{ counts: Counts }>({ cmd: 'counts' });
    const counters = result.report?.execution?.counters;
    const ct = counters?.churchtools ?? {};
    const creates = ct['create'] ?? 0;
    const updates = (ct['update'] ?? 0) + (ct['archive'] ?? 0) + (ct['delete'] ?? 0);
    const pairChanges = (counters?.both['link'] ?? 0) + creates + (counters?.optigem['create'] ?? 0) + updates + (counters?.optigem['update'] ?? 0);
    // A booking job reads its pages of bookings; a person job the active and the archived persons.
    const pages =
      BOOKINGS > 0
        ? Math.ceil((await ask<{ churchtoolsBookings: number }>({ cmd: 'records' })).churchtoolsBookings / 500)
        : Math.ceil(before.churchtoolsPersons / 500) + Math.max(1, Math.ceil(before.churchtoolsArchived / 500));
    before = counts;
    const ctChanges = (ct['update'] ?? 0) + (ct['archive'] ?? 0) + (ct['delete'] ?? 0);
    const rereads = dryRun ? 0 : BOOKINGS > 0 ? Math.min(ctChanges, pages) : Math.ceil(ctChanges / 100);
    const start = 5;
    // Reference data: a booking job's accounting periods, accounts and cost centres; a person
    // job's relationship types and relationships (couples).
    const references = BOOKINGS > 0 ? 5 : 2;
    const log = counts.churchtools.log;
    const wrote = !dryRun && creates + updates + pairChanges + (counters?.optigem['create'] ?? 0) + (counters?.optigem['update'] ?? 0) > 0;
    const execution = wrote ? 2 : 1;
    const lock = dryRun ? 0 : 3;
    const c = counts.churchtools;
    const csrf = c.spouseLinks > 0 ? 1 : 0;
    const bound = pages + (dryRun ? 0 : creates + updates + csrf) + rereads + 1 + (!dryRun && pairChanges > 0 ? 1 : 0) + start + references + log + execution + lock;
    rows.push([
      name,
      `${result.report?.outcome ?? `exit ${result.code}`}`,
      String(c.pages),
      String(c.references),
      String(c.creates),
      String(c.updates),
      String(c.pairStore),
      String(c.log),
      String(c.setup),
      String(c.fixed),
      String(c.total),
      String(c.writes),
      String(bound),
      (c.total / bound).toFixed(2),
      (c.total / CT_LIMIT_PER_MINUTE).toFixed(1),
      String(counts.bridge.total),
      (result.cpuMs / 1000).toFixed(1),
      String(result.peakRssMb),
      (wallMs / 1000).toFixed(1),
    ]);
    if (LAYOUT === 'import' && !dryRun) {
      const w = counts.churchtoolsWrites;
      beyond.push(`${name}: ${c.writes} writes = ${w.creates} creates + ${w.updates} updates + ${c.writes - w.creates - w.updates} beyond them (pair store ${w.pairStore}, log ${w.log}, one-time category set-up ${w.setup}, execution record and lock ${w.fixed + w.pages + w.references})`);
    }
    if (result.code !== 0 && result.code !== 1) console.log(`  ${name}: exit ${result.code} ${result.stderr}${result.text}`);
    else if (result.report?.execution?.status !== 'succeeded') console.log(`  ${name}: ${result.report?.execution?.status ?? 'no execution'} ${JSON.stringify(result.report?.execution?.problems ?? [])}`);
  };

  await step('simulate', ['simulate', 'bench', '--json'], true);
  await step('first sync', ['run', 'bench', '--json'], false);
  await step('no change', ['run', 'bench', '--json'], false);
  await ask({ cmd: BOOKINGS > 0 ? 'changeBookings' : 'change', share: 0.01 });
  await step('1 % changed', ['run', 'bench', '--json'], false);

  const header = ['step', 'outcome', 'pages', 'refs', 'creates', 'updates', 'pairs', 'log', 'set-up', 'fixed', 'CT total', 'CT writes', 'bound', 'ratio', 'min @600/min', 'bridge req', 'CLI CPU s', 'peak MB', 'wall s'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => (i < 2 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join(' | ')} |`;
  console.log(`\nChurchTools requests by class, ${SUBJECT} per side:\n`);
  console.log(line(header));
  console.log(`|${widths.map((w, i) => (i < 2 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
  for (const row of rows) console.log(line(row));
  if (beyond.length > 0) console.log(`\nChurchTools writes beyond creates and updates:\n${beyond.join('\n')}`);
} finally {
  await ask({ cmd: 'stop' }).catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
}

/** One connection "bench" with its property pairs and one job "bench" selecting all of them. */
function benchDocument(bridgeUrl: string, propertyPairs: readonly { readonly key: string }[], job: Record<string, unknown>): unknown {
  return {
    format: 'optigem-sync/jobs',
    version: 1,
    connection: { id: 'bench', name: 'Benchmark', bridgeUrl, token: { env: 'OPTIGEM_BRIDGE_TOKEN' }, propertyPairs },
    jobs: [
      {
        id: 'bench',
        name: 'bench',
        actions: {
          link: { mode: 'newerWins' },
          import: { defaults: {} },
          export: { defaults: {} },
          updateProperties: { conflictProtection: true },
        },
        propertyPairKeys: propertyPairs.map((pair) => pair.key),
        autoRun: false,
        ...job,
      },
    ],
  };
}

function jobDocument(bridgeUrl: string): unknown {
  const pairs = [
    { key: 'fn', domain: 'person', churchtools: 'firstName', optigem: 'Vorname' },
    { key: 'ln', domain: 'person', churchtools: 'lastName', optigem: 'Nachname' },
    { key: 'em', domain: 'person', churchtools: 'email', optigem: 'EMail' },
    { key: 'bd', domain: 'person', churchtools: 'birthday', optigem: 'Geburtsdatum' },
    { key: 'ci', domain: 'person', churchtools: 'city', optigem: 'Ort' },
  ];
  return benchDocument(bridgeUrl, pairs, { domain: 'person', conditions: { churchtools: [], optigem: [] } });
}

/** The booking job of `--bookings`: every transaction property pair, no value mappings. */
function bookingJobDocument(bridgeUrl: string, fiscalYear: number): unknown {
  const notDonation = [{ field: 'isDonation', values: ['false'] }];
  const pairs = DEFAULT_TRANSACTION_PROPERTY_PAIRS.map(({ mapping: _unmapped, ...pair }) => pair);
  return benchDocument(bridgeUrl, pairs, {
    domain: 'transaction',
    conditions: { churchtools: notDonation, optigem: notDonation },
    scope: { fiscalYear: String(fiscalYear) },
  });
}
