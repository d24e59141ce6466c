/**
 * ChurchTools Finance for the transaction sync (reference ct-api §2). Accounts and cost
 * centres belong to one accounting period, so they are looked up by *number* within a period,
 * never by id across periods.
 */
import { z } from 'zod';
import { PortError, type ReadProblem } from '../sync/ports.ts';
import type { CtHttp } from './http/ct-http.ts';
import { toPortError } from './http/errors.ts';
import { readAllPages } from './http/paging.ts';

const idLike = z.union([z.number(), z.string()]);

export const accountingPeriodSchema = z.looseObject({
  id: z.number(),
  clientId: z.number().nullish(),
  startDate: z.string(),
  endDate: z.string(),
  isClosed: z.boolean().nullish(),
  incrementDocumentNumber: z.boolean().nullish(),
  donationReceiptsCreated: z.union([z.string(), z.boolean()]).nullish(),
});
export type AccountingPeriod = z.infer<typeof accountingPeriodSchema>;

export const accountSchema = z.looseObject({
  id: z.number(),
  accountingPeriodId: z.number().nullish(),
  accountGroupId: z.number().nullish(),
  number: idLike,
  name: z.string().nullish(),
  isDonationAccount: z.boolean().nullish(),
});
export type Account = z.infer<typeof accountSchema>;

export const costCenterSchema = z.looseObject({
  id: z.number(),
  accountingPeriodId: z.number().nullish(),
  number: idLike,
  name: z.string().nullish(),
});
export type CostCenter = z.infer<typeof costCenterSchema>;

const domainPersonSchema = z.looseObject({
  domainIdentifier: idLike.nullish(),
  title: z.string().nullish(),
});

export const transactionSchema = z.looseObject({
  id: z.number(),
  accountId: z.number(),
  contraAccountId: z.number(),
  amount: z.number(),
  documentDate: z.string(),
  documentNumber: z.string().nullish(),
  note: z.string().nullish(),
  costCenterId: z.number().nullish(),
  donator: domainPersonSchema.nullish(),
  donatorSpouse: domainPersonSchema.nullish(),
  isImmutable: z.boolean().nullish(),
  isSynced: z.boolean().nullish(),
  isWaiverOfReimbursementOfExpenses: z.boolean().nullish(),
  taxRateId: z.number().nullish(),
  cashDiscountId: z.number().nullish(),
  cashDiscountAmount: z.number().nullish(),
  // The published Transaction.meta is a count-only MetaCount: nothing in it is read (issue #11).
  meta: z.looseObject({}).nullish(),
});
export type CtTransaction = z.infer<typeof transactionSchema>;

/** POST body: the published TransactionNew (ct-contract-2026-12); only `costCenterId` is nullable. */
export interface TransactionNew {
  readonly documentDate: string;
  readonly documentNumber: string;
  readonly accountId: number;
  readonly contraAccountId: number;
  /** In cent. */
  readonly amount: number;
  readonly note: string;
  readonly costCenterId?: number | null;
  readonly donatorId?: number;
  readonly donatorSpouseId?: number;
  readonly isSynced?: boolean;
  readonly isWaiverOfReimbursementOfExpenses?: boolean;
  readonly taxRateId?: number;
}

/**
 * PUT body: exactly the published TransactionUpdate (ct-contract-2026-12): `costCenterId` a
 * required number, `donatorId` optional, no `donatorSpouseId`, no waiver flag, no nulls.
 */
export interface TransactionUpdate {
  readonly documentDate: string;
  readonly documentNumber: string;
  readonly accountId: number;
  readonly contraAccountId: number;
  readonly amount: number;
  readonly note: string;
  readonly costCenterId: number;
  readonly donatorId?: number;
  readonly isImmutable?: boolean;
  readonly taxRateId?: number;
  readonly cashDiscountId?: number;
  readonly cashDiscountAmount?: number;
}

export interface TransactionFilter {
  readonly accountIds?: readonly number[];
  readonly costCenterIds?: readonly number[];
  readonly isDonation?: boolean;
  readonly startDate?: string;
  readonly endDate?: string;
}

export interface PeriodMasterData {
  readonly periodId: number;
  readonly accountsByNumber: ReadonlyMap<string, Account>;
  readonly costCentersByNumber: ReadonlyMap<string, CostCenter>;
}

export interface TransactionRead {
  readonly transactions: CtTransaction[];
  readonly complete: boolean;
  readonly problems: ReadProblem[];
}

const transactionsSchema = z.array(transactionSchema);

export class FinanceClient {
  private readonly http: CtHttp;
  /**
   * [I] The maximum limit of /finance/transactions is unknown (ct-api §6.2): try 500, fall back
   * to 100, and keep whatever worked so later reads skip the refused size.
   */
  private transactionPageSize = 500;

  constructor(http: CtHttp) {
    this.http = http;
  }

  async accountingPeriods(): Promise<AccountingPeriod[]> {
    try {
      return await this.http.get('/finance/accountingperiods', z.array(accountingPeriodSchema));
    } catch (error) {
      throw toPortError(error, { operation: 'read accounting periods' });
    }
  }

  /** [I] The period whose start..end covers `date` (`YYYY-MM-DD`), optionally for one client. */
  async periodFor(date: string, clientId?: number): Promise<AccountingPeriod | null> {
    const periods = await this.accountingPeriods();
    return (
      periods.find(
        (p) => p.startDate.slice(0, 10) <= date && date <= p.endDate.slice(0, 10) && (clientId === undefined || p.clientId === clientId),
      ) ?? null
    );
  }

  /**
   * [I] The periods of a fiscal year: those whose start date lies in it (for one client when
   * given). More than one means several clients keep books and the job must name its client.
   */
  async periodsOfFiscalYear(fiscalYear: string, clientId?: number): Promise<AccountingPeriod[]> {
    const periods = await this.accountingPeriods();
    return periods.filter((p) => p.startDate.slice(0, 4) === fiscalYear && (clientId === undefined || p.clientId === clientId));
  }

  /** Accounts and cost centres of one period, keyed by their number as a string. */
  async periodMasterData(periodId: number): Promise<PeriodMasterData> {
    try {
      const [accounts, costCenters] = await Promise.all([
        this.http.get('/finance/accounts', z.array(accountSchema), { accounting_period_id: [periodId] }),
        this.http.get('/finance/costcenters', z.array(costCenterSchema), { accounting_period_id: periodId }),
      ]);
      return {
        periodId,
        accountsByNumber: new Map(accounts.map((a) => [String(a.number), a])),
        costCentersByNumber: new Map(costCenters.map((c) => [String(c.number), c])),
      };
    } catch (error) {
      throw toPortError(error, { operation: `read accounts and cost centres of accounting period ${periodId}` });
    }
  }

  /** All transactions of one period; a failed page makes the read incomplete instead of throwing. */
  async transactions(periodId: number, filter: TransactionFilter = {}): Promise<TransactionRead> {
    const label = `/finance/transactions (period ${periodId})`;
    const read = await readAllPages(
      this.http,
      '/finance/transactions',
      transactionSchema,
      {
        accounting_period_id: periodId,
        account_ids: filter.accountIds,
        cost_center_ids: filter.costCenterIds,
        is_donation: filter.isDonation,
        start_date: filter.startDate,
        end_date: filter.endDate,
        order_by: 'date',
      },
      // Pages are sorted by date, then by modification: a booking added or edited mid-read shifts
      // the pages, and the id check calls such a read incomplete.
      { limit: this.transactionPageSize, fallbackLimit: 100, concurrency: 3, label, idOf: (t) => String(t.id) },
    );
    this.transactionPageSize = read.limit;
    const byId = new Map(read.items.map((t) => [t.id, t]));
    return { transactions: [...byId.values()], complete: read.complete, problems: [...read.problems] };
  }

  /** One transaction as ChurchTools has it now (the single read answers an array, ct-api §2.4). */
  async transaction(id: number, label?: string): Promise<CtTransaction> {
    let found: CtTransaction | undefined;
    try {
      const list = await this.http.get(`/finance/transactions/${id}`, transactionsSchema);
      found = list.find((t) => t.id === id) ?? list[0];
    } catch (error) {
      throw toPortError(error, { operation: 'read transaction', recordId: String(id), label: label ?? null });
    }
    if (!found) {
      throw new PortError('ct.notFound', `ChurchTools: read transaction #${id} failed: the answer held no transaction`, {
        args: { operation: 'read transaction', recordId: String(id) },
      });
    }
    return found;
  }

  /** Returns every transaction ChurchTools created (tax splits come as extra entries). */
  async createTransaction(body: TransactionNew, label?: string): Promise<CtTransaction[]> {
    try {
      return await this.http.post('/finance/transactions', { ...body }, transactionsSchema);
    } catch (error) {
      throw toPortError(error, { operation: 'create transaction', label: label ?? body.documentNumber });
    }
  }

  async updateTransaction(id: number, body: TransactionUpdate, label?: string): Promise<CtTransaction[]> {
    try {
      return await this.http.put(`/finance/transactions/${id}`, { ...body }, transactionsSchema);
    } catch (error) {
      throw toPortError(error, { operation: 'update transaction', recordId: String(id), label: label ?? null });
    }
  }

  /** With `dryRun`, ChurchTools only checks whether the delete would work (for simulations). */
  async deleteTransaction(id: number, options: { dryRun?: boolean; label?: string } = {}): Promise<void> {
    try {
      await this.http.delete(`/finance/transactions/${id}`, { dry_run: options.dryRun ?? false });
    } catch (error) {
      throw toPortError(error, {
        operation: options.dryRun ? 'check deletion of transaction' : 'delete transaction',
        recordId: String(id),
        label: options.label ?? null,
      });
    }
  }

  /** Reverses an immutable transaction or one in a closed period. */
  async stornoTransaction(id: number, note: string, label?: string): Promise<CtTransaction[]> {
    try {
      return await this.http.put(`/finance/transactions/${id}/storno`, { note }, transactionsSchema);
    } catch (error) {
      throw toPortError(error, { operation: 'reverse transaction', recordId: String(id), label: label ?? null });
    }
  }
}
