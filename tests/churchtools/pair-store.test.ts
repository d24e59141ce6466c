import { describe, expect, it } from 'vitest';
import { KvCategories } from '../../src/churchtools/kv/categories.ts';
import { MemoryKv } from '../../src/churchtools/kv/memory-kv.ts';
import { ChurchToolsPairStore } from '../../src/churchtools/kv/pair-store.ts';
import { decodeChunkColumns, encodeChunkColumns } from '../../src/churchtools/kv/pair-columns.ts';
import { decodeDelta, pairKey } from '../../src/churchtools/kv/pair-codec.ts';
import { CorruptValueError, StaleRevisionError } from '../../src/churchtools/kv/errors.ts';
import type { Pair } from '../../src/sync/model.ts';
import { changeScattered, makePairs } from './pair-fixtures.ts';

const byCt = (pairs: readonly Pair[]): Pair[] => [...pairs].sort((a, b) => Number(a.ct) - Number(b.ct));

function setup() {
  const kv = new MemoryKv();
  const categories = new KvCategories(kv);
  return { kv, categories, store: new ChurchToolsPairStore(categories) };
}

describe('pair chunk columns', () => {
  it('round-trips odd ids and fingerprints', () => {
    const pairs: Pair[] = [
      { ct: '1', og: 'A,1', status: 'synced', fp: '', at: 0 },
      { ct: '2', og: '007', status: 'conflict', fp: 'fnAbC.lnx9Q', at: 1_700_000_000 },
      { ct: '3', og: '5', status: 'deleted', fp: 'weird,%\nfp', at: 1_600_000_000 },
      { ct: '3', og: '6', status: 'synced', fp: 'x', at: 1_600_000_001 },
    ];
    expect(decodeChunkColumns(encodeChunkColumns(pairs))).toEqual(pairs);
    expect(decodeChunkColumns(encodeChunkColumns([]))).toEqual([]);
  });

  it('keeps the spouse of a couple pair, and reads chunks written before couple pairs existed', () => {
    const couple: Pair[] = [
      { ct: '10', og: '1050', status: 'synced', fp: '', at: 5, sp: '11' },
      { ct: '11', og: '1050', status: 'synced', fp: '', at: 5, sp: '10' },
      { ct: '12', og: '1051', status: 'synced', fp: 'fnAbC', at: 6 },
    ];
    const encoded = encodeChunkColumns(couple);
    expect(encoded).toContain('\np:11,10,');
    expect(decodeChunkColumns(encoded)).toEqual(couple);
    const plain = couple.map(({ sp: _spouse, ...pair }) => pair);
    expect(encodeChunkColumns(plain)).not.toContain('\np:');
    expect(decodeChunkColumns(encodeChunkColumns(plain))).toEqual(plain);
  });
});

describe('couple pairs in the store', () => {
  it('survive the delta and a fold, and an old delta line without a spouse still reads', async () => {
    const { store } = setup();
    const pairs: Pair[] = [...makePairs(300), { ct: '90001', og: '77', status: 'synced', fp: '', at: 9, sp: '90002' }, { ct: '90002', og: '77', status: 'synced', fp: '', at: 9, sp: '90001' }];
    await store.save('c', 'person', pairs);
    expect(byCt(await store.load('c', 'person')).filter((p) => p.sp !== undefined)).toEqual(pairs.slice(-2));
    expect(decodeDelta('+5,6,s,,a').upserts.get(pairKey({ ct: '5', og: '6' }))).toEqual({ ct: '5', og: '6', status: 'synced', fp: '', at: 10 });
    expect(decodeDelta('+5,6,s,,a,7').upserts.get(pairKey({ ct: '5', og: '6' }))).toEqual({ ct: '5', og: '6', status: 'synced', fp: '', at: 10, sp: '7' });
  });
});

describe('ChurchToolsPairStore on MemoryKv', () => {
  it('saves, reloads, and writes only the head for a few scattered changes', async () => {
    const { kv, store } = setup();
    const pairs = makePairs(5000);
    await store.save('c1', 'person', pairs);
    const firstSave = kv.requestCount;
    kv.resetCalls();
    const fresh = new ChurchToolsPairStore(new KvCategories(kv));
    expect(await fresh.load('c1', 'person')).toEqual(byCt(pairs));
    const reload = kv.requestCount;
    kv.resetCalls();
    const changed = changeScattered(pairs, 3);
    await fresh.save('c1', 'person', changed);
    const second = kv.requestCount;
    kv.resetCalls();
    expect(await fresh.load('c1', 'person')).toEqual(byCt(changed));
    console.log(`5,000 pairs: first save ${firstSave} requests, reload ${reload}, 3 changes ${second}`);
    expect(firstSave).toBeLessThanOrEqual(25);
    expect(reload).toBeLessThanOrEqual(2);
    expect(second).toBeLessThanOrEqual(3);
  });

  it.each([4, 6, 8, 10])('30,000 pairs with %i fingerprint fields', async (fields) => {
    const { kv, store } = setup();
    const pairs = makePairs(30_000, { fields });
    await store.save('c1', 'person', pairs);
    const first = kv.requestCount;
    kv.resetCalls();
    await store.save('c1', 'person', changeScattered(pairs, 10));
    const second = kv.requestCount;
    kv.resetCalls();
    const loaded = await new ChurchToolsPairStore(new KvCategories(kv)).load('c1', 'person');
    const reload = kv.requestCount;
    console.log(`30,000 pairs, ${fields} fields (fp ${pairs[0]!.fp.length} chars): first save ${first}, 10 changes ${second}, reload ${reload}`);
    expect(loaded).toHaveLength(pairs.length);
    expect(second).toBeLessThanOrEqual(3);
    expect(first).toBeLessThanOrEqual(100);
  }, 60_000);

  it('folds a growing delta, rewriting only touched chunks', async () => {
    const { kv, store } = setup();
    const pairs = makePairs(20_000);
    await store.save('c1', 'person', pairs);
    // Append new pairs at the end of the key range: only the last chunk changes.
    const more = [...pairs];
    for (let i = 0; i < 600; i++) more.push({ ct: String(900_000 + i), og: String(500_000 + i), status: 'synced', fp: 'fnAAA', at: 1 });
    kv.resetCalls();
    await store.save('c1', 'person', more);
    const ops = kv.calls.map((c) => c.op);
    console.log('fold after appending 600:', ops.length, 'requests');
    expect(ops.filter((o) => o === 'createValue').length).toBeLessThanOrEqual(3);
    expect((await store.load('c1', 'person')).length).toBe(more.length);
  });

  it('does not fragment over many folds', async () => {
    const kv = new MemoryKv();
    const store = new ChurchToolsPairStore(new KvCategories(kv), { deltaLimit: 200 });
    let pairs = makePairs(10_000);
    await store.save('c1', 'person', pairs);
    const listed = async () => {
      const values = kv.raw(await new KvCategories(kv).id('pairs-person'));
      const head = values.map((v) => JSON.parse(v.value) as { data: { kind: string; chunks?: unknown[] } }).find((j) => j.data.kind === 'head')!;
      return { chunks: head.data.chunks!.length, values: values.length };
    };
    const initial = (await listed()).chunks;
    for (let round = 0; round < 8; round++) {
      pairs = changeScattered(pairs, 40, 100 + round);
      await store.save('c1', 'person', pairs);
    }
    const after = await listed();
    expect(after.chunks).toBeLessThanOrEqual(Math.ceil(initial * 1.25));
    // Current chunks, one fold's worth of retired ones, and the head.
    expect(after.values).toBeLessThanOrEqual(2 * after.chunks + 1);
    expect(await new ChurchToolsPairStore(new KvCategories(kv)).load('c1', 'person')).toEqual(byCt(pairs));
  });

  it.each([6, 10])('under the run lock, 300 of 30,000 pairs changed (one in a hundred, scattered; %i fingerprint fields) are saved with at most 3 writes and no read', async (fields) => {
    const { kv, store } = setup();
    const pairs = makePairs(30_000, { fields });
    await store.save('c1', 'person', pairs);
    const run = new ChurchToolsPairStore(new KvCategories(kv));
    await run.load('c1', 'person');
    kv.resetCalls();
    const changed = changeScattered(pairs, 300, 1);
    await run.save('c1', 'person', changed, { underLock: true });
    const ops = kv.calls.map((c) => c.op);
    console.log(`300 of 30,000 pairs changed, ${fields} fields, under the lock: ${ops.join(', ')}`);
    expect(ops.filter((op) => op === 'listValues' || op === 'listCategories')).toEqual([]);
    // The changes frozen into one or two delta values, then the head that lists them (the commit).
    expect(ops.length).toBeLessThanOrEqual(3);
    expect(ops.at(-1)).toBe('updateValue');
    // Saving the same set again writes nothing.
    kv.resetCalls();
    await run.save('c1', 'person', changed, { underLock: true });
    expect(kv.requestCount).toBe(0);
    expect(await new ChurchToolsPairStore(new KvCategories(kv)).load('c1', 'person')).toEqual(byCt(changed));
  }, 60_000);

  it('under the run lock, saves on a cadence read nothing: 3 saves of 100 changes each write 4 values, the next fold takes in the delta values', async () => {
    const { kv, store } = setup();
    const pairs = makePairs(30_000);
    await store.save('c1', 'person', pairs);
    const run = new ChurchToolsPairStore(new KvCategories(kv));
    await run.load('c1', 'person');
    kv.resetCalls();
    let current = pairs;
    for (const seed of [1, 2, 3]) {
      current = changeScattered(current, 100, seed);
      await run.save('c1', 'person', current, { underLock: true });
    }
    const ops = kv.calls.map((c) => c.op);
    expect(ops).toEqual(['updateValue', 'updateValue', 'createValue', 'updateValue']);
    const reader = new ChurchToolsPairStore(new KvCategories(kv));
    expect(await reader.load('c1', 'person')).toEqual(byCt(current));
    // Many more changes than the delta values hold: a fold writes new chunks, retires the delta values.
    const folded = changeScattered(current, 6000, 9);
    await reader.save('c1', 'person', folded);
    await reader.save('c1', 'person', changeScattered(folded, 6000, 10));
    const values = kv.raw(await new KvCategories(kv).id('pairs-person')).map((v) => JSON.parse(v.value) as { data: { kind: string } });
    expect(values.filter((v) => v.data.kind === 'delta')).toEqual([]);
    expect(await new ChurchToolsPairStore(new KvCategories(kv)).load('c1', 'person')).toEqual(byCt(changeScattered(folded, 6000, 10)));
  }, 60_000);

  it('under the run lock, a fold writes the touched chunks and the head from memory, and later saves start from it', async () => {
    const kv = new MemoryKv();
    const seed = new ChurchToolsPairStore(new KvCategories(kv));
    let pairs = makePairs(20_000);
    await seed.save('c1', 'person', pairs);
    const run = new ChurchToolsPairStore(new KvCategories(kv), { deltaLimit: 200 });
    await run.load('c1', 'person');
    for (let round = 0; round < 4; round++) {
      // Appended at the end of the key range: only the last chunk changes.
      pairs = [...pairs, ...Array.from({ length: 300 }, (_, i) => ({ ct: String(900_000 + round * 1000 + i), og: String(600_000 + round * 1000 + i), status: 'synced' as const, fp: 'fnAAA', at: 1 }))];
      kv.resetCalls();
      await run.save('c1', 'person', pairs, { underLock: true });
      const ops = kv.calls.map((c) => c.op);
      expect(ops.filter((op) => op === 'listValues')).toEqual([]);
      expect(ops.filter((op) => op === 'createValue').length).toBeLessThanOrEqual(2);
      expect(ops.filter((op) => op === 'updateValue')).toHaveLength(1);
      expect(await new ChurchToolsPairStore(new KvCategories(kv)).load('c1', 'person')).toEqual(byCt(pairs));
    }
  });

  it('refuses a save over a newer revision', async () => {
    const { kv, categories } = setup();
    const a = new ChurchToolsPairStore(categories);
    const b = new ChurchToolsPairStore(new KvCategories(kv));
    await a.save('c1', 'person', makePairs(10));
    await a.load('c1', 'person');
    await b.load('c1', 'person');
    await b.save('c1', 'person', makePairs(12));
    await expect(a.save('c1', 'person', makePairs(11))).rejects.toBeInstanceOf(StaleRevisionError);
  });

  it('refuses to commit a fold when someone else committed while its chunks were written', async () => {
    class HookKv extends MemoryKv {
      onCreate: (() => Promise<void>) | undefined;
      override async createValue(categoryId: number, value: string) {
        const created = await super.createValue(categoryId, value);
        const hook = this.onCreate;
        this.onCreate = undefined;
        await hook?.();
        return created;
      }
    }
    const kv = new HookKv();
    const a = new ChurchToolsPairStore(new KvCategories(kv));
    const b = new ChurchToolsPairStore(new KvCategories(kv));
    const pairs = makePairs(8000);
    await a.save('c1', 'person', pairs);
    await b.load('c1', 'person');
    const fromA = changeScattered(pairs, 5);
    kv.onCreate = () => a.save('c1', 'person', fromA);
    await expect(b.save('c1', 'person', changeScattered(pairs, 2000, 9))).rejects.toBeInstanceOf(StaleRevisionError);
    const reader = new ChurchToolsPairStore(new KvCategories(kv));
    expect(await reader.load('c1', 'person')).toEqual(byCt(fromA));
    // The next fold collects b's orphans and what earlier folds retired; the data stays intact.
    const later = changeScattered(fromA, 3000, 11);
    await reader.save('c1', 'person', later);
    await reader.save('c1', 'person', changeScattered(later, 3000, 12));
    const values = kv.raw(await new KvCategories(kv).id('pairs-person'));
    expect(await new ChurchToolsPairStore(new KvCategories(kv)).load('c1', 'person')).toEqual(byCt(changeScattered(later, 3000, 12)));
    const chunks = values.filter((v) => v.value.includes('"kind":"chunk"')).length;
    expect(chunks).toBeLessThanOrEqual(2 * Math.ceil(pairs.length / 300));
  });

  it('survives a save that dies half-way', async () => {
    const { kv, store } = setup();
    const pairs = makePairs(8000);
    await store.save('c1', 'person', pairs);
    const changed = changeScattered(pairs, 2000);
    kv.failWritesFrom(3);
    await expect(store.save('c1', 'person', changed)).rejects.toThrow();
    kv.failWritesFrom(null);
    const again = new ChurchToolsPairStore(new KvCategories(kv));
    expect(await again.load('c1', 'person')).toHaveLength(pairs.length);
    expect(new Set((await again.load('c1', 'person')).map((p) => p.fp))).toEqual(new Set(pairs.map((p) => p.fp)));
    await again.save('c1', 'person', changed);
    const reloaded = await new ChurchToolsPairStore(new KvCategories(kv)).load('c1', 'person');
    expect(new Set(reloaded.map((p) => p.fp))).toEqual(new Set(changed.map((p) => p.fp)));
  });

  it('reports a corrupt value and leaves it alone', async () => {
    const { kv, categories, store } = setup();
    await store.save('c1', 'person', makePairs(50));
    const categoryId = await categories.id('pairs-person');
    const bad = kv.putRaw(categoryId, '{"schemaVersion":1, broken');
    await expect(new ChurchToolsPairStore(new KvCategories(kv)).load('c1', 'person')).rejects.toBeInstanceOf(CorruptValueError);
    await expect(store.save('c1', 'person', makePairs(60))).rejects.toBeInstanceOf(CorruptValueError);
    expect(kv.raw(categoryId).find((v) => v.id === bad)?.value).toBe('{"schemaVersion":1, broken');
  });

  it('keeps connections apart', async () => {
    const { store } = setup();
    const one = makePairs(100, { seed: 1 });
    const two = makePairs(50, { seed: 2 });
    await store.save('c1', 'person', one);
    await store.save('c2', 'person', two);
    expect(await store.load('c1', 'person')).toEqual(byCt(one));
    expect(await store.load('c2', 'person')).toEqual(byCt(two));
    expect(await store.load('c3', 'person')).toHaveLength(0);
  });
});
