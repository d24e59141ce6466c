/**
 * The fixed costs of a run (issue 12 §4, §5), counted exactly: the real CLI against the
 * ChurchTools stand-in and a real bridge over real HTTP. Every kind of run — simulation, first
 * sync, a run that changes nothing, a run that changes a few pairs — sends the same start-up
 * reads once, the lock protocol (claim, read-back, release; runs only) and its execution record,
 * and nothing else beyond the data it plans with and the changes it makes. Categories created on
 * first use are one-time set-up, listed apart.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { touch } from '../../dev/standin/state.ts';
import { readPerson } from '../bridge/helpers.ts';
import { cliWorld, demoDocument, type CliWorld } from '../cli/helpers.ts';

let w: CliWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

/** Each ChurchTools request as "METHOD what": data-store requests by category, the rest by path. */
function described(world: CliWorld): string[] {
  return world.standIn.requests.map((r) => {
    const kv = /^\/custommodules\/\d+\/customdatacategories\/(\d+)\/customdatavalues/.exec(r.path);
    if (kv) return `${r.method} kv:${world.standIn.state.customCategories.get(Number(kv[1]))?.shorty ?? '?'}`;
    if (r.path === '/whoami') return `${r.method} /whoami${r.query.includes('login_token') ? ' (login)' : ''}`;
    return `${r.method} ${r.path}`;
  });
}

const CATEGORIES = 'GET /custommodules/1/customdatacategories';
const REFERENCES = new Set(['GET /person/masterdata', 'GET /persons/relationships']);

/**
 * A run's requests by kind, in the order sent. `setUp`: a category created on first use (its
 * POST and the re-list that keeps the lowest id), and the re-list that confirms the pairs
 * category is still missing; both end once the categories exist. `fixed`: what is left once
 * the pages, the reference data, the pair store, the log and the changes are taken out.
 */
function byKind(world: CliWorld): { fixed: string[]; setUp: string[]; references: string[] } {
  const fixed: string[] = [];
  const setUp: string[] = [];
  const references: string[] = [];
  let listings = 0;
  for (const r of described(world)) {
    if (r === CATEGORIES ? listings++ > 0 : r === 'POST /custommodules/1/customdatacategories') setUp.push(r);
    else if (REFERENCES.has(r)) references.push(r);
    else if (/^(GET|POST|PATCH|PUT|DELETE) \/persons(\/|$)|kv:pairs-|kv:logs|^POST \/$|^GET \/csrftoken$/.test(r)) continue;
    else fixed.push(r);
  }
  return { fixed, setUp, references };
}

/** The reads every run starts with: login, module, categories, job, connection, bridge token. */
const START = ['GET /whoami (login)', 'GET /custommodules', CATEGORIES, 'GET kv:jobs', 'GET kv:connections', 'GET kv:secrets'];

const sorted = (list: readonly string[]): string[] => [...list].sort();

/** The demo set-up with a link & update job (a parish's nightly job), nothing run yet. */
async function freshWorld(): Promise<CliWorld> {
  w = await cliWorld();
  // The demo's couple record ("Max und Erika Muster") is reported on every run (its spouses are
  // missing in ChurchTools): without it, a run that changes nothing has nothing to report.
  const couple = await readPerson(w.bridge, 1182);
  expect((await w.bridge.call('/v1/persons/1182', { method: 'DELETE', headers: { 'If-Match': couple.etag } })).status).toBe(204);
  const document = demoDocument(w.bridge.url);
  const job = { ...document.jobs[0]!, actions: { link: { mode: 'newerWins' as const }, updateProperties: { conflictProtection: true } } };
  const imported = await w.cli(['import', w.file('jobs.json', { ...document, jobs: [job] }), '--store-token'], { OPTIGEM_BRIDGE_TOKEN: w.bridge.rw });
  expect(imported.code, imported.stderr).toBe(0);
  w.standIn.resetRequests();
  return w;
}

/** After its first sync. */
async function linkedWorld(): Promise<CliWorld> {
  const world = await freshWorld();
  const first = await world.cli(['run', 'personen', '--json']);
  expect(JSON.parse(first.stdout)).toMatchObject({ execution: { status: 'succeeded' } });
  world.standIn.resetRequests();
  return world;
}

describe('fixed costs of a run', () => {
  it('a simulation and then the first sync send the start-up reads, the lock protocol and the execution record, the categories they create once apart', async () => {
    const world = await freshWorld();
    const simulated = await world.cli(['simulate', 'personen', '--json']);
    expect(JSON.parse(simulated.stdout)).toMatchObject({ execution: { status: 'succeeded', dryRun: true } });
    const simulation = byKind(world);
    // No lock; the record once (its log fits in one part, written after the record at the end).
    expect(simulation.fixed).toEqual([...START, 'POST kv:executions']);
    expect(simulation.references).toEqual(['GET /person/masterdata', 'GET /persons/relationships']);
    // First use: "pairs-person" confirmed missing (one re-list), "executions" and "logs" created.
    expect(simulation.setUp).toEqual([CATEGORIES, 'POST /custommodules/1/customdatacategories', CATEGORIES, 'POST /custommodules/1/customdatacategories', CATEGORIES]);

    world.standIn.resetRequests();
    const first = await world.cli(['run', 'personen', '--json']);
    expect(JSON.parse(first.stdout)).toMatchObject({ execution: { status: 'succeeded', counters: { both: { link: expect.any(Number) } } } });
    const run = byKind(world);
    // Claim and read-back with no look before; the record twice (the run writes); the release.
    // No clean-up read of the executions.
    expect(run.fixed).toEqual([...START.slice(0, 4), 'POST kv:locks', 'GET kv:locks', 'GET kv:connections', 'GET kv:secrets', 'POST kv:executions', 'PUT kv:executions', 'DELETE kv:locks']);
    expect(run.references).toEqual(['GET /person/masterdata', 'GET /persons/relationships']);
    // "locks" and "pairs-person" created, the latter confirmed missing first.
    expect(run.setUp).toEqual([
      'POST /custommodules/1/customdatacategories',
      CATEGORIES,
      CATEGORIES,
      'POST /custommodules/1/customdatacategories',
      CATEGORIES,
    ]);
  }, 120_000);

  it('a first sync that creates persons and links spouses reads the person master data once', async () => {
    w = await cliWorld();
    const imported = await w.cli(['import', w.file('jobs.json', demoDocument(w.bridge.url)), '--store-token'], { OPTIGEM_BRIDGE_TOKEN: w.bridge.rw });
    expect(imported.code, imported.stderr).toBe(0);
    w.standIn.resetRequests();
    const result = await w.cli(['run', 'personen', '--json']);
    const report = JSON.parse(result.stdout) as { execution: { counters: { churchtools: { create: number } } } };
    expect(report.execution.counters.churchtools.create).toBeGreaterThan(0);
    const requests = described(w);
    // The demo's couple record "Max und Erika Muster" is split into two spouses, linked through
    // the legacy API (which needs its CSRF token once).
    expect(requests.filter((r) => r === 'POST /')).not.toEqual([]);
    expect(requests.filter((r) => r === 'GET /csrftoken')).toEqual(['GET /csrftoken']);
    // Couples, new persons' department and the spouse type: one read of the master data.
    expect(requests.filter((r) => r === 'GET /person/masterdata')).toEqual(['GET /person/masterdata']);
    const run = byKind(w);
    expect(run.fixed).toEqual([...START.slice(0, 4), 'POST kv:locks', 'GET kv:locks', 'GET kv:connections', 'GET kv:secrets', 'POST kv:executions', 'PUT kv:executions', 'DELETE kv:locks']);
  }, 120_000);

  it('a person run that changes nothing reads each thing once and writes only its lock claim, its execution and the release', async () => {
    const world = await linkedWorld();
    const result = await world.cli(['run', 'personen', '--json']);
    const report = JSON.parse(result.stdout) as { execution: { status: string; id: string }; entries: unknown[] };
    expect(report.execution.status).toBe('succeeded');
    expect(report.entries).toEqual([]);
    const requests = described(world);
    const pages = requests.filter((r) => r === 'GET /persons').length;
    expect(pages).toBeGreaterThan(0);
    // The floor of a run: log in; find the module and its categories; the job (read once, by the
    // CLI, which hands it to the runner), the connection and the bridge token; the lock claim and
    // its read-back (the protocol resolving simultaneous starts and finding a held lock); the
    // person pages, the pairs, the relationship types and the spouses; the execution; the
    // release. Nothing to report: no log part (a run that logs entries adds their parts).
    expect(byKind(world)).toEqual({
      fixed: [...START.slice(0, 4), 'POST kv:locks', 'GET kv:locks', 'GET kv:connections', 'GET kv:secrets', 'POST kv:executions', 'DELETE kv:locks'],
      references: ['GET /person/masterdata', 'GET /persons/relationships'],
      setUp: [],
    });
    expect(sorted(requests)).toEqual(
      sorted([
        'GET /whoami (login)',
        'GET /custommodules',
        'GET /custommodules/1/customdatacategories',
        'GET kv:jobs',
        'GET kv:connections',
        'GET kv:secrets',
        'POST kv:locks',
        'GET kv:locks',
        ...Array.from({ length: pages }, () => 'GET /persons'),
        'GET kv:pairs-person',
        'GET /person/masterdata',
        'GET /persons/relationships',
        'POST kv:executions',
        'DELETE kv:locks',
      ]),
    );
    expect(requests.filter((r) => !r.startsWith('GET '))).toEqual(['POST kv:locks', 'POST kv:executions', 'DELETE kv:locks']);
    // The one write is the whole record: finished, with its counters.
    const ct = await world.churchTools();
    expect((await ct.storage.executions.get(report.execution.id))?.data).toMatchObject({ status: 'succeeded', finishedAt: expect.any(String) });
    expect(await ct.storage.locks.claims('optigem:person')).toEqual([]);
  }, 120_000);

  it('a simulation of a run that would change nothing stores its execution with one write and takes no lock', async () => {
    const world = await linkedWorld();
    const result = await world.cli(['simulate', 'personen', '--json']);
    expect(JSON.parse(result.stdout)).toMatchObject({ execution: { status: 'succeeded', dryRun: true } });
    const requests = described(world);
    expect(requests.filter((r) => !r.startsWith('GET '))).toEqual(['POST kv:executions']);
    expect(requests.filter((r) => r.includes('kv:locks'))).toEqual([]);
    expect(byKind(world)).toEqual({ fixed: [...START, 'POST kv:executions'], references: ['GET /person/masterdata', 'GET /persons/relationships'], setUp: [] });
    expect(requests.filter((r) => r === 'GET kv:jobs' || r === 'GET kv:connections')).toEqual(['GET kv:jobs', 'GET kv:connections']);
  }, 120_000);

  it('a run that changes a few linked persons saves its pairs with one write and no re-read of the pair store', async () => {
    const world = await linkedWorld();
    const ct = await world.churchTools();
    const pairs = await ct.storage.pairs.load('optigem', 'person');
    const changed = pairs.filter((pair) => pair.status === 'synced').slice(0, 2);
    expect(changed).toHaveLength(2);
    for (const pair of changed) {
      const person = world.standIn.state.persons.get(Number(pair.ct));
      if (!person) throw new Error(`no person ${pair.ct}`);
      person.city = `${person.city ?? ''} (neu)`;
      touch(person.meta, world.standIn.state, 1);
    }
    world.standIn.resetRequests();
    const result = await world.cli(['run', 'personen', '--json']);
    const report = JSON.parse(result.stdout) as { execution: { status: string; counters: { optigem: { update: number } } } };
    expect(report.execution).toMatchObject({ status: 'succeeded', counters: { optigem: { update: 2 } } });
    const requests = described(world);
    // Read once when the run plans, written once at its end (the head with the changed pairs).
    expect(requests.filter((r) => r.endsWith('kv:pairs-person'))).toEqual(['GET kv:pairs-person', 'PUT kv:pairs-person']);
    // The run wrote to Optigem, so its execution says "running" before that write and is
    // completed once; no clean-up read of the executions (that reuses lists read anyway).
    expect(requests.filter((r) => r.endsWith('kv:executions'))).toEqual(['POST kv:executions', 'PUT kv:executions']);
    expect(byKind(world)).toEqual({
      fixed: [...START.slice(0, 4), 'POST kv:locks', 'GET kv:locks', 'GET kv:connections', 'GET kv:secrets', 'POST kv:executions', 'PUT kv:executions', 'DELETE kv:locks'],
      references: ['GET /person/masterdata', 'GET /persons/relationships'],
      setUp: [],
    });
    expect((await ct.storage.pairs.load('optigem', 'person')).filter((pair) => changed.some((c) => c.ct === pair.ct && c.fp !== pair.fp))).toHaveLength(2);
  }, 120_000);
});
