/**
 * The fixed costs of a run (issue 12 §4, §5), counted exactly: the real CLI against the
 * ChurchTools stand-in and a real bridge over real HTTP. A run that changes nothing reads each
 * thing it needs once and writes its lock claim, its execution record and the release — nothing
 * else; a run that changes a few pairs saves them with one pair-store write and no re-read.
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

const sorted = (list: readonly string[]): string[] => [...list].sort();

async function linkedWorld(): Promise<CliWorld> {
  w = await cliWorld();
  // The demo's couple record ("Max und Erika Muster") is reported on every run (its spouses are
  // missing in ChurchTools): without it, a run that changes nothing has nothing to report.
  const couple = await readPerson(w.bridge, 1182);
  expect((await w.bridge.call('/v1/persons/1182', { method: 'DELETE', headers: { 'If-Match': couple.etag } })).status).toBe(204);
  // Link & unify and update properties: the nightly job of a parish after its first sync.
  const document = demoDocument(w.bridge.url);
  const job = { ...document.jobs[0]!, actions: { link: { mode: 'newerWins' as const }, updateProperties: { conflictProtection: true } } };
  const imported = await w.cli(['import', w.file('jobs.json', { ...document, jobs: [job] }), '--store-token'], { OPTIGEM_BRIDGE_TOKEN: w.bridge.rw });
  expect(imported.code, imported.stderr).toBe(0);
  const first = await w.cli(['run', 'personen', '--json']);
  expect(JSON.parse(first.stdout)).toMatchObject({ execution: { status: 'succeeded' } });
  w.standIn.resetRequests();
  return w;
}

describe('fixed costs of a run', () => {
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
    // its read-back (the protocol resolving simultaneous starts) after a look whether it is held;
    // the person pages, the pairs, the relationship types and the spouses; the execution; the
    // release. Nothing to report: no log part (a run that logs entries adds their parts).
    expect(sorted(requests)).toEqual(
      sorted([
        'GET /whoami (login)',
        'GET /custommodules',
        'GET /custommodules/1/customdatacategories',
        'GET kv:jobs',
        'GET kv:connections',
        'GET kv:secrets',
        'GET kv:locks',
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
    // completed once; then the clean-up reads the executions.
    expect(requests.filter((r) => r.endsWith('kv:executions'))).toEqual(['POST kv:executions', 'PUT kv:executions', 'GET kv:executions']);
    expect((await ct.storage.pairs.load('optigem', 'person')).filter((pair) => changed.some((c) => c.ct === pair.ct && c.fp !== pair.fp))).toHaveLength(2);
  }, 120_000);
});
