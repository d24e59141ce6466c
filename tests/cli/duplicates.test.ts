/**
 * Issue 14 §1 over real HTTP: the CLI against the ChurchTools stand-in and a bridge on the demo
 * data. A job "link & unify + import persons" (ChurchTools Status = Mitglied, Optigem category
 * 150) once created a second "Bauer, Emma" next to #89 (same birthday and address, other e-mail)
 * by repeating ChurchTools' refused create with force=true.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { STATUS_MITGLIED, STATUS_OPTIGEM } from '../../src/bridge/demo/parish.ts';
import { cliRunReportSchema, type CliRunReport } from '../../src/cli/report.ts';
import { normalizeName } from '../../src/sync/normalize.ts';
import { cliWorld, demoDocument, type CliWorld } from './helpers.ts';

let w: CliWorld | null = null;
afterEach(async () => {
  await w?.close();
  w = null;
});

async function setUp(conditions: { churchtools: { field: string; values: string[] }[]; optigem: { field: string; values: string[] }[] }, actions: Record<string, unknown>): Promise<CliWorld> {
  const world = await cliWorld();
  const base = demoDocument(world.bridge.url);
  const document = {
    ...base,
    jobs: [{ id: 'mitglieder', name: 'Mitglieder', domain: 'person', actions, conditions, propertyPairKeys: ['fn', 'ln', 'em', 'bd', 'ci', 'st'], autoRun: false }],
  };
  const imported = await world.cli(['import', world.file('jobs.json', document), '--store-token'], { OPTIGEM_BRIDGE_TOKEN: world.bridge.rw });
  expect(imported.code, imported.stderr).toBe(0);
  return world;
}

const MEMBERS = { churchtools: [{ field: 'statusId', values: [String(STATUS_MITGLIED)] }], optigem: [{ field: 'Kategorien', values: ['150'] }] };
const LINK_AND_IMPORT = { link: { mode: 'newerWins' }, import: { defaults: { statusId: String(STATUS_OPTIGEM) } } };

function report(stdout: string): CliRunReport {
  return cliRunReportSchema.parse(JSON.parse(stdout));
}

/** ChurchTools persons per normalised name, archived ones included. */
function namesakes(world: CliWorld): Map<string, number> {
  const counts = new Map<string, number>();
  for (const p of world.standIn.state.persons.values()) {
    const key = `${normalizeName(p.firstName)}|${normalizeName(p.lastName)}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** Persons a run added with a name ChurchTools had before it: duplicates. */
function duplicatesAdded(before: Map<string, number>, after: Map<string, number>): number {
  let added = 0;
  for (const [name, count] of after) if ((before.get(name) ?? 0) > 0 && count > (before.get(name) ?? 0)) added += count - (before.get(name) ?? 0);
  return added;
}

const postsPersons = (world: CliWorld) => world.standIn.requests.filter((r) => r.method === 'POST' && r.path === '/persons');

describe('optigem-sync: possible duplicates (issue 14 §1)', () => {
  it('does not duplicate "Bauer, Emma": the simulation and the run list her as a possible duplicate of #89, and nothing is forced', async () => {
    w = await setUp(MEMBERS, LINK_AND_IMPORT);
    const before = namesakes(w);

    const simulated = await w.cli(['simulate', 'Mitglieder', '--json']);
    const simulation = report(simulated.stdout);
    expect(simulation).toMatchObject({ exitCode: 1, outcome: 'possibleDuplicates' });
    const emma = simulation.possibleDuplicates.find((p) => p.source === 'optigem' && p.id === '1054');
    expect(emma).toMatchObject({
      action: 'import',
      record: { firstName: 'Emma', lastName: 'Bauer', birthday: '1945-07-07', email: 'emma.bauer@alt-example.de', address: 'Lerchenstraße 56, 73728, Esslingen am Neckar' },
      candidates: [{ system: 'churchtools', id: '89', birthday: '1945-07-07', email: 'emma.bauer@example.org', address: 'Lerchenstraße 56, 73728, Esslingen am Neckar', paired: false }],
      outdated: null,
    });
    expect(emma?.candidates[0]?.reasons).toContain('sameBirthday');
    expect(simulation.execution?.possibleDuplicateCount).toBe(simulation.possibleDuplicates.length);

    const human = await w.cli(['simulate', 'Mitglieder']);
    expect(human.stdout).toContain(`Possible duplicates needing a decision: ${simulation.possibleDuplicates.length} (not created)`);
    expect(human.stdout).toMatch(/\? Optigem 1054: Bauer, Emma — born 7 Jul 1945; emma\.bauer@alt-example\.de; Lerchenstraße 56, 73728, Esslingen am Neckar {3}\[source optigem, id 1054, basis [0-9a-f]{8}\]/);
    expect(human.stdout).toContain('same name in ChurchTools 89: Bauer, Emma — born 7 Jul 1945; emma.bauer@example.org');
    expect(human.stdout).toContain('Result: possible duplicates need a decision (nothing created for them) (exit code 1)');

    const ran = report((await w.cli(['run', 'Mitglieder', '--json'])).stdout);
    expect(ran).toMatchObject({ exitCode: 1, outcome: 'possibleDuplicates', execution: { errorCount: 0 } });
    expect(ran.possibleDuplicates.map((p) => p.id)).toEqual(simulation.possibleDuplicates.map((p) => p.id));
    expect(ran.execution?.counters).toEqual(simulation.execution?.counters);
    const after = namesakes(w);
    expect(after.get('emma|bauer')).toBe(1);
    expect(duplicatesAdded(before, after)).toBe(0);
    expect(postsPersons(w).filter((r) => r.query.includes('force=true'))).toHaveLength(0);
    // The engine never even asked ChurchTools to create a namesake.
    expect(postsPersons(w).filter((r) => r.status === 400)).toHaveLength(0);
  });

  it('follows a decision file: "link" pairs Emma with #89, "create" is the only create sent with force=true', async () => {
    w = await setUp(MEMBERS, LINK_AND_IMPORT);
    const simulation = report((await w.cli(['simulate', 'Mitglieder', '--json'])).stdout);
    const emma = simulation.possibleDuplicates.find((p) => p.id === '1054');
    const other = simulation.possibleDuplicates.find((p) => p.id !== '1054');
    expect(emma).toBeDefined();
    expect(other).toBeDefined();

    const kv = JSON.stringify([...w.standIn.state.customValues.entries()]);
    const bad = w.file('bad.json', { format: 'optigem-sync/decisions', version: 1, decisions: [{ source: 'optigem', id: '1054', decision: 'link', basis: 'nothex' }] });
    const refused = await w.cli(['run', 'Mitglieder', '--decisions', bad]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('is not a valid decision file (2 problem(s)); nothing was stored');
    expect(refused.stderr).toContain('$.decisions.0.basis: expected the 8 hexadecimal digits');
    expect(refused.stderr).toContain('$.decisions.0.candidate: "link" needs "candidate"');
    expect(JSON.stringify([...w.standIn.state.customValues.entries()])).toBe(kv);

    const file = w.file('decisions.json', {
      format: 'optigem-sync/decisions',
      version: 1,
      decisions: [
        { source: 'optigem', id: '1054', decision: 'link', candidate: '89', basis: emma?.basis },
        { source: other?.source, id: other?.id, decision: 'create', basis: other?.basis },
      ],
    });
    const before = namesakes(w);
    const decided = await w.cli(['run', 'Mitglieder', '--decisions', file, '--json']);
    expect(decided.stderr).toContain('Stored 2 decision(s) on possible duplicates for connection optigem');
    const ran = report(decided.stdout);
    expect(ran.execution?.errorCount).toBe(0);
    expect(ran.possibleDuplicates.map((p) => p.id)).toEqual(simulation.possibleDuplicates.map((p) => p.id).filter((id) => id !== '1054' && id !== other?.id));
    expect(ran.entries.find((e) => e.ogId === '1054')).toMatchObject({ type: 'link', ctId: '89', message: { key: 'log.create.linkedByDecision' } });
    expect(postsPersons(w).filter((r) => r.query.includes('force=true'))).toHaveLength(1);
    expect(duplicatesAdded(before, namesakes(w))).toBe(1);
    const ct = await w.churchTools();
    const pairs = await ct.storage.pairs.load('optigem', 'person');
    expect(pairs).toContainEqual(expect.objectContaining({ ct: '89', og: '1054' }));
    expect(pairs.some((p) => p.og === other?.id)).toBe(true);
  });

  // Issue 14: "ChurchTools' duplicate answer during a run is a "possible duplicate" outcome of that record, never a silent retry."
  it('turns ChurchTools\' duplicate answer during a run into the record\'s possible-duplicate outcome, with no POST carrying force=true', async () => {
    w = await setUp({ churchtools: [], optigem: [] }, { import: { defaults: { statusId: String(STATUS_OPTIGEM) } } });
    // A sync user without the right to see the archive: ChurchTools still checks names against archived people.
    const admin = w.standIn.state.permissions.get(w.standIn.admin.personId);
    const churchdb = admin?.modules['churchdb'];
    if (!churchdb) throw new Error('the stand-in admin has no churchdb rights');
    churchdb['view archive'] = false;
    const template = w.standIn.state.persons.get(2);
    if (!template) throw new Error('demo person 2 missing');
    w.standIn.state.persons.set(5000, { ...structuredClone(template), id: 5000, firstName: 'Gertrud', lastName: 'Hahnemann', email: '', isArchived: true });

    const ran = report((await w.cli(['run', 'Mitglieder', '--json'])).stdout);
    expect(ran).toMatchObject({ exitCode: 1, outcome: 'possibleDuplicates', execution: { errorCount: 0 } });
    // Her unmapped status is also logged (a skip warning); the create's own entry is the one that matters here.
    const gertrud = ran.entries.find((e) => e.label === 'Hahnemann, Gertrud' && e.type !== 'skip');
    expect(gertrud).toMatchObject({ type: 'duplicate', state: 'skipped', level: 'warning', message: { key: 'log.create.refusedAsDuplicate' } });
    // Former members archived in ChurchTools are invisible to this user too: each refused create is one outcome.
    const refusedEntries = ran.entries.filter((e) => e.message.key === 'log.create.refusedAsDuplicate');
    expect(refusedEntries.length).toBeGreaterThanOrEqual(1);
    expect(ran.execution?.possibleDuplicateCount).toBe(ran.possibleDuplicates.length + refusedEntries.length);
    expect(postsPersons(w).filter((r) => r.status === 400)).toHaveLength(refusedEntries.length);
    expect(postsPersons(w).filter((r) => r.query.includes('force=true'))).toHaveLength(0);
    expect([...w.standIn.state.persons.values()].filter((p) => p.firstName === 'Gertrud' && p.lastName === 'Hahnemann')).toHaveLength(1);
  });
});
