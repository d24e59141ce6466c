/**
 * The ChurchTools transaction port over real HTTP against the stand-in. Every test books its own
 * transactions (through the API) so it does not depend on which side the demo bookings use.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { StandInState } from '../../dev/standin/state.ts';
import { spouseTypeIds, type CtTransaction } from '../../src/churchtools/index.ts';
import { newTransactionBody, replacementBody, type PeriodBooks } from '../../src/churchtools/transactions/transaction-record.ts';
import type { FieldValues } from '../../src/sync/model.ts';
import { recordHash } from '../../src/sync/fingerprint.ts';
import { PortError } from '../../src/sync/ports.ts';
import { harness, type Harness } from './helpers.ts';

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

const SCOPE = { fiscalYear: '2026' } as const;

function accountId(state: StandInState, number: string): number {
  const account = [...state.finance.accounts.values()].find((a) => a.number === number);
  if (!account) throw new Error(`no account ${number}`);
  return account.id;
}

function costCenterId(state: StandInState, number: string): number {
  const costCenter = [...state.finance.costCenters.values()].find((c) => c.number === number);
  if (!costCenter) throw new Error(`no cost centre ${number}`);
  return costCenter.id;
}

/** A married couple of the demo parish (a spouse relationship). */
function couple(state: StandInState): [number, number] {
  const spouseType = state.relationshipTypes.find((t) => t.name === 'Ehepartner')!;
  const r = state.relationships.find((x) => x.relationshipTypeId === spouseType.id)!;
  return [r.personAId, r.personBId];
}

/** Books through the API what Optigem would call "Soll 1200 / Haben 8000" (issue #6: Haben ↔ accountId). */
async function book(harnessed: Harness, overrides: Record<string, unknown> = {}): Promise<number> {
  const state = harnessed.standIn.state;
  const [created] = await harnessed.ct.finance.createTransaction({
    documentDate: '2026-03-02',
    documentNumber: 'D-2026-017',
    // A donation as ChurchTools books it: Konto = bank, Gegenkonto = donation account.
    accountId: accountId(state, '1200'),
    contraAccountId: accountId(state, '8000'),
    amount: 5000,
    note: 'Spende Mission',
    costCenterId: costCenterId(state, '300'),
    ...overrides,
  });
  return created!.id;
}

function stored(state: StandInState, id: number | string) {
  const t = state.finance.transactions.get(Number(id));
  if (!t) throw new Error(`no transaction ${id}`);
  return t;
}

async function portError(promise: Promise<unknown>): Promise<PortError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof PortError) return error;
    throw error;
  }
  throw new Error('expected a PortError');
}

describe('ChurchTools transactions: reading', () => {
  it('maps numbers, donors, couples and locks, and pages through the whole period', async () => {
    h = await harness({ maxPageSize: 100 });
    const state = h.standIn.state;
    const [a, b] = couple(state);
    const single = await book(h, { donatorId: a });
    const together = await book(h, { donatorId: a, donatorSpouseId: b, documentNumber: '', note: '', costCenterId: null, isWaiverOfReimbursementOfExpenses: true });
    const plain = await book(h, { accountId: accountId(state, '4200'), contraAccountId: accountId(state, '1000'), amount: 123456, note: 'Nebenkosten' });
    const locked = await book(h, { documentNumber: 'D-LOCK' });
    stored(state, locked).isImmutable = true;
    h.standIn.resetRequests();

    const port = h.ct.persons;
    const read = await port.readAll('transaction', { scope: SCOPE });
    expect(read.complete).toBe(true);
    expect(read.problems).toEqual([]);
    expect(read.records).toHaveLength([...state.finance.transactions.values()].filter((t) => t.accountingPeriodId === 1).length);
    // limit 500 is refused by this server, 100 works; every page is read.
    const pages = h.standIn.requests.filter((r) => r.path === '/finance/transactions');
    expect(pages[0]!.status).toBe(400);
    expect(pages.slice(1).every((r) => r.status === 200 && r.query.includes('limit=100') && r.query.includes('accounting_period_id=1'))).toBe(true);

    const byId = new Map(read.records.map((r) => [r.id, r]));
    const first = byId.get(String(single))!;
    expect(first.properties).toEqual({
      documentDate: '2026-03-02',
      amount: 5000,
      documentNumber: 'D-2026-017',
      note: 'Spende Mission',
      account: '1200',
      contraAccount: '8000',
      costCenter: '300',
      donor: String(a),
      isWaiverOfReimbursementOfExpenses: false,
      accounts: ['1200', '8000'],
      isDonation: true,
    });
    expect(first.label).toBe('2026-03-02 · 50,00 € · Beleg D-2026-017 · Spende Mission');
    expect(first.locked).toBe(false);
    // The published Transaction.meta holds no modification date, and the stand-in sends none.
    expect(first.modifiedAt).toBeNull();

    expect(byId.get(String(together))!.properties).toMatchObject({
      donor: `${a},${b}`,
      documentNumber: null,
      note: null,
      costCenter: null,
      isWaiverOfReimbursementOfExpenses: true,
    });
    expect(byId.get(String(together))!.label).toBe('2026-03-02 · 50,00 €');
    expect(byId.get(String(plain))!.properties).toMatchObject({ account: '4200', contraAccount: '1000', isDonation: false, donor: null });
    expect(byId.get(String(plain))!.label).toBe('2026-03-02 · 1.234,56 € · Beleg D-2026-017 · Nebenkosten');
    expect(byId.get(String(locked))!.locked).toBe(true);
    expect(first.properties).not.toHaveProperty('donorStatus');
  });

  it('locks every booking of a closed period', async () => {
    h = await harness();
    const id = await book(h);
    h.standIn.state.finance.periods.get(1)!.isClosed = true;
    const read = await h.ct.persons.readAll('transaction', { scope: SCOPE });
    expect(read.records.find((r) => r.id === String(id))!.locked).toBe(true);
    expect(read.records.every((r) => r.locked)).toBe(true);
  });

  it('marks the read incomplete when a page fails, naming the page, without throwing', async () => {
    h = await harness({ maxPageSize: 100 });
    // Page 1 (limit 500 refused, then limit 100) answers; page 2 is forbidden, which is not retried.
    h.standIn.faults.failRequests({ method: 'GET', pathPrefix: '/finance/transactions', nth: 3 }, 403);
    const read = await h.ct.persons.readAll('transaction', { scope: SCOPE });
    expect(read.complete).toBe(false);
    expect(read.problems.map((p) => p.what)).toEqual(['page 2 of /finance/transactions (period 1)']);
    expect(read.records.length).toBeGreaterThan(0);
  });

  it('reads the donor status only when a condition asks for it, in batches, archived donors included', async () => {
    h = await harness();
    const state = h.standIn.state;
    const [a, b] = couple(state);
    const solo = await book(h, { donatorId: b });
    const pair = await book(h, { donatorId: a, donatorSpouseId: b });
    const none = await book(h);
    state.persons.get(b)!.isArchived = true;
    h.standIn.resetRequests();

    const port = h.ct.persons;
    await port.readAll('transaction', { scope: SCOPE });
    expect(h.standIn.requests.some((r) => r.path === '/persons')).toBe(false);

    const read = await port.readAll('transaction', { scope: SCOPE, conditionFields: ['donorStatus', 'accounts'] });
    expect(read.complete).toBe(true);
    const status = (id: number) => read.records.find((r) => r.id === String(id))!.properties.donorStatus;
    expect(status(solo)).toBe(String(state.persons.get(b)!.statusId));
    // A couple's booking takes the donator's status.
    expect(status(pair)).toBe(String(state.persons.get(a)!.statusId));
    expect(status(none)).toBeNull();

    const personReads = h.standIn.requests.filter((r) => r.path === '/persons');
    const donors = new Set([...state.finance.transactions.values()].filter((t) => t.donatorId !== null).map((t) => t.donatorId));
    expect(personReads.filter((r) => r.query.includes('is_archived=false'))).toHaveLength(Math.ceil(donors.size / 100));
    expect(personReads.every((r) => r.query.includes('ids[]='))).toBe(true);
    // Only the donors not found among active persons are asked for again.
    const archivedRead = personReads.find((r) => r.query.includes('is_archived=true'))!;
    expect(archivedRead.query.match(/ids\[\]=/g)).toHaveLength(1);
  });

  it('says why nothing was read when the fiscal year has no period, and refuses a job without one', async () => {
    h = await harness();
    const read = await h.ct.persons.readAll('transaction', { scope: { fiscalYear: '2030' } });
    expect(read).toMatchObject({ records: [], complete: false, problems: [{ what: 'accounting period' }] });
    expect(read.problems[0]!.message).toContain('2030');
    const error = await portError(h.ct.persons.readAll('transaction', {}));
    expect(error.code).toBe('ct.invalidScope');
  });
});

describe('ChurchTools transactions: writing', () => {
  const values = (overrides: Partial<Record<string, FieldValues[string]>> = {}): FieldValues => ({
    documentDate: '2026-04-12',
    amount: 2500,
    documentNumber: 'OG-77',
    note: 'Spende aus Optigem',
    account: '1200',
    contraAccount: '8100',
    costCenter: '300',
    donor: null,
    isWaiverOfReimbursementOfExpenses: false,
    ...overrides,
  });

  it('creates with ids of the period, as a synced booking, a couple as donator and spouse', async () => {
    h = await harness();
    const state = h.standIn.state;
    const [a, b] = couple(state);
    const port = h.ct.persons;
    await port.readReferences('transaction', { scope: SCOPE });
    const record = await port.create('transaction', values({ donor: `${a},${b}`, isWaiverOfReimbursementOfExpenses: true }), { idempotencyKey: 'k', partnerId: '77' });
    expect(stored(state, record.id)).toMatchObject({
      accountId: accountId(state, '1200'),
      contraAccountId: accountId(state, '8100'),
      costCenterId: costCenterId(state, '300'),
      amount: 2500,
      documentNumber: 'OG-77',
      donatorId: a,
      donatorSpouseId: b,
      isSynced: true,
      isWaiverOfReimbursementOfExpenses: true,
    });
    expect(record.properties).toMatchObject({ ...values(), donor: `${a},${b}`, isWaiverOfReimbursementOfExpenses: true });
    expect(record.label).toBe('2026-04-12 · 25,00 € · Beleg OG-77 · Spende aus Optigem');
  });

  it('creates without a read first into the period that covers the date', async () => {
    h = await harness();
    const record = await h.ct.persons.create('transaction', values({ costCenter: null }), { idempotencyKey: 'k', partnerId: '1' });
    expect(stored(h.standIn.state, record.id)).toMatchObject({ accountingPeriodId: 1, costCenterId: null, isSynced: true });
  });

  it('refuses an account or cost centre the period does not have, naming it, and writes nothing', async () => {
    h = await harness();
    const state = h.standIn.state;
    const port = h.ct.persons;
    await port.readAll('transaction', { scope: SCOPE });
    const before = state.finance.transactions.size;
    h.standIn.resetRequests();

    const account = await portError(port.create('transaction', values({ contraAccount: '1800' }), { idempotencyKey: 'k', partnerId: '1' }));
    expect(account.code).toBe('ct.unknownAccount');
    expect(account.args).toMatchObject({ field: 'contraAccount', number: '1800', period: '2026-01-01 – 2026-12-31' });
    expect(account.message).toContain('Create the account 1800 in ChurchTools Finance');

    const costCenter = await portError(port.create('transaction', values({ costCenter: '999' }), { idempotencyKey: 'k', partnerId: '1' }));
    expect(costCenter).toMatchObject({ code: 'ct.unknownCostCenter', args: expect.objectContaining({ field: 'costCenter', number: '999' }) });

    const missing = await portError(port.create('transaction', values({ amount: null }), { idempotencyKey: 'k', partnerId: '1' }));
    expect(missing).toMatchObject({ code: 'ct.missingValue', args: expect.objectContaining({ field: 'amount' }) });

    const derived = await portError(port.create('transaction', { ...values(), isDonation: true }, { idempotencyKey: 'k', partnerId: '1' }));
    expect(derived.code).toBe('ct.readOnlyField');

    expect(state.finance.transactions.size).toBe(before);
    expect(h.standIn.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('updates by a full replace that keeps every field not changed, spouse and waiver included', async () => {
    h = await harness();
    const state = h.standIn.state;
    const [a, b] = couple(state);
    const id = await book(h, { donatorId: a, donatorSpouseId: b, isWaiverOfReimbursementOfExpenses: true });
    const port = h.ct.persons;
    const read = await port.readAll('transaction', { scope: SCOPE });
    const before = read.records.find((r) => r.id === String(id))!;

    const after = await port.update('transaction', String(id), { amount: 7500, contraAccount: '8200' }, { expectedModifiedAt: null, partnerId: '9' });
    expect(after.properties).toEqual({ ...before.properties, amount: 7500, contraAccount: '8200', accounts: ['1200', '8200'] });
    expect(stored(state, id)).toMatchObject({
      amount: 7500,
      accountId: accountId(state, '1200'),
      contraAccountId: accountId(state, '8200'),
      note: 'Spende Mission',
      documentNumber: 'D-2026-017',
      costCenterId: costCenterId(state, '300'),
      donatorId: a,
      donatorSpouseId: b,
      isWaiverOfReimbursementOfExpenses: true,
    });
    expect(h.standIn.requests.filter((r) => r.method === 'PUT')).toHaveLength(1);
  });

  it('refuses what the published update cannot carry (spouse, waiver, no cost centre) and writes nothing', async () => {
    h = await harness();
    const state = h.standIn.state;
    const [a, b] = couple(state);
    const couples = await book(h, { donatorId: a, donatorSpouseId: b });
    const single = await book(h, { donatorId: a, documentNumber: 'D-SINGLE' });
    const without = await book(h, { costCenterId: null, documentNumber: 'D-NO-CC' });
    const port = h.ct.persons;
    await port.readAll('transaction', { scope: SCOPE });
    h.standIn.resetRequests();

    const spouse = await portError(port.update('transaction', String(couples), { donor: null }, { expectedModifiedAt: null, partnerId: '9' }));
    expect(spouse).toMatchObject({ code: 'ct.notUpdatableInPlace', args: expect.objectContaining({ fields: 'donor' }) });
    const waiver = await portError(port.update('transaction', String(single), { isWaiverOfReimbursementOfExpenses: true }, { expectedModifiedAt: null, partnerId: '9' }));
    expect(waiver.args).toMatchObject({ fields: 'isWaiverOfReimbursementOfExpenses' });
    const costCenter = await portError(port.update('transaction', String(without), { amount: 1 }, { expectedModifiedAt: null, partnerId: '9' }));
    expect(costCenter.args).toMatchObject({ fields: 'costCenter' });
    expect(h.standIn.requests.filter((r) => r.method !== 'GET')).toEqual([]);

    // A single donor's donation can lose its donor in place: the update then names no donator.
    await port.update('transaction', String(single), { donor: null }, { expectedModifiedAt: null, partnerId: '9' });
    expect(stored(state, single)).toMatchObject({ donatorId: null, donatorSpouseId: null, amount: 5000 });
  });

  it('reverses and books anew what the update cannot carry: a storno, then the new booking', async () => {
    h = await harness();
    const state = h.standIn.state;
    const [a, b] = couple(state);
    const id = await book(h, { donatorId: a });
    const port = h.ct.persons;
    const read = await port.readAll('transaction', { scope: SCOPE });
    const before = read.records.find((r) => r.id === String(id))!;
    h.standIn.resetRequests();

    // The engine hands over the whole new booking: its writable fields, not those derived for conditions.
    const { accounts: _accounts, isDonation: _isDonation, ...writable } = before.properties;
    const values: FieldValues = { ...writable, donor: `${a},${b}`, isWaiverOfReimbursementOfExpenses: true };
    const { reversal, record } = await port.rebook('transaction', String(id), values, { idempotencyKey: 'k', partnerId: '9' });
    expect(h.standIn.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`)).toEqual([`PUT /finance/transactions/${id}/storno`, 'POST /finance/transactions']);
    // [I] The stand-in's storno swaps the sides.
    expect(stored(state, reversal)).toMatchObject({ accountId: accountId(state, '8000'), contraAccountId: accountId(state, '1200'), amount: 5000 });
    expect(stored(state, record.id)).toMatchObject({ accountId: accountId(state, '1200'), contraAccountId: accountId(state, '8000'), donatorId: a, donatorSpouseId: b, isWaiverOfReimbursementOfExpenses: true, isSynced: true });
    expect(stored(state, id)).toMatchObject({ donatorId: a, donatorSpouseId: null });
    expect(record.properties).toMatchObject({ donor: `${a},${b}`, isWaiverOfReimbursementOfExpenses: true });

    // A new booking that cannot be made leaves no reversal behind.
    h.standIn.resetRequests();
    const refused = await portError(port.rebook('transaction', record.id, { ...values, contraAccount: '1800' }, { idempotencyKey: 'k2', partnerId: '9' }));
    expect(refused.code).toBe('ct.unknownAccount');
    expect(h.standIn.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('refuses an update when the booking changed since the sync read it, judged by its content', async () => {
    h = await harness();
    const id = await book(h);
    const port = h.ct.persons;
    await port.readAll('transaction', { scope: SCOPE });
    // Someone edits the booking in ChurchTools; no modification date tells, its content does.
    stored(h.standIn.state, id).note = 'Spende Mission (korrigiert)';
    h.standIn.resetRequests();
    const error = await portError(port.update('transaction', String(id), { amount: 1 }, { expectedModifiedAt: null, partnerId: '9' }));
    expect(error.code).toBe('ct.changedSinceRead');
    expect(error.args).toMatchObject({ recordId: String(id), label: '2026-03-02 · 50,00 € · Beleg D-2026-017 · Spende Mission (korrigiert)' });
    expect(stored(h.standIn.state, id).amount).toBe(5000);
    expect(h.standIn.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET /finance/transactions/${id}`]);
  });
});

describe('ChurchTools transaction bodies', () => {
  const account = (id: number, number: string) => ({ id, number, isDonationAccount: number === '8000' });
  const accounts = [account(1, '1200'), account(5, '8000')];
  const books: PeriodBooks = {
    period: { id: 1, startDate: '2026-01-01', endDate: '2026-12-31' },
    accountsByNumber: new Map(accounts.map((a) => [a.number, a])),
    accountsById: new Map(accounts.map((a) => [a.id, a])),
    costCentersByNumber: new Map([['100', { id: 7, number: '100' }]]),
    costCentersById: new Map([[7, { id: 7, number: '100' }]]),
  };
  const booking: CtTransaction = {
    id: 3,
    accountId: 1,
    contraAccountId: 5,
    amount: 5000,
    documentDate: '2026-03-02T00:00:00Z',
    documentNumber: 'D-1',
    note: 'Spende',
    costCenterId: 7,
    donator: { domainIdentifier: '11' },
    donatorSpouse: { domainIdentifier: '12' },
    isWaiverOfReimbursementOfExpenses: true,
  };

  it('sends exactly the published TransactionUpdate: a cost centre number, the donator, no spouse, no waiver, no nulls', () => {
    expect(replacementBody(booking, { amount: 7500 }, books, 'D-1')).toEqual({
      documentDate: '2026-03-02',
      documentNumber: 'D-1',
      accountId: 1,
      contraAccountId: 5,
      amount: 7500,
      note: 'Spende',
      costCenterId: 7,
      donatorId: 11,
    });
    const { donatorSpouse: _spouse, ...single } = booking;
    expect(replacementBody(single, { donor: null }, books, 'D-1')).not.toHaveProperty('donatorId');
  });

  it('creates with the published TransactionNew: no null donator or spouse', () => {
    const values = { documentDate: '2026-03-02', amount: 100, account: '1200', contraAccount: '8000', costCenter: null, donor: null };
    expect(newTransactionBody(values, books, 'x')).toEqual({
      documentDate: '2026-03-02',
      documentNumber: '',
      accountId: 1,
      contraAccountId: 5,
      amount: 100,
      note: '',
      costCenterId: null,
      isSynced: true,
    });
  });
});

describe('ChurchTools transactions: re-reading before a write', () => {
  it('re-reads bookings by id: an edit made after the read shows (the engine then skips the write), a deleted one is missing', async () => {
    h = await harness();
    const edited = await book(h);
    const gone = await book(h, { documentNumber: 'D-2026-018' });
    const port = h.ct.persons;
    const read = await port.readAll('transaction', { scope: SCOPE });
    const before = read.records.find((r) => r.id === String(edited))!;
    stored(h.standIn.state, edited).note = 'Von Hand geändert';
    h.standIn.state.finance.transactions.delete(gone);
    h.standIn.resetRequests();
    const fresh = await port.reread!('transaction', [String(edited), String(gone)]);
    expect([...fresh.keys()]).toEqual([String(edited)]);
    expect(recordHash(fresh.get(String(edited))!)).not.toBe(recordHash(before));
    expect(fresh.get(String(edited))!.properties).toEqual({ ...before.properties, note: 'Von Hand geändert' });
    expect(await port.findExisting!('transaction', [String(edited), String(gone)])).toEqual(new Set([String(edited)]));
    // The next full replace starts from the booking as re-read, so it keeps the edit — and
    // builds on that read instead of reading the booking a second time.
    h.standIn.resetRequests();
    await port.update('transaction', String(edited), { amount: 7500 }, { expectedModifiedAt: null, partnerId: '9' });
    expect(stored(h.standIn.state, edited)).toMatchObject({ amount: 7500, note: 'Von Hand geändert' });
    expect(h.standIn.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`PUT /finance/transactions/${edited}`]);
    // Without a re-read just before, a write reads the booking first.
    h.standIn.resetRequests();
    await port.update('transaction', String(edited), { amount: 7600 }, { expectedModifiedAt: null, partnerId: '9' });
    expect(h.standIn.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET /finance/transactions/${edited}`, `PUT /finance/transactions/${edited}`]);
  });
});

describe('ChurchTools transactions: deleting', () => {
  it('deletes a normal booking', async () => {
    h = await harness();
    const id = await book(h);
    const port = h.ct.persons;
    await port.readAll('transaction', { scope: SCOPE });
    expect(await port.remove('transaction', String(id))).toEqual({ kind: 'removed' });
    expect(h.standIn.state.finance.transactions.has(id)).toBe(false);
  });

  it('books a storno for an immutable booking and says so', async () => {
    h = await harness();
    const state = h.standIn.state;
    const id = await book(h);
    const port = h.ct.persons;
    await port.readAll('transaction', { scope: SCOPE });
    stored(state, id).isImmutable = true;

    const outcome = await port.remove('transaction', String(id));
    const stornoId = [...state.finance.transactions.keys()].at(-1)!;
    expect(outcome).toEqual({ kind: 'reversed', reason: { key: 'log.remove.reversedImmutable', args: { stornoId: String(stornoId) } }, counterpart: String(stornoId) });
    expect(state.finance.transactions.has(id)).toBe(true);
    // [I] The reversal swaps the sides of the donation (bank 1200 / donations 8000).
    expect(stored(state, stornoId)).toMatchObject({ amount: 5000, accountId: accountId(state, '8000'), contraAccountId: accountId(state, '1200') });
    expect(stored(state, stornoId).note).toBe('Storno der in Optigem gelöschten Buchung D-2026-017 (Optigem Sync)');
  });

  it('says that both failed when a closed period refuses the delete and the storno', async () => {
    h = await harness();
    const state = h.standIn.state;
    const id = await book(h);
    const port = h.ct.persons;
    await port.readAll('transaction', { scope: SCOPE });
    state.finance.periods.get(1)!.isClosed = true;
    const before = state.finance.transactions.size;

    const error = await portError(port.remove('transaction', String(id)));
    expect(error.code).toBe('ct.deleteAndStornoFailed');
    expect(error.message).toContain('closed accounting period');
    expect(error.message).toContain('Reverse it by hand in ChurchTools Finance');
    expect(state.finance.transactions.size).toBe(before);
  });

  it('checks a deletion with a dry run and never changes anything', async () => {
    h = await harness();
    const state = h.standIn.state;
    const normal = await book(h);
    const immutable = await book(h, { documentNumber: 'D-LOCK' });
    stored(state, immutable).isImmutable = true;
    const port = h.ct.persons;
    await port.readAll('transaction', { scope: SCOPE });
    const before = JSON.stringify([...state.finance.transactions.values()]);
    h.standIn.resetRequests();

    expect(await port.checkRemove!('transaction', String(normal))).toEqual({ kind: 'removed' });
    expect(await port.checkRemove!('transaction', String(immutable))).toEqual({ kind: 'reversed', reason: { key: 'log.remove.willReverseImmutable' } });
    state.finance.periods.get(1)!.isClosed = true;
    const refused = await port.checkRemove!('transaction', String(normal));
    expect(refused).toEqual({ kind: 'refused', reason: { key: 'log.remove.refused', args: { detail: 'Das Buchungsjahr ist abgeschlossen.' } } });
    // In a closed year even a storno is refused, so an immutable booking there cannot be reversed either.
    expect((await port.checkRemove!('transaction', String(immutable))).kind).toBe('refused');

    expect(JSON.stringify([...state.finance.transactions.values()])).toBe(before);
    const writes = h.standIn.requests.filter((r) => r.method !== 'GET');
    expect(writes.length).toBeGreaterThan(0);
    expect(writes.every((r) => r.method === 'DELETE' && r.query === 'dry_run=true')).toBe(true);
  });
});

describe('ChurchTools transactions: references', () => {
  it('lists the period’s account and cost-centre numbers and the spouses', async () => {
    h = await harness();
    const state = h.standIn.state;
    const refs = await h.ct.persons.readReferences!('transaction', { scope: SCOPE });
    const numbers = [...state.finance.accounts.values()].map((a) => a.number).sort();
    expect([...refs.known.account!].sort()).toEqual(numbers);
    expect([...refs.known.contraAccount!].sort()).toEqual(numbers);
    expect([...refs.known.costCenter!].sort()).toEqual(['100', '200', '300', '400']);
    expect(refs.problems).toEqual([]);
    expect(refs.writable).toBe(true);

    const spouseType = state.relationshipTypes.find((t) => t.name === 'Ehepartner')!.id;
    const expected: Record<string, string> = {};
    for (const r of state.relationships.filter((x) => x.relationshipTypeId === spouseType)) {
      expected[String(r.personAId)] = String(r.personBId);
      expected[String(r.personBId)] = String(r.personAId);
    }
    expect(Object.keys(expected).length).toBeGreaterThan(0);
    expect(refs.spouses).toEqual(expected);
  });

  it('reads the period and its books once when the bookings and the reference data are read together, and afresh for the next run', async () => {
    h = await harness();
    const port = h.ct.persons;
    const books = (): string[] => h!.requests().filter((r) => /^GET \/finance\/(accountingperiods|accounts|costcenters)$/.test(r));
    // How the engine reads a booking job: both at the same moment.
    const [read, refs] = await Promise.all([port.readAll('transaction', { scope: SCOPE }), port.readReferences!('transaction', { scope: SCOPE })]);
    expect(read.complete).toBe(true);
    expect(refs.known.costCenter).toHaveLength(4);
    expect(books().sort()).toEqual(['GET /finance/accountingperiods', 'GET /finance/accounts', 'GET /finance/costcenters']);
    expect(h.requests().filter((r) => r === 'GET /person/masterdata')).toHaveLength(1);
    // A settled read is not reused: the next run sees accounts added in between.
    h.standIn.resetRequests();
    await Promise.all([port.readAll('transaction', { scope: SCOPE }), port.readReferences!('transaction', { scope: SCOPE })]);
    expect(books()).toHaveLength(3);
  });

  it('finds the spouse type by its name, not by a fixed id', async () => {
    h = await harness();
    const state = h.standIn.state;
    const [a, b] = couple(state);
    // The admin renamed the types: id 2 is no spouse any more, a new "Spouse" type is.
    for (const t of state.relationshipTypes) if (t.name === 'Ehepartner') Object.assign(t, { name: 'Freundschaft', degreeNameA: 'Freund', degreeNameB: 'Freund' });
    state.relationshipTypes.push({ id: 9, name: 'Spouse', degreeNameA: 'Spouse', degreeNameB: 'Spouse', sortKey: 9 });
    state.relationships.push({ id: 999, personAId: a, personBId: 1, relationshipTypeId: 9 });
    const refs = await h.ct.persons.readReferences!('transaction', { scope: SCOPE });
    expect(refs.spouses).toEqual({ [String(a)]: '1', '1': String(a) });
    expect(refs.spouses).not.toHaveProperty(String(b));

    expect(spouseTypeIds([{ id: 1, name: 'Elternteil/Kind', degreeNameA: 'Elternteil', degreeNameB: 'Kind' }, { id: 4, name: 'Ehegatten' }])).toEqual(new Set(['4']));
  });

  it('reports a missing or closed period and forbids writing', async () => {
    h = await harness();
    const state = h.standIn.state;
    const port = h.ct.persons;
    expect(await port.readReferences!('transaction', { scope: { fiscalYear: '2030' } })).toMatchObject({
      known: { account: [], contraAccount: [], costCenter: [] },
      problems: [{ key: 'preflight.ct.noPeriod', args: { fiscalYear: '2030' } }],
      writable: false,
    });

    state.finance.periods.get(1)!.isClosed = true;
    const closed = await port.readReferences!('transaction', { scope: SCOPE });
    expect(closed.problems).toEqual([{ key: 'preflight.ct.periodClosed', args: { fiscalYear: '2026', period: '2026-01-01 – 2026-12-31' } }]);
    expect(closed.writable).toBe(false);
    expect(closed.known.account!.length).toBeGreaterThan(0);
  });

  it('needs the client when two clients keep books for the same year', async () => {
    h = await harness();
    const state = h.standIn.state;
    const first = state.finance.periods.get(1)!;
    state.finance.periods.set(2, { ...first, id: 2, clientId: 2 });
    expect((await h.ct.persons.readReferences!('transaction', { scope: SCOPE })).problems).toEqual([
      { key: 'preflight.ct.periodAmbiguous', args: { fiscalYear: '2026', clients: '1, 2' } },
    ]);
    const refs = await h.ct.persons.readReferences!('transaction', { scope: { fiscalYear: '2026', clientId: '1' } });
    expect(refs).toMatchObject({ problems: [], writable: true });
  });
});

describe('ChurchToolsSystemPort: one port for both domains', () => {
  it('keeps persons as they were (their references: who is married to whom) and refuses to archive bookings', async () => {
    h = await harness();
    const port = h.ct.persons;
    expect(await port.checkRemove!('person', '5')).toEqual({ kind: 'removed' });
    const references = await port.readReferences!('person');
    expect(references).toMatchObject({ known: {}, problems: [], writable: true });
    const spouse = h.standIn.state.relationships.find((r) => r.relationshipTypeId === 2);
    expect(references.spouses?.[String(spouse?.personAId)]).toBe(String(spouse?.personBId));
    expect((await portError(port.archive('transaction', '1'))).code).toBe('ct.archiveNotForTransactions');
    h.standIn.resetRequests();
    // Bookings have nowhere to remember the Optigem partner: nothing is sent.
    await port.notePartner('transaction', '1', '77');
    expect(h.standIn.requests).toEqual([]);
  });
});
