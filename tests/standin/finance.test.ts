import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStandIn, type StandIn } from '../../dev/standin/server.ts';
import { adminClient, call, clientError } from './helpers.ts';

interface ApiTransaction {
  id: number;
  accountId: number;
  contraAccountId: number;
  amount: number;
  documentDate: string;
  documentNumber: string;
  note: string;
  costCenterId: number | null;
  donator?: { domainIdentifier: string };
  donatorSpouse?: { domainIdentifier: string };
  isImmutable: boolean;
  isSynced: boolean;
  meta: { modifiedDate: string };
}

let standIn: StandIn;
const bank = 2;
const spenden = 5;

beforeAll(async () => {
  standIn = await startStandIn();
});
afterAll(async () => {
  await standIn.close();
});

function newBooking(overrides: Record<string, unknown> = {}) {
  return { documentDate: '2026-11-02', documentNumber: 'OPT-1', accountId: bank, contraAccountId: spenden, amount: 2500, note: 'Spende aus Optigem', costCenterId: 1, donatorId: 3, isSynced: true, ...overrides };
}

describe('finance master data', () => {
  it('lists the 2026 accounting period, its accounts ordered by number and its cost centres', async () => {
    const client = await adminClient(standIn);
    const periods = await client.get<{ id: number; startDate: string; endDate: string; isClosed: boolean }[]>('/finance/accountingperiods');
    expect(periods).toEqual([expect.objectContaining({ id: 1, startDate: '2026-01-01', endDate: '2026-12-31', isClosed: false })]);
    const accounts = await client.get<{ number: string; name: string; isDonationAccount: boolean }[]>('/finance/accounts', { accounting_period_id: [1] });
    expect(accounts.map((a) => a.number)).toEqual(['1000', '1200', '4200', '4900', '8000', '8100', '8200', '8500']);
    expect(accounts.find((a) => a.number === '8000')).toMatchObject({ name: 'Spenden', isDonationAccount: true });
    const costCenters = await client.get<{ number: string }[]>('/finance/costcenters', { accounting_period_id: 1 });
    expect(costCenters.map((c) => c.number)).toEqual(['100', '200', '300', '400']);
    const md = await client.get<Record<string, unknown[]>>('/finance/masterdata', { accounting_period_id: 1 });
    expect(Object.keys(md).sort()).toEqual(['accountClasses', 'accountGroups', 'accountTypes', 'accountingPeriods', 'accounts', 'cashDiscounts', 'clients', 'costCenters', 'taxRates', 'taxTypes', 'transactionPurposes']);
  });

  it('requires the accounting period for accounts and cost centres', async () => {
    expect((await call(standIn, 'GET', '/finance/accounts')).status).toBe(400);
    expect((await call(standIn, 'GET', '/finance/costcenters')).status).toBe(400);
  });
});

describe('reading transactions', () => {
  it('requires accounting_period_id', async () => {
    const res = await call(standIn, 'GET', '/finance/transactions');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ messageKey: 'validation.error', errors: [expect.objectContaining({ fieldId: 'accounting_period_id' })] });
  });

  it('pages through all bookings of the period', async () => {
    const client = await adminClient(standIn);
    const all = await client.getAllPages<ApiTransaction>('/finance/transactions', { accounting_period_id: 1 }, 50);
    expect(all).toHaveLength(standIn.state.finance.transactions.size);
    const dates = all.map((t) => t.documentDate);
    expect(dates).toEqual([...dates].sort());
  });

  it('filters donations, donors and accounts on the server', async () => {
    const client = await adminClient(standIn);
    const donations = await client.getAllPages<ApiTransaction>('/finance/transactions', { accounting_period_id: 1, is_donation: true }, 100);
    expect(donations.length).toBeGreaterThanOrEqual(140);
    expect(donations.every((t) => t.donator !== undefined)).toBe(true);
    const donor = donations[0]?.donator?.domainIdentifier;
    const byDonor = await client.getAllPages<ApiTransaction>('/finance/transactions', { accounting_period_id: 1, donator_ids: [Number(donor)] }, 100);
    expect(byDonor.length).toBeGreaterThan(0);
    expect(byDonor.every((t) => t.donator?.domainIdentifier === donor || t.donatorSpouse?.domainIdentifier === donor)).toBe(true);
    const kasse = await client.getAllPages<ApiTransaction>('/finance/transactions', { accounting_period_id: 1, account_ids: [1] }, 100);
    expect(kasse.every((t) => t.accountId === 1 || t.contraAccountId === 1)).toBe(true);
  });

  it('sorts by amount descending when asked', async () => {
    const res = await call(standIn, 'GET', '/finance/transactions?accounting_period_id=1&order_by=amount&order_direction=DESC&limit=5');
    const amounts = (res.body as { data: ApiTransaction[] }).data.map((t) => t.amount);
    expect(amounts).toEqual([...amounts].sort((a, b) => b - a));
  });
});

describe('writing transactions', () => {
  it('creates a booking and answers 200 with an array of transactions', async () => {
    const res = await call(standIn, 'POST', '/finance/transactions', { body: newBooking() });
    expect(res.status).toBe(200);
    const data = (res.body as { data: ApiTransaction[] }).data;
    expect(data).toHaveLength(1);
    expect(data[0]).toMatchObject({ amount: 2500, accountId: bank, contraAccountId: spenden, isSynced: true, isImmutable: false, donator: expect.objectContaining({ domainIdentifier: '3' }) });
  });

  it('rejects unknown accounts and dates outside the period', async () => {
    const bad = await call(standIn, 'POST', '/finance/transactions', { body: newBooking({ accountId: 999 }) });
    expect(bad.status).toBe(400);
    const late = await call(standIn, 'POST', '/finance/transactions', { body: newBooking({ documentDate: '2027-01-05' }) });
    expect(late.status).toBe(400);
    const missing = await call(standIn, 'POST', '/finance/transactions', { body: { amount: 1 } });
    expect((missing.body as { errors: { fieldId: string }[] }).errors.map((e) => e.fieldId)).toEqual(expect.arrayContaining(['documentDate', 'documentNumber', 'accountId', 'contraAccountId', 'note']));
  });

  it('replaces a booking completely with PUT', async () => {
    const client = await adminClient(standIn);
    const [created] = await client.post<ApiTransaction[]>('/finance/transactions', newBooking({ documentNumber: 'OPT-2' }));
    if (!created) throw new Error('created');
    const [updated] = await client.put<ApiTransaction[]>(`/finance/transactions/${created.id}`, { documentDate: '2026-11-03', documentNumber: 'OPT-2', accountId: bank, contraAccountId: 6, amount: 3000, note: 'Mission', costCenterId: 3 });
    // The donor was omitted, so the full replace removed it.
    expect(updated).toMatchObject({ amount: 3000, contraAccountId: 6, costCenterId: 3, note: 'Mission' });
    expect(updated?.donator).toBeUndefined();
  });

  it('takes the spouse and the waiver flag on PUT, keeping the flag when it is omitted [I]', async () => {
    const client = await adminClient(standIn);
    const [created] = await client.post<ApiTransaction[]>('/finance/transactions', newBooking({ documentNumber: 'OPT-6' }));
    if (!created) throw new Error('created');
    const full = { documentDate: '2026-11-02', documentNumber: 'OPT-6', accountId: bank, contraAccountId: spenden, amount: 2500, note: 'Spende', costCenterId: 1 };
    const [couple] = await client.put<(ApiTransaction & { isWaiverOfReimbursementOfExpenses: boolean })[]>(`/finance/transactions/${created.id}`, { ...full, donatorId: 3, donatorSpouseId: 4, isWaiverOfReimbursementOfExpenses: true });
    expect(couple).toMatchObject({ donator: expect.objectContaining({ domainIdentifier: '3' }), donatorSpouse: expect.objectContaining({ domainIdentifier: '4' }), isWaiverOfReimbursementOfExpenses: true });
    const [kept] = await client.put<(ApiTransaction & { isWaiverOfReimbursementOfExpenses: boolean })[]>(`/finance/transactions/${created.id}`, { ...full, donatorId: 3 });
    expect(kept).toMatchObject({ isWaiverOfReimbursementOfExpenses: true });
    expect(kept?.donatorSpouse).toBeUndefined();
  });

  it('refuses to change or delete an immutable booking, but reverses it with a storno', async () => {
    const locked = [...standIn.state.finance.transactions.values()].find((t) => t.isImmutable);
    if (!locked) throw new Error('demo data has locked bookings');
    const put = await call(standIn, 'PUT', `/finance/transactions/${locked.id}`, { body: { documentDate: locked.documentDate, documentNumber: locked.documentNumber, accountId: locked.accountId, contraAccountId: locked.contraAccountId, amount: 1, note: 'x', costCenterId: locked.costCenterId } });
    expect(put.status).toBe(403);
    expect((await call(standIn, 'DELETE', `/finance/transactions/${locked.id}?dry_run=true`)).status).toBe(403);
    expect((await call(standIn, 'DELETE', `/finance/transactions/${locked.id}`)).status).toBe(403);

    const client = await adminClient(standIn);
    const [storno] = await client.put<ApiTransaction[]>(`/finance/transactions/${locked.id}/storno`, { note: 'Storno: in Optigem gelöscht' });
    expect(storno).toMatchObject({ accountId: locked.contraAccountId, contraAccountId: locked.accountId, amount: locked.amount, note: 'Storno: in Optigem gelöscht' });
  });

  it('simulates a delete with dry_run and deletes with 204', async () => {
    const client = await adminClient(standIn);
    const [created] = await client.post<ApiTransaction[]>('/finance/transactions', newBooking({ documentNumber: 'OPT-3' }));
    const id = created?.id ?? 0;
    expect((await call(standIn, 'DELETE', `/finance/transactions/${id}?dry_run=true`)).status).toBe(204);
    expect(standIn.state.finance.transactions.has(id)).toBe(true);
    expect((await call(standIn, 'DELETE', `/finance/transactions/${id}`)).status).toBe(204);
    expect((await call(standIn, 'GET', `/finance/transactions/${id}`)).status).toBe(404);
  });

  it('refuses bookings in a closed accounting period', async () => {
    const period = standIn.state.finance.periods.get(1);
    if (!period) throw new Error('period');
    period.isClosed = true;
    try {
      const error = await clientError((await adminClient(standIn)).post('/finance/transactions', newBooking({ documentNumber: 'OPT-4' })));
      expect(error.status).toBe(403);
    } finally {
      period.isClosed = false;
    }
  });

  it('locks bookings in a batch with PATCH', async () => {
    const [created] = ((await call(standIn, 'POST', '/finance/transactions', { body: newBooking({ documentNumber: 'OPT-5' }) })).body as { data: ApiTransaction[] }).data;
    const res = await call(standIn, 'PATCH', '/finance/transactions', { body: { changeset: { isImmutable: true }, filters: { accountingPeriodId: 1, includeIds: [created?.id] } } });
    expect(res.body).toEqual({ data: { affectedRows: 1, changedRows: 1 } });
    expect(standIn.state.finance.transactions.get(created?.id ?? 0)?.isImmutable).toBe(true);
  });
});

describe('donors', () => {
  it('sums donations per donor or couple', async () => {
    const client = await adminClient(standIn);
    const donors = await client.getAllPages<{ persons: { domainIdentifier: string }[]; sum: number; count: number }>('/finance/donators', { accounting_period_id: 1, order_by: 'sum', order_direction: 'DESC' }, 100);
    expect(donors.length).toBeGreaterThan(10);
    expect(donors.every((d) => d.persons.length === 1 || d.persons.length === 2)).toBe(true);
    expect(donors.some((d) => d.persons.length === 2)).toBe(true);
    const sums = donors.map((d) => d.sum);
    expect(sums).toEqual([...sums].sort((a, b) => b - a));
  });
});
