/** Log parts: the column layout of schema 2, parts of schema 1 written by earlier versions, and their size. */
import { describe, expect, it } from 'vitest';
import { deflateToBase64 } from '../../src/churchtools/kv/compression.ts';
import { serialiseEnvelope } from '../../src/churchtools/kv/documents.ts';
import { decodeLogColumns, encodeLogColumns } from '../../src/churchtools/kv/log-columns.ts';
import { MemoryKv } from '../../src/churchtools/kv/memory-kv.ts';
import { packCompressed } from '../../src/churchtools/kv/pack.ts';
import { createStorage } from '../../src/churchtools/kv/storage.ts';
import { run } from '../../src/sync/engine.ts';
import type { LogEntry } from '../../src/sync/model.ts';
import { ctPerson, job, ogPerson, world } from '../sync/fixtures.ts';

/** The entries of a real run: links, a conflict, an update, creates and a failed create with its error. */
async function realEntries(): Promise<readonly LogEntry[]> {
  const w = world();
  w.ct.add({ properties: ctPerson('Anna', 'Schmidt', { city: 'Bonn', statusId: '1' }) });
  w.og.add({ properties: ogPerson('Anna', 'Schmidt', { Ort: 'Köln', Kategorien: ['160'] }) });
  w.ct.add({ properties: ctPerson('Paul', 'Groß', { email: 'paul@example.org' }) });
  w.og.add({ properties: ogPerson('Paul', 'Groß', { EMail: 'paul@example.org', Kategorien: ['150'] }) });
  w.og.add({ id: '40', properties: ogPerson('Jürgen', 'Müller', { EMail: 'j@example.org', Geburtsdatum: '1950-02-03', Kategorien: ['150'] }) });
  w.og.add({ id: '41', properties: ogPerson('Eva', 'Weber', { Ort: 'Köln' }) });
  let calls = 0;
  const create = w.ct.create.bind(w.ct);
  w.ct.create = async (...args) => {
    if (++calls === 2) throw new Error('HTTP 500');
    return create(...args);
  };
  const outcome = await run(job({ link: { mode: 'newerWins' }, import: { defaults: {} } }), w.context);
  return outcome.entries;
}

/** A log part as versions before the column layout wrote it: schema 1, a JSON array of entries. */
async function schemaOnePart(exec: string, part: number, entries: readonly LogEntry[]): Promise<string> {
  const z = await deflateToBase64(JSON.stringify(entries));
  return serialiseEnvelope({ kind: 'logs', id: `log:${exec}:${part}`, exec, part, n: entries.length, z }, 1, { updatedAt: '2026-11-01T00:00:00.000Z' }, 'a log part');
}

/** `n` entries like those of a first import of `n` persons, as the run stores them. */
function importEntries(n: number): LogEntry[] {
  const first = ['Anna', 'Jürgen', 'Clara', 'Paul', 'Hans', 'Eva'];
  const last = ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber'];
  return Array.from({ length: n }, (_, i) => {
    const fn = `${first[i % first.length]} ${i.toString(36)}`;
    const ln = last[Math.floor(i / first.length) % last.length] as string;
    return {
      seq: i + 1,
      action: 'import',
      type: 'create',
      system: 'churchtools',
      ctId: String(5000 + i),
      ogId: String(40 + i),
      label: `${ln}, ${fn}`,
      changes: [
        { field: 'firstName', oldValue: null, newValue: fn },
        { field: 'lastName', oldValue: null, newValue: ln },
        { field: 'email', oldValue: null, newValue: `p${i}@example.org` },
        { field: 'birthday', oldValue: null, newValue: `19${40 + (i % 60)}-0${1 + (i % 9)}-1${i % 10}` },
        { field: 'city', oldValue: null, newValue: i % 3 === 0 ? 'Bonn' : 'Köln' },
      ],
      message: { key: 'log.create.created' },
      level: 'info',
      state: 'done',
    };
  });
}

async function charsPerEntry(entries: readonly LogEntry[], encode: (items: readonly LogEntry[]) => string): Promise<{ parts: number; perEntry: number }> {
  const pieces = await packCompressed(entries, encode, 9_500, 'a log', 64);
  return { parts: pieces.length, perEntry: pieces.reduce((sum, p) => sum + p.z.length, 0) / entries.length };
}

describe('log parts', () => {
  it('the column layout gives back exactly the entries of a run: links, a conflict, an update, creates and an error', async () => {
    const entries = await realEntries();
    expect(new Set(entries.map((e) => e.type))).toEqual(new Set(['link', 'conflict', 'update', 'create']));
    expect(entries.some((e) => e.state === 'failed' && e.error)).toBe(true);
    expect(decodeLogColumns(JSON.parse(encodeLogColumns(entries)))).toEqual(entries);
  });

  it('keeps what the layout cannot shorten: labels repeating no value, ids that are no integers, gaps in seq, args and list values', () => {
    const entries: LogEntry[] = [
      { seq: 3, action: 'pairs', type: 'skip', system: 'both', ctId: null, ogId: 'A-7', label: 'Paar "x", 1', changes: [], message: { key: 'k.one', args: {} }, level: 'warning', state: 'skipped' },
      {
        seq: 9,
        action: 'updateProperties',
        type: 'update',
        system: 'optigem',
        ctId: '0012',
        ogId: '7',
        label: 'Weber, Eva',
        changes: [
          { field: 'Kategorien', oldValue: ['150'], newValue: ['150', '160'] },
          { field: 'Vorname', oldValue: 'E.', newValue: 'Eva' },
          { field: 'betrag', oldValue: 12, newValue: true },
        ],
        message: { key: 'k.two', args: { fields: 'Vorname', n: 2 } },
        level: 'error',
        state: 'failed',
        error: { key: 'error.unexpected', args: { detail: 'HTTP 500' } },
      },
      { seq: 10, action: 'import', type: 'create', system: 'churchtools', ctId: '5', ogId: '3', label: 'Eva', changes: [{ field: 'firstName', oldValue: null, newValue: 'Eva' }], message: { key: 'k.one' }, level: 'info', state: 'done', error: { key: 'e' } },
    ];
    expect(decodeLogColumns(JSON.parse(encodeLogColumns(entries)))).toEqual(entries);
  });

  it('keeps seqs that are no whole numbers and fields named like object internals', () => {
    const entries: LogEntry[] = [
      { seq: 1.5, action: 'link', type: 'update', system: 'churchtools', ctId: '1', ogId: '2', label: 'x', changes: [{ field: '__proto__', oldValue: null, newValue: 'a' }, { field: 'constructor', oldValue: 1, newValue: 2 }], message: { key: 'k' }, level: 'info', state: 'done' },
      { seq: 2, action: 'link', type: 'update', system: 'churchtools', ctId: '1', ogId: '2', label: 'x', changes: [{ field: '__proto__', oldValue: 'a', newValue: 'b' }], message: { key: 'k' }, level: 'info', state: 'done' },
    ];
    expect(decodeLogColumns(JSON.parse(encodeLogColumns(entries)))).toEqual(entries);
  });

  it('reads parts of schema 1 written by earlier versions next to parts of schema 2', async () => {
    const kv = new MemoryKv();
    const storage = createStorage(kv);
    const entries = await realEntries();
    const categoryId = await storage.categories.id('logs');
    const older = entries.slice(0, 3);
    await kv.createValue(categoryId, await schemaOnePart('e1', 0, older));
    const writer = storage.logs.writer('e1', 1);
    for (const entry of entries.slice(3)) await writer.add(entry);
    await writer.flush();
    const stored = (await kv.listValues(categoryId)).map((v) => (JSON.parse(v.value) as { schemaVersion: number }).schemaVersion);
    expect(stored).toEqual([1, 2]);
    const read = await storage.logs.read('e1');
    expect(read.problems).toEqual([]);
    expect(read.entries).toEqual(entries);
  });

  it('reports a part whose columns do not fit together instead of reading wrong entries', async () => {
    const kv = new MemoryKv();
    const storage = createStorage(kv);
    const categoryId = await storage.categories.id('logs');
    const columns = JSON.parse(encodeLogColumns(importEntries(3))) as { c: unknown[] };
    columns.c.pop();
    const z = await deflateToBase64(JSON.stringify(columns));
    await kv.createValue(categoryId, serialiseEnvelope({ kind: 'logs', id: 'log:e1:0', exec: 'e1', part: 0, n: 3, z }, 1, { updatedAt: '2026-12-01T00:00:00.000Z' }, 'a log part', 2));
    const read = await storage.logs.read('e1');
    expect(read.entries).toEqual([]);
    expect(read.problems).toEqual([expect.objectContaining({ reason: expect.stringContaining('log column c') })]);
  });

  it('a 10,000-person import log takes at most a third of the parts the array of entries took', async () => {
    const entries = importEntries(10_000);
    const before = await charsPerEntry(entries, (items) => JSON.stringify(items));
    const after = await charsPerEntry(entries, encodeLogColumns);
    console.log(`10,000 import entries: ${before.parts} parts (${before.perEntry.toFixed(1)} chars/entry) before, ${after.parts} (${after.perEntry.toFixed(1)}) in columns`);
    expect(after.parts * 3).toBeLessThanOrEqual(before.parts);
  });

  it('a 30,000-link log takes at most a third of the parts the array of entries took', async () => {
    const entries: LogEntry[] = importEntries(30_000).map((entry) => ({ ...entry, action: 'link', type: 'link', system: 'both', changes: [], message: { key: 'log.link.linked' } }));
    const before = await charsPerEntry(entries, (items) => JSON.stringify(items));
    const after = await charsPerEntry(entries, encodeLogColumns);
    console.log(`30,000 link entries: ${before.parts} parts (${before.perEntry.toFixed(1)} chars/entry) before, ${after.parts} (${after.perEntry.toFixed(1)}) in columns`);
    expect(after.parts * 3).toBeLessThanOrEqual(before.parts);
  });

  it('writes a 10,000-person import log in as many parts as packing needs, and reads it back', async () => {
    const kv = new MemoryKv();
    const storage = createStorage(kv);
    await storage.categories.id('logs');
    const entries = importEntries(10_000);
    const writer = storage.logs.writer('e1');
    for (const entry of entries) await writer.add(entry);
    await writer.flush();
    const packed = await charsPerEntry(entries, encodeLogColumns);
    const written = kv.calls.filter((c) => c.op === 'createValue').length;
    expect(written).toBeLessThanOrEqual(packed.parts + 1);
    expect((await storage.logs.read('e1')).entries).toEqual(entries);
  });
});
