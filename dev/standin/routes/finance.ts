/**
 * Finance: accounting periods, accounts, cost centres, transactions and donors (reference ct-api.md §2).
 */
import { Hono } from 'hono';
import { z } from 'zod';
import {
  ApiError,
  baseUrl,
  currentUser,
  envelope,
  fieldError,
  notFound,
  paginate,
  parseBody,
  pathId,
  queryBool,
  queryInt,
  queryIntArray,
  queryString,
  readPaging,
  requireDate,
  requirePermission,
  validationError,
  type AppContext,
  type AppEnv,
  type FieldError,
} from '../http.ts';
import { newMeta, touch, zulu, type AccountRecord, type AccountingPeriodRecord, type CostCenterRecord, type StandInState, type TransactionRecord } from '../state.ts';
import { accountView, costCenterView, domainObjectMissingPerson, domainObjectPerson, periodView, transactionView } from '../views.ts';

/** One collator for all sorting: localeCompare with a locale builds a new one per call. */
const collator = new Intl.Collator('de');
const numericCollator = new Intl.Collator('de', { numeric: true });
/** Plain code-unit order, right for ISO dates and Zulu timestamps. */
const byCode = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export interface FinanceRouteOptions {
  state: StandInState;
  maxPageSize: number;
}

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Expected a date YYYY-MM-DD');

/**
 * TransactionNew as published (ct-contract-2026-12: OpenAPI TransactionNew): only `costCenterId`
 * may be null. [I] Unknown fields are dropped, not refused: the description says nothing either way.
 */
const transactionNew = z.object({
  documentDate: date,
  documentNumber: z.string(),
  accountId: z.int(),
  contraAccountId: z.int(),
  amount: z.int(),
  note: z.string(),
  costCenterId: z.int().nullable().optional(),
  donatorId: z.int().optional(),
  donatorSpouseId: z.int().optional(),
  isSynced: z.boolean().optional(),
  isWaiverOfReimbursementOfExpenses: z.boolean().optional(),
  taxRateId: z.int().optional(),
  cashDiscountId: z.int().optional(),
  cashDiscountAmount: z.int().optional(),
});

/**
 * TransactionUpdate (PUT) as published: `costCenterId` a required number, `donatorId` optional,
 * no `donatorSpouseId`, no waiver flag (ct-contract-2026-12). [I] Fields it lacks are dropped,
 * so a PUT cannot change the spouse or the waiver.
 */
const transactionUpdate = z.object({
  documentDate: date,
  documentNumber: z.string(),
  accountId: z.int(),
  contraAccountId: z.int(),
  amount: z.int(),
  note: z.string(),
  costCenterId: z.int(),
  donatorId: z.int().optional(),
  isImmutable: z.boolean().optional(),
  taxRateId: z.int().optional(),
  cashDiscountId: z.int().optional(),
  cashDiscountAmount: z.int().optional(),
});

/** Published AccountNew (POST /finance/accounts); `number` is a string there. */
const accountNew = z.object({
  accountGroupId: z.int(),
  accountingPeriodId: z.int(),
  budget: z.int().nullable().optional(),
  identifier: z.string().nullable().optional(),
  isDonationAccount: z.boolean().optional(),
  isOpeningBalanceAccount: z.boolean().optional(),
  name: z.string(),
  number: z.string(),
});

/** Published body of POST /finance/costcenters. */
const costCenterNew = z.object({
  accountingPeriodId: z.int(),
  budget: z.int().optional(),
  groupId: z.int().nullable().optional(),
  name: z.string(),
  number: z.string(),
});

const stornoBody = z.object({ note: z.string() });

const batchBody = z.object({
  changeset: z.object({ isImmutable: z.boolean().optional() }),
  filters: z.object({
    accountingPeriodId: z.int(),
    includeIds: z.array(z.int()).optional(),
    excludeIds: z.array(z.int()).optional(),
    accountIds: z.array(z.int()).optional(),
    costCenterIds: z.array(z.int()).optional(),
    donatorIds: z.array(z.int()).optional(),
    startDate: date.optional(),
    endDate: date.optional(),
    isDonation: z.boolean().optional(),
    isImmutable: z.boolean().optional(),
  }),
});

export function financeRoutes({ state, maxPageSize }: FinanceRouteOptions): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const fin = state.finance;

  const requiredPeriod = (url: URL, name = 'accounting_period_id'): AccountingPeriodRecord => {
    const ids = queryIntArray(url, name);
    const id = ids[0];
    if (id === undefined) throw validationError([fieldError(name, 'validation.not.empty', `${name} is required`)]);
    const period = fin.periods.get(id);
    if (!period) throw notFound('AccountingPeriod', id);
    return period;
  };

  const isCash = (accountId: number) => {
    const a = fin.accounts.get(accountId);
    return a ? (fin.accountGroups.find((g) => g.id === a.accountGroupId)?.isCashAssetAccount ?? false) : false;
  };
  const isDonation = (t: TransactionRecord) => (fin.accounts.get(t.accountId)?.isDonationAccount ?? false) || (fin.accounts.get(t.contraAccountId)?.isDonationAccount ?? false);

  /** Refuses writes to locked bookings; [I] ChurchTools' exact status/text is unverified, 403 chosen. */
  const assertMutable = (t: TransactionRecord) => {
    if (t.isImmutable) throw new ApiError(403, envelope('Transaction is immutable and cannot be changed or deleted.', 'finance.transaction.immutable', 'Die Buchung ist festgeschrieben und kann nicht geändert werden.'));
    assertOpen(t.accountingPeriodId);
  };
  const assertOpen = (periodId: number) => {
    const period = fin.periods.get(periodId);
    if (period?.isClosed) throw new ApiError(403, envelope('Accounting period is closed.', 'finance.accountingperiod.closed', 'Das Buchungsjahr ist abgeschlossen.'));
  };

  /** Checks accounts, cost centre and donors of a booking body; returns the booking's period. [I] The
   * period is derived from the accounts, since TransactionNew carries no period id. */
  const checkBooking = (body: { accountId: number; contraAccountId: number; costCenterId?: number | null; donatorId?: number; donatorSpouseId?: number; documentDate: string; taxRateId?: number }): number => {
    const errors: FieldError[] = [];
    const account = fin.accounts.get(body.accountId);
    const contra = fin.accounts.get(body.contraAccountId);
    if (!account) errors.push(fieldError('accountId', 'validation.db.field.option', `Account [${body.accountId}] not found`));
    if (!contra) errors.push(fieldError('contraAccountId', 'validation.db.field.option', `Account [${body.contraAccountId}] not found`));
    if (account && contra && account.accountingPeriodId !== contra.accountingPeriodId) errors.push(fieldError('contraAccountId', 'finance.accounts.different.period', 'Account and contra account belong to different accounting periods'));
    const periodId = account?.accountingPeriodId;
    if (body.costCenterId !== undefined && body.costCenterId !== null) {
      const cc = fin.costCenters.get(body.costCenterId);
      if (!cc || cc.accountingPeriodId !== periodId) errors.push(fieldError('costCenterId', 'validation.db.field.option', `CostCenter [${body.costCenterId}] not found in this accounting period`));
    }
    for (const key of ['donatorId', 'donatorSpouseId'] as const) {
      const id = body[key];
      if (id !== undefined && !state.persons.has(id)) errors.push(fieldError(key, 'validation.db.field.option', `Person [${id}] not found`));
    }
    // [I] No tax rates are configured in the stand-in, so tax splits cannot be created.
    if (body.taxRateId !== undefined) errors.push(fieldError('taxRateId', 'validation.db.field.option', `TaxRate [${body.taxRateId}] not found`));
    if (periodId !== undefined) {
      const period = fin.periods.get(periodId);
      if (period && (body.documentDate < period.startDate || body.documentDate > period.endDate)) {
        errors.push(fieldError('documentDate', 'finance.transaction.date.outside.period', 'The document date lies outside the accounting period'));
      }
    }
    if (errors.length > 0 || periodId === undefined) throw validationError(errors);
    return periodId;
  };

  const getTransaction = (c: AppContext): TransactionRecord => {
    const id = pathId(c, 'id', 'Transaction');
    const t = fin.transactions.get(id);
    if (!t) throw notFound('Transaction', id);
    return t;
  };

  app.use('/finance/*', async (c, next) => {
    requirePermission(c, 'finance', 'view');
    await next();
  });

  app.get('/finance/clients', (c) => c.json({ data: fin.clients.map((cl) => ({ ...cl, treasurerId: null, datevClientNumber: null })) }));

  app.get('/finance/accountingperiods', (c) => {
    const data = [...fin.periods.values()].sort((a, b) => byCode(a.startDate, b.startDate)).map((p) => periodView(p, c.get('perms')));
    return c.json({ data });
  });

  app.get('/finance/accounts', (c) => {
    const url = new URL(c.req.url);
    const periodIds = queryIntArray(url, 'accounting_period_id');
    if (periodIds.length === 0) throw validationError([fieldError('accounting_period_id', 'validation.not.empty', 'accounting_period_id is required')]);
    const data = [...fin.accounts.values()]
      .filter((a) => periodIds.includes(a.accountingPeriodId))
      .sort((a, b) => numericCollator.compare(a.number, b.number))
      .map((a) => accountView(state, a));
    return c.json({ data });
  });

  app.get('/finance/costcenters', (c) => {
    const period = requiredPeriod(new URL(c.req.url));
    const data = [...fin.costCenters.values()]
      .filter((cc) => cc.accountingPeriodId === period.id)
      .sort((a, b) => numericCollator.compare(a.number, b.number))
      .map(costCenterView);
    return c.json({ data });
  });

  /** Period of a master-data write; refused like a reference that does not exist. */
  const writablePeriod = (periodId: number): AccountingPeriodRecord => {
    const period = fin.periods.get(periodId);
    if (!period) throw validationError([fieldError('accountingPeriodId', 'validation.db.field.option', `AccountingPeriod [${periodId}] not found`)]);
    return period;
  };

  // Published: POST /finance/accounts (AccountNew) answers the account in an array, like GET.
  // [I] The status code (200) and the right it needs ('edit masterdata') are not stated.
  app.post('/finance/accounts', async (c) => {
    requirePermission(c, 'finance', 'edit masterdata');
    const user = currentUser(c);
    const body = await parseBody(c, accountNew);
    writablePeriod(body.accountingPeriodId);
    const errors: FieldError[] = [];
    if (!fin.accountGroups.some((g) => g.id === body.accountGroupId)) errors.push(fieldError('accountGroupId', 'validation.db.field.option', `AccountGroup [${body.accountGroupId}] not found`));
    if ([...fin.accounts.values()].some((a) => a.accountingPeriodId === body.accountingPeriodId && a.number === body.number)) {
      // [I] ChurchTools' wording for a duplicate account number is not known.
      errors.push(fieldError('number', 'validation.unique', `Account number ${body.number} exists in this accounting period`));
    }
    if (errors.length > 0) throw validationError(errors);
    const account: AccountRecord = {
      id: Math.max(0, ...fin.accounts.keys()) + 1,
      accountingPeriodId: body.accountingPeriodId,
      accountGroupId: body.accountGroupId,
      number: body.number,
      name: body.name,
      identifier: body.identifier ?? '',
      isDonationAccount: body.isDonationAccount ?? false,
      isOpeningBalanceAccount: body.isOpeningBalanceAccount ?? false,
      taxRateId: null,
      budget: body.budget ?? null,
      meta: newMeta(state, user.personId),
    };
    fin.accounts.set(account.id, account);
    return c.json({ data: [accountView(state, account)] });
  });

  // Published: POST /finance/costcenters answers `{data: CostCenter}`. [I] Status 200 and the right.
  app.post('/finance/costcenters', async (c) => {
    requirePermission(c, 'finance', 'edit masterdata');
    const user = currentUser(c);
    const body = await parseBody(c, costCenterNew);
    writablePeriod(body.accountingPeriodId);
    if ([...fin.costCenters.values()].some((cc) => cc.accountingPeriodId === body.accountingPeriodId && cc.number === body.number)) {
      throw validationError([fieldError('number', 'validation.unique', `Cost center number ${body.number} exists in this accounting period`)]);
    }
    const costCenter: CostCenterRecord = {
      id: Math.max(0, ...fin.costCenters.keys()) + 1,
      accountingPeriodId: body.accountingPeriodId,
      number: body.number,
      name: body.name,
      budget: body.budget ?? 0,
      meta: newMeta(state, user.personId),
    };
    fin.costCenters.set(costCenter.id, costCenter);
    return c.json({ data: costCenterView(costCenter) });
  });

  app.get('/finance/masterdata', (c) => {
    const period = requiredPeriod(new URL(c.req.url));
    const perms = c.get('perms');
    const editMasterData = perms?.modules.finance?.['edit masterdata'] === true;
    return c.json({
      data: {
        accountClasses: [
          { id: 1, accountTypeId: 1, name: 'Vermögen', includeProfitLoss: false, sortKey: 1, meta: { ...period.meta } },
          { id: 2, accountTypeId: 2, name: 'Erträge und Aufwendungen', includeProfitLoss: true, sortKey: 2, meta: { ...period.meta } },
        ],
        accountGroups: fin.accountGroups.map((g) => ({ ...g, meta: { ...period.meta } })),
        accountTypes: [
          { id: 1, name: 'Bestandskonten', balanceType: 'assets', isBalanceAccount: true, sortKey: 1, meta: { ...period.meta } },
          { id: 2, name: 'Erfolgskonten', balanceType: null, isBalanceAccount: false, sortKey: 2, meta: { ...period.meta } },
        ],
        accountingPeriods: [...fin.periods.values()].map((p) => periodView(p, perms)),
        accounts: [...fin.accounts.values()].filter((a) => a.accountingPeriodId === period.id).map((a) => accountView(state, a)),
        cashDiscounts: [],
        clients: fin.clients.map((cl) => ({ ...cl, treasurerId: null, datevClientNumber: null })),
        costCenters: [...fin.costCenters.values()].filter((cc) => cc.accountingPeriodId === period.id).map(costCenterView),
        taxRates: [],
        taxTypes: [],
        transactionPurposes: [],
      },
      // The published response has counts in `meta` and `permissions` beside `data` (ct-contract-2026-12).
      meta: {
        accountClassesCount: 2,
        accountGroupsCount: fin.accountGroups.length,
        accountTypesCount: 2,
        accountingPeriodCount: fin.periods.size,
        accountsCount: [...fin.accounts.values()].filter((a) => a.accountingPeriodId === period.id).length,
        cashDiscountsCount: 0,
        clientsCount: fin.clients.length,
        costCentersCount: [...fin.costCenters.values()].filter((cc) => cc.accountingPeriodId === period.id).length,
        taxRatesCount: 0,
        taxTypesCount: 0,
        transactionPurposesCount: 0,
      },
      permissions: { canViewBudgets: true, canViewDonators: true, canViewReports: true, canViewTransactions: true, editMasterData },
    });
  });

  app.get('/finance/transactions', (c) => {
    const url = new URL(c.req.url);
    const period = requiredPeriod(url);
    const paging = readPaging(url, maxPageSize);
    const accountIds = queryIntArray(url, 'account_ids');
    const costCenterIds = queryIntArray(url, 'cost_center_ids');
    const donatorIds = queryIntArray(url, 'donator_ids');
    const includeIds = queryIntArray(url, 'include_ids');
    const excludeIds = queryIntArray(url, 'exclude_ids');
    const donation = queryBool(url, 'is_donation');
    const income = queryBool(url, 'is_income');
    const immutable = queryBool(url, 'is_immutable');
    const createdPid = queryInt(url, 'created_pid');
    const start = requireDate(queryString(url, 'start_date'), 'start_date');
    const end = requireDate(queryString(url, 'end_date'), 'end_date');
    const orderBy = queryString(url, 'order_by') ?? 'date';
    const direction = (queryString(url, 'order_direction') ?? 'ASC').toUpperCase();
    if (!['date', 'amount', 'modified'].includes(orderBy)) throw validationError([fieldError('order_by', 'validation.db.field.option', 'order_by must be date, amount or modified', { validOptions: ['date', 'amount', 'modified'] })]);
    if (!['ASC', 'DESC'].includes(direction)) throw validationError([fieldError('order_direction', 'validation.db.field.option', 'order_direction must be ASC or DESC', { validOptions: ['ASC', 'DESC'] })]);

    const list = [...fin.transactions.values()]
      .filter((t) => t.accountingPeriodId === period.id)
      .filter((t) => accountIds.length === 0 || accountIds.includes(t.accountId) || accountIds.includes(t.contraAccountId))
      .filter((t) => costCenterIds.length === 0 || (t.costCenterId !== null && costCenterIds.includes(t.costCenterId)))
      .filter((t) => donatorIds.length === 0 || (t.donatorId !== null && donatorIds.includes(t.donatorId)) || (t.donatorSpouseId !== null && donatorIds.includes(t.donatorSpouseId)))
      .filter((t) => includeIds.length === 0 || includeIds.includes(t.id))
      .filter((t) => !excludeIds.includes(t.id))
      .filter((t) => donation === undefined || isDonation(t) === donation)
      // [I] An income has the bank or cash account as its Konto (accountId; ChurchTools Academy,
      // "Zwecke"), so money comes in when the accountId side is a cash-asset account.
      .filter((t) => income === undefined || isCash(t.accountId) === income)
      .filter((t) => immutable === undefined || t.isImmutable === immutable)
      .filter((t) => createdPid === undefined || t.meta.createdPerson.id === createdPid)
      .filter((t) => start === undefined || t.documentDate >= start)
      .filter((t) => end === undefined || t.documentDate <= end);
    const sign = direction === 'DESC' ? -1 : 1;
    list.sort((a, b) => {
      const primary = orderBy === 'amount' ? a.amount - b.amount : orderBy === 'date' ? byCode(a.documentDate, b.documentDate) : 0;
      // "For date and amount a second sorting happens by modified", in the same direction.
      const secondary = byCode(a.meta.modifiedDate, b.meta.modifiedDate) || a.id - b.id;
      return sign * (primary || secondary);
    });
    const page = paginate(list, paging);
    const base = baseUrl(c);
    return c.json({ data: page.data.map((t) => transactionView(state, base, t)), meta: page.meta });
  });

  app.get('/finance/transactions/:id', (c) => {
    const t = getTransaction(c);
    // The single read answers an array too (reference §2.4).
    return c.json({ data: [transactionView(state, baseUrl(c), t)] });
  });

  app.post('/finance/transactions', async (c) => {
    const user = currentUser(c);
    const body = await parseBody(c, transactionNew);
    const periodId = checkBooking(body);
    assertOpen(periodId);
    const t: TransactionRecord = {
      id: state.nextId.transaction++,
      accountingPeriodId: periodId,
      accountId: body.accountId,
      contraAccountId: body.contraAccountId,
      amount: body.amount,
      documentDate: body.documentDate,
      documentNumber: body.documentNumber,
      note: body.note,
      costCenterId: body.costCenterId ?? null,
      donatorId: body.donatorId ?? null,
      donatorSpouseId: body.donatorSpouseId ?? null,
      isImmutable: false,
      isSynced: body.isSynced ?? false,
      isWaiverOfReimbursementOfExpenses: body.isWaiverOfReimbursementOfExpenses ?? false,
      meta: newMeta(state, user.personId),
    };
    fin.transactions.set(t.id, t);
    // 200 with an array: tax splits would be created alongside (reference §2.4).
    return c.json({ data: [transactionView(state, baseUrl(c), t)] });
  });

  app.patch('/finance/transactions', async (c) => {
    const user = currentUser(c);
    const body = await parseBody(c, batchBody);
    const f = body.filters;
    const hits = [...fin.transactions.values()].filter(
      (t) =>
        t.accountingPeriodId === f.accountingPeriodId &&
        (f.includeIds === undefined || f.includeIds.includes(t.id)) &&
        (f.excludeIds === undefined || !f.excludeIds.includes(t.id)) &&
        (f.accountIds === undefined || f.accountIds.includes(t.accountId) || f.accountIds.includes(t.contraAccountId)) &&
        (f.costCenterIds === undefined || (t.costCenterId !== null && f.costCenterIds.includes(t.costCenterId))) &&
        (f.donatorIds === undefined || (t.donatorId !== null && f.donatorIds.includes(t.donatorId)) || (t.donatorSpouseId !== null && f.donatorIds.includes(t.donatorSpouseId))) &&
        (f.startDate === undefined || t.documentDate >= f.startDate) &&
        (f.endDate === undefined || t.documentDate <= f.endDate) &&
        (f.isDonation === undefined || isDonation(t) === f.isDonation) &&
        (f.isImmutable === undefined || t.isImmutable === f.isImmutable),
    );
    let changedRows = 0;
    if (body.changeset.isImmutable !== undefined) {
      for (const t of hits) {
        // Once immutable, a booking stays immutable (that is what the lock is for).
        if (t.isImmutable || !body.changeset.isImmutable) continue;
        t.isImmutable = true;
        touch(t.meta, state, user.personId);
        changedRows++;
      }
    }
    return c.json({ data: { affectedRows: hits.length, changedRows } });
  });

  app.put('/finance/transactions/:id', async (c) => {
    const user = currentUser(c);
    const t = getTransaction(c);
    assertMutable(t);
    const body = await parseBody(c, transactionUpdate);
    const periodId = checkBooking(body);
    if (periodId !== t.accountingPeriodId) throw validationError([fieldError('accountId', 'finance.accounts.different.period', 'A booking cannot move to another accounting period')]);
    t.accountId = body.accountId;
    t.contraAccountId = body.contraAccountId;
    t.amount = body.amount;
    t.documentDate = body.documentDate;
    t.documentNumber = body.documentNumber;
    t.note = body.note;
    t.costCenterId = body.costCenterId;
    // [I] Full replace: an omitted donor is removed, as PUT semantics demand. The spouse and the
    // waiver are not in TransactionUpdate, so they stay as they are.
    t.donatorId = body.donatorId ?? null;
    if (t.donatorId === null) t.donatorSpouseId = null;
    if (body.isImmutable === true) t.isImmutable = true;
    touch(t.meta, state, user.personId);
    return c.json({ data: [transactionView(state, baseUrl(c), t)] });
  });

  app.delete('/finance/transactions/:id', (c) => {
    const t = getTransaction(c);
    assertMutable(t);
    const dryRun = queryBool(new URL(c.req.url), 'dry_run') ?? false;
    if (!dryRun) fin.transactions.delete(t.id);
    return c.body(null, 204);
  });

  app.put('/finance/transactions/:id/storno', async (c) => {
    const user = currentUser(c);
    const t = getTransaction(c);
    // A storno is how locked bookings are corrected, so immutability does not block it; a closed year does.
    assertOpen(t.accountingPeriodId);
    const body = await parseBody(c, stornoBody);
    const period = fin.periods.get(t.accountingPeriodId);
    const today = zulu(state.now()).slice(0, 10);
    // [I] The reversal swaps debit and credit and is dated today (clamped into the period).
    const documentDate = period ? (today < period.startDate ? period.startDate : today > period.endDate ? period.endDate : today) : t.documentDate;
    const storno: TransactionRecord = {
      ...t,
      id: state.nextId.transaction++,
      accountId: t.contraAccountId,
      contraAccountId: t.accountId,
      documentDate,
      note: body.note,
      isImmutable: false,
      isSynced: false,
      meta: newMeta(state, user.personId),
    };
    fin.transactions.set(storno.id, storno);
    return c.json({ data: [transactionView(state, baseUrl(c), storno)] });
  });

  app.get('/finance/donators', (c) => {
    const url = new URL(c.req.url);
    const period = requiredPeriod(url);
    const paging = readPaging(url, maxPageSize);
    const orderBy = queryString(url, 'order_by') ?? 'name';
    const direction = (queryString(url, 'order_direction') ?? 'ASC').toUpperCase() === 'DESC' ? -1 : 1;
    const query = queryString(url, 'query')?.toLocaleLowerCase('de');
    const base = baseUrl(c);

    const spouseOf = (id: number): number | undefined => {
      const r = state.relationships.find((x) => x.relationshipTypeId === 2 && (x.personAId === id || x.personBId === id));
      return r ? (r.personAId === id ? r.personBId : r.personAId) : undefined;
    };
    interface Agg { ids: number[]; sum: number; count: number; last?: TransactionRecord }
    const groups = new Map<string, Agg>();
    for (const t of fin.transactions.values()) {
      if (t.accountingPeriodId !== period.id || !isDonation(t) || t.donatorId === null) continue;
      // Donors are single persons or couples: spouses share one donation receipt (reference §2.5).
      const spouse = t.donatorSpouseId ?? spouseOf(t.donatorId);
      const ids = spouse === undefined ? [t.donatorId] : [t.donatorId, spouse].sort((a, b) => a - b);
      const key = ids.join('+');
      const agg = groups.get(key) ?? { ids, sum: 0, count: 0 };
      agg.sum += t.amount;
      agg.count++;
      if (!agg.last || t.documentDate > agg.last.documentDate) agg.last = t;
      groups.set(key, agg);
    }
    const rows = [...groups.values()].map((g) => {
      const persons = g.ids.map((id) => state.persons.get(id));
      const main = persons[0];
      const has = { firstName: !!main?.firstName, lastName: !!main?.lastName, street: !!main?.street, zip: !!main?.zip, city: !!main?.city };
      return {
        name: persons.map((p) => (p ? `${p.lastName}, ${p.firstName}` : '')).join(' / '),
        row: {
          persons: g.ids.map((id, i) => {
            const p = persons[i];
            return p ? domainObjectPerson(base, p) : domainObjectMissingPerson(base, id);
          }),
          sum: g.sum,
          count: g.count,
          lastDonationAmount: g.last?.amount ?? 0,
          lastDonationDate: g.last ? `${g.last.documentDate}T00:00:00Z` : null,
          lastDonationModifiedDate: g.last?.meta.modifiedDate ?? null,
          hasAllDonatorData: Object.values(has).every(Boolean),
          hasDonatorData: has,
          hasDonationReceipt: false,
          donationReceiptCreatedDate: null,
          isDonationReceiptOutdated: false,
        },
      };
    });
    const filtered = rows.filter((r) => !query || r.name.toLocaleLowerCase('de').includes(query));
    filtered.sort((a, b) => {
      const cmp = orderBy === 'sum' ? a.row.sum - b.row.sum : orderBy === 'count' ? a.row.count - b.row.count : orderBy === 'last' ? byCode(String(a.row.lastDonationDate), String(b.row.lastDonationDate)) : collator.compare(a.name, b.name);
      return direction * cmp;
    });
    const page = paginate(filtered.map((r) => r.row), paging);
    return c.json({ data: page.data, meta: page.meta });
  });

  return app;
}
