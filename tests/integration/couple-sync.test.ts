/**
 * Couples end to end, as the "done when" says: on the demo data, one run of the shipped
 * example person job (docs/job-format.md, "Complete example") splits every Optigem couple record
 * into two ChurchTools spouses linked by the Spouse relationship, creates no "X und Y" person and
 * writes nothing into couple records; the example booking job then runs without donor blockers.
 * Over real HTTP: the CLI against the ChurchTools stand-in and a bridge on its demo database.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RELATIONSHIP_SPOUSE } from '../../src/bridge/demo/parish.ts';
import { cliRunReportSchema, type CliRunReport } from '../../src/cli/report.ts';
import { BridgeClient } from '../../src/optigem/index.ts';
import type { CoupleRecord, Person } from '../../src/optigem/schemas.ts';
import type { JobDocumentInput } from '../../src/runner/job-document.ts';
import { cliWorld, type CliWorld } from '../cli/helpers.ts';

/** The example job document shipped in the docs, pointed at the test bridge. */
function exampleDocument(bridgeUrl: string): JobDocumentInput {
  const text = readFileSync('docs/job-format.md', 'utf8');
  const block = /## Complete example\s+```json\n([\s\S]*?)\n```/.exec(text)?.[1];
  if (!block) throw new Error('docs/job-format.md has no complete example');
  const { $schema: _schema, ...document } = JSON.parse(block) as JobDocumentInput & { $schema?: string };
  return { ...document, connection: { ...document.connection, bridgeUrl } };
}

let w: CliWorld;
let bridge: BridgeClient;
let couples: CoupleRecord[];
let before: Person[];

async function cliReport(args: string[]): Promise<CliRunReport> {
  const result = await w.cli([...args, '--json']);
  const report = cliRunReportSchema.parse(JSON.parse(result.stdout));
  // The demo's namesakes with another e-mail (Emma Bauer, …) wait for an admin's decision
  // (possible duplicates, exit 1); nothing else may keep a run from ending cleanly.
  if (result.code !== 0) expect({ code: result.code, outcome: report.outcome }, result.stderr).toEqual({ code: 1, outcome: 'possibleDuplicates' });
  return report;
}

async function allPersons(): Promise<Person[]> {
  return (await bridge.listPersons({ limit: 1000 })).items;
}

beforeAll(async () => {
  w = await cliWorld();
  bridge = new BridgeClient({ baseUrl: w.bridge.url, token: w.bridge.rw });
  const imported = await w.cli(['import', w.file('jobs.json', exampleDocument(w.bridge.url)), '--store-token'], { OPTIGEM_BRIDGE_TOKEN: w.bridge.rw });
  expect(imported.code, imported.stderr).toBe(0);
  couples = await bridge.couples();
  before = await allPersons();
}, 120_000);

afterAll(async () => {
  await w?.close();
});

describe('couples in the demo parish, with the shipped example jobs', () => {
  it('the demo has couple records of every kind: two first names, a salutation for two, and one without ChurchTools spouses', () => {
    expect(couples.filter((c) => c.firstNames.length === 2).length).toBeGreaterThan(3);
    expect(couples.some((c) => c.reason === 'salutation' && c.firstNames.length === 1)).toBe(true);
    expect(couples.some((c) => c.lastName === 'Muster')).toBe(true);
  });

  it('one run of the example person job splits every couple record into two related spouses, and writes nothing into couple records', async () => {
    const simulation = await cliReport(['simulate', 'personen-abgleichen']);
    const splits = simulation.entries.filter((entry) => entry.message.key.startsWith('log.couple.'));
    expect(splits.find((entry) => entry.message.key === 'log.couple.split' && entry.label.startsWith('Muster'))?.message.args).toEqual({ spouses: 'Max Muster + Erika Muster' });
    const personsBefore = w.standIn.state.persons.size;

    const run = await cliReport(['run', 'personen-abgleichen']);
    expect(run.execution).toMatchObject({ status: 'succeeded', errorCount: 0 });
    expect(run.execution?.counters).toEqual(simulation.execution?.counters);

    const ct = await w.churchTools();
    const pairs = await ct.storage.pairs.load('optigem-gemeinde', 'person');
    const state = w.standIn.state;
    const persons = [...state.persons.values()];
    const spouseOf = (a: number, b: number) =>
      state.relationships.some((r) => r.relationshipTypeId === RELATIONSHIP_SPOUSE && ((r.personAId === a && r.personBId === b) || (r.personAId === b && r.personBId === a)));
    for (const couple of couples) {
      const halves = pairs.filter((pair) => pair.og === String(couple.nr));
      expect(halves, `couple record ${couple.nr} ${couple.firstNames.join(' und ')} ${couple.lastName}`).toHaveLength(2);
      const [a, b] = halves.map((pair) => Number(pair.ct)) as [number, number];
      expect(halves.map((pair) => pair.sp)).toEqual([String(b), String(a)]);
      expect(spouseOf(a, b)).toBe(true);
      const people = [a, b].map((id) => persons.find((p) => p.id === id));
      for (const person of people) expect(person?.lastName).toBe(couple.lastName);
    }
    expect(persons.filter((p) => / und |&/.test(p.firstName ?? ''))).toEqual([]);
    const muster = persons.filter((p) => p.lastName === 'Muster');
    expect(muster.map((p) => [p.firstName, p.sexId])).toEqual([
      ['Max', 1],
      ['Erika', 2],
    ]);
    expect(state.persons.size).toBeGreaterThan(personsBefore);

    const after = await allPersons();
    for (const couple of couples) {
      const was = before.find((p) => p.nr === couple.nr);
      expect(after.find((p) => p.nr === couple.nr)).toEqual(was);
    }
  });

  it('the command line lists the couple records with both spouses as detected and paired', async () => {
    const listed = await w.cli(['couples', '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    const { couples: lines } = JSON.parse(listed.stdout) as { couples: { nr: string; firstNames: string[]; confidence: string; reason: string; spouses: string[] }[] };
    expect(lines.map((line) => line.nr).sort()).toEqual(couples.map((c) => String(c.nr)).sort());
    expect(lines.find((line) => line.firstNames.join() === 'Max,Erika')).toMatchObject({ confidence: 'high', reason: 'firstNames', spouses: [expect.any(String), expect.any(String)] });
    expect(lines.every((line) => line.spouses.length === 2)).toBe(true);
    const text = await w.cli(['couples']);
    expect(text.stdout).toMatch(/Muster, Max und Erika\s+→\s+Max \+ Erika \(high: firstNames\); paired with #\d+ \+ #\d+/);
  });

  it('the example booking job then runs without donor blockers', async () => {
    const simulation = await cliReport(['simulate', 'spenden-2026']);
    expect(simulation.plan?.blockers).toEqual([]);
    expect(simulation.execution?.status).toBe('succeeded');
    expect(simulation.execution?.counters.churchtools.create).toBeGreaterThan(0);
    const run = await cliReport(['run', 'spenden-2026']);
    expect(run.execution).toMatchObject({ status: 'succeeded', errorCount: 0 });
  });
});
