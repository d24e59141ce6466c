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

/**
 * A booking run of the demo parish. Every donor is linked by the person job first (the demo's
 * donors differ in nothing that would stop a match), so the run has no donor conflicts; a
 * difference in a booking's donor would be a conflict the admin decides, never a silent
 * reassignment, since ChurchTools promises no modification date for a booking.
 */
async function bookingRun(args: string[]): Promise<CliRunReport> {
  const report = await cliReport(args, 0);
  expect(report.outcome).toBe('succeeded');
  expect(report.execution?.errorCount).toBe(0);
  expect(report.entries.filter((entry) => entry.type === 'conflict')).toEqual([]);
  return report;
}

/** Entries other than notes: writes, links, deletes. */
const writesIn = (report: CliRunReport) => report.entries.filter((entry) => entry.type !== 'skip' && entry.type !== 'duplicate' && entry.type !== 'conflict');

/** The stand-in's account id of an account number in the demo period. */
const accountId = (number: string) => [...w.standIn.state.finance.accounts.values()].find((a) => a.accountingPeriodId === 1 && a.number === number)!.id;

const ctWrites = (since: number) => w.standIn.requests.slice(since).filter((r) => r.method !== 'GET' && r.path.startsWith('/finance'));
const transactions = () => [...w.standIn.state.finance.transactions.values()];

beforeAll(async () => {
  w = await cliWorld();
  bridge = new BridgeClient({ baseUrl: w.bridge.url, token: w.bridge.rw });
  const imported = await w.cli(['import', w.file('jobs.json', document()), '--store-token'], { OPTIGEM_BRIDGE_TOKEN: w.bridge.rw });
  expect(imported.code, imported.stderr).toBe(0);
  const people = await w.cli(['run', 'personen', '--json']);
  // The people are synced first; namesakes in the demo wait for an admin's decision
  // (possible duplicates, exit 1) and write nothing, which the booking job does not need.
  const report = JSON.parse(people.stdout) as { outcome: string; execution: { errorCount: number } | null };
  expect(report.outcome, people.stderr).toBe('possibleDuplicates');
  expect(report.execution?.errorCount).toBe(0);
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
    const simulation = await bookingRun(['simulate', 'buchungen']);
    expect(simulation.execution).toMatchObject({ dryRun: true, status: 'succeeded' });
    expect(ctWrites(before)).toEqual([]);
    expect((await bridge.listBookings(2026, { limit: 500 })).total).toBe(bookingsBefore);
    const counters = simulation.execution!.counters;
    expect(counters.both.link).toBeGreaterThan(50);
    expect(counters.churchtools.create).toBeGreaterThan(0);
    expect(counters.optigem.create).toBeGreaterThan(0);
    expect(simulation.entries.find((entry) => entry.message.key === 'log.preflight.donor0')?.message.args).toMatchObject({ count: 4 });

    const run = await bookingRun(['run', 'buchungen']);
    expect(run.execution).toMatchObject({ status: 'succeeded', errorCount: 0, conflictCount: simulation.execution!.conflictCount });
    expect(run.execution?.counters).toEqual(counters);
    const created = transactions().filter((t) => t.isSynced);
    expect(created).toHaveLength(counters.churchtools.create);
  });

  it('books an imported Optigem donation as ChurchTools does: Konto (accountId) = bank, Gegenkonto (contraAccountId) = donation account', async () => {
    const imported = transactions().filter((t) => t.isSynced && t.donatorId !== null && t.documentNumber.startsWith('OG-'));
    const donations = imported.filter((t) => !t.isWaiverOfReimbursementOfExpenses);
    expect(donations.length).toBeGreaterThan(0);
    const bank = accountId('1200');
    const donationAccounts = new Set(['8000', '8100', '8200'].map(accountId));
    for (const t of donations) {
      expect(t.accountId).toBe(bank);
      expect(donationAccounts.has(t.contraAccountId)).toBe(true);
    }
    // A waiver moves no money: Soll is the expense waived (Konto), Haben the donation account.
    const waiver = imported.find((t) => t.isWaiverOfReimbursementOfExpenses);
    expect(waiver).toMatchObject({ accountId: accountId('4900'), contraAccountId: accountId('8000') });
  });

  it('links a donation entered the ChurchTools way to its Optigem twin instead of importing it again', async () => {
    const ct = await w.churchTools();
    const donor = transactions().find((t) => t.donatorId !== null && t.donatorSpouseId === null && !t.isSynced)!;
    const donorPair = (await ct.storage.pairs.load('optigem', 'person')).find((pair) => pair.ct === String(donor.donatorId));
    const costCenter = [...w.standIn.state.finance.costCenters.values()].find((c) => c.number === '100')!;
    // Entered in ChurchTools Finance: the money arrives on the bank (Konto), booked to donations (Gegenkonto).
    const [entered] = await ct.finance.createTransaction({
      documentDate: '2026-10-20',
      documentNumber: 'CT-WAY-1',
      accountId: accountId('1200'),
      contraAccountId: accountId('8000'),
      amount: 4_200,
      note: 'Spende Gemeindefest',
      costCenterId: costCenter.id,
      donatorId: donor.donatorId!,
    });
    // The same donation in Optigem: Soll bank, Haben donation account with the donor as Unterkonto.
    const { booking: twin } = await bridge.createBooking(2026, {
      date: '2026-10-20',
      debit: { account: 1200, subAccount: 0, project: 0 },
      credit: { account: 8000, subAccount: Number(donorPair!.og), project: 100 },
      amountCents: 4_200,
      text: 'Spende Gemeindefest',
      documentNumber: 'CT-WAY-1',
    });
    const count = transactions().length;
    const bookings = (await bridge.listBookings(2026, { limit: 1 })).total;

    const run = await bookingRun(['run', 'buchungen']);
    expect(run.execution).toMatchObject({ status: 'succeeded', errorCount: 0 });
    expect(run.execution?.counters.both.link).toBe(1);
    expect(run.execution?.counters.churchtools.create).toBe(0);
    expect(run.execution?.counters.optigem.create).toBe(0);
    const pairs = await ct.storage.pairs.load('optigem', 'transaction');
    expect(pairs.find((pair) => pair.ct === String(entered!.id))?.og).toBe(twin.id);
    expect(transactions()).toHaveLength(count);
    expect((await bridge.listBookings(2026, { limit: 1 })).total).toBe(bookings);
  });

  it('a second run changes nothing', async () => {
    const before = w.standIn.requests.length;
    const again = await bookingRun(['run', 'buchungen']);
    expect(again.execution?.status).toBe('succeeded');
    expect(writesIn(again)).toEqual([]);
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
    const run = await bookingRun(['run', 'buchungen']);
    expect(run.execution?.counters.churchtools.create).toBe(1);
    const imported = transactions().find((t) => t.documentNumber === 'OG-COUPLE-1');
    expect(imported).toMatchObject({ donatorId: couple.husbandId, donatorSpouseId: couple.wifeId, amount: 7_700, isSynced: true });
  });

  it('simulates and runs "1 delete + 1 storno" for two ChurchTools bookings whose Optigem bookings were deleted, one of them immutable', async () => {
    const pairs = await (await w.churchTools()).storage.pairs.load('optigem', 'transaction');
    const locked = transactions().find((t) => t.isImmutable && pairs.some((pair) => pair.ct === String(t.id)));
    const plain = transactions().find((t) => !t.isImmutable && pairs.some((pair) => pair.ct === String(t.id) && pair.status === 'synced'));
    for (const ct of [locked!, plain!]) {
      const pair = pairs.find((p) => p.ct === String(ct.id))!;
      const booking = await bridge.getBooking(2026, pair.og);
      await bridge.deleteBooking(2026, pair.og, booking.etag);
    }
    const count = transactions().length;

    const simulation = await bookingRun(['simulate', 'buchungen']);
    const removals = simulation.entries.filter((entry) => entry.action === 'deleteInChurchTools');
    expect(removals.map((entry) => entry.type).sort()).toEqual(['delete', 'storno']);
    expect(removals.find((entry) => entry.type === 'storno')?.message.key).toBe('log.remove.willStorno');
    expect(simulation.execution?.counters.churchtools).toMatchObject({ delete: 1, storno: 1 });
    expect(transactions()).toHaveLength(count);

    const run = await bookingRun(['run', 'buchungen']);
    expect(run.execution?.counters.churchtools).toMatchObject({ delete: 1, storno: 1 });
    expect(run.execution?.counters).toEqual(simulation.execution?.counters);
    expect(run.entries.find((entry) => entry.type === 'storno')?.message.key).toBe('log.remove.reversedImmutable');
    expect(w.standIn.state.finance.transactions.get(locked!.id)).toBeDefined();
    expect(w.standIn.state.finance.transactions.get(plain!.id)).toBeUndefined();
    // One deleted, one reversal booked.
    expect(transactions()).toHaveLength(count);

    const again = await bookingRun(['run', 'buchungen']);
    expect(again.entries.filter((entry) => entry.type !== 'skip' && entry.type !== 'duplicate')).toEqual([]);
    expect(transactions()).toHaveLength(count);
  });
});

describe('a connection stored with the old, reversed booking sides', () => {
  /** The connection as stored before issue #11: Soll ↔ contraAccountId (`ts`), Haben ↔ accountId (`th`). */
  function oldDocument(): JobDocumentInput {
    const now = document();
    const old = (key: string) =>
      key === 'tk' ? { key: 'ts', churchtools: 'contraAccount' } : key === 'tg' ? { key: 'th', churchtools: 'account' } : null;
    return {
      ...now,
      connection: { ...now.connection, propertyPairs: now.connection.propertyPairs.map((pair) => ({ ...pair, ...old(pair.key) })) },
      jobs: now.jobs.map((job) => ({ ...job, propertyPairKeys: job.propertyPairKeys.map((key) => old(key)?.key ?? key) })),
    };
  }

  it('is refused with the command that switches it, and runs again once switched', async () => {
    const imported = await w.cli(['import', w.file('old-sides.json', oldDocument())]);
    expect(imported.code, imported.stderr).toBe(0);
    const before = w.standIn.requests.length;
    const refused = await w.cli(['run', 'buchungen']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/pairs Optigem's Soll with ChurchTools' Gegenkonto \(contraAccountId\)/);
    expect(refused.stderr).toContain('optigem-sync connection fix-booking-sides "Optigem');
    expect(ctWrites(before)).toEqual([]);
    // Person jobs of the connection are not affected (the demo's namesakes still wait for a decision).
    const people = JSON.parse((await w.cli(['run', 'personen', '--json'])).stdout) as { outcome: string };
    expect(people.outcome).toBe('possibleDuplicates');

    const fixed = await w.cli(['connection', 'fix-booking-sides', 'Optigem Gemeinde']);
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(fixed.stdout).toContain('property pairs ts → tk, th → tg');
    expect(fixed.stdout).toContain('"Buchungen 2026"');
    const stored = await (await w.churchTools()).storage.jobs.get('buchungen');
    expect(stored?.data.propertyPairKeys).toEqual(DEFAULT_TRANSACTION_PROPERTY_PAIRS.map((pair) => pair.key));

    const again = await bookingRun(['run', 'buchungen']);
    expect(again.execution?.status).toBe('succeeded');
    expect(writesIn(again)).toEqual([]);
    const unknown = await w.cli(['connection', 'fix-booking-sides', 'Keine solche Verbindung']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown connection "Keine solche Verbindung"');
  });
});
