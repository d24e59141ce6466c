/**
 * "Started together": N `optigem-sync run` processes of one job, by one ChurchTools user, against
 * the stand-in and a real bridge. Each is a child process of the real CLI
 * (`node --import tsx src/cli/main.ts run …`). A starting gate in the stand-in holds the first
 * half of their lock claims until all of that half have written theirs (claims at the same
 * moment); the other half start later, while the winner runs (claims against a held lock of
 * the same user). Used by tests/cli/concurrent-runs.test.ts (one trial) and `npm run soak`.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runLockKey } from '../../src/runner/job-runner.ts';
import { cliWorld, demoDocument } from './helpers.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface Exit {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

export interface RaceResult {
  readonly exits: readonly Exit[];
  /** Processes that ran the job (exit 0, outcome succeeded). */
  readonly ran: number;
  /** Processes refused with "already running" (exit 3, outcome lockHeld). */
  readonly refused: number;
  /** Runs stored in ChurchTools (executions that are not simulations). */
  readonly storedRuns: number;
  /** People created beyond what the one run reports having created, on either side. */
  readonly duplicates: number;
  /** Claims left on the lock afterwards. */
  readonly claimsLeft: number;
}

function spawnCli(args: readonly string[], env: Record<string, string>): Promise<Exit> {
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: ROOT, env: { PATH: process.env['PATH'] ?? '', LANG: 'C', ...env }, timeout: 600_000, maxBuffer: 20 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr, ms: Date.now() - started });
    });
  });
}

interface Report {
  readonly outcome: string;
  readonly execution: { readonly counters: { readonly churchtools: { readonly create: number }; readonly optigem: { readonly create: number } } } | null;
}

function parse(exit: Exit): Report | null {
  try {
    return JSON.parse(exit.stdout) as Report;
  } catch {
    return null;
  }
}

export async function raceTrial(processes: number): Promise<RaceResult> {
  const w = await cliWorld();
  try {
    const document = demoDocument(w.bridge.url);
    const imported = await w.cli(['import', w.file('jobs.json', document), '--store-token'], { OPTIGEM_BRIDGE_TOKEN: w.bridge.rw });
    if (imported.code !== 0) throw new Error(`import failed: ${imported.stderr}`);
    const ct = await w.churchTools();
    // The category exists once any run has happened; its id makes the gate match claims only.
    const locksCategory = await ct.storage.categories.id('locks');
    const moduleId = [...w.standIn.state.customCategories.values()].find((c) => c.id === locksCategory)?.customModuleId;
    const ctBefore = w.standIn.state.persons.size;
    const ogBefore = await optigemTotal(w.bridge.call.bind(w.bridge));
    w.standIn.faults.hold({ method: 'POST', pathPrefix: `/custommodules/${moduleId}/customdatacategories/${locksCategory}/customdatavalues` }, Math.ceil(processes / 2), 120_000);

    const env = { ...w.env, CT_PACE: '600' };
    const exits = await Promise.all(Array.from({ length: processes }, () => spawnCli(['run', 'personen', '--json'], env)));
    const reports = exits.map(parse);
    const winners = reports.filter((report) => report?.outcome === 'succeeded' || report?.outcome === 'possibleDuplicates');
    const created = winners.reduce((sum, report) => sum + (report?.execution?.counters.churchtools.create ?? 0) + (report?.execution?.counters.optigem.create ?? 0), 0);
    const grown = w.standIn.state.persons.size - ctBefore + ((await optigemTotal(w.bridge.call.bind(w.bridge))) - ogBefore);
    const executions = await ct.storage.executions.recent('personen');
    return {
      exits,
      // The run that got the lock ends "succeeded", or with the demo's namesakes waiting for a decision.
      ran: exits.filter((exit, i) => (exit.code === 0 && reports[i]?.outcome === 'succeeded') || (exit.code === 1 && reports[i]?.outcome === 'possibleDuplicates')).length,
      refused: exits.filter((exit, i) => exit.code === 3 && reports[i]?.outcome === 'lockHeld').length,
      storedRuns: executions.items.filter((item) => !item.data.dryRun).length,
      // One run creates `created` people; anything beyond is a second run's duplicate.
      duplicates: grown - (winners.length === 1 ? created : 0),
      claimsLeft: (await ct.storage.locks.claims(runLockKey({ connectionId: 'optigem', domain: 'person' }))).length,
    };
  } finally {
    await w.close();
  }
}

async function optigemTotal(call: (path: string) => Promise<Response>): Promise<number> {
  const response = await call('/v1/persons?page=1&limit=1');
  const body = (await response.json()) as { total: number };
  return body.total;
}
