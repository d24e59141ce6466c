import { describe, expect, it } from 'vitest';
import { run, simulate } from '../../src/sync/engine.ts';
import { MEMBERS_ONLY, STATUS, type World, ctPerson, job, ogPerson, world } from './fixtures.ts';

/** A linked and synced pair, as a first run leaves it. */
async function linkedPair(w: World, ct = ctPerson('Anna', 'Schmidt', { city: 'Köln', email: 'anna@example.org', statusId: STATUS.member }), og = ogPerson('Anna', 'Schmidt', { Ort: 'Köln', EMail: 'anna@example.org', Kategorien: ['150'] })) {
  const c = w.ct.add({ properties: ct });
  const o = w.og.add({ properties: og });
  const linked = await run(job({ link: { mode: 'newerWins' } }, { keys: w.context.propertyPairs.map((pair) => pair.key) }), w.context);
  expect(linked.execution.counters.both.link).toBe(1);
  w.clock.advance();
  return { ct: c.id, og: o.id };
}

describe('action 4: update properties', () => {
  // "If that is the case, the properties of the person whose data is older … will be updated."
  it('carries a change made in ChurchTools to Optigem', async () => {
    const w = world();
    const ids = await linkedPair(w);
    w.ct.edit(ids.ct, { city: 'Bonn' });
    const outcome = await run(job({ updateProperties: { conflictProtection: true } }), w.context);
    expect(w.og.get(ids.og).properties.Ort).toBe('Bonn');
    expect(outcome.entries.find((e) => e.type === 'update')?.changes).toEqual([{ field: 'Ort', oldValue: 'Köln', newValue: 'Bonn' }]);
  });

  it('carries a change made in Optigem to ChurchTools, even when the ChurchTools record has the newer date', async () => {
    const w = world();
    const ids = await linkedPair(w);
    w.og.edit(ids.og, { Ort: 'Bonn' });
    w.clock.advance();
    w.ct.edit(ids.ct, { mobile: '0170 1234' }); // an unrelated, unselected change makes ChurchTools "newer"
    await run(job({ updateProperties: { conflictProtection: true } }), w.context);
    expect(w.ct.get(ids.ct).properties.city).toBe('Bonn');
  });

  // "Even properties that have not been filled in are transferred—properties that have been filled in may be overwritten."
  it('transfers an emptied field, overwriting the filled one', async () => {
    const w = world();
    const ids = await linkedPair(w);
    w.og.edit(ids.og, { EMail: null });
    await run(job({ updateProperties: { conflictProtection: true } }), w.context);
    expect(w.ct.get(ids.ct).properties.email).toBeNull();
  });

  // "If a person's information has changed in either system since the last update, some data may be lost." — we do better:
  it('reports a field changed on both sides as a conflict and leaves both sides as they are', async () => {
    const w = world();
    const ids = await linkedPair(w);
    w.ct.edit(ids.ct, { city: 'Bonn' });
    w.clock.advance();
    w.og.edit(ids.og, { Ort: 'Berlin' });
    const outcome = await run(job({ updateProperties: { conflictProtection: true } }), w.context);
    expect(w.ct.get(ids.ct).properties.city).toBe('Bonn');
    expect(w.og.get(ids.og).properties.Ort).toBe('Berlin');
    expect(outcome.entries.find((e) => e.type === 'conflict')?.changes).toEqual([{ field: 'city', oldValue: 'Bonn', newValue: 'Berlin' }]);
    expect((await w.pairs.load('conn-1', 'person'))[0]?.status).toBe('conflict');
  });

  it('with conflict protection off, lets the newer record win as the spec describes', async () => {
    const w = world();
    const ids = await linkedPair(w);
    w.ct.edit(ids.ct, { city: 'Bonn' });
    w.clock.advance();
    w.og.edit(ids.og, { Ort: 'Berlin' });
    await run(job({ updateProperties: { conflictProtection: false } }), w.context);
    expect(w.ct.get(ids.ct).properties.city).toBe('Berlin');
  });

  it('resolves a conflict once both sides agree again', async () => {
    const w = world();
    const ids = await linkedPair(w);
    w.ct.edit(ids.ct, { city: 'Bonn' });
    w.og.edit(ids.og, { Ort: 'Berlin' });
    await run(job({ updateProperties: { conflictProtection: true } }), w.context);
    w.og.edit(ids.og, { Ort: 'Bonn' });
    const outcome = await run(job({ updateProperties: { conflictProtection: true } }), w.context);
    expect(outcome.execution.conflictCount).toBe(0);
    expect((await w.pairs.load('conn-1', 'person'))[0]?.status).toBe('synced');
  });

  it('without a remembered baseline, lets the record with the later modification date win', async () => {
    const w = world();
    const c = w.ct.add({ properties: ctPerson('Anna', 'Schmidt', { city: 'Köln' }) });
    w.clock.advance();
    const o = w.og.add({ properties: ogPerson('Anna', 'Schmidt', { Ort: 'Bonn' }) });
    await w.pairs.save('conn-1', 'person', [{ ct: c.id, og: o.id, status: 'synced', fp: '', at: 0 }]);
    await run(job({ updateProperties: { conflictProtection: true } }), w.context);
    expect(w.ct.get(c.id).properties.city).toBe('Bonn');
  });

  // "This action is performed for pairs … who meet the specified conditions in at least one of the two systems."
  it('updates a pair of which only the Optigem record meets the conditions', async () => {
    const w = world();
    const ids = await linkedPair(w, ctPerson('Anna', 'Schmidt', { statusId: STATUS.guest, city: 'Köln' }), ogPerson('Anna', 'Schmidt', { Kategorien: ['150', '200'], Ort: 'Köln' }));
    w.og.edit(ids.og, { Ort: 'Bonn' });
    const outcome = await simulate(job({ updateProperties: { conflictProtection: true } }, { ...MEMBERS_ONLY, keys: ['ci'] }), w.context);
    expect(outcome.execution.counters.churchtools.update).toBe(1);
  });

  it('leaves a pair alone when neither record meets its conditions', async () => {
    const w = world();
    const ids = await linkedPair(w, ctPerson('Anna', 'Schmidt', { statusId: STATUS.guest, city: 'Köln' }), ogPerson('Anna', 'Schmidt', { Kategorien: ['200'], Ort: 'Köln' }));
    w.og.edit(ids.og, { Ort: 'Bonn' });
    const outcome = await simulate(job({ updateProperties: { conflictProtection: true } }, { ...MEMBERS_ONLY, keys: ['ci'] }), w.context);
    expect(outcome.plan?.operations).toEqual([]);
  });

  // "If no conditions are specified in one of the systems, then all pairs of people are always taken into account."
  it('takes every pair into account when one system has no conditions', async () => {
    const w = world();
    const ids = await linkedPair(w, ctPerson('Anna', 'Schmidt', { statusId: STATUS.guest, city: 'Köln' }), ogPerson('Anna', 'Schmidt', { Kategorien: ['200'], Ort: 'Köln' }));
    w.og.edit(ids.og, { Ort: 'Bonn' });
    const outcome = await simulate(job({ updateProperties: { conflictProtection: true } }, { ct: MEMBERS_ONLY.ct, keys: ['ci'] }), w.context);
    expect(outcome.execution.counters.churchtools.update).toBe(1);
  });

  it('changes nothing on a second run', async () => {
    const w = world();
    const ids = await linkedPair(w);
    w.ct.edit(ids.ct, { city: 'Bonn', statusId: STATUS.friend });
    await run(job({ updateProperties: { conflictProtection: true } }), w.context);
    const second = await simulate(job({ updateProperties: { conflictProtection: true } }), w.context);
    expect(second.plan?.operations).toEqual([]);
    expect(w.og.get(ids.og).properties.Kategorien).toEqual(['160']);
  });
});

describe('action 5: import properties', () => {
  // "If that is the case, the person's information will be updated in your ChurchTools account."
  it('writes Optigem\'s selected properties into ChurchTools', async () => {
    const w = world();
    const ids = await linkedPair(w);
    w.og.edit(ids.og, { Ort: 'Bonn', EMail: 'neu@example.org' });
    await run(job({ importProperties: { conflictProtection: true } }), w.context);
    expect(w.ct.get(ids.ct).properties).toMatchObject({ city: 'Bonn', email: 'neu@example.org' });
  });

  it('overwrites a change made only in ChurchTools, since Optigem leads', async () => {
    const w = world();
    const ids = await linkedPair(w);
    w.ct.edit(ids.ct, { city: 'Bonn' });
    await run(job({ importProperties: { conflictProtection: true } }), w.context);
    expect(w.ct.get(ids.ct).properties.city).toBe('Köln');
    expect(w.og.writes.filter((write) => write.kind === 'update')).toEqual([]);
  });

  // "This action applies only to properties selected for this sync job."
  it('writes only the selected properties', async () => {
    const w = world();
    const ids = await linkedPair(w);
    w.og.edit(ids.og, { Ort: 'Bonn', EMail: 'neu@example.org' });
    await run(job({ importProperties: { conflictProtection: true } }, { keys: ['ci'] }), w.context);
    expect(w.ct.get(ids.ct).properties).toMatchObject({ city: 'Bonn', email: 'anna@example.org' });
  });

  // "Even properties that have not been filled in are transferred"
  it('transfers empty values', async () => {
    const w = world();
    const ids = await linkedPair(w);
    w.og.edit(ids.og, { Ort: null });
    await run(job({ importProperties: { conflictProtection: true } }), w.context);
    expect(w.ct.get(ids.ct).properties.city).toBeNull();
  });

  // "If no conditions are specified in a system, then all pairs of people are always taken into account."
  it('considers every pair when Optigem has no conditions, even a ChurchTools guest', async () => {
    const w = world();
    const ids = await linkedPair(w, ctPerson('Anna', 'Schmidt', { statusId: STATUS.guest, city: 'Köln' }), ogPerson('Anna', 'Schmidt', { Ort: 'Köln' }));
    w.og.edit(ids.og, { Ort: 'Bonn' });
    const outcome = await simulate(job({ importProperties: { conflictProtection: true } }, { ct: MEMBERS_ONLY.ct, keys: ['ci'] }), w.context);
    expect(outcome.execution.counters.churchtools.update).toBe(1);
  });

  it('maps the Optigem category back to the ChurchTools status (spec example: "150: Members" ↔ "Member")', async () => {
    const w = world();
    const ids = await linkedPair(w, ctPerson('John', 'Smith', { statusId: STATUS.friend }), ogPerson('John', 'Smith', { Kategorien: ['160'] }));
    w.og.edit(ids.og, { Kategorien: ['150', '300'] });
    await run(job({ importProperties: { conflictProtection: true } }), w.context);
    expect(w.ct.get(ids.ct).properties.statusId).toBe(STATUS.member);
  });
});

describe('action 6: export properties', () => {
  // "If that is the case, the person's attributes are updated in the connected system."
  it('writes ChurchTools\' selected properties into Optigem, keeping unrelated categories', async () => {
    const w = world();
    const ids = await linkedPair(w, ctPerson('John', 'Smith', { statusId: STATUS.member }), ogPerson('John', 'Smith', { Kategorien: ['150', '300'] }));
    w.ct.edit(ids.ct, { statusId: STATUS.friend });
    await run(job({ exportProperties: { conflictProtection: true } }), w.context);
    expect(w.og.get(ids.og).properties.Kategorien).toEqual(['160', '300']);
  });

  it('transfers empty values', async () => {
    const w = world();
    const ids = await linkedPair(w);
    w.ct.edit(ids.ct, { email: '' });
    await run(job({ exportProperties: { conflictProtection: true } }), w.context);
    expect(w.og.get(ids.og).properties.EMail).toBe('');
  });

  it('reports a field changed on both sides as a conflict instead of overwriting Optigem', async () => {
    const w = world();
    const ids = await linkedPair(w);
    w.ct.edit(ids.ct, { city: 'Bonn' });
    w.og.edit(ids.og, { Ort: 'Berlin' });
    const outcome = await run(job({ exportProperties: { conflictProtection: true } }), w.context);
    expect(w.og.get(ids.og).properties.Ort).toBe('Berlin');
    expect(outcome.execution.conflictCount).toBe(1);
  });

  // "This action is carried out for pairs … that correspond to the set conditions in at least one of the systems."
  it('exports for a pair of which only the ChurchTools person meets the conditions', async () => {
    const w = world();
    const ids = await linkedPair(w, ctPerson('Anna', 'Schmidt', { statusId: STATUS.member, city: 'Köln' }), ogPerson('Anna', 'Schmidt', { Kategorien: ['150'], Ort: 'Köln' }));
    w.og.edit(ids.og, { Kategorien: ['200'] });
    w.clock.advance();
    w.ct.edit(ids.ct, { city: 'Bonn' });
    const outcome = await simulate(job({ exportProperties: { conflictProtection: true } }, { ...MEMBERS_ONLY, keys: ['ci'] }), w.context);
    expect(outcome.execution.counters.optigem.update).toBe(1);
  });

  it('follows the "block job" fallback: an unmapped status stops the run before anything is written', async () => {
    const pairs = [
      { key: 'st', domain: 'person' as const, churchtools: 'statusId', optigem: 'Kategorien', mapping: { entries: [{ churchtools: STATUS.member, optigem: '150' }], fallback: { kind: 'block' as const } } },
      { key: 'ci', domain: 'person' as const, churchtools: 'city', optigem: 'Ort' },
    ];
    const w = world(pairs);
    const ids = await linkedPair(w, ctPerson('Anna', 'Schmidt', { statusId: STATUS.member, city: 'Köln' }), ogPerson('Anna', 'Schmidt', { Kategorien: ['150'], Ort: 'Köln' }));
    w.ct.edit(ids.ct, { statusId: STATUS.guest, city: 'Bonn' });
    const outcome = await run(job({ exportProperties: { conflictProtection: true } }, { keys: ['st', 'ci'] }), w.context);
    expect(outcome.execution.status).toBe('refused');
    expect(outcome.execution.refusal).toMatchObject({ key: 'blocker.unmappedValue', args: { value: STATUS.guest, field: 'statusId' } });
    expect(w.og.get(ids.og).properties.Ort).toBe('Köln');
  });
});
