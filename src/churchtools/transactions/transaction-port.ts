/**
 * ChurchTools Finance as the engine's own system for bookings: the transactions of one
 * accounting period (the job's fiscal year), written back through POST/PUT/DELETE, and reversed
 * with a storno where ChurchTools refuses to delete (ct-api §2.4, §2.6).
 */
import { z } from 'zod';
import type { Domain, FieldValues, SyncRecord } from '../../sync/model.ts';
import {
  PortError,
  type CreateContext,
  type ReadOptions,
  type ReadProblem,
  type ReadResult,
  type RebookOutcome,
  type ReferenceData,
  type RemoveCheck,
  type RemoveOutcome,
  type SystemPort,
  type UpdateContext,
} from '../../sync/ports.ts';
import { CT_TRANSACTION_FIELDS as F } from '../../sync/transaction-fields.ts';
import { FinanceClient, type AccountingPeriod, type CtTransaction } from '../finance.ts';
import type { CtHttp } from '../http/ct-http.ts';
import { readAllPages } from '../http/paging.ts';
import { readSpouses, type RelationshipTypeSource } from './spouses.ts';
import {
  donorIds,
  contentOf,
  newTransactionBody,
  periodText,
  replacementBody,
  transactionLabel,
  transactionToRecord,
  type PeriodBooks,
} from './transaction-record.ts';

const scopeSchema = z.object({
  fiscalYear: z.string().regex(/^\d{4}$/),
  clientId: z.string().regex(/^\d+$/).optional(),
});
type Scope = z.infer<typeof scopeSchema>;

const donorPersonSchema = z.looseObject({ id: z.union([z.number(), z.string()]), statusId: z.number().nullish() });

/** Persons per request when reading donors' status; keeps `ids[]=…` URLs short. */
const DONOR_BATCH = 100;

/** The port's part of SystemPort: everything but what only persons have (identity, archive). */
export type TransactionPort = Required<Pick<SystemPort, 'readAll' | 'create' | 'update' | 'rebook' | 'remove' | 'checkRemove' | 'readReferences' | 'findExisting' | 'reread'>>;

type RefusalCause = 'immutable' | 'closed';

/** Looks up the period of the job's scope; `problem` says why there is none to use. */
type PeriodLookup = { period: AccountingPeriod; problem?: undefined } | { period?: undefined; problem: { key: string; args: Record<string, string> } };

export class ChurchToolsTransactionPort implements TransactionPort {
  private readonly finance: FinanceClient;
  private readonly http: CtHttp;
  /** The period (and its master data) of the last read: where creates and updates book. */
  private books: PeriodBooks | null = null;
  /** Bookings as last read or written: the base of a full-replace update, and their labels. */
  private readonly known = new Map<string, CtTransaction>();
  /**
   * Bookings re-read by id right before their write (the executor reads a batch ahead): the
   * write builds on that read instead of reading the booking a second time.
   */
  private readonly justReread = new Set<string>();
  /** Donors' status ids of the last read, when a condition needed them: re-reads shape records alike. */
  private donorStatuses: Map<string, string> | undefined;
  /**
   * Reads of the period and its books still under way, joined by a second caller at the same
   * moment: a run reads its bookings and its reference data together, both need them. Only
   * reads in flight are shared, never a settled answer, so each run reads them afresh.
   */
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(
    http: CtHttp,
    /** The person master data's relationship types (couples' donations name both spouses). */
    private readonly relationshipTypes: RelationshipTypeSource,
  ) {
    this.http = http;
    this.finance = new FinanceClient(http);
  }

  async readAll(domain: Domain, options: ReadOptions = {}): Promise<ReadResult> {
    assertTransactions(domain, 'read');
    const scope = parseScope(options.scope);
    const lookup = await this.lookupPeriod(scope);
    if (!lookup.period) {
      // Nothing can be read, and "nothing read" must not look like "everything deleted".
      return { records: [], complete: false, problems: [{ what: 'accounting period', message: problemText(lookup.problem) }] };
    }
    const books = await this.loadBooks(lookup.period);
    const read = await this.finance.transactions(books.period.id);
    const problems: ReadProblem[] = [...read.problems];
    let complete = read.complete;

    let donorStatuses: Map<string, string> | undefined;
    if (options.conditionFields?.includes(F.donorStatus)) {
      const donors = new Set(read.transactions.flatMap((t) => donorIds(t).slice(0, 1)));
      const statuses = await this.readStatuses([...donors]);
      donorStatuses = statuses.statuses;
      problems.push(...statuses.problems);
      complete &&= statuses.problems.length === 0;
    }

    this.donorStatuses = donorStatuses;
    this.known.clear();
    this.justReread.clear();
    const records: SyncRecord[] = [];
    for (const t of read.transactions) {
      this.known.set(String(t.id), t);
      records.push(transactionToRecord(t, books, donorStatuses ? { donorStatuses } : {}));
    }
    return { records, complete, problems };
  }

  async create(domain: Domain, values: FieldValues, _context: CreateContext): Promise<SyncRecord> {
    assertTransactions(domain, 'create');
    const label = transactionLabel(values);
    const date = values[F.date];
    const books = await this.booksFor(typeof date === 'string' ? date : null, label);
    const body = newTransactionBody(values, books, label);
    const created = await this.finance.createTransaction(body, label);
    // The answer is an array because ChurchTools may add tax splits; the booking asked for comes first.
    const first = created[0];
    if (!first) {
      throw new PortError('ct.invalidResponse', `ChurchTools: create transaction ${label} answered without the new booking`, { args: { label } });
    }
    return this.remember(first, books);
  }

  /**
   * A PUT replaces the whole booking, so it is built from the booking as ChurchTools has it now.
   * ChurchTools promises no modification date for a booking, so "changed since the sync read
   * it" is told by its content: read again, compared with what the plan was made from.
   */
  async update(domain: Domain, id: string, values: FieldValues, _context: UpdateContext): Promise<SyncRecord> {
    assertTransactions(domain, 'update');
    const numericId = transactionId(id);
    const read = this.known.get(id);
    const current = await this.currentForWrite(id, numericId, read);
    const label = this.labelOf(current);
    if (read && contentOf(read) !== contentOf(current)) {
      this.known.set(id, current);
      throw new PortError(
        'ct.changedSinceRead',
        `ChurchTools: booking ${label} (#${id}) was changed in ChurchTools after the sync read it. ` +
          'Nothing was written; run the job again so it works from the current booking.',
        { args: { recordId: id, label } },
      );
    }
    const books = await this.booksFor(current.documentDate, label);
    const body = replacementBody(current, values, books, label);
    const answer = await this.finance.updateTransaction(numericId, body, label);
    const after = answer.find((t) => t.id === numericId) ?? answer[0];
    if (!after) {
      throw new PortError('ct.invalidResponse', `ChurchTools: update transaction ${label} (#${id}) answered without the booking`, {
        args: { recordId: id, label },
      });
    }
    return this.remember(after, books);
  }

  /**
   * A change the update cannot carry, where the admin chose it: a storno of the booking as
   * ChurchTools has it now, then the booking anew from `values`. A booking changed since the
   * sync read it is left alone, like an update.
   */
  async rebook(domain: Domain, id: string, values: FieldValues, context: CreateContext): Promise<RebookOutcome> {
    assertTransactions(domain, 'rebook');
    const numericId = transactionId(id);
    const read = this.known.get(id);
    const current = await this.currentForWrite(id, numericId, read);
    const label = this.labelOf(current);
    if (read && contentOf(read) !== contentOf(current)) {
      this.known.set(id, current);
      throw new PortError('ct.changedSinceRead', `ChurchTools: booking ${label} (#${id}) was changed in ChurchTools after the sync read it. Nothing was written; run the job again.`, {
        args: { recordId: id, label },
      });
    }
    const books = await this.booksFor(current.documentDate, label);
    // Checked before the storno: a new booking that cannot be made must not leave a reversal alone.
    const body = newTransactionBody(values, books, transactionLabel(values));
    const note = `Storno von ${current.documentNumber || `#${id}`}: neu gebucht, da ChurchTools die Änderung nicht direkt übernehmen kann (Optigem Sync)`;
    const storno = await this.finance.stornoTransaction(numericId, note, label);
    const reversal = storno.find((t) => t.id !== numericId) ?? storno[0];
    if (!reversal) throw new PortError('ct.invalidResponse', `ChurchTools: storno of booking ${label} (#${id}) answered without the reversal`, { args: { recordId: id, label } });
    this.known.set(String(reversal.id), reversal);
    const created = await this.finance.createTransaction(body, transactionLabel(values));
    const first = created[0];
    if (!first) {
      throw new PortError('ct.invalidResponse', `ChurchTools: booking ${label} was reversed (storno #${reversal.id}), but booking it anew answered without the booking. Book it by hand in ChurchTools Finance.`, {
        args: { recordId: id, label },
      });
    }
    return { reversal: String(reversal.id), record: this.remember(first, books) };
  }

  async remove(domain: Domain, id: string): Promise<RemoveOutcome> {
    assertTransactions(domain, 'delete');
    const numericId = transactionId(id);
    const known = this.known.get(id);
    try {
      await this.finance.deleteTransaction(numericId, { label: known ? this.labelOf(known) : `#${id}` });
      this.known.delete(id);
      return { kind: 'removed' };
    } catch (deleteError) {
      const cause = await this.refusalCause(numericId, deleteError);
      if (cause === null) throw deleteError;
      // refusalCause read the booking as it is now.
      const current = this.known.get(id);
      const label = current ? this.labelOf(current) : `#${id}`;
      const note = `Storno der in Optigem gelöschten Buchung ${current?.documentNumber || `#${id}`} (Optigem Sync)`;
      let storno: CtTransaction[];
      try {
        storno = await this.finance.stornoTransaction(numericId, note, label);
      } catch (stornoError) {
        const why = cause === 'immutable' ? 'is immutable' : 'lies in a closed accounting period';
        throw new PortError(
          'ct.deleteAndStornoFailed',
          `ChurchTools: booking ${label} (#${id}) ${why}, so it could not be deleted (${causeOf(deleteError)}), ` +
            `and booking a storno failed too (${causeOf(stornoError)}). Reverse it by hand in ChurchTools Finance.`,
          {
            args: { recordId: id, label, deleteCause: causeOf(deleteError), stornoCause: causeOf(stornoError) },
            retryable: stornoError instanceof PortError && stornoError.retryable,
            cause: stornoError,
          },
        );
      }
      const reversal = storno.find((t) => t.id !== numericId) ?? storno[0];
      const stornoId = reversal ? String(reversal.id) : '';
      return {
        kind: 'reversed',
        reason: { key: cause === 'immutable' ? 'log.remove.reversedImmutable' : 'log.remove.reversedClosed', args: { stornoId } },
        ...(stornoId === '' ? {} : { counterpart: stornoId }),
      };
    }
  }

  async checkRemove(domain: Domain, id: string): Promise<RemoveCheck> {
    assertTransactions(domain, 'check deletion');
    const numericId = transactionId(id);
    const known = this.known.get(id);
    try {
      await this.finance.deleteTransaction(numericId, { dryRun: true, label: known ? this.labelOf(known) : `#${id}` });
      return { kind: 'removed' };
    } catch (error) {
      const cause = await this.refusalCause(numericId, error);
      if (cause === 'immutable') return { kind: 'reversed', reason: { key: 'log.remove.willReverseImmutable' } };
      // A failure that may pass later (timeout, 5xx) says nothing about the booking.
      if (error instanceof PortError && error.retryable) throw error;
      return { kind: 'refused', reason: { key: 'log.remove.refused', args: { detail: causeOf(error) } } };
    }
  }

  /** [I] Finance has no documented `ids[]` filter for transactions, so each is read by id. */
  async findExisting(domain: Domain, ids: readonly string[]): Promise<ReadonlySet<string>> {
    assertTransactions(domain, 'look up');
    const found = new Set<string>();
    for (const id of ids) if ((await this.current(id)) !== null) found.add(id);
    return found;
  }

  /**
   * The bookings as ChurchTools has them now. The next PUT (a full replace) is then built from
   * this state, not from the run's first read.
   */
  async reread(domain: Domain, ids: readonly string[]): Promise<ReadonlyMap<string, SyncRecord>> {
    assertTransactions(domain, 're-read');
    const records = new Map<string, SyncRecord>();
    for (const id of ids) {
      const t = await this.current(id);
      if (t === null) continue;
      this.known.set(id, t);
      this.justReread.add(id);
      const books = this.books ?? (await this.booksFor(t.documentDate, this.labelOf(t)));
      records.set(id, transactionToRecord(t, books, this.donorStatuses ? { donorStatuses: this.donorStatuses } : {}));
    }
    return records;
  }

  /**
   * The booking a write builds on: as re-read moments ago (once), or read now. ChurchTools has
   * no conditional write, so either way a change made between this read and the write is not
   * seen — the window is one batch of re-reads, as for persons.
   */
  private async currentForWrite(id: string, numericId: number, read: CtTransaction | undefined): Promise<CtTransaction> {
    const reread = this.justReread.delete(id) ? this.known.get(id) : undefined;
    return reread ?? (await this.finance.transaction(numericId, read ? this.labelOf(read) : undefined));
  }

  /** A booking as it is now, or null when ChurchTools has no such booking. */
  private async current(id: string): Promise<CtTransaction | null> {
    if (!/^\d+$/.test(id)) return null;
    try {
      return await this.finance.transaction(Number(id));
    } catch (error) {
      if (error instanceof PortError && (error.code === 'ct.notFound' || error.args.status === 404)) return null;
      throw error;
    }
  }

  async readReferences(domain: Domain, options: ReadOptions = {}): Promise<ReferenceData> {
    assertTransactions(domain, 'read references');
    const scope = parseScope(options.scope);
    // The books are asked for as soon as the period is known (not after the spouses), so that
    // they join the read of the bookings started at the same moment.
    const [read, spouses] = await Promise.all([
      this.lookupPeriod(scope).then(async (lookup): Promise<{ books: PeriodBooks } | { books?: undefined; problem: NonNullable<PeriodLookup['problem']> }> =>
        lookup.period ? { books: await this.loadBooks(lookup.period) } : { problem: lookup.problem },
      ),
      readSpouses(this.http, this.relationshipTypes),
    ]);
    const { books } = read;
    if (!books) {
      return { known: { [F.account]: [], [F.contraAccount]: [], [F.costCenter]: [] }, problems: [read.problem], writable: false, spouses };
    }
    const accounts = [...books.accountsByNumber.keys()];
    const closed = books.period.isClosed === true;
    return {
      known: { [F.account]: accounts, [F.contraAccount]: accounts, [F.costCenter]: [...books.costCentersByNumber.keys()] },
      problems: closed ? [{ key: 'preflight.ct.periodClosed', args: { fiscalYear: scope.fiscalYear, period: periodText(books.period) } }] : [],
      writable: !closed,
      spouses,
    };
  }

  private joined<T>(key: string, read: () => Promise<T>): Promise<T> {
    const running = this.inFlight.get(key);
    if (running) return running as Promise<T>; // only this method stores under `key`, always a Promise<T>
    const promise = read().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, promise);
    return promise;
  }

  private async lookupPeriod(scope: Scope): Promise<PeriodLookup> {
    const clientId = scope.clientId === undefined ? undefined : Number(scope.clientId);
    const periods = await this.joined(`periods:${scope.fiscalYear}:${clientId ?? ''}`, () => this.finance.periodsOfFiscalYear(scope.fiscalYear, clientId));
    const [period, ...others] = periods;
    if (!period) {
      return { problem: { key: 'preflight.ct.noPeriod', args: { fiscalYear: scope.fiscalYear, ...(scope.clientId ? { clientId: scope.clientId } : {}) } } };
    }
    if (others.length > 0) {
      const clients = periods.map((p) => String(p.clientId ?? '?')).join(', ');
      return { problem: { key: 'preflight.ct.periodAmbiguous', args: { fiscalYear: scope.fiscalYear, clients } } };
    }
    return { period };
  }

  /** Reads the period's accounts and cost centres and makes the period the one writes go to. */
  private async loadBooks(period: AccountingPeriod): Promise<PeriodBooks> {
    const md = await this.joined(`books:${period.id}`, () => this.finance.periodMasterData(period.id));
    const books: PeriodBooks = {
      period,
      accountsByNumber: md.accountsByNumber,
      accountsById: new Map([...md.accountsByNumber.values()].map((a) => [a.id, a])),
      costCentersByNumber: md.costCentersByNumber,
      costCentersById: new Map([...md.costCentersByNumber.values()].map((c) => [c.id, c])),
    };
    this.books = books;
    return books;
  }

  /**
   * The books a write goes to: those of the last read. [I] A write without a read first (not
   * how the engine works) books into the period that covers the booking's date.
   */
  private async booksFor(date: string | null, label: string): Promise<PeriodBooks> {
    if (this.books) return this.books;
    const period = date === null ? null : await this.finance.periodFor(date.slice(0, 10));
    if (!period) {
      throw new PortError(
        'ct.noPeriod',
        `ChurchTools: booking ${label}: no accounting period in ChurchTools Finance covers ${date ?? 'its date'}. Create the fiscal year in ChurchTools Finance first.`,
        { args: { label, date: date ?? '' } },
      );
    }
    return this.loadBooks(period);
  }

  /**
   * Why ChurchTools refused to delete, from the booking as it is now (its error texts are not
   * documented [I]): in a closed period (checked first, since a closed year may refuse even a
   * storno), immutable, or null for anything a storno cannot fix.
   */
  private async refusalCause(id: number, error: unknown): Promise<RefusalCause | null> {
    if (!(error instanceof PortError) || error.retryable || error.args.status === 404) return null;
    try {
      const current = await this.finance.transaction(id);
      this.known.set(String(id), current);
      const periods = await this.finance.accountingPeriods();
      const date = current.documentDate.slice(0, 10);
      const covers = (p: AccountingPeriod) => p.startDate.slice(0, 10) <= date && date <= p.endDate.slice(0, 10);
      // The booking lies in the period last read; without one, in the period covering its date.
      const period = periods.find((p) => p.id === this.books?.period.id && covers(p)) ?? periods.find(covers);
      if (period?.isClosed === true) return 'closed';
      return current.isImmutable === true ? 'immutable' : null;
    } catch {
      // The booking cannot be inspected: report the refusal as ChurchTools gave it.
      return null;
    }
  }

  /** Status id per donator person id; persons ChurchTools does not show are left out. */
  private async readStatuses(ids: readonly string[]): Promise<{ statuses: Map<string, string>; problems: ReadProblem[] }> {
    const statuses = new Map<string, string>();
    const problems: ReadProblem[] = [];
    // [I] Whether /persons without is_archived includes archived persons is unverified (ct-api
    // §6.7), so donors not among the active persons are asked for again among the archived.
    for (const archived of [false, true]) {
      const wanted = ids.filter((id) => !statuses.has(id));
      for (let start = 0; start < wanted.length; start += DONOR_BATCH) {
        const batch = wanted.slice(start, start + DONOR_BATCH);
        const what = `donor persons${archived ? ' (archived)' : ''} ${start + 1}–${start + batch.length} of ${wanted.length}`;
        const read = await readAllPages(this.http, '/persons', donorPersonSchema, { ids: batch, is_archived: archived }, { limit: DONOR_BATCH, label: what });
        problems.push(...read.problems);
        for (const person of read.items) {
          if (person.statusId !== null && person.statusId !== undefined) statuses.set(String(person.id), String(person.statusId));
        }
      }
    }
    return { statuses, problems };
  }

  private remember(t: CtTransaction, books: PeriodBooks): SyncRecord {
    this.known.set(String(t.id), t);
    return transactionToRecord(t, books);
  }

  private labelOf(t: CtTransaction): string {
    return transactionLabel({ [F.date]: t.documentDate.slice(0, 10), [F.amount]: t.amount, [F.documentNumber]: t.documentNumber ?? null, [F.note]: t.note ?? null });
  }
}

function parseScope(scope: ReadOptions['scope']): Scope {
  const parsed = scopeSchema.safeParse(scope ?? {});
  if (!parsed.success) {
    throw new PortError(
      'ct.invalidScope',
      'ChurchTools: a transaction job needs its fiscal year as four digits (scope.fiscalYear, e.g. "2026") and, optionally, the number of its ChurchTools Finance client (scope.clientId). Set them in the job.',
      { args: { scope: JSON.stringify(scope ?? {}) } },
    );
  }
  return parsed.data;
}

function transactionId(id: string): number {
  if (!/^\d+$/.test(id)) {
    throw new PortError('ct.invalidValue', `ChurchTools: "${id}" is not a transaction id`, { args: { field: 'id', value: id } });
  }
  return Number(id);
}

/** ChurchTools' own words for a failure (toPortError keeps them in `cause`). */
function causeOf(error: unknown): string {
  if (error instanceof PortError) return String(error.args.cause ?? error.message);
  return error instanceof Error ? error.message : String(error);
}

function problemText(problem: { key: string; args: Record<string, string> }): string {
  return problem.key === 'preflight.ct.noPeriod'
    ? `no accounting period of ChurchTools Finance starts in ${problem.args.fiscalYear ?? '?'}${problem.args.clientId ? ` for client ${problem.args.clientId}` : ''}`
    : `several accounting periods start in ${problem.args.fiscalYear ?? '?'} (clients ${problem.args.clients ?? '?'}); the job must name its client`;
}

function assertTransactions(domain: Domain, operation: string): void {
  if (domain !== 'transaction') {
    throw new PortError('ct.domainNotSupported', `ChurchTools transaction port: ${operation} for "${domain}" is not possible here`, {
      args: { domain, operation },
    });
  }
}
