// The CLI's text output names what ids stand for (issue #15 §1, §3): every blocking donor as
// "Nachname, Vorname (#Nr)", every donor of a booking as the person, accounts and cost centres
// by number and name. On the demo parish over real HTTP (stand-in + bridge), with the example
// job document of docs/job-format.md.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliWorld, type CliWorld } from './helpers.ts';

function exampleDocument(bridgeUrl: string): { jobs: { id: string; domain: string }[] } & Record<string, unknown> {
  const doc = readFileSync(new URL('../../docs/job-format.md', import.meta.url), 'utf8');
  const block = /## Complete example\s+```json\n([\s\S]*?)\n```/.exec(doc)?.[1];
  if (!block) throw new Error('docs/job-format.md has no complete example');
  const parsed = JSON.parse(block) as { connection: { bridgeUrl: string }; jobs: { id: string; domain: string }[] };
  parsed.connection.bridgeUrl = bridgeUrl;
  return parsed;
}

/** "Spender: – → 237", "Spender → 237", "Spender 1132 aus": a donor shown as a bare number ("Spender 0" is Optigem's own name). */
const BARE_DONOR = /(?:Spender|Donor)(?::|: [^;|\n→]*→| →)? [1-9]/;
const FIELD_KEY = /\b[a-z]+[A-Z][A-Za-z]*\b/;

let w: CliWorld;
beforeAll(async () => {
  w = await cliWorld();
}, 60_000);
afterAll(() => w?.close());

describe('the CLI names people, accounts and categories', () => {
  it('lists every blocking donor by name, then shows the booking changes with donors, accounts and cost centres named', async () => {
    const doc = exampleDocument(w.bridge.url);
    expect((await w.cli(['import', w.file('example.json', doc), '--store-token'], { OPTIGEM_BRIDGE_TOKEN: w.bridge.rw })).code).toBe(0);
    const booking = doc.jobs.find((job) => job.domain === 'transaction')?.id ?? '';

    // Before the people are linked: all donors block, each named from the bridge's persons.
    const refused = (await w.cli(['simulate', booking], { LANG: 'de_DE.UTF-8' })).stdout;
    const donorLines = refused.split('\n').filter((line) => line.startsWith('    ✗ Spender '));
    expect(donorLines.length).toBeGreaterThan(10);
    expect(donorLines.filter((line) => !/^ {4}✗ Spender \S.*, .+ \(#\d+\) aus (Optigem|ChurchTools) /.test(line))).toEqual([]);
    expect(refused.split("\n").filter((line) => BARE_DONOR.test(line))).toEqual([]);
    expect(refused).toContain('Spender von Buelow, Michael (#1132) aus Optigem');

    await w.cli(['run', 'personen-abgleichen', '--json']);
    const text = (await w.cli(['simulate', booking, '--verbose'], { LANG: 'de_DE.UTF-8' })).stdout;
    const changes = text.split('\n').filter((line) => line.startsWith('      '));
    expect(changes.length).toBeGreaterThan(50);
    expect(changes.filter((line) => BARE_DONOR.test(line))).toEqual([]);
    expect(changes.filter((line) => FIELD_KEY.test(line))).toEqual([]);
    expect(changes.filter((line) => line.includes('Spender: ')).length).toBeGreaterThan(5);
    expect(changes.filter((line) => /^ {6}Spender: – → \S.*, .+ \(#\d+\)/.test(line)).length).toBe(changes.filter((line) => line.includes('Spender: ')).length);
    // Accounts and cost centres by number and name, as ChurchTools Finance lists them.
    expect(changes.filter((line) => /^ {6}(Konto|Gegenkonto|Kostenstelle)\b.*→ \d+$/.test(line))).toEqual([]);
    expect(changes).toContain('      Gegenkonto (bei Einnahmen: Ertrags-/Spendenkonto): – → 8000 Spenden');

    const people = (await w.cli(['simulate', 'mitglieder-exportieren', '--verbose'], { LANG: 'de_DE.UTF-8' })).stdout;
    // Optigem categories by their names, as the bridge's meta lists them.
    const categories = people.split('\n').filter((line) => line.startsWith('      Kategorien: '));
    expect(categories.length).toBeGreaterThan(0);
    expect(categories.filter((line) => !/→ \d+: \S/.test(line))).toEqual([]);
  }, 240_000);
});
