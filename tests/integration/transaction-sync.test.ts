/**
 * The transaction sync end to end, as an admin runs it from the command line: a job document
 * with person and booking pairs is imported, the people are synced first (donors map through
 * person pairs), then the bookings of fiscal year 2026 — against the ChurchTools stand-in and a
 * bridge on its demo database, both over real HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoFinance } from '../../src/bridge/demo/parish.ts';
import { cliRunReportSchema, type CliRunReport } from '../../src/cli/report.ts';
import { BridgeClient } from '../../src/optigem/index.ts';
import type { JobDocumentInput } from '../../src/runner/job-document.ts';
import { DEFAULT_TRANSACTION_PROPERTY_PAIRS } from '../../src/sync/transaction-fields.ts';
import { cliWorld, demoDocument, type CliWorld } from '../cli/helpers.ts';

let w: CliWorld;
let bridge: BridgeClient;

const bookingsJob = (id: string, fiscalYear: string) => ({
  id,
  name: `Buchungen ${fiscalYear}`,
  domain: 'transaction' as const,
  actions: {
    link: { mode: 'newerWins' as const },
    import: { defaults: {} },
    export: { defaults: {} },
    updateProperties: { conflictProtection: true },
    deleteInChurchTools: {},
    deleteInOptigem: {},
  },
  conditions: { churchtools: [], optigem: [] },
  propertyPairKeys: DEFAULT_TRANSACTION_PROPERTY_PAIRS.map((pair) => pair.key),
  autoRun: false,
  scope: { fiscalYear },
});

function document(): JobDocumentInput {
  const base = demoDocument(w.bridge.url);
  return {
    ...base,
    connection: { ...base.connection, propertyPairs: [...base.connection.propertyPairs, ...DEFAULT_TRANSACTION_PROPERTY_PAIRS.map(({ mapping: _unmapped, ...pair }) => pair)] },
    jobs: [
      { ...base.jobs[0]!, actions: { link: { mode: 'newerWins' }, import: { defaults: {} }, export: { defaults: {} } } },
      bookingsJob('buchungen', '2026'),
      bookingsJob('buchungen-2030', '2030'),
    ],
  };
}

async function cliReport(args: string[], expectedCode = 0): Promise<CliRunReport> {
  const result = await w.cli([...args, '--json']);
  expect(result.code, result.stderr).toBe(expectedCode);
  return cliRunReportSchema.parse(JSON.parse(result.stdout));
}

const ctWrites = (since: number) => w.standIn.requests.slice(since).filter((r) => r.method !== 'GET' && r.path.startsWith('/finance'));
const transactions = () => [...w.standIn.state.finance.transactions.values()];

beforeAll(async () => {
  w = await cliWorld();
  bridge = new BridgeClient({ baseUrl: w.bridge.url, token: w.bridge.rw });
  const imported = await w.cli(['import', w.file('jobs.json', document()), '--store-token'], { OPTIGEM_BRIDGE_TOKEN: w.bridge.rw });
  expect(imported.code, imported.stderr).toBe(0);
  const people = await w.cli(['run', 'personen']);
  expect(people.code, people.stderr).toBe(0);
}, 120_000);

afterAll(async () => {
  await w?.close();
});

describe('transaction sync of the demo parish, fiscal year 2026', () => {
  it('refuses a fiscal year without a ChurchTools accounting period in pre-flight, and writes nothing', async () => {
    const before = w.standIn.requests.length;
    const outcome = await cliReport(['run', 'buchungen-2030'], 3);
    expect(outcome.execution?.status).toBe('refused');
    expect(outcome.execution?.refusal?.key).toBe('preflight.ct.noPeriod');
    expect(ctWrites(before)).toEqual([]);
  });

  it('simulates without writing, lists Donor 0, and the run does what the simulation said', async () => {
    const before = w.standIn.requests.length;
    const bookingsBefore = (await bridge.listBookings(2026, { limit: 500 })).total;
    const simulation = await cliReport(['simulate', 'buchungen']);
    expect(simulation.execution).toMatchObject({ dryRun: true, status: 'succeeded' });
    expect(ctWrites(before)).toEqual([]);
    expect((await bridge.listBookings(2026, { limit: 500 })).total).toBe(bookingsBefore);
    const counters = simulation.execution!.counters;
    expect(counters.both.link).toBeGreaterThan(50);
    expect(counters.churchtools.create).toBeGreaterThan(0);
    expect(counters.optigem.create).toBeGreaterThan(0);
    expect(simulation.entries.find((entry) => entry.message.key === 'log.preflight.donor0')?.message.args).toMatchObject({ count: 4 });

    const run = await cliReport(['run', 'buchungen']);
    expect(run.execution).toMatchObject({ status: 'succeeded', errorCount: 0 });
    expect(run.execution?.counters).toEqual(counters);
    const created = transactions().filter((t) => t.isSynced);
    expect(created).toHaveLength(counters.churchtools.create);
  });

  it('a second run changes nothing', async () => {
    const before = w.standIn.requests.length;
    const again = await cliReport(['run', 'buchungen']);
    expect(again.execution?.status).toBe('succeeded');
    expect(again.entries.filter((entry) => entry.type !== 'skip' && entry.type !== 'duplicate')).toEqual([]);
    expect(ctWrites(before)).toEqual([]);
  });

  it('imports a couple donation from the Optigem couple record onto donator and spouse', async () => {
    const { couple } = demoFinance();
    const [record] = await bridge.couples().then((items) => items.filter((c) => c.firstNames.length === 2));
    const donation = transactions().find((t) => t.donatorId === couple.husbandId && t.donatorSpouseId === couple.wifeId);
    expect(record && donation).toBeTruthy();
    const paired = (await (await w.churchTools()).storage.pairs.load('optigem', 'transaction')).find((pair) => pair.ct === String(donation!.id));
    const template = await bridge.getBooking(2026, paired!.og);
    expect(template.donorNr).toBeGreaterThan(0);
    await bridge.createBooking(2026, {
      date: '2026-10-11',
      debit: template.debit,
      credit: template.credit,
      amountCents: 7_700,
      text: 'Spende Erntedank',
      documentNumber: 'OG-COUPLE-1',
    });
    const run = await cliReport(['run', 'buchungen']);
    expect(run.execution?.counters.churchtools.create).toBe(1);
    const imported = transactions().find((t) => t.documentNumber === 'OG-COUPLE-1');
    expect(imported).toMatchObject({ donatorId: couple.husbandId, donatorSpouseId: couple.wifeId, amount: 7_700, isSynced: true });
  });

  it('books a storno for an immutable ChurchTools transaction whose Optigem booking was deleted, and leaves it alone afterwards', async () => {
    const pairs = await (await w.churchTools()).storage.pairs.load('optigem', 'transaction');
    const locked = transactions().find((t) => t.isImmutable && pairs.some((pair) => pair.ct === String(t.id)));
    const pair = pairs.find((p) => p.ct === String(locked!.id))!;
    const booking = await bridge.getBooking(2026, pair.og);
    await bridge.deleteBooking(2026, pair.og, booking.etag);
    const count = transactions().length;

    const simulation = await cliReport(['simulate', 'buchungen']);
    expect(simulation.entries.find((entry) => entry.action === 'deleteInChurchTools')?.message.key).toBe('log.remove.willReverseImmutable');
    expect(transactions()).toHaveLength(count);

    const run = await cliReport(['run', 'buchungen']);
    expect(run.entries.find((entry) => entry.action === 'deleteInChurchTools')?.message.key).toBe('log.remove.reversedImmutable');
    expect(w.standIn.state.finance.transactions.get(locked!.id)).toBeDefined();
    expect(transactions()).toHaveLength(count + 1);

    const again = await cliReport(['run', 'buchungen']);
    expect(again.entries.filter((entry) => entry.type !== 'skip' && entry.type !== 'duplicate')).toEqual([]);
    expect(transactions()).toHaveLength(count + 1);
  });
});
