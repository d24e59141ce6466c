/**
 * The Optigem booking port (domain `transaction`) over real HTTP against the bridge on its demo
 * database: how bookings become records, and how records become ledger sides again.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoFinance } from '../../src/bridge/demo/parish.ts';
import { optigemDemoData } from '../../src/bridge/demo/optigem-demo.ts';
import { BridgeClient } from '../../src/optigem/client.ts';
import { formatEuro } from '../../src/optigem/booking-port.ts';
import { OptigemSystemPort } from '../../src/optigem/system-port.ts';
import type { SyncRecord } from '../../src/sync/model.ts';
import { PortError } from '../../src/sync/ports.ts';
import { startTestBridge } from './helpers.ts';
import type { TestBridge } from './helpers.ts';

const demo = optigemDemoData();
const SCOPE = { scope: { fiscalYear: '2026' } };
const finance = demoFinance();
const coupleNr = demo.persons.find((p) => p.ctIds.includes(finance.couple.husbandId))?.nr ?? -1;
/** A ChurchTools donor that is one Optigem person (not a couple record). */
const donorNr = String(demo.persons.find((p) => p.variant === 'exact' && p.ctIds.length === 1)?.nr);

let t: TestBridge;
let client: BridgeClient;
beforeAll(async () => {
  t = await startTestBridge();
  client = new BridgeClient({ baseUrl: t.url, token: t.rw });
});
afterAll(async () => {
  await t.close();
});

/** A port that has read the year, as the engine leaves it before writing. */
async function readPort(scope = SCOPE): Promise<{ port: OptigemSystemPort; records: readonly SyncRecord[] }> {
  const port = new OptigemSystemPort(client, { pageSize: 40 });
  const read = await port.readAll('transaction', scope);
  expect(read.complete).toBe(true);
  return { port, records: read.records };
}

const byDocument = (records: readonly SyncRecord[], documentNumber: string): SyncRecord => {
  const record = records.find((r) => r.properties['documentNumber'] === documentNumber);
  if (!record) throw new Error(`no booking ${documentNumber}`);
  return record;
};

async function total(year = 2026): Promise<number> {
  return (await client.listBookings(year, { limit: 1 })).total;
}

async function rejection(promise: Promise<unknown>): Promise<PortError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof PortError)) throw new Error(`expected a PortError, got ${String(error)}`);
  return error;
}

const donation = (overrides: Record<string, unknown> = {}) => ({
  date: '2026-08-03',
  amountCents: 7500,
  documentNumber: 'CT-900',
  text: 'Spende Mission',
  debitAccount: '1200',
  creditAccount: '8100',
  project: '300',
  donor: donorNr,
  waiver: false,
  ...overrides,
});

describe('reading bookings', () => {
  it('reads every page of the fiscal year as records with both sides, project, donor and the condition fields', async () => {
    const { records } = await readPort();
    expect(records).toHaveLength(demo.bookings.filter((b) => b.fiscalYear === 2026).length);

    const gift = byDocument(records, '2026-0002');
    const og = demo.bookings.find((b) => b.documentNumber === '2026-0002');
    expect(gift.properties).toEqual({
      date: og?.date,
      amountCents: og?.amountCents,
      documentNumber: '2026-0002',
      text: og?.text,
      debitAccount: '1200',
      creditAccount: '8000',
      project: String(og?.credit.project),
      donor: String(og?.credit.subAccount),
      waiver: false,
      accounts: ['1200', '8000'],
      isDonation: true,
      fiscalYear: '2026',
      donor0: false,
    });
    expect(gift.modifiedAt).toMatch(/^2026-/);
    expect(gift.label).toBe(`${og?.date} · ${formatEuro(og?.amountCents ?? 0)} · Beleg 2026-0002 · ${og?.text}`);

    // An expense: the project sits on the Soll side, there is no donor.
    expect(byDocument(records, '2026-0050').properties).toMatchObject({ debitAccount: '4200', creditAccount: '1200', project: '100', donor: null, isDonation: false, donor0: false });
    const donor0 = records.find((r) => r.properties['donor0'] === true);
    expect(donor0?.properties).toMatchObject({ donor: null, isDonation: true });
    const waiver = records.filter((r) => r.properties['waiver'] === true);
    expect(waiver.map((r) => r.properties['debitAccount'])).toEqual(['4900', '4900']);
    // The couple gives on its couple record.
    const together = finance.transactions.find((tx) => tx.donatorSpouseId === finance.couple.wifeId);
    expect(byDocument(records, together?.documentNumber ?? '').properties['donor']).toBe(String(coupleNr));
  });

  it('formats amounts the German way in labels', () => {
    expect(formatEuro(5000)).toBe('50,00 €');
    expect(formatEuro(123456789)).toBe('1.234.567,89 €');
    expect(formatEuro(-5)).toBe('-0,05 €');
  });

  it('reports a failed read as incomplete instead of throwing', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const down = new OptigemSystemPort(new BridgeClient({ baseUrl: `http://127.0.0.1:${port}`, token: t.rw }));
    const read = await down.readAll('transaction', SCOPE);
    expect(read).toMatchObject({ records: [], complete: false });
    expect(read.problems[0]?.what).toBe('first page of /v1/fiscal-years/2026/bookings');
  });

  it('needs the fiscal year of the job', async () => {
    const port = new OptigemSystemPort(client);
    expect((await rejection(port.readAll('transaction', { scope: {} }))).code).toBe('noFiscalYearScope');
    expect((await rejection(port.create('transaction', donation(), { idempotencyKey: 'x', partnerId: '1' }))).code).toBe('noFiscalYearScope');
  });
});

describe('creating bookings', () => {
  it('puts the donor on the donation side and the project on every non-cash side, idempotently', async () => {
    const { port } = await readPort();
    const before = await total();
    const context = { idempotencyKey: 'ct:transaction:9001', partnerId: '9001' };
    const created = await port.create('transaction', donation(), context);
    const booking = await client.getBooking(2026, created.id);
    expect(booking).toMatchObject({
      debit: { account: 1200, subAccount: 0, project: 0 },
      credit: { account: 8100, subAccount: Number(donorNr), project: 300 },
      donationDate: '2026-08-03',
      waiver: false,
    });
    expect(created.properties).toMatchObject(donation());
    const again = await port.create('transaction', donation(), context);
    expect(again.id).toBe(created.id);
    expect(await total()).toBe(before + 1);

    const expense = await port.create(
      'transaction',
      { date: '2026-08-04', amountCents: 1999, documentNumber: 'CT-901', text: 'Druckkosten', debitAccount: '4900', creditAccount: '1000', project: '200', donor: null },
      { idempotencyKey: 'ct:transaction:9002', partnerId: '9002' },
    );
    expect(await client.getBooking(2026, expense.id)).toMatchObject({ debit: { account: 4900, subAccount: 0, project: 200 }, credit: { account: 1000, subAccount: 0, project: 0 }, donationDate: null });
    expect(expense.properties).toMatchObject({ project: '200', donor: null, isDonation: false });

    // A waiver books an expense against a donation: neither side is cash, both carry the project.
    const waiver = await port.create(
      'transaction',
      donation({ documentNumber: 'CT-902', debitAccount: '4900', creditAccount: '8000', project: '200', waiver: true }),
      { idempotencyKey: 'ct:transaction:9003', partnerId: '9003' },
    );
    expect(await client.getBooking(2026, waiver.id)).toMatchObject({
      debit: { account: 4900, subAccount: 0, project: 200 },
      credit: { account: 8000, subAccount: Number(donorNr), project: 200 },
      waiver: true,
    });
  });

  it('refuses unknown numbers, a donation without donor and a donor without donation account, writing nothing', async () => {
    const { port } = await readPort();
    const before = await total();
    const context = { idempotencyKey: 'ct:transaction:9100', partnerId: '9100' };
    const account = await rejection(port.create('transaction', donation({ creditAccount: '8300' }), context));
    expect(account).toMatchObject({ code: 'unknownAccount', args: { number: 8300, side: 'Haben', fiscalYear: 2026 } });
    expect(account.message).toMatch(/Account 8300 .* fiscal year 2026/);
    const project = await rejection(port.create('transaction', donation({ project: '999' }), context));
    expect(project).toMatchObject({ code: 'unknownProject', args: { number: 999, fiscalYear: 2026 } });
    const noDonor = await rejection(port.create('transaction', donation({ donor: null }), context));
    expect(noDonor).toMatchObject({ code: 'donorMissing', args: { account: 8100 } });
    expect(noDonor.message).toMatch(/Spender 0/);
    expect((await rejection(port.create('transaction', donation({ creditAccount: '8500' }), context))).code).toBe('donorWithoutDonationAccount');
    expect((await rejection(port.create('transaction', donation({ isDonation: true }), context))).code).toBe('unknownProperty');
    expect((await rejection(port.create('transaction', donation({ amountCents: 'viel' }), context))).code).toBe('invalidValue');
    // The bridge's own checks (here: a donor Nr nobody has) come back as a PortError too.
    expect((await rejection(port.create('transaction', donation({ donor: '987654' }), context))).code).toBe('invalidValues');
    expect(await total()).toBe(before);
  });
});

describe('changing and deleting bookings', () => {
  it('writes only the changed values and rebuilds the sides a changed account or donor touches', async () => {
    const { port } = await readPort();
    const created = await port.create('transaction', donation({ documentNumber: 'CT-910' }), { idempotencyKey: 'ct:transaction:9200', partnerId: '9200' });
    const text = await port.update('transaction', created.id, { text: 'Spende Mission Afrika' }, { expectedModifiedAt: created.modifiedAt, partnerId: '9200' });
    expect(text.properties).toMatchObject({ text: 'Spende Mission Afrika', creditAccount: '8100', project: '300' });

    const moved = await port.update('transaction', created.id, { creditAccount: '8200', project: '400', donor: String(coupleNr) }, { expectedModifiedAt: text.modifiedAt, partnerId: '9200' });
    expect(await client.getBooking(2026, created.id)).toMatchObject({
      debit: { account: 1200, subAccount: 0, project: 0 },
      credit: { account: 8200, subAccount: coupleNr, project: 400 },
      text: 'Spende Mission Afrika',
    });
    expect(moved.properties).toMatchObject({ creditAccount: '8200', project: '400', donor: String(coupleNr) });

    const waived = await port.update('transaction', created.id, { waiver: true }, { expectedModifiedAt: moved.modifiedAt, partnerId: '9200' });
    expect(waived.properties['waiver']).toBe(true);
    const noChange = await port.update('transaction', created.id, { project: '400' }, { expectedModifiedAt: waived.modifiedAt, partnerId: '9200' });
    expect(noChange.properties).toEqual(waived.properties);
    // A donation's date (SpendeDat) follows the booking date.
    await port.update('transaction', created.id, { date: '2026-08-05' }, { expectedModifiedAt: noChange.modifiedAt, partnerId: '9200' });
    expect(await client.getBooking(2026, created.id)).toMatchObject({ date: '2026-08-05', donationDate: '2026-08-05' });
  });

  it('refuses to overwrite a booking changed in Optigem since it was read', async () => {
    const { port, records } = await readPort();
    const target = byDocument(records, '2026-0060');
    const fresh = await client.getBooking(2026, target.id);
    await client.patchBooking(2026, target.id, { text: 'geändert in Optigem' }, fresh.etag);
    const stale = await rejection(port.update('transaction', target.id, { text: 'aus ChurchTools' }, { expectedModifiedAt: target.modifiedAt, partnerId: '1' }));
    expect(stale.code).toBe('changedSinceRead');
    expect((await client.getBooking(2026, target.id)).text).toBe('geändert in Optigem');

    // A port that never read the booking compares the plan's modification time instead.
    const other = new OptigemSystemPort(client);
    await other.readReferences('transaction', SCOPE);
    const unread = await rejection(other.update('transaction', target.id, { text: 'aus ChurchTools' }, { expectedModifiedAt: '2020-01-01T00:00:00.000Z', partnerId: '1' }));
    expect(unread.code).toBe('changedSinceRead');
  });

  it('deletes a booking, and checks a deletion without changing anything', async () => {
    const { port } = await readPort();
    const created = await port.create('transaction', donation({ documentNumber: 'CT-920' }), { idempotencyKey: 'ct:transaction:9300', partnerId: '9300' });
    const audit = (await client.audit({ limit: 1000 })).length;
    const count = await total();

    expect(await port.checkRemove?.('transaction', created.id)).toEqual({ kind: 'removed' });
    expect(await port.checkRemove?.('transaction', '999999')).toMatchObject({ kind: 'refused', reason: { key: 'log.remove.refused', args: { detail: expect.stringMatching(/999999/) } } });
    const closed = await readPort({ scope: { fiscalYear: '2025' } });
    const old = closed.records[0];
    expect(await closed.port.checkRemove?.('transaction', old?.id ?? '')).toMatchObject({ kind: 'refused', reason: { args: { detail: expect.stringMatching(/2025 is closed/) } } });
    expect(await total()).toBe(count);
    expect((await client.audit({ limit: 1000 })).length).toBe(audit);

    expect(await port.remove('transaction', created.id)).toEqual({ kind: 'removed' });
    expect(await total()).toBe(count - 1);
    await expect(client.getBooking(2026, created.id)).rejects.toMatchObject({ kind: 'notFound' });
    // A closed year refuses the deletion itself, too.
    expect((await rejection(closed.port.remove('transaction', old?.id ?? ''))).code).toBe('fiscalYearClosed');
  });
});

describe('reference data', () => {
  it('names the accounts and projects of the year, whether it takes writes, and the couple records', async () => {
    const port = new OptigemSystemPort(client);
    const refs = await port.readReferences('transaction', SCOPE);
    const accounts = finance.accounts.map((a) => a.number).sort();
    expect(refs.known['debitAccount']).toEqual(accounts);
    expect(refs.known['creditAccount']).toEqual(accounts);
    expect(refs.known['project']).toEqual(finance.costCenters.map((c) => c.number));
    expect(refs).toMatchObject({ problems: [], writable: true });
    const muster = demo.persons.find((p) => p.firstName === 'Max und Erika')?.nr;
    expect(refs.couples).toEqual(expect.arrayContaining([String(muster), String(coupleNr)]));
    expect(refs.couples).toHaveLength(demo.persons.filter((p) => p.variant === 'couple').length);
  });

  it('takes a closed year as not writable without a problem, and a missing year as a problem', async () => {
    const port = new OptigemSystemPort(client);
    expect(await port.readReferences('transaction', { scope: { fiscalYear: '2025' } })).toMatchObject({ problems: [], writable: false });
    const missing = await port.readReferences('transaction', { scope: { fiscalYear: '2031' } });
    expect(missing).toMatchObject({ problems: [{ key: 'preflight.og.noFiscalYear', args: { fiscalYear: '2031' } }], writable: false, known: { debitAccount: [] } });
  });

  it('has nothing to check for persons', async () => {
    const port = new OptigemSystemPort(client);
    expect(await port.readReferences('person')).toEqual({ known: {}, problems: [], writable: true });
    expect(await port.checkRemove('person', '1001')).toEqual({ kind: 'removed' });
  });
});
