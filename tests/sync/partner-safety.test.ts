import { describe, expect, it } from 'vitest';
import { run, simulate } from '../../src/sync/engine.ts';
import type { ReadResult } from '../../src/sync/ports.ts';
import { ctPerson, job, ogPerson, world } from './fixtures.ts';

/** Links Anna and Ben; returns their ids. */
async function twoPairs(w: ReturnType<typeof world>) {
  const anna = { ct: w.ct.add({ properties: ctPerson('Anna', 'Schmidt') }), og: w.og.add({ properties: ogPerson('Anna', 'Schmidt') }) };
  const ben = { ct: w.ct.add({ properties: ctPerson('Ben', 'Roth') }), og: w.og.add({ properties: ogPerson('Ben', 'Roth') }) };
  await run(job({ link: { mode: 'newerWins' } }), w.context);
  return { anna, ben };
}

describe('removing a record because its partner "no longer exists"', () => {
  it('asks the partner system by id first; a partner the list read missed is a logged skip, never an archive', async () => {
    const w = world();
    const { anna, ben } = await twoPairs(w);
    // A list read that looked complete but missed Anna (she moved between two pages).
    const readAll = w.og.readAll.bind(w.og);
    w.og.readAll = async (domain): Promise<ReadResult> => {
      const read = await readAll(domain);
      return { ...read, records: read.records.filter((r) => r.id !== anna.og.id) };
    };
    w.og.records.delete(ben.og.id);
    const simulated = await simulate(job({ archiveInChurchTools: {} }), w.context);
    expect(simulated.execution.counters.churchtools.archive).toBe(1);
    const outcome = await run(job({ archiveInChurchTools: {} }), w.context, { confirmMassChange: true });
    expect(w.ct.get(anna.ct.id).archived).toBeUndefined();
    expect(w.ct.get(ben.ct.id).archived).toBe(true);
    const skip = outcome.entries.find((e) => e.ctId === anna.ct.id);
    expect(skip).toMatchObject({ state: 'skipped', level: 'warning', message: { key: 'log.remove.partnerExists', args: { system: 'optigem', id: anna.og.id } } });
    expect(outcome.execution.counters.churchtools.archive).toBe(1);
    expect(w.og.lookups).toBe(2);
  });

  it('removes nothing when the look-up by id fails, and counts it as an error', async () => {
    const w = world();
    const { ben } = await twoPairs(w);
    w.og.records.delete(ben.og.id);
    w.og.failLookups = true;
    const outcome = await run(job({ deleteInChurchTools: {} }), w.context, { confirmMassChange: true });
    expect(w.ct.records.has(ben.ct.id)).toBe(true);
    expect(outcome.execution.errorCount).toBe(1);
    expect(outcome.entries.find((e) => e.ctId === ben.ct.id)).toMatchObject({ state: 'skipped', level: 'error', message: { key: 'log.remove.absenceUnconfirmed' } });
  });
});

describe('a record changed during the run', () => {
  it('is re-read right before the write and skipped when it changed since the plan', async () => {
    const w = world();
    const { anna, ben } = await twoPairs(w);
    w.clock.advance(3600);
    w.og.edit(anna.og.id, { Ort: 'Köln' });
    w.og.edit(ben.og.id, { Ort: 'Bonn' });
    w.clock.advance(60);
    w.ct.beforeReread = () => {
      w.ct.edit(anna.ct.id, { city: 'Von Hand' });
      w.ct.beforeReread = undefined;
    };
    const outcome = await run(job({ updateProperties: { conflictProtection: true } }), w.context);
    expect(w.ct.get(anna.ct.id).properties.city).toBe('Von Hand');
    expect(w.ct.get(ben.ct.id).properties.city).toBe('Bonn');
    expect(w.ct.rereads).toBe(1);
    expect(outcome.entries.find((e) => e.ctId === anna.ct.id && e.type === 'update')).toMatchObject({ state: 'skipped', message: { key: 'log.update.changedDuringRun' } });
    expect(outcome.execution.counters.churchtools.update).toBe(1);
  });
});
