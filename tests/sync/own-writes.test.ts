import { describe, expect, it } from 'vitest';
import { run, simulate } from '../../src/sync/engine.ts';
import { type ManualClock, MemorySystem } from '../../src/sync/memory.ts';
import type { Domain } from '../../src/sync/model.ts';
import { CT_IDENTITY, CT_LIST_FIELDS, STATUS, type World, ctPerson, job, ogPerson, world } from './fixtures.ts';

/**
 * Like the real ChurchTools port: remembering the Optigem partner writes `optigemId` into the
 * person, which moves its modification time.
 */
class ChurchToolsTwin extends MemorySystem {
  /** Seconds the write takes (a slow server, retries). */
  slowness = 0;

  constructor(private readonly time: ManualClock) {
    super('churchtools', CT_IDENTITY, time, 'optigemId', CT_LIST_FIELDS);
  }

  override async notePartner(domain: Domain, id: string, partnerId: string): Promise<void> {
    this.time.advance(this.slowness);
    await super.notePartner(domain, id, partnerId);
    this.edit(id, {});
  }
}

function churchToolsWorld(): World & { ct: ChurchToolsTwin } {
  const w = world();
  const ct = new ChurchToolsTwin(w.clock);
  // The connection shows the Optigem number on the person: linking writes it.
  return { ...w, ct, context: { ...w.context, ports: { churchtools: ct, optigem: w.og }, partnerNotes: { perRun: 500 } } };
}

const HOUR = 3600;
const linkOnly = job({ link: { mode: 'newerWins' } });
const update = job({ updateProperties: { conflictProtection: true } });

/**
 * The demo's "Koch, Petra": a friend in ChurchTools, Optigem categories 150 (members) and 160
 * (friends) at once, which the status mapping cannot read; Optigem was edited last.
 */
async function linkedPetra(w: World) {
  const ct = w.ct.add({ properties: ctPerson('Petra', 'Koch', { statusId: STATUS.friend }) });
  w.clock.advance(HOUR);
  const og = w.og.add({ properties: ogPerson('Petra', 'Koch', { Kategorien: ['150', '160', '200'] }) });
  w.clock.advance(HOUR);
  const linked = await run(linkOnly, w.context);
  expect(linked.execution.counters.both.link).toBe(1);
  expect(linked.entries.some((e) => e.message.key === 'log.ambiguousSkipped')).toBe(true);
  // Noting the partner made the ChurchTools person the later modified one.
  expect(Date.parse(w.ct.get(ct.id).modifiedAt ?? '')).toBeGreaterThan(Date.parse(w.og.get(og.id).modifiedAt ?? ''));
  w.clock.advance(24 * HOUR);
  return { ct: ct.id, og: og.id };
}

describe('action 4: update properties', () => {
  it("update properties does not treat a record as newer because of the sync's own write", async () => {
    const w = churchToolsWorld();
    const ids = await linkedPetra(w);
    const next = await run(update, w.context);
    expect(next.plan?.operations).toEqual([]);
    expect(w.og.get(ids.og).properties.Kategorien).toEqual(['150', '160', '200']);
    expect(w.og.writes).toEqual([]);
  });

  it('does not take remembering the partner for a change, even when ChurchTools took a while to write it', async () => {
    const w = churchToolsWorld();
    w.ct.slowness = 120;
    const ids = await linkedPetra(w);
    await run(update, w.context);
    expect(w.og.get(ids.og).properties.Kategorien).toEqual(['150', '160', '200']);
  });

  it('a record changed after the last sync is still the newer one', async () => {
    const w = churchToolsWorld();
    const ids = await linkedPetra(w);
    w.og.edit(ids.og, { Kategorien: ['150', '200'] });
    await run(update, w.context);
    expect(w.ct.get(ids.ct).properties.statusId).toBe(STATUS.member);
  });

  it('reports the differences of a pair linked by hand as conflicts rather than letting the link\'s own write decide', async () => {
    const w = churchToolsWorld();
    const ct = w.ct.add({ properties: ctPerson('Petra', 'Koch', { city: 'Köln' }) });
    w.clock.advance(HOUR);
    const og = w.og.add({ properties: ogPerson('Petra', 'Koch', { Ort: 'Bonn' }) });
    w.clock.advance(HOUR);
    // What linking by hand in the pairs view does: a pair that remembers nothing, and the partner noted.
    await w.pairs.save('conn-1', 'person', [{ ct: ct.id, og: og.id, status: 'synced', fp: '', at: Math.floor(w.clock.now().getTime() / 1000) }]);
    await w.ct.notePartner('person', ct.id, og.id);
    w.clock.advance(HOUR);

    const next = await run(update, w.context);
    expect(next.entries.find((e) => e.type === 'conflict')?.changes).toEqual([{ field: 'city', oldValue: 'Köln', newValue: 'Bonn' }]);
    expect(w.og.get(og.id).properties.Ort).toBe('Bonn');
    expect(w.og.writes).toEqual([]);
  });

  it('a difference the last sync could not decide stays a conflict until a record changes', async () => {
    const w = churchToolsWorld();
    // Both modified at the same moment: the dates cannot say which city is right.
    const ct = w.ct.add({ properties: ctPerson('Petra', 'Koch', { city: 'Köln' }) });
    const og = w.og.add({ properties: ogPerson('Petra', 'Koch', { Ort: 'Bonn' }) });
    w.clock.advance(HOUR);
    const linked = await run(linkOnly, w.context);
    expect(linked.entries.find((e) => e.type === 'conflict')?.message.key).toBe('log.conflict.undecidable');
    w.clock.advance(24 * HOUR);

    const next = await simulate(update, w.context);
    expect(next.plan?.operations).toEqual([]);
    expect(next.entries.find((e) => e.type === 'conflict')?.changes).toEqual([{ field: 'city', oldValue: 'Köln', newValue: 'Bonn' }]);

    w.og.edit(og.id, { Ort: 'Bonn-Beuel' });
    await run(update, w.context);
    expect(w.ct.get(ct.id).properties.city).toBe('Bonn-Beuel');
  });
});
