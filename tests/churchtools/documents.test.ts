/** Repositories on MemoryKv: the in-memory twin other parts test with. */
import { describe, expect, it } from 'vitest';
import { MemoryKv } from '../../src/churchtools/kv/memory-kv.ts';
import { createStorage } from '../../src/churchtools/kv/storage.ts';
import { ValueTooLargeError } from '../../src/churchtools/kv/errors.ts';
import { emptyCounters, type Execution } from '../../src/sync/model.ts';

const execution = (id: string, startedAt: string): Execution => ({
  id,
  jobId: 'j1',
  connectionId: 'c1',
  dryRun: true,
  status: 'succeeded',
  startedAt,
  finishedAt: startedAt,
  counters: emptyCounters(),
  errorCount: 0,
  conflictCount: 0,
});

describe('storage on MemoryKv', () => {
  it('validates before writing and refuses values over 10,000 characters', async () => {
    const kv = new MemoryKv();
    const storage = createStorage(kv);
    const huge = { id: 'c1', name: 'x'.repeat(10_001), bridgeUrl: 'https://b', propertyPairs: [] };
    await expect(storage.connections.save(huge, null)).rejects.toBeInstanceOf(ValueTooLargeError);
    // @ts-expect-error an invalid document never reaches the store
    await expect(storage.connections.save({ id: 'c2' }, null)).rejects.toThrow();
    expect(kv.calls.filter((c) => c.op === 'createValue')).toHaveLength(0);
  });

  it('prunes old executions together with their logs', async () => {
    const kv = new MemoryKv();
    const storage = createStorage(kv);
    for (let i = 1; i <= 4; i++) {
      await storage.executions.save(execution(`e${i}`, `2026-01-0${i}T00:00:00Z`), null);
      const writer = storage.logs.writer(`e${i}`);
      await writer.add({ seq: 1, action: 'link', type: 'link', system: 'both', ctId: '1', ogId: '2', label: 'A', changes: [], message: { key: 'k' }, level: 'info', state: 'planned' });
      await writer.flush();
    }
    expect(await storage.executions.prune(2, storage.logs)).toBe(2);
    expect((await storage.executions.recent()).items.map((e) => e.data.id)).toEqual(['e4', 'e3']);
    expect((await storage.logs.read('e1')).entries).toEqual([]);
    expect((await storage.logs.read('e4')).entries).toHaveLength(1);
  });

  it('keeps unwritten log entries after a failed write and writes them on the next flush', async () => {
    const kv = new MemoryKv();
    const storage = createStorage(kv);
    await storage.categories.id('logs');
    const writer = storage.logs.writer('e1');
    await writer.add({ seq: 1, action: 'link', type: 'link', system: 'both', ctId: '1', ogId: '2', label: 'A', changes: [], message: { key: 'k' }, level: 'info', state: 'done' });
    kv.failWritesFrom(1);
    await expect(writer.flush()).rejects.toThrow();
    kv.failWritesFrom(null);
    await writer.flush();
    expect((await storage.logs.read('e1')).entries.map((e) => e.seq)).toEqual([1]);
  });
});

describe('compression', () => {
  it('round-trips text and rejects garbage', async () => {
    const { deflateToBase64, inflateFromBase64 } = await import('../../src/churchtools/kv/compression.ts');
    const text = 'Grüße, 𝄞 '.repeat(1000);
    const z = await deflateToBase64(text);
    expect(z.length).toBeLessThan(text.length / 10);
    expect(await inflateFromBase64(z)).toBe(text);
    await expect(inflateFromBase64('bm90IGRlZmxhdGU=')).rejects.toThrow();
    await expect(inflateFromBase64('%%%')).rejects.toThrow();
  });
});

describe('category lookup', () => {
  it('finds pairs saved by another session after this one first looked for the category', async () => {
    const kv = new MemoryKv();
    const tab = createStorage(kv);
    const cli = createStorage(kv);
    expect(await tab.pairs.load('c', 'person')).toEqual([]);
    await cli.pairs.save('c', 'person', [{ ct: '1', og: '2', status: 'synced', fp: '', at: 0 }]);
    expect(await tab.pairs.load('c', 'person')).toHaveLength(1);
  });
});
