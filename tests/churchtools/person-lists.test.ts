/**
 * Issue #13 §2 over real HTTP: the ChurchTools person port says `departmentIds` is a list, so an
 * import through a mapping Optigem categories → departments creates the person in every mapped
 * department, and a single category becomes a list of one, never a bare id.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../../src/sync/engine.ts';
import { MemoryPairStore, MemorySystem } from '../../src/sync/memory.ts';
import type { Job, PropertyPair } from '../../src/sync/model.ts';
import { OG_IDENTITY, ogPerson } from '../sync/fixtures.ts';
import { harness, type Harness } from './helpers.ts';

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

/** The stand-in's departments: 1 "Gemeinde" (also the default for new persons), 2 "Optigem". */
const PAIRS: PropertyPair[] = [
  { key: 'fn', domain: 'person', churchtools: 'firstName', optigem: 'Vorname' },
  { key: 'ln', domain: 'person', churchtools: 'lastName', optigem: 'Nachname' },
  {
    key: 'dp',
    domain: 'person',
    churchtools: 'departmentIds',
    optigem: 'Kategorien',
    mapping: {
      entries: [
        { churchtools: '1', optigem: '150' },
        { churchtools: '2', optigem: '160' },
      ],
      fallback: { kind: 'skip' },
    },
  },
];

const IMPORT: Job = {
  id: 'import',
  name: 'Import',
  connectionId: 'lists',
  domain: 'person',
  actions: { import: { defaults: {} } },
  conditions: { churchtools: [], optigem: [] },
  propertyPairKeys: PAIRS.map((pair) => pair.key),
  autoRun: false,
};

describe('import into the real ChurchTools person port through a list mapping', () => {
  it('creates a person with two departments from two mapped categories, and with [2] from one', async () => {
    h = await harness();
    const og = new MemorySystem('optigem', OG_IDENTITY);
    const both = og.add({ properties: ogPerson('Ottilie', 'Zweifach', { Kategorien: ['150', '160', '300'] }) });
    const one = og.add({ properties: ogPerson('Ulrich', 'Einfach', { Kategorien: ['160'] }) });
    const outcome = await run(IMPORT, { ports: { churchtools: h.ct.persons, optigem: og }, pairStore: new MemoryPairStore(), propertyPairs: PAIRS });
    expect(outcome.execution.status).toBe('succeeded');

    const creates = outcome.plan?.operations.filter((op) => op.op === 'create') ?? [];
    expect(creates.map((op) => (op.op === 'create' ? [op.sourceId, op.values.departmentIds] : null))).toEqual([
      [both.id, ['1', '2']],
      [one.id, ['2']],
    ]);
    const posted = h.standIn.requests.filter((r) => r.method === 'POST' && r.path === '/persons');
    expect(posted).toHaveLength(2);
    const stored = [...h.standIn.state.persons.values()].filter((p) => p.lastName === 'Zweifach' || p.lastName === 'Einfach');
    expect(stored.map((p) => [p.lastName, p.departmentIds])).toEqual([
      ['Zweifach', [1, 2]],
      ['Einfach', [2]],
    ]);
  });
});
