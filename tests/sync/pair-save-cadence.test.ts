/**
 * When a run saves its pairs: after every `flushEvery` writes to a system and at its end, never
 * on a clock — so a long import's pair-store writes do not depend on ChurchTools' pace — and a
 * run killed at the worst point of that cadence leaves nothing duplicated or unpaired.
 */
import { describe, expect, it } from 'vitest';
import { KvCategories } from '../../src/churchtools/kv/categories.ts';
import { MemoryKv } from '../../src/churchtools/kv/memory-kv.ts';
import { ChurchToolsPairStore } from '../../src/churchtools/kv/pair-store.ts';
import { run, simulate } from '../../src/sync/engine.ts';
import { FLUSH_EVERY } from '../../src/sync/executor.ts';
import type { PairStore } from '../../src/sync/ports.ts';
import { job, ogPerson, STATUS, world } from './fixtures.ts';

const importing = job({ import: { defaults: { statusId: STATUS.optigem } } }, { keys: ['fn', 'ln', 'em', 'bd', 'ci'] });

function optigemPersons(w: ReturnType<typeof world>, n: number): void {
  for (let i = 0; i < n; i++) {
    w.og.add({ properties: ogPerson(`Vorname ${i.toString(36)}`, `Nachname ${i % 97}`, { EMail: `p${i}@example.org`, Geburtsdatum: `19${40 + (i % 60)}-0${1 + (i % 9)}-1${i % 10}`, Ort: i % 3 === 0 ? 'Bonn' : 'Köln' }) });
  }
}

/** The pair store a run uses (ChurchTools' data store in memory, saves under the run lock), with its saves and writes counted. */
function churchToolsPairs(): { port: PairStore; kv: MemoryKv; saves: () => number; writes: () => number; chunks: () => Promise<number> } {
  const kv = new MemoryKv();
  const categories = new KvCategories(kv);
  const store = new ChurchToolsPairStore(categories);
  let saves = 0;
  return {
    kv,
    port: {
      load: (connectionId, domain) => store.load(connectionId, domain),
      save: (connectionId, domain, pairs) => {
        saves++;
        return store.save(connectionId, domain, pairs, { underLock: true });
      },
    },
    saves: () => saves,
    writes: () => kv.calls.filter((c) => c.op === 'createValue' || c.op === 'updateValue' || c.op === 'deleteValue').length,
    chunks: async () => {
      const values = kv.raw(await categories.id('pairs-person')).map((v) => JSON.parse(v.value) as { data: { kind: string; chunks?: unknown[] } });
      return values.find((v) => v.data.kind === 'head')?.data.chunks?.length ?? 0;
    },
  };
}

/** A first import of `n` persons, the clock moving `secondsPerCreate` with every create (ChurchTools' pace). */
async function firstImport(n: number, secondsPerCreate: number, flushEvery?: number) {
  const pairs = churchToolsPairs();
  const w = world(undefined, { pairStore: pairs.port });
  optigemPersons(w, n);
  const create = w.ct.create.bind(w.ct);
  w.ct.create = async (...args) => {
    w.clock.advance(secondsPerCreate);
    return create(...args);
  };
  const outcome = await run(importing, w.context, flushEvery === undefined ? {} : { flushEvery });
  expect(outcome.execution.counters.churchtools.create).toBe(n);
  expect(await pairs.port.load('conn-1', 'person')).toHaveLength(n);
  return { saves: pairs.saves(), writes: pairs.writes(), chunks: await pairs.chunks() };
}

describe('pair-save cadence', () => {
  it('an import of 2,500 saves pairs after every 1,000 creates and at its end, at any pace: fast, 600 a minute, one a minute', async () => {
    const fast = await firstImport(2500, 0, 1000);
    const paced = await firstImport(2500, 0.1, 1000);
    const slow = await firstImport(2500, 60, 1000);
    console.log(`2,500 imports, flushEvery 1,000: ${fast.saves} saves, ${fast.writes} pair-store writes, ${fast.chunks} chunks`);
    expect(fast.saves).toBe(Math.ceil(2500 / 1000));
    expect(paced).toEqual(fast);
    expect(slow).toEqual(fast);
    // Every chunk once, a head per save, and at most the last chunk written again by a later save.
    expect(fast.writes).toBeLessThanOrEqual(fast.chunks + 2 * fast.saves);
  }, 60_000);

  it(`an import of 10,000 with the default cadence (${FLUSH_EVERY.toLocaleString('en')}) writes each chunk about once, at 600 a minute`, async () => {
    const figures = await firstImport(10_000, 0.1);
    console.log(`10,000 imports, default cadence: ${figures.saves} saves, ${figures.writes} pair-store writes, ${figures.chunks} chunks`);
    expect(figures.saves).toBe(Math.ceil(10_000 / FLUSH_EVERY));
    expect(figures.writes).toBeLessThanOrEqual(figures.chunks + 2 * figures.saves);
  }, 120_000);

  it('a run killed mid-import at the worst point (the write before a save: a whole cadence unsaved) leaves 0 duplicates and 0 unpaired after one re-run', async () => {
    const flushEvery = 10;
    const n = 35;
    const pairs = churchToolsPairs();
    const w = world(undefined, { pairStore: pairs.port });
    optigemPersons(w, n);
    // Dies right after create 2 × flushEvery − 1 reached ChurchTools: one save behind it, flushEvery − 1 creates unsaved.
    const killAt = 2 * flushEvery - 1;
    let creates = 0;
    let dead = false;
    const create = w.ct.create.bind(w.ct);
    w.ct.create = async (...args) => {
      if (dead) throw new Error('process killed');
      const created = await create(...args);
      if (++creates === killAt) {
        dead = true;
        throw new Error('process killed');
      }
      return created;
    };
    const save = pairs.port.save;
    w.context = {
      ...w.context,
      pairStore: {
        load: pairs.port.load,
        save: async (...args) => {
          if (dead) throw new Error('process killed');
          return save(...args);
        },
      },
    };
    await expect(run(importing, w.context, { flushEvery })).rejects.toThrow('process killed');
    expect(w.ct.records.size).toBe(killAt);
    expect(await pairs.port.load('conn-1', 'person')).toHaveLength(flushEvery);

    dead = false;
    w.ct.create = create;
    const before = w.ct.createContexts.length;
    const rerun = await run(importing, w.context, { flushEvery });
    expect(rerun.execution.status).toBe('succeeded');
    // The re-run creates only those never created: the unsaved ones are restored from the partner id they carry.
    expect(w.ct.createContexts.length - before).toBe(n - killAt);
    expect(rerun.entries.filter((e) => e.action === 'restore')).toHaveLength(flushEvery - 1);
    const partners = [...w.ct.records.values()].map((r) => r.properties['optigemId']);
    expect(new Set(partners).size).toBe(n);
    const stored = await pairs.port.load('conn-1', 'person');
    const paired = new Set(stored.map((p) => p.ct));
    expect({ duplicates: w.ct.records.size - n, unpaired: [...w.ct.records.keys()].filter((id) => !paired.has(id)).length }).toEqual({ duplicates: 0, unpaired: 0 });
    expect((await simulate(importing, w.context)).plan?.operations).toEqual([]);
  });
});
