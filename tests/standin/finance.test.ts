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
  isWaiverOfReimbursementOfExpenses: boolean;
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
    const md = await call(standIn, 'GET', '/finance/masterdata?accounting_period_id=1');
    const body = md.body as { data: Record<string, unknown[]>; meta: Record<string, number>; permissions: Record<string, boolean> };
    expect(Object.keys(body.data).sort()).toEqual(['accountClasses', 'accountGroups', 'accountTypes', 'accountingPeriods', 'accounts', 'cashDiscounts', 'clients', 'costCenters', 'taxRates', 'taxTypes', 'transactionPurposes']);
    // Published: the permissions sit beside `data`, and `meta` holds counts.
    expect(body.permissions).toEqual({ canViewBudgets: true, canViewDonators: true, canViewReports: true, canViewTransactions: true, editMasterData: true });
    expect(body.meta).toMatchObject({ accountsCount: 8, costCentersCount: 4 });
  });

  it('creates accounts and cost centres through the published master-data writes', async () => {
    const client = await adminClient(standIn);
    const [account] = await client.post<{ id: number; number: string; isDonationAccount: boolean; accountingPeriodId: number }[]>('/finance/accounts', {
      accountGroupId: 2,
      accountingPeriodId: 1,
      name: 'Spenden Diakonie',
      number: '8300',
      isDonationAccount: true,
    });
    expect(account).toMatchObject({ number: '8300', isDonationAccount: true, accountingPeriodId: 1 });
    const costCenter = await client.post<{ id: number; number: string; name: string }>('/finance/costcenters', { accountingPeriodId: 1, name: 'Diakonie', number: '500' });
    expect(costCenter).toMatchObject({ number: '500', name: 'Diakonie' });
    const accounts = await client.get<{ number: string }[]>('/finance/accounts', { accounting_period_id: [1] });
    expect(accounts.map((a) => a.number)).toContain('8300');
    const costCenters = await client.get<{ number: string }[]>('/finance/costcenters', { accounting_period_id: 1 });
    expect(costCenters.map((c) => c.number)).toContain('500');
    // A booking can use them right away.
    const [booked] = await client.post<ApiTransaction[]>('/finance/transactions', newBooking({ documentNumber: 'OPT-DIAK', contraAccountId: account!.id, costCenterId: costCenter.id }));
    expect(booked).toMatchObject({ contraAccountId: account!.id, costCenterId: costCenter.id });

    const again = await call(standIn, 'POST', '/finance/costcenters', { body: { accountingPeriodId: 1, name: 'Doppelt', number: '500' } });
    expect(again.status).toBe(400);
    const noPeriod = await call(standIn, 'POST', '/finance/accounts', { body: { accountGroupId: 2, accountingPeriodId: 99, name: 'x', number: '9' } });
    expect(noPeriod.status).toBe(400);
    expect(standIn.state.finance.accounts.size).toBe(9);
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

  it('counts a booking whose Konto (accountId) is a bank or cash account as income', async () => {
    const client = await adminClient(standIn);
    const income = await client.getAllPages<ApiTransaction>('/finance/transactions', { accounting_period_id: 1, is_income: true }, 100);
    const expenses = await client.getAllPages<ApiTransaction>('/finance/transactions', { accounting_period_id: 1, is_income: false }, 100);
    const cash = new Set([1, 2]);
    expect(income.length).toBeGreaterThan(100);
    expect(income.every((t) => cash.has(t.accountId))).toBe(true);
    expect(expenses.length).toBeGreaterThan(0);
    expect(expenses.every((t) => !cash.has(t.accountId))).toBe(true);
    // Every demo donation is an income: bank on Konto, donation account on Gegenkonto.
    const donations = await client.getAllPages<ApiTransaction>('/finance/transactions', { accounting_period_id: 1, is_donation: true, is_income: true }, 100);
    expect(donations.every((t) => t.accountId === bank || t.isWaiverOfReimbursementOfExpenses)).toBe(true);
  });

  it('sends no transaction meta dates: the published Transaction.meta is count-only', async () => {
    const res = await call(standIn, 'GET', '/finance/transactions?accounting_period_id=1&limit=5');
    const data = (res.body as { data: Record<string, unknown>[] }).data;
    expect(data).toHaveLength(5);
    for (const t of data) expect(t).not.toHaveProperty('meta');
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

  it('takes exactly the published TransactionUpdate on PUT: the spouse and the waiver stay as they are [I]', async () => {
    const client = await adminClient(standIn);
    const [created] = await client.post<ApiTransaction[]>('/finance/transactions', newBooking({ documentNumber: 'OPT-6', donatorSpouseId: 4, isWaiverOfReimbursementOfExpenses: true }));
    if (!created) throw new Error('created');
    expect(created).toMatchObject({ donatorSpouse: expect.objectContaining({ domainIdentifier: '4' }), isWaiverOfReimbursementOfExpenses: true });
    const full = { documentDate: '2026-11-02', documentNumber: 'OPT-6', accountId: bank, contraAccountId: spenden, amount: 2500, note: 'Spende', costCenterId: 1 };
    const [kept] = await client.put<ApiTransaction[]>(`/finance/transactions/${created.id}`, { ...full, donatorId: 3, donatorSpouseId: 5, isWaiverOfReimbursementOfExpenses: false });
    expect(kept).toMatchObject({ donatorSpouse: expect.objectContaining({ domainIdentifier: '4' }), isWaiverOfReimbursementOfExpenses: true });
    // costCenterId is a required number in the published update.
    const noCostCenter = await call(standIn, 'PUT', `/finance/transactions/${created.id}`, { body: { ...full, costCenterId: null } });
    expect(noCostCenter.status).toBe(400);
  });

  it('books the same account on both sides: the published API does not forbid it', async () => {
    const res = await call(standIn, 'POST', '/finance/transactions', { body: newBooking({ documentNumber: 'OPT-SAME', contraAccountId: bank }) });
    expect(res.status).toBe(200);
    expect((res.body as { data: ApiTransaction[] }).data[0]).toMatchObject({ accountId: bank, contraAccountId: bank });
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
