import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { optigemDemoData } from '../../src/bridge/demo/optigem-demo.ts';
import { demoFinance } from '../../src/bridge/demo/parish.ts';
import { createTempDemoDatabase, startBridge } from '../../src/bridge/index.ts';
import type { RunningBridge } from '../../src/bridge/index.ts';
import { BridgeClient } from '../../src/optigem/client.ts';
import type { BridgeError } from '../../src/optigem/errors.ts';
import { TEST_STORE, startTestBridge, testStore } from './helpers.ts';
import type { TestBridge } from './helpers.ts';

type Json = Record<string, unknown>;
const demo = optigemDemoData();
const json = async <T = Json>(res: Response): Promise<T> => (await res.json()) as T;

let t: TestBridge;
beforeAll(async () => {
  t = await startTestBridge();
});
afterAll(async () => {
  await t.close();
});

const donation = {
  date: '2026-05-04',
  debit: { account: 1200, subAccount: 0, project: 0 },
  credit: { account: 8000, subAccount: 0, project: 100 },
  amountCents: 4200,
  text: 'Spende',
  documentNumber: 'T-1',
};

describe('meta data', () => {
  it('names the mandant, the fiscal years, the categories and the capabilities', async () => {
    const meta = await json(await t.call('/v1/meta'));
    expect(meta['mandant']).toEqual({ id: '01', name: 'Ev. Kirchengemeinde Lindenhöhe' });
    expect(meta['fiscalYears']).toEqual([
      { year: 2025, start: '2025-01-01', end: '2025-12-31', closed: true },
      { year: 2026, start: '2026-01-01', end: '2026-12-31', closed: false },
    ]);
    expect(meta['categories']).toEqual(expect.arrayContaining([{ id: 150, name: 'Mitglieder', prefix: 'Gemeinde.', label: '150: Mitglieder' }]));
    expect(JSON.stringify(meta['categories'])).not.toContain('Archiviert');
    expect(meta['capabilities']).toMatchObject({ lastModified: 'shadow', idempotentCreate: true, archive: { mechanism: 'category', categoryId: 999 } });
  });

  it('lists accounts and projects whose numbers match the ChurchTools demo finance', async () => {
    const finance = demoFinance();
    const accounts = await json<{ items: { number: number; isDonationAccount: boolean }[] }>(await t.call('/v1/fiscal-years/2026/accounts'));
    expect(accounts.items.map((a) => a.number)).toEqual(finance.accounts.map((a) => Number(a.number)).sort((a, b) => a - b));
    expect(accounts.items.filter((a) => a.isDonationAccount).map((a) => a.number)).toEqual([8000, 8100, 8200]);
    const projects = await json<{ items: { number: number }[] }>(await t.call('/v1/fiscal-years/2026/projects'));
    expect(projects.items.map((p) => p.number)).toEqual(finance.costCenters.map((c) => Number(c.number)));
    expect((await t.call('/v1/fiscal-years/1999/accounts')).status).toBe(404);
  });
});

describe('bookings', () => {
  it('lists the bookings of a fiscal year a page at a time, with the donor taken from the donation side', async () => {
    const first = await json<{ items: Json[]; total: number; hasMore: boolean }>(await t.call('/v1/fiscal-years/2026/bookings?limit=50'));
    expect(first.total).toBe(demo.bookings.filter((b) => b.fiscalYear === 2026).length);
    expect(first.items).toHaveLength(50);
    expect(first.hasMore).toBe(true);
    const all = await json<{ items: Json[] }>(await t.call('/v1/fiscal-years/2026/bookings?limit=1000'));
    const donations = all.items.filter((b) => b['donorNr'] !== null || b['donor0'] === true);
    expect(donations.length).toBeGreaterThanOrEqual(140);
    const sample = all.items.find((b) => b['documentNumber'] === '2026-0001');
    expect(sample).toMatchObject({ debit: { account: 1200 }, credit: { account: 8000 }, amountCents: 5000 });
    expect(sample?.['donorNr']).toBe((sample?.['credit'] as { subAccount: number }).subAccount);
  });

  it('reports the Donor-0 bookings of a fiscal year with count and total', async () => {
    const report = await json<{ count: number; totalCents: number; personRecordExists: boolean; bookings: Json[] }>(
      await t.call('/v1/fiscal-years/2026/donor-0'),
    );
    const expected = demo.bookings.filter((b) => b.fiscalYear === 2026 && b.credit.account >= 8000 && b.credit.account < 8500 && b.credit.subAccount === 0);
    expect(report.count).toBe(expected.length);
    expect(report.count).toBeGreaterThan(0);
    expect(report.totalCents).toBe(expected.reduce((sum, b) => sum + b.amountCents, 0));
    expect(report.personRecordExists).toBe(true);
    expect(report.bookings.every((b) => b['donor0'] === true && b['donorNr'] === null)).toBe(true);
    expect((await json<{ count: number }>(await t.call('/v1/fiscal-years/2025/donor-0'))).count).toBe(2);
  });

  it('creates, changes and deletes a booking with If-Match, idempotently on create', async () => {
    const headers = { 'Idempotency-Key': 'tx:1' };
    const created = await t.call('/v1/fiscal-years/2026/bookings', { method: 'POST', json: donation, headers });
    expect(created.status).toBe(201);
    const booking = await json(created);
    expect(booking).toMatchObject({ fiscalYear: 2026, donor0: true, amountCents: 4200, lastModifiedSource: 'shadow' });
    const again = await t.call('/v1/fiscal-years/2026/bookings', { method: 'POST', json: donation, headers });
    expect((await json(again))['id']).toBe(booking['id']);

    const path = `/v1/fiscal-years/2026/bookings/${String(booking['id'])}`;
    const patched = await t.call(path, { method: 'PATCH', json: { amountCents: 4300 }, headers: { 'If-Match': String(booking['etag']) } });
    expect(await json(patched)).toMatchObject({ amountCents: 4300 });
    expect((await t.call(path, { method: 'DELETE', headers: { 'If-Match': String(booking['etag']) } })).status).toBe(412);
    expect((await t.call(path, { method: 'DELETE', headers: { 'If-Match': patched.headers.get('ETag') ?? '' } })).status).toBe(204);
    expect((await t.call(path)).status).toBe(404);
  });

  it('rejects a booking outside its year or on unknown accounts, naming each field', async () => {
    const res = await t.call('/v1/fiscal-years/2026/bookings', {
      method: 'POST',
      json: { ...donation, date: '2027-01-02', debit: { account: 1300, subAccount: 0, project: 0 }, credit: { account: 8000, subAccount: 987654, project: 0 } },
    });
    expect(res.status).toBe(400);
    const paths = (await json<{ error: { fields: { path: string }[] } }>(res)).error.fields.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['date', 'debit.account', 'credit.subAccount']));
  });

  it('refuses writes in a closed fiscal year with 409', async () => {
    const res = await t.call('/v1/fiscal-years/2025/bookings', { method: 'POST', json: { ...donation, date: '2025-05-04' } });
    expect(res.status).toBe(409);
    expect((await json<{ error: { code: string } }>(res)).error.code).toBe('fiscalYearClosed');
  });
});

describe('fiscal years and couples', () => {
  it('lists the fiscal years with their dates and whether they are closed, for a read token too', async () => {
    const res = await t.call('/v1/fiscal-years', { token: t.ro });
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({
      items: [
        { year: 2025, start: '2025-01-01', end: '2025-12-31', closed: true },
        { year: 2026, start: '2026-01-01', end: '2026-12-31', closed: false },
      ],
    });
    expect((await t.call('/v1/fiscal-years', { token: null })).status).toBe(401);
    const client = new BridgeClient({ baseUrl: t.url, token: t.ro });
    expect((await client.fiscalYears()).map((f) => f.closed)).toEqual([true, false]);
  });

  it('lists the couple records with their first names', async () => {
    const { items } = await json<{ items: { nr: number; firstNames: string[] }[] }>(await t.call('/v1/couples'));
    const muster = demo.persons.find((p) => p.firstName === 'Max und Erika');
    expect(items).toContainEqual({ nr: muster?.nr, lastName: 'Muster', firstNames: ['Max', 'Erika'], sexes: ['male', 'female'], confidence: 'high', reason: 'firstNames' });
    expect(items.map((c) => c.nr).sort((a, b) => a - b)).toEqual(demo.persons.filter((p) => p.variant === 'couple').map((p) => p.nr));
  });

  it('tells cash and bank accounts (Finanzkonto) apart', async () => {
    const accounts = await new BridgeClient({ baseUrl: t.url, token: t.ro }).accounts(2026);
    expect(accounts.filter((a) => a.isFinancialAccount).map((a) => a.number)).toEqual([1000, 1200]);
  });
});

describe('waiver (Zuwendungsart "Verzicht auf Erstattung von Aufwendungen")', () => {
  const waiverKind = 'Verzicht auf Erstattung von Aufwendungen';
  const column = (id: string): unknown =>
    (t.rawDb().prepare('SELECT "Zuwendungsart" AS kind FROM "Buchungen" WHERE "ID" = ?').get(id) as { kind: unknown }).kind;

  it('creates, reads and clears the waiver, and leaves another Zuwendungsart alone', async () => {
    const created = await json(await t.call('/v1/fiscal-years/2026/bookings', { method: 'POST', json: { ...donation, documentNumber: 'W-1', waiver: true } }));
    expect(created['waiver']).toBe(true);
    const id = String(created['id']);
    expect(column(id)).toBe(waiverKind);
    const path = `/v1/fiscal-years/2026/bookings/${id}`;
    const cleared = await t.call(path, { method: 'PATCH', json: { waiver: false }, headers: { 'If-Match': String(created['etag']) } });
    expect((await json(cleared))['waiver']).toBe(false);
    expect(column(id)).toBeNull();

    // A Sachzuwendung typed in Optigem is no waiver, and "no waiver" does not erase it.
    t.rawDb().prepare('UPDATE "Buchungen" SET "Zuwendungsart" = ? WHERE "ID" = ?').run('Sachzuwendung', id);
    const read = await t.call(path);
    expect((await json(read))['waiver']).toBe(false);
    const kept = await t.call(path, { method: 'PATCH', json: { waiver: false, text: 'Sachspende' }, headers: { 'If-Match': read.headers.get('ETag') ?? '' } });
    expect(kept.status).toBe(200);
    expect(column(id)).toBe('Sachzuwendung');
    expect((await json(await t.call('/v1/fiscal-years/2026/bookings?limit=1000')))['items']).toEqual(
      expect.arrayContaining([expect.objectContaining({ documentNumber: '2026-0116', waiver: true })]),
    );
  });

  // Only the embedded store ever alters its database; a real (ODBC) one keeps its schema.
  it.skipIf(TEST_STORE === 'odbc')('adds the column to a demo database made before the waiver existed, keeping every ETag', async () => {
    const db = await createTempDemoDatabase();
    let bridge: RunningBridge | undefined;
    try {
      const raw = new Database(db.path);
      raw.exec('ALTER TABLE "Buchungen" DROP COLUMN "Zuwendungsart"');
      raw.close();
      bridge = await startBridge({ ...testStore(db.path) });
      const client = new BridgeClient({ baseUrl: bridge.url, token: bridge.tokens?.readWrite ?? '' });
      const page = await client.listBookings(2026, { limit: 1000 });
      expect(page.items.every((b) => !b.waiver)).toBe(true);
      // Same ETags and change times as on an untouched demo database, waiver bookings apart.
      const untouched = new Map((await json<{ items: Json[] }>(await t.call('/v1/fiscal-years/2026/bookings?limit=1000'))).items.map((b) => [b['id'], b]));
      const plain = page.items.filter((b) => untouched.get(b.id)?.['waiver'] === false);
      expect(plain.length).toBeGreaterThan(100);
      for (const b of plain) expect([b.etag, b.lastModified]).toEqual([untouched.get(b.id)?.['etag'], untouched.get(b.id)?.['lastModified']]);
      const after = new Database(db.path, { readonly: true });
      const columns = after.prepare('SELECT name FROM pragma_table_info(?)').all('Buchungen') as { name: string }[];
      after.close();
      expect(columns.map((c) => c.name)).toContain('Zuwendungsart');
    } finally {
      await bridge?.close();
      db.remove();
    }
  });

  it('refuses a waiver when the installation has no Zuwendungsart column', async () => {
    const db = await createTempDemoDatabase();
    let bridge: RunningBridge | undefined;
    try {
      bridge = await startBridge({ ...testStore(db.path), names: { bookings: { waiver: null } } });
      const client = new BridgeClient({ baseUrl: bridge.url, token: bridge.tokens?.readWrite ?? '' });
      const { items } = await client.listBookings(2026, { limit: 1000 });
      expect(items.some((b) => b.waiver)).toBe(false);
      const refused = await client.createBooking(2026, { ...donation, waiver: true }).then(
        () => null,
        (e: unknown) => e as BridgeError,
      );
      expect(refused?.kind).toBe('validation');
      expect(refused?.fields.map((f) => f.path)).toEqual(['waiver']);
      expect((await client.createBooking(2026, donation)).booking.waiver).toBe(false);
    } finally {
      await bridge?.close();
      db.remove();
    }
  });
});
