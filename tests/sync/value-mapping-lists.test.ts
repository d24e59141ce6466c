/**
 * Issue #13 §1, §3, §4: property pairs with a value mapping between two lists (ChurchTools
 * departments ↔ Optigem categories), the "skip field" fallback on creation, and the mapping's
 * own fixed fallback value.
 */
import { describe, expect, it } from 'vitest';
import { decodeFingerprint } from '../../src/sync/fingerprint.ts';
import { run, simulate } from '../../src/sync/engine.ts';
import type { Fallback, PropertyPair } from '../../src/sync/model.ts';
import { PROPERTY_PAIRS, STATUS, type World, ctPerson, job, ogPerson, world } from './fixtures.ts';

const NAMES = PROPERTY_PAIRS.filter((pair) => ['fn', 'ln', 'ci'].includes(pair.key));

/** Departments "Gemeinde" (1) and "Jugend" (2) are categories 150 and 160. */
const DEPARTMENTS: PropertyPair = {
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
};

const LISTS = [...NAMES, DEPARTMENTS];
const LIST_KEYS = LISTS.map((pair) => pair.key);
const update = job({ updateProperties: { conflictProtection: true } }, { keys: LIST_KEYS });

async function linkedLists(w: World, departments: string[], categories: string[]) {
  const c = w.ct.add({ properties: { ...ctPerson('Anna', 'Schmidt', { city: 'Köln' }), departmentIds: departments } });
  const o = w.og.add({ properties: ogPerson('Anna', 'Schmidt', { Ort: 'Köln', Kategorien: categories }) });
  const linked = await run(job({ link: { mode: 'newerWins' } }, { keys: LIST_KEYS }), w.context);
  w.clock.advance();
  return { ct: c.id, og: o.id, linked };
}

describe('a property pair between two lists compares them as sets through the mapping', () => {
  it('links ChurchTools departments [1, 2] and Optigem categories [150, 160] as in sync and remembers the field', async () => {
    const w = world(LISTS);
    const { linked } = await linkedLists(w, ['1', '2'], ['160', '150']);
    expect(linked.execution.conflictCount).toBe(0);
    expect(linked.plan?.operations.filter((op) => op.op === 'update')).toEqual([]);
    const [pair] = await w.pairs.load('conn-1', 'person');
    expect(pair?.status).toBe('synced');
    expect(decodeFingerprint(pair?.fp ?? '').has('dp')).toBe(true);
  });

  // The lost update: Optigem drops 160, ChurchTools then edits another field.
  it('carries a category removed in Optigem to ChurchTools even when ChurchTools is newer, and never writes the old list back', async () => {
    const w = world(LISTS);
    const ids = await linkedLists(w, ['1', '2'], ['150', '160']);
    w.og.edit(ids.og, { Kategorien: ['150'] });
    w.clock.advance();
    w.ct.edit(ids.ct, { city: 'Bonn' });
    const outcome = await run(update, w.context);
    expect(w.og.get(ids.og).properties.Kategorien).toEqual(['150']);
    expect(w.og.get(ids.og).properties.Ort).toBe('Bonn');
    expect(w.ct.get(ids.ct).properties.departmentIds).toEqual(['1']);
    expect(outcome.execution.conflictCount).toBe(0);
  });

  it('carries a department added in ChurchTools to Optigem and keeps the categories the mapping does not name', async () => {
    const w = world(LISTS);
    const ids = await linkedLists(w, ['1'], ['150', '300']);
    w.ct.edit(ids.ct, { departmentIds: ['1', '2'] });
    await run(update, w.context);
    expect(w.og.get(ids.og).properties.Kategorien).toEqual(['150', '160', '300']);
  });

  it('reports lists changed on both sides as a conflict and leaves both as they are', async () => {
    const w = world(LISTS);
    const ids = await linkedLists(w, ['1', '2'], ['150', '160']);
    w.og.edit(ids.og, { Kategorien: ['150'] });
    w.clock.advance();
    w.ct.edit(ids.ct, { departmentIds: ['2'] }); // the later edit: dates alone would let it win
    const outcome = await run(update, w.context);
    expect(outcome.entries.find((e) => e.type === 'conflict')?.changes).toEqual([{ field: 'departmentIds', oldValue: ['2'], newValue: ['150'] }]);
    expect(w.og.get(ids.og).properties.Kategorien).toEqual(['150']);
    expect(w.ct.get(ids.ct).properties.departmentIds).toEqual(['2']);
  });
});

describe('import and export with the fallback "skip field"', () => {
  const unmappedWarning = (system: 'churchtools' | 'optigem', action: 'import' | 'export', field: string, value: string, ids: { ctId?: string; ogId?: string }) =>
  // The warning is logged on the side written to; the skipped value (and its field) is the other side's.
    expect.objectContaining({ action, type: 'skip', system, level: 'warning', ...ids, message: { key: 'log.unmappedSkipped', args: { field, value, system: system === 'churchtools' ? 'optigem' : 'churchtools' } } });

  it('imports a person whose category has no status and warns for that record and field, in the simulation and the run', async () => {
    const w = world();
    const o = w.og.add({ properties: ogPerson('Jan', 'Weber', { Kategorien: ['170'] }) });
    const importJob = job({ import: { defaults: {} } });
    const simulated = await simulate(importJob, w.context);
    const warning = unmappedWarning('churchtools', 'import', 'Kategorien', '170', { ogId: o.id });
    expect(simulated.entries).toContainEqual(warning);
    expect(simulated.entries.filter((e) => e.type === 'skip' && e.level === 'warning')).toHaveLength(1);
    const ran = await run(importJob, w.context, { expectedDigest: simulated.plan?.digest ?? '' });
    expect(ran.entries).toContainEqual(warning);
    const created = [...w.ct.records.values()];
    expect(created).toHaveLength(1);
    expect(created[0]?.properties.statusId).toBeUndefined();
  });

  it('exports a guest, whose status has no category, and warns for that record and field', async () => {
    const w = world();
    const c = w.ct.add({ properties: ctPerson('Eva', 'Lang', { statusId: STATUS.guest }) });
    const outcome = await run(job({ export: { defaults: {} } }), w.context);
    expect(outcome.entries).toContainEqual(unmappedWarning('optigem', 'export', 'statusId', STATUS.guest, { ctId: c.id }));
    expect([...w.og.records.values()].map((r) => r.properties.Nachname)).toEqual(['Lang']);
  });
});

describe('a fixed fallback value belongs to the mapping', () => {
  const withFallback = (fallback: Fallback): PropertyPair[] =>
    PROPERTY_PAIRS.map((pair) => (pair.key === 'st' && pair.mapping ? { ...pair, mapping: { ...pair.mapping, fallback } } : pair));

  // The example: "use value 199" for statuses without a category.
  it('removes the fallback category 199 once a mapped status takes its place, and keeps 300', async () => {
    const w = world(withFallback({ kind: 'fixed', churchtools: STATUS.optigem, optigem: '199' }));
    const c = w.ct.add({ properties: ctPerson('Eva', 'Lang', { statusId: STATUS.guest }) });
    await run(job({ export: { defaults: {} } }), w.context);
    const [exported] = [...w.og.records.values()];
    expect(exported?.properties.Kategorien).toEqual(['199']);
    const og = exported?.id ?? '';
    w.clock.advance();
    w.og.edit(og, { Kategorien: ['199', '300'] });
    w.clock.advance();
    w.ct.edit(c.id, { statusId: STATUS.member });
    const maintain = job({ updateProperties: { conflictProtection: true } });
    await run(maintain, w.context);
    expect(w.og.get(og).properties.Kategorien).toEqual(['150', '300']);
    w.clock.advance();
    w.ct.edit(c.id, { statusId: STATUS.friend });
    await run(maintain, w.context);
    expect(w.og.get(og).properties.Kategorien).toEqual(['160', '300']);
    w.clock.advance();
    w.ct.edit(c.id, { statusId: STATUS.guest });
    await run(maintain, w.context);
    expect(w.og.get(og).properties.Kategorien).toEqual(['199', '300']);
  });
});
