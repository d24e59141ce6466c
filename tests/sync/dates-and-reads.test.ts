/**
 * Issue #13, "also untested": an emptied field against a newer record, the own-write tolerance
 * with clocks that differ between the executor and each system, and linking after a read that
 * failed in part.
 */
import { describe, expect, it } from 'vitest';
import { run, simulate } from '../../src/sync/engine.ts';
import { MemorySystem, SkewedClock } from '../../src/sync/memory.ts';
import { CT_IDENTITY, CT_LIST_FIELDS, OG_IDENTITY, OG_LIST_FIELDS, type World, ctPerson, job, ogPerson, world } from './fixtures.ts';

const update = job({ updateProperties: { conflictProtection: true } });

async function linked(w: World) {
  const ct = w.ct.add({ properties: ctPerson('Anna', 'Schmidt', { city: 'Köln', email: 'anna@example.org' }) });
  const og = w.og.add({ properties: ogPerson('Anna', 'Schmidt', { Ort: 'Köln', EMail: 'anna@example.org' }) });
  const outcome = await run(job({ link: { mode: 'newerWins' } }), w.context);
  expect(outcome.execution.counters.both.link).toBe(1);
  w.clock.advance();
  return { ct: ct.id, og: og.id };
}

describe('update properties: a field emptied on one side while the other record is newer', () => {
  // "Even properties that have not been filled in are transferred": the emptying side changed
  // the field, so its empty value flows, whichever record was modified last.
  it('empties the field in ChurchTools although ChurchTools was modified later', async () => {
    const w = world();
    const ids = await linked(w);
    w.og.edit(ids.og, { Ort: null });
    w.clock.advance();
    w.ct.edit(ids.ct, { email: 'anna.schmidt@example.org' });
    const outcome = await run(update, w.context);
    expect(w.ct.get(ids.ct).properties.city).toBeNull();
    expect(w.og.get(ids.og).properties.Ort).toBeNull();
    expect(w.og.get(ids.og).properties.EMail).toBe('anna.schmidt@example.org');
    expect(outcome.execution.conflictCount).toBe(0);
  });

  it('empties the field in Optigem although Optigem was modified later', async () => {
    const w = world();
    const ids = await linked(w);
    w.ct.edit(ids.ct, { city: null });
    w.clock.advance();
    w.og.edit(ids.og, { EMail: 'a.schmidt@example.org' });
    await run(update, w.context);
    expect(w.og.get(ids.og).properties.Ort).toBeNull();
    expect(w.ct.get(ids.ct).properties.email).toBe('a.schmidt@example.org');
  });
});

/** Each system on its own clock, `ct` and `og` seconds off the executor's. */
function skewedWorld(ct: number, og: number): World {
  const w = world();
  const churchtools = new MemorySystem('churchtools', CT_IDENTITY, new SkewedClock(w.clock, ct), 'optigemId', CT_LIST_FIELDS);
  const optigem = new MemorySystem('optigem', OG_IDENTITY, new SkewedClock(w.clock, og), null, OG_LIST_FIELDS);
  return { ...w, ct: churchtools, og: optigem, context: { ...w.context, ports: { churchtools, optigem } } };
}

/**
 * Linked with "fill empty fields only": e-mail goes to ChurchTools, birthday to Optigem, and
 * the two cities stay different on purpose. The writes carry each system's own time.
 */
async function filledBothWays(w: World) {
  const ct = w.ct.add({ properties: ctPerson('Anna', 'Schmidt', { city: 'Köln', birthday: '1980-02-03' }) });
  const og = w.og.add({ properties: ogPerson('Anna', 'Schmidt', { Ort: 'Bonn', EMail: 'anna@example.org' }) });
  w.clock.advance(3600);
  const linking = await run(job({ link: { mode: 'fillEmpty' } }), w.context);
  expect(linking.plan?.operations.filter((op) => op.op === 'update').map((op) => op.op === 'update' && op.target).sort()).toEqual(['churchtools', 'optigem']);
  return { ct: ct.id, og: og.id };
}

describe('own writes with clocks that differ between the executor and each system', () => {
  it("does not take the sync's own writes for changes when both systems' clocks run ahead of the executor's", async () => {
    const w = skewedWorld(20, 25);
    const ids = await filledBothWays(w);
    w.clock.advance(3600);
    const next = await simulate(update, w.context);
    expect(next.plan?.operations).toEqual([]);
    expect(next.execution.conflictCount).toBe(0);
    expect(w.og.get(ids.og).properties.Ort).toBe('Bonn');
  });

  it('still sees a real edit made two minutes after the run on a system whose clock lags behind', async () => {
    const w = skewedWorld(-25, 20);
    const ids = await filledBothWays(w);
    w.clock.advance(120);
    w.ct.edit(ids.ct, { city: 'Köln-Deutz' });
    w.clock.advance(3600);
    await run(update, w.context);
    expect(w.og.get(ids.og).properties.Ort).toBe('Köln-Deutz');
  });
});

describe('link & unify after a read that failed in part', () => {
  // "No longer exists" and "has no match" are only believed from a complete read.
  it('links nothing and archives nothing, and says why', async () => {
    const w = world();
    w.ct.add({ properties: ctPerson('Anna', 'Schmidt') });
    w.og.add({ properties: ogPerson('Anna', 'Schmidt') });
    const carl = { ct: w.ct.add({ properties: ctPerson('Carl', 'Weber') }), og: w.og.add({ properties: ogPerson('Carl', 'Weber') }) };
    const before = [{ ct: carl.ct.id, og: carl.og.id, status: 'synced' as const, fp: '', at: 1 }];
    await w.pairs.save('conn-1', 'person', before);
    // The read returns Anna, not Carl: Anna has a unique match, Carl's partner looks gone.
    w.og.incompleteReads = true;
    const outcome = await run(job({ link: { mode: 'newerWins' }, archiveInChurchTools: {} }), w.context);
    expect(outcome.plan?.blockers).toEqual([]);
    expect(outcome.plan?.operations).toEqual([]);
    expect(outcome.entries.filter((e) => e.message.key === 'log.skip.incompleteRead').map((e) => e.action).sort()).toEqual(['archiveInChurchTools', 'link']);
    expect(await w.pairs.load('conn-1', 'person')).toEqual(before);
    expect([...w.ct.writes, ...w.og.writes]).toEqual([]);
    expect(w.ct.get(carl.ct.id).archived).toBeUndefined();
  });
});
