import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MemoryKv } from '../../src/churchtools/kv/memory-kv.ts';
import { createStorage } from '../../src/churchtools/kv/storage.ts';
import { cliReportJsonSchema } from '../../src/cli/report.ts';
import {
  exportDocument,
  importDocument,
  jobDocumentJsonSchema,
  validateDocument,
  validateDocumentText,
  type JobDocumentInput,
} from '../../src/runner/job-document.ts';
import { DEFAULT_TRANSACTION_PROPERTY_PAIRS } from '../../src/sync/transaction-fields.ts';
import { PROPERTY_PAIRS } from '../sync/fixtures.ts';

const ROOT = new URL('../../', import.meta.url);
// The engine's readonly model types, as the document's (mutable) input type.
const PAIRS = PROPERTY_PAIRS as JobDocumentInput['connection']['propertyPairs'];

function documentOf(more: Partial<JobDocumentInput> = {}): JobDocumentInput {
  return {
    format: 'optigem-sync/jobs',
    version: 1,
    connection: { id: 'conn-1', name: 'Optigem', bridgeUrl: 'https://bridge.example:8478', token: { stored: true }, propertyPairs: PAIRS },
    jobs: [
      {
        id: 'job-1',
        name: 'Personen',
        domain: 'person',
        actions: { link: { mode: 'newerWins' }, import: { defaults: { statusId: '9' } }, updateProperties: { conflictProtection: true } },
        conditions: { churchtools: [], optigem: [{ field: 'Kategorien', values: ['150'] }] },
        propertyPairKeys: ['fn', 'ln', 'em'],
        autoRun: true,
      },
    ],
    ...more,
  };
}

function memoryStorage() {
  const kv = new MemoryKv();
  return { kv, storage: createStorage(kv, { now: () => new Date('2026-03-01T12:00:00Z') }) };
}

function paths(result: ReturnType<typeof validateDocument>): string[] {
  return result.ok ? [] : result.problems.map((p) => p.path);
}

describe('job document validation', () => {
  it('accepts a complete document and fills the defaults', () => {
    const result = validateDocument({ ...documentOf(), jobs: [{ name: 'Nur verknüpfen', domain: 'person', actions: { link: { mode: 'fillEmpty' } }, propertyPairKeys: ['fn'] }] });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.document.jobs[0]).toMatchObject({ autoRun: false, conditions: { churchtools: [], optigem: [] } });
  });

  it('reports every problem with its JSON path: structure, misspelt keys, engine rules, unknown property pairs', () => {
    const result = validateDocument({
      format: 'optigem-sync/jobs',
      version: 1,
      connection: {
        name: 'Optigem',
        bridgeUrl: 'not a url',
        token: 'geheim',
        propertyPairs: [...PROPERTY_PAIRS, { key: 'fn', domain: 'person', churchtools: 'nickname', optigem: 'Vorname' }],
      },
      jobs: [
        {
          name: 'Personen',
          domain: 'person',
          actions: { updateProperties: {}, importProperties: { conflictProtection: false }, archiveInOptigem: {} },
          conditions: { churchtools: [{ field: 'statusId', values: [] }] },
          propertyPairKeys: ['fn', 'xx'],
          autorun: true,
        },
        { name: 'Buchungen', domain: 'transaction', actions: { archiveInChurchTools: {} }, propertyPairKeys: [] },
        { name: 'personen', domain: 'person', actions: { link: { mode: 'sometimes' } }, propertyPairKeys: ['fn'] },
      ],
    });
    expect(result.ok).toBe(false);
    expect(paths(result)).toEqual(
      expect.arrayContaining([
        '$.connection.bridgeUrl',
        '$.connection.token',
        '$.connection.propertyPairs[6].key',
        '$.jobs[0].autorun',
        '$.jobs[0].actions.importProperties',
        '$.jobs[0].conditions.churchtools[0].values',
        '$.jobs[0].propertyPairKeys[1]',
        '$.jobs[1].actions.archiveInChurchTools',
        '$.jobs[2].actions.link.mode',
        '$.jobs[2].name',
      ]),
    );
    if (result.ok) return;
    const byPath = new Map(result.problems.map((p) => [p.path, p]));
    expect(byPath.get('$.jobs[0].actions.importProperties')).toMatchObject({ key: 'validation.exclusiveActions', message: expect.stringMatching(/exclude each other/) });
    expect(byPath.get('$.jobs[0].propertyPairKeys[1]')).toMatchObject({ key: 'validation.unknownPropertyPair', args: { key: 'xx' } });
    expect(byPath.get('$.jobs[0].autorun')?.message).toBe('unknown property "autorun"');
    expect(byPath.get('$.connection.propertyPairs[6].key')?.message).toMatch(/duplicate key "fn"/);
    // the transaction job's 'fn' pair belongs to persons
    expect(byPath.get('$.jobs[1].propertyPairKeys[0]')).toBeUndefined();
  });

  it('names a file that is not a job document, or of a newer version, at $.format / $.version', () => {
    expect(paths(validateDocument({ ...documentOf(), format: 'optigem-bridge/config' }))).toContain('$.format');
    const newer = validateDocument({ ...documentOf(), version: 2 });
    expect(newer.ok ? null : newer.problems[0]).toMatchObject({ path: '$.version', message: expect.stringMatching(/newer optigem-sync/) });
    expect(validateDocumentText('{ "format": ')).toMatchObject({ ok: false, problems: [{ path: '$', message: expect.stringMatching(/not valid JSON/) }] });
  });

  it('refuses a connection too large for one ChurchTools value', () => {
    const entries = Array.from({ length: 400 }, (_, i) => ({ churchtools: `status-${i}`, optigem: `category-${i}` }));
    const big = documentOf();
    const result = validateDocument({
      ...big,
      connection: { ...big.connection, propertyPairs: [{ key: 'st', domain: 'person', churchtools: 'statusId', optigem: 'Kategorien', mapping: { entries, fallback: { kind: 'skip' } } }] },
      jobs: [],
    });
    expect(result.ok ? null : result.problems).toEqual([{ path: '$.connection', message: expect.stringMatching(/at most 10000/) }]);
  });
});

describe('import and export', () => {
  it('imports connection and jobs, and importing again changes nothing', async () => {
    const { kv, storage } = memoryStorage();
    const first = await importDocument(storage, documentOf());
    expect(first).toMatchObject({ ok: true, connection: { id: 'conn-1', change: 'created' }, jobs: [{ id: 'job-1', change: 'created' }], token: 'missing' });
    expect((await storage.jobs.get('job-1'))?.data).toMatchObject({ connectionId: 'conn-1', autoRun: true });
    const writes = kv.calls.filter((c) => c.op === 'createValue' || c.op === 'updateValue').length;
    const again = await importDocument(storage, documentOf());
    expect(again).toMatchObject({ ok: true, connection: { change: 'unchanged' }, jobs: [{ change: 'unchanged' }] });
    expect(kv.calls.filter((c) => c.op === 'createValue' || c.op === 'updateValue').length).toBe(writes);
  });

  it('writes nothing at all for an invalid document', async () => {
    const { kv, storage } = memoryStorage();
    const result = await importDocument(storage, { ...documentOf(), jobs: [{ ...documentOf().jobs[0], propertyPairKeys: ['nope'] }] });
    expect(result).toMatchObject({ ok: false, problems: [{ path: '$.jobs[0].propertyPairKeys[0]' }] });
    expect(kv.calls).toEqual([]);
  });

  it('refuses, before writing, to drop property pairs that stored jobs outside the document still use', async () => {
    const { kv, storage } = memoryStorage();
    await importDocument(storage, documentOf({ jobs: [...documentOf().jobs, { id: 'job-2', name: 'Orte', domain: 'person', actions: { exportProperties: { conflictProtection: true } }, propertyPairKeys: ['ci'] }] }));
    kv.resetCalls();
    const slim = documentOf();
    const result = await importDocument(storage, { ...slim, connection: { ...slim.connection, propertyPairs: PAIRS.filter((p) => p.key !== 'ci') } });
    expect(result).toMatchObject({ ok: false, problems: [{ path: '$.connection.propertyPairs', message: expect.stringMatching(/"Orte".*"ci"/) }] });
    expect(kv.calls.filter((c) => c.op !== 'listCategories' && c.op !== 'listValues')).toEqual([]);
  });

  it('matches jobs and connections without ids by name', async () => {
    const { storage } = memoryStorage();
    await importDocument(storage, documentOf());
    const base = documentOf();
    const { id: _c, ...connection } = base.connection;
    const { id: _j, ...job } = base.jobs[0]!;
    const result = await importDocument(storage, { ...base, connection, jobs: [{ ...job, autoRun: false }] });
    expect(result).toMatchObject({ ok: true, connection: { id: 'conn-1', change: 'unchanged' }, jobs: [{ id: 'job-1', change: 'updated' }] });
    expect((await storage.jobs.list()).items).toHaveLength(1);
  });

  it('stores an inline token only when asked to', async () => {
    const { storage } = memoryStorage();
    const base = documentOf();
    const inline = { ...base, connection: { ...base.connection, token: { value: 'rw-token' } } };
    expect(await importDocument(storage, inline)).toMatchObject({ ok: true, token: 'ignoredInline' });
    expect(await storage.secrets.token('conn-1')).toBeNull();
    expect(await importDocument(storage, inline, { writeToken: true })).toMatchObject({ ok: true, token: 'written' });
    expect(await storage.secrets.token('conn-1')).toBe('rw-token');
    const env = { ...base, connection: { ...base.connection, token: { env: 'OPTIGEM_BRIDGE_TOKEN' } } };
    expect(await importDocument(storage, env, { writeToken: true })).toMatchObject({ ok: true, token: 'keptStored' });
  });

  it('exports by reference unless the token is asked for, and the export imports unchanged elsewhere', async () => {
    const { storage } = memoryStorage();
    await importDocument(storage, documentOf());
    await storage.secrets.setToken('conn-1', 'rw-token');
    const { document } = await exportDocument(storage);
    expect(document.connection.token).toEqual({ stored: true });
    expect(JSON.stringify(document)).not.toContain('rw-token');
    expect((await exportDocument(storage, { token: { kind: 'env', name: 'BRIDGE' } })).document.connection.token).toEqual({ env: 'BRIDGE' });
    expect((await exportDocument(storage, { token: { kind: 'inline' } })).document.connection.token).toEqual({ value: 'rw-token' });
    expect(validateDocument(JSON.parse(JSON.stringify(document)))).toMatchObject({ ok: true });

    const other = memoryStorage().storage;
    await importDocument(other, document);
    expect((await exportDocument(other)).document).toEqual(document);
    expect((await exportDocument(storage, { jobName: 'personen' })).document.jobs.map((j) => j.id)).toEqual(['job-1']);
    await expect(exportDocument(storage, { jobName: 'Nope' })).rejects.toMatchObject({ code: 'jobNotFound' });
  });
});

describe('transaction jobs', () => {
  const BOOKING_PAIRS = [
    ...PAIRS,
    ...(DEFAULT_TRANSACTION_PROPERTY_PAIRS as JobDocumentInput['connection']['propertyPairs']),
    {
      key: 'tx',
      domain: 'transaction' as const,
      churchtools: 'costCenter',
      optigem: 'project',
      mapping: { entries: [{ churchtools: '10', optigem: '1' }, { churchtools: '11', optigem: '1' }], fallback: { kind: 'skip' as const }, manyToOne: true },
    },
  ];

  function bookingsDocument(job: Partial<JobDocumentInput['jobs'][number]> = {}): JobDocumentInput {
    const base = documentOf();
    return {
      ...base,
      connection: { ...base.connection, propertyPairs: BOOKING_PAIRS },
      jobs: [
        {
          id: 'job-t',
          name: 'Spenden 2026',
          domain: 'transaction',
          scope: { fiscalYear: '2026', clientId: '1' },
          actions: { link: { mode: 'fillEmpty' }, import: {}, deleteInChurchTools: {} },
          conditions: {
            churchtools: [
              { field: 'documentDate', values: [], range: { from: '2026-01-01', to: '2026-06-30' } },
              { field: 'documentDate', values: [], range: { from: null, to: '2026-12-31' } },
            ],
            optigem: [{ field: 'isDonation', values: ['true'] }],
          },
          propertyPairKeys: ['td', 'ta', 'tn', 'tt', 'tk', 'tg', 'tc', 'tp', 'tw'],
          autoRun: false,
          ...job,
        },
      ],
    };
  }

  it('round-trips scope, range conditions, the donor role and many-to-one mappings through storage', async () => {
    const { storage } = memoryStorage();
    expect(await importDocument(storage, bookingsDocument())).toMatchObject({ ok: true, jobs: [{ id: 'job-t', change: 'created' }] });
    const stored = (await storage.jobs.get('job-t'))?.data;
    expect(stored).toMatchObject({
      domain: 'transaction',
      scope: { fiscalYear: '2026', clientId: '1' },
      conditions: { churchtools: [{ field: 'documentDate', values: [], range: { from: '2026-01-01', to: '2026-06-30' } }, { range: { from: null, to: '2026-12-31' } }] },
    });
    const pairs = (await storage.connections.get('conn-1'))?.data.propertyPairs ?? [];
    expect(pairs.find((p) => p.key === 'tp')?.role).toBe('donor');
    expect(pairs.find((p) => p.key === 'tx')?.mapping?.manyToOne).toBe(true);

    const { document } = await exportDocument(storage);
    const parsed = validateDocument(bookingsDocument());
    expect(document.jobs[0]).toEqual(parsed.ok ? parsed.document.jobs[0] : null);
    expect(validateDocument(JSON.parse(JSON.stringify(document)))).toMatchObject({ ok: true });
    // Importing the export again is no change at all.
    expect(await importDocument(storage, document)).toMatchObject({ ok: true, connection: { change: 'unchanged' }, jobs: [{ change: 'unchanged' }] });
  });

  it('leaves out values of a range row and open ends', () => {
    const result = validateDocument(bookingsDocument({ conditions: { churchtools: [{ field: 'documentDate', range: { from: '2026-03-01' } }] } }));
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.document.jobs[0]?.conditions.churchtools).toEqual([{ field: 'documentDate', values: [], range: { from: '2026-03-01' } }]);
  });

  it('names what is wrong: missing fiscal year, a bad year or date, an empty or reversed range, an archive action', () => {
    const missing = validateDocument(bookingsDocument({ scope: undefined }));
    expect(missing.ok ? [] : missing.problems).toEqual([expect.objectContaining({ path: '$.jobs[0].scope.fiscalYear', key: 'validation.fiscalYearMissing' })]);

    const result = validateDocument(
      bookingsDocument({
        scope: { fiscalYear: '26' },
        conditions: { churchtools: [{ field: 'documentDate', range: { from: '1.1.2026' } }], optigem: [] },
      }),
    );
    expect(result.ok ? [] : result.problems.map((p) => [p.path, p.message])).toEqual([
      ['$.jobs[0].conditions.churchtools[0].range.from', 'a date like 2026-06-30'],
      ['$.jobs[0].scope.fiscalYear', 'a year like "2026"'],
    ]);

    const ranges = validateDocument(
      bookingsDocument({
        actions: { link: { mode: 'newerWins' }, archiveInOptigem: {} },
        conditions: {
          churchtools: [{ field: 'documentDate', range: {} }],
          optigem: [{ field: 'documentDate', range: { from: '2026-07-01', to: '2026-01-01' } }],
        },
      }),
    );
    expect(ranges.ok ? [] : ranges.problems.map((p) => [p.path, p.key])).toEqual([
      ['$.jobs[0].actions.archiveInOptigem', 'validation.actionNotForTransactions'],
      ['$.jobs[0].conditions.churchtools[0].range', 'validation.conditionRangeEmpty'],
      ['$.jobs[0].conditions.optigem[0].range', 'validation.conditionRangeOrder'],
    ]);
  });

  it('refuses a donor role on anything but "donor"', () => {
    const base = bookingsDocument();
    const result = validateDocument({
      ...base,
      connection: { ...base.connection, propertyPairs: [...PAIRS, { key: 'tq', domain: 'transaction', churchtools: 'donor', optigem: 'donor', role: 'spouse' }] },
      jobs: [],
    });
    expect(paths(result)).toEqual(['$.connection.propertyPairs[6].role']);
  });
});

describe('JSON Schemas', () => {
  it('the committed schemas are the generated ones (node scripts/job-schema.mjs)', () => {
    const committed = (file: string) => JSON.parse(readFileSync(new URL(file, ROOT), 'utf8')) as unknown;
    expect(committed('docs/job-format.schema.json')).toEqual(jobDocumentJsonSchema());
    expect(committed('docs/cli-report.schema.json')).toEqual(cliReportJsonSchema());
  });

  it('the complete example in docs/job-format.md is valid, by the zod schema and by the JSON Schema', () => {
    const markdown = readFileSync(new URL('docs/job-format.md', ROOT), 'utf8');
    const example = /```json\n([\s\S]*?)\n```/.exec(markdown)?.[1];
    expect(example).toBeDefined();
    const json = JSON.parse(example ?? '') as unknown;
    expect(validateDocument(json)).toMatchObject({ ok: true });
    const fromFile = z.fromJSONSchema(JSON.parse(readFileSync(new URL('docs/job-format.schema.json', ROOT), 'utf8')) as z.core.JSONSchema.JSONSchema);
    expect(fromFile.safeParse(json).success).toBe(true);
    expect(fromFile.safeParse({ ...(json as object), surprise: 1 }).success).toBe(false);
  });
});
