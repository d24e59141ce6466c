/** The decisions on possible duplicates, stored in the extension's `decisions` category (here on MemoryKv). */
import { describe, expect, it } from 'vitest';
import { MemoryKv } from '../../src/churchtools/kv/memory-kv.ts';
import { createStorage } from '../../src/churchtools/kv/storage.ts';
import { CorruptValueError } from '../../src/churchtools/kv/errors.ts';
import type { DuplicateDecision } from '../../src/sync/model.ts';

const decision = (sourceId: string, more: Partial<DuplicateDecision> = {}): DuplicateDecision => ({
  source: 'optigem',
  sourceId,
  kind: 'create',
  basis: '0a1b2c3d',
  decidedAt: '2026-12-06T10:00:00.000Z',
  decidedBy: 'Anna Admin',
  ...more,
});

describe('decision store', () => {
  it('keeps decisions per connection and domain, the newest per record', async () => {
    const storage = createStorage(new MemoryKv());
    await storage.decisions.decide('c1', 'person', [decision('4711'), decision('4712')]);
    await storage.decisions.decide('c2', 'person', [decision('1')]);
    await storage.decisions.decide('c1', 'person', [decision('4711', { kind: 'link', candidateId: '89' })]);
    const stored = await storage.decisions.load('c1', 'person');
    expect(stored).toHaveLength(2);
    expect(stored.find((d) => d.sourceId === '4711')).toMatchObject({ kind: 'link', candidateId: '89' });
    expect(await storage.decisions.load('c1', 'transaction')).toEqual([]);
    expect(await storage.decisions.load('c2', 'person')).toHaveLength(1);
  });

  it('spreads many decisions over values of at most 10,000 characters, and shrinks again', async () => {
    const kv = new MemoryKv();
    const storage = createStorage(kv);
    const many = Array.from({ length: 130 }, (_, i) => decision(String(10_000 + i), { decidedBy: 'Verwaltung Gemeindebüro Süd' }));
    await storage.decisions.decide('c1', 'person', many);
    const categoryId = await storage.categories.id('decisions');
    const values = await kv.listValues(categoryId);
    expect(values).toHaveLength(3);
    expect(Math.max(...values.map((v) => v.value.length))).toBeLessThan(10_000);
    expect(await storage.decisions.load('c1', 'person')).toHaveLength(130);
    for (const d of many.slice(0, 80)) await storage.decisions.forget('c1', 'person', 'optigem', d.sourceId);
    expect(await kv.listValues(categoryId)).toHaveLength(1);
    expect((await storage.decisions.load('c1', 'person')).map((d) => d.sourceId)).toEqual(many.slice(80).map((d) => d.sourceId));
  });

  it('refuses a decision without a candidate for "link", and stores nothing', async () => {
    const kv = new MemoryKv();
    const storage = createStorage(kv);
    await expect(storage.decisions.decide('c1', 'person', [decision('1', { kind: 'link' })])).rejects.toThrow(/candidateId/);
    expect(kv.calls.filter((c) => c.op === 'createValue')).toHaveLength(0);
  });

  it('reports an unreadable stored decision instead of reading it as "undecided"', async () => {
    const kv = new MemoryKv();
    const storage = createStorage(kv);
    await storage.decisions.decide('c1', 'person', [decision('1')]);
    const categoryId = await storage.categories.id('decisions');
    const [value] = await kv.listValues(categoryId);
    await kv.updateValue(categoryId, value!.id, value!.value.replace('"create"', '"merge"'));
    await expect(storage.decisions.load('c1', 'person')).rejects.toBeInstanceOf(CorruptValueError);
  });
});
