/**
 * Optigem bookings as the sync engine sees them (domain `transaction`): one fiscal year of the
 * bridge's bookings as records shaped by OG_BOOKING_FIELDS, and the writes back. A booking has
 * two ledger sides (Soll/Haben), each with Hauptkonto, Unterkonto and Projekt; the engine sees
 * one flat record (debit account, credit account, project, donor), and this port builds the
 * sides from it: the donor goes to the Unterkonto of a donation account, the project to every
 * side that is not a cash or bank account. Browser-safe.
 */
import { z } from 'zod';
import type { Domain, FieldValue, FieldValues, SyncRecord } from '../sync/model.ts';
import { PortError } from '../sync/ports.ts';
import type { CreateContext, ReadOptions, ReadProblem, ReadResult, ReferenceData, RemoveCheck, RemoveOutcome, UpdateContext } from '../sync/ports.ts';
import { OG_BOOKING_FIELDS as F } from '../sync/transaction-fields.ts';
import type { BridgeClient } from './client.ts';
import { BridgeError } from './errors.ts';
import type { Account, Booking, BookingCreate, BookingPatch, LedgerSide } from './schemas.ts';
import { toPortError } from './port-errors.ts';
import { readKeyed } from './keyed-read.ts';
import { storedAmount, storedBookingLabel } from '../format/booking-label.ts';

export interface OptigemBookingPortOptions {
  /** Bookings per request; default 500 (the bridge allows up to 1000). */
  pageSize?: number;
}

/** The flat view of a booking's two sides, as the engine writes it. */
interface Ledger {
  readonly debitAccount: number;
  readonly creditAccount: number;
  readonly project: number | null;
  readonly donor: number | null;
}

/** A fiscal year's accounts and projects, read once per port and year. */
interface YearReferences {
  readonly accounts: ReadonlyMap<number, Account>;
  readonly projects: ReadonlySet<number>;
}

const LEDGER_FIELDS: readonly string[] = [F.debitAccount, F.creditAccount, F.project, F.donor];

const emptyToNull = (value: unknown): unknown => (value === '' ? null : value);
/** Account, project and person numbers travel as strings; a number is accepted as well. */
const numberText = (what: string) =>
  z.union([z.int().nonnegative(), z.string().trim().regex(/^\d+$/, `${what} must be a number`)]).transform(Number);
const text = () => z.preprocess(emptyToNull, z.string().max(255).nullable());

/**
 * The values the engine may write (changed fields only on update). Conditions-only fields
 * (accounts, isDonation, fiscalYear, donor0) are derived, never written: strictObject refuses them.
 */
const BookingValuesSchema = z
  .strictObject({
    [F.date]: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date (YYYY-MM-DD)'),
    [F.amount]: z.union([z.int(), z.string().trim().regex(/^-?\d+$/).transform(Number)]).refine((n) => n !== 0, 'cannot be 0'),
    [F.documentNumber]: text(),
    [F.text]: text(),
    [F.debitAccount]: numberText('the Soll account'),
    [F.creditAccount]: numberText('the Haben account'),
    [F.project]: z.preprocess(emptyToNull, numberText('the project').nullable()),
    [F.donor]: z.preprocess(emptyToNull, numberText('the donor').nullable()),
    // Empty means "no waiver", as in ChurchTools.
    [F.waiver]: z.preprocess((v) => v ?? false, z.boolean()),
  })
  .partial();
type BookingValues = z.output<typeof BookingValuesSchema>;

/** `what` names the booking in messages ("booking 17", "the booking for ChurchTools 4711"). */
function parseValues(values: FieldValues, what: string, args: Record<string, string>): BookingValues {
  const parsed = BookingValuesSchema.safeParse(values);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  if (issue?.code === 'unrecognized_keys') {
    const keys = issue.keys.join(', ');
    throw new PortError('unknownProperty', `Optigem bookings have no writable property "${keys}" (${what}).`, { args: { ...args, property: keys } });
  }
  const property = String(issue?.path[0] ?? '');
  const reason = issue?.message ?? 'invalid';
  throw new PortError('invalidValue', `Optigem ${what}, property ${property}: ${reason}`, { args: { ...args, property, reason } });
}

/** "1.234,56 €": the amount as booking labels store it. */
export const formatEuro = storedAmount;

function labelOf(b: Booking): string {
  return storedBookingLabel({ date: b.date, amountCents: b.amountCents, document: b.documentNumber, text: b.text });
}

/** [I] A booking has one project; should both sides carry different ones, Soll's counts. */
function projectOf(b: Pick<Booking, 'debit' | 'credit'>): number | null {
  if (b.debit.project !== 0) return b.debit.project;
  return b.credit.project !== 0 ? b.credit.project : null;
}

export function bookingToRecord(b: Booking): SyncRecord {
  const debit = String(b.debit.account);
  const credit = String(b.credit.account);
  const project = projectOf(b);
  const properties: Record<string, FieldValue> = {
    [F.date]: b.date,
    [F.amount]: b.amountCents,
    [F.documentNumber]: b.documentNumber,
    [F.text]: b.text,
    [F.debitAccount]: debit,
    [F.creditAccount]: credit,
    [F.project]: project === null ? null : String(project),
    [F.donor]: b.donorNr === null ? null : String(b.donorNr),
    [F.waiver]: b.waiver,
    [F.accounts]: [debit, credit],
    // The bridge sets donorNr or donor0 exactly when a side is on a donation account.
    [F.isDonation]: b.donorNr !== null || b.donor0,
    [F.fiscalYear]: String(b.fiscalYear),
    [F.donor0]: b.donor0,
  };
  return { id: b.id, properties, modifiedAt: b.lastModified, label: labelOf(b) };
}

function scopeYear(options: ReadOptions | undefined): number {
  const year = options?.scope?.['fiscalYear'];
  if (year === undefined || !/^\d{4}$/.test(year)) {
    throw new PortError('noFiscalYearScope', 'A transaction job needs a fiscal year (scope.fiscalYear, e.g. "2026").', { args: { fiscalYear: year ?? '' } });
  }
  return Number(year);
}

function assertTransactions(domain: Domain): void {
  if (domain !== 'transaction') throw new PortError('domainNotSupported', `The Optigem booking port does not handle ${domain} records.`, { args: { domain } });
}

export class OptigemBookingPort {
  private readonly pageSize: number;
  /** Each booking as last read or written: the base of an update and the ETag of a write. */
  private readonly known = new Map<string, Booking>();
  private readonly references = new Map<number, Promise<YearReferences>>();
  /** The fiscal year of the job, from the last read: creates go there. */
  private year: number | null = null;

  constructor(
    private readonly client: BridgeClient,
    options: OptigemBookingPortOptions = {},
  ) {
    this.pageSize = options.pageSize ?? 500;
  }

  /** Reads every booking of the year by key; see readKeyed for when the read counts as complete. */
  async readAll(domain: Domain, options?: ReadOptions): Promise<ReadResult> {
    assertTransactions(domain);
    const year = scopeYear(options);
    this.year = year;
    const read = await readKeyed(
      `/v1/fiscal-years/${year}/bookings`,
      (after) => this.client.listBookings(year, { limit: this.pageSize, ...(after === undefined ? {} : { after }) }),
      (booking) => booking.id,
    );
    const records = read.items.map((booking) => this.remember(booking));
    return { records, complete: read.problems.length === 0, problems: read.problems };
  }

  /** Which bookings of the job's year exist now, each asked for by id (a 404 means gone). */
  async findExisting(domain: Domain, ids: readonly string[]): Promise<ReadonlySet<string>> {
    assertTransactions(domain);
    const year = this.year;
    if (year === null) throw new PortError('noFiscalYearScope', 'Bookings can only be looked up after the fiscal year was read.', { args: { fiscalYear: '' } });
    const found = new Set<string>();
    for (const id of ids) {
      try {
        await this.client.getBooking(year, id);
        found.add(id);
      } catch (error) {
        if (!(error instanceof BridgeError && error.kind === 'notFound')) throw toPortError(error, { id });
      }
    }
    return found;
  }

  /**
   * What the pre-flight check needs: the numbers a booking may name, whether the year can take
   * writes, and the couple records. A closed year is no problem by itself: the engine decides
   * whether the plan needs to write there.
   */
  async readReferences(domain: Domain, options?: ReadOptions): Promise<ReferenceData> {
    assertTransactions(domain);
    const year = scopeYear(options);
    this.year = year;
    try {
      const [fiscalYears, couples] = await Promise.all([this.client.fiscalYears(), this.client.couples()]);
      const couplesNrs = couples.map((c) => String(c.nr));
      const fiscalYear = fiscalYears.find((f) => f.year === year);
      if (fiscalYear === undefined) {
        return {
          known: { [F.debitAccount]: [], [F.creditAccount]: [], [F.project]: [] },
          problems: [{ key: 'preflight.og.noFiscalYear', args: { fiscalYear: String(year) } }],
          writable: false,
          couples: couplesNrs,
        };
      }
      // Fresh for every plan, then kept for this port's writes.
      this.references.delete(year);
      const refs = await this.referencesOf(year);
      const accounts = [...refs.accounts.keys()].map(String);
      return {
        known: { [F.debitAccount]: accounts, [F.creditAccount]: accounts, [F.project]: [...refs.projects].map(String) },
        problems: [],
        writable: !fiscalYear.closed,
        couples: couplesNrs,
      };
    } catch (error) {
      throw toPortError(error, { fiscalYear: year });
    }
  }

  async create(domain: Domain, values: FieldValues, context: CreateContext): Promise<SyncRecord> {
    assertTransactions(domain);
    const v = parseValues(values, `the booking for ChurchTools ${context.partnerId}`, { partnerId: context.partnerId });
    const year = this.requireYear();
    const date = v[F.date];
    const amount = v[F.amount];
    const debitAccount = v[F.debitAccount];
    const creditAccount = v[F.creditAccount];
    if (date === undefined || amount === undefined || debitAccount === undefined || creditAccount === undefined) {
      throw new PortError('missingBookingValues', `Optigem needs date, amount, Soll and Haben account to create a booking (ChurchTools ${context.partnerId}). Select these property pairs in the job.`, {
        args: { partnerId: context.partnerId },
      });
    }
    try {
      const sides = await this.sides(year, { debitAccount, creditAccount, project: v[F.project] ?? null, donor: v[F.donor] ?? null }, null);
      const input: BookingCreate = {
        date,
        amountCents: amount,
        debit: sides.debit,
        credit: sides.credit,
        text: v[F.text] ?? null,
        documentNumber: v[F.documentNumber] ?? null,
        // Optigem's SpendeDat: a donation's date is the booking's [I].
        donationDate: sides.isDonation ? date : null,
        waiver: v[F.waiver] ?? false,
      };
      const { booking } = await this.client.createBooking(year, input, { idempotencyKey: context.idempotencyKey });
      return this.remember(booking);
    } catch (error) {
      throw toPortError(error, { partnerId: context.partnerId, fiscalYear: year });
    }
  }

  /** Writes the changed values; a changed account, project or donor rebuilds the sides it touches. */
  async update(domain: Domain, id: string, values: FieldValues, context: UpdateContext): Promise<SyncRecord> {
    assertTransactions(domain);
    const v = parseValues(values, `booking ${id}`, { id });
    try {
      const current = await this.current(id, context.expectedModifiedAt);
      const year = current.fiscalYear;
      const patch: BookingPatch = {};
      if (v[F.date] !== undefined) patch.date = v[F.date];
      if (v[F.amount] !== undefined) patch.amountCents = v[F.amount];
      if (v[F.documentNumber] !== undefined) patch.documentNumber = v[F.documentNumber];
      if (v[F.text] !== undefined) patch.text = v[F.text];
      if (v[F.waiver] !== undefined) patch.waiver = v[F.waiver];
      let isDonation = current.donorNr !== null || current.donor0;
      if (LEDGER_FIELDS.some((field) => field in v)) {
        const ledger: Ledger = {
          debitAccount: v[F.debitAccount] ?? current.debit.account,
          creditAccount: v[F.creditAccount] ?? current.credit.account,
          project: F.project in v ? (v[F.project] ?? null) : projectOf(current),
          donor: F.donor in v ? (v[F.donor] ?? null) : current.donorNr,
        };
        const sides = await this.sides(year, ledger, current);
        isDonation = sides.isDonation;
        if (!sameSide(sides.debit, current.debit)) patch.debit = sides.debit;
        if (!sameSide(sides.credit, current.credit)) patch.credit = sides.credit;
      }
      // SpendeDat follows the booking date where it did (or was missing on a donation); a
      // donation date of its own is the treasurer's and stays.
      const date = patch.date ?? current.date;
      const followsDate = current.donationDate === null || current.donationDate === current.date;
      if ((patch.date !== undefined || patch.debit !== undefined || patch.credit !== undefined) && isDonation && followsDate && current.donationDate !== date) {
        patch.donationDate = date;
      }
      if (Object.keys(patch).length === 0) return bookingToRecord(current);
      return this.remember(await this.client.patchBooking(year, id, patch, current.etag));
    } catch (error) {
      throw toPortError(error, { id });
    }
  }

  async remove(domain: Domain, id: string): Promise<RemoveOutcome> {
    assertTransactions(domain);
    try {
      const current = await this.current(id, null);
      await this.client.deleteBooking(current.fiscalYear, id, current.etag);
      this.known.delete(id);
      return { kind: 'removed' };
    } catch (error) {
      throw toPortError(error, { id });
    }
  }

  /** Whether `remove` would delete, found out by reading only. */
  async checkRemove(domain: Domain, id: string): Promise<RemoveCheck> {
    assertTransactions(domain);
    const year = this.known.get(id)?.fiscalYear ?? this.requireYear();
    const refused = (detail: string): RemoveCheck => ({ kind: 'refused', reason: { key: 'log.remove.refused', args: { detail } } });
    try {
      const fiscalYear = (await this.client.fiscalYears()).find((f) => f.year === year);
      if (fiscalYear === undefined) return refused(`Fiscal year ${year} does not exist in Optigem.`);
      try {
        this.remember(await this.client.getBooking(year, id));
      } catch (error) {
        if (error instanceof BridgeError && error.kind === 'notFound') return refused(`Booking ${id} no longer exists in Optigem fiscal year ${year}.`);
        throw error;
      }
      if (fiscalYear.closed) return refused(`Fiscal year ${year} is closed in Optigem; bookings there cannot be deleted.`);
      return { kind: 'removed' };
    } catch (error) {
      throw toPortError(error, { id });
    }
  }

  private remember(booking: Booking): SyncRecord {
    this.known.set(booking.id, booking);
    return bookingToRecord(booking);
  }

  private requireYear(): number {
    if (this.year === null) {
      throw new PortError('noFiscalYearScope', 'Read the Optigem bookings of the job\'s fiscal year before writing.', { args: {} });
    }
    return this.year;
  }

  /**
   * The booking as last read. One never read here is fetched, and if the plan saw another
   * modification time, it changed since the plan was made.
   */
  private async current(id: string, expectedModifiedAt: string | null): Promise<Booking> {
    const known = this.known.get(id);
    if (known !== undefined) return known;
    const booking = await this.client.getBooking(this.requireYear(), id);
    if (expectedModifiedAt !== null && booking.lastModified !== expectedModifiedAt) {
      throw new PortError('changedSinceRead', `Optigem booking ${id} was changed since it was read. Simulate again.`, { args: { id } });
    }
    this.remember(booking);
    return booking;
  }

  private referencesOf(year: number): Promise<YearReferences> {
    let refs = this.references.get(year);
    if (refs === undefined) {
      refs = Promise.all([this.client.accounts(year), this.client.projects(year)]).then(([accounts, projects]) => ({
        accounts: new Map(accounts.map((a) => [a.number, a])),
        projects: new Set(projects.map((p) => p.number)),
      }));
      // A failed read is not kept: the next write asks again.
      refs.catch(() => this.references.delete(year));
      this.references.set(year, refs);
    }
    return refs;
  }

  /**
   * Both ledger sides from the flat view. The donor goes to the Unterkonto of a donation
   * account; the project to each side that is not a cash or bank account (Kontoart Finanzkonto
   * [I]), and to Soll when both are, so that it is not lost. Any other Unterkonto (a creditor's,
   * say) stays as it was while its account stays the same.
   */
  private async sides(year: number, ledger: Ledger, current: Booking | null): Promise<{ debit: LedgerSide; credit: LedgerSide; isDonation: boolean }> {
    const refs = await this.referencesOf(year);
    const account = (number: number, side: 'Soll' | 'Haben'): Account => {
      const found = refs.accounts.get(number);
      if (found === undefined) {
        throw new PortError('unknownAccount', `Account ${number} (${side}) does not exist in Optigem fiscal year ${year}. Create it in Optigem (Sachkonten) or correct the booking in ChurchTools.`, {
          args: { number, side, fiscalYear: year },
        });
      }
      return found;
    };
    const debit = account(ledger.debitAccount, 'Soll');
    const credit = account(ledger.creditAccount, 'Haben');
    if (ledger.project !== null && !refs.projects.has(ledger.project)) {
      throw new PortError('unknownProject', `Project ${ledger.project} does not exist in Optigem fiscal year ${year}. Create it in Optigem (Projekte) or correct the cost centre in ChurchTools.`, {
        args: { number: ledger.project, fiscalYear: year },
      });
    }
    const isDonation = debit.isDonationAccount || credit.isDonationAccount;
    if (isDonation && ledger.donor === null) {
      const donationAccount = debit.isDonationAccount ? debit.number : credit.number;
      throw new PortError(
        'donorMissing',
        `Account ${donationAccount} is a donation account in Optigem, so the booking needs a donor; without one Optigem would book it on Spender 0. Set the donor in ChurchTools and link that person with Optigem (Personen-Paare), then run again.`,
        { args: { account: donationAccount, fiscalYear: year } },
      );
    }
    if (!isDonation && ledger.donor !== null) {
      throw new PortError(
        'donorWithoutDonationAccount',
        `The booking names donor ${ledger.donor}, but neither account ${debit.number} nor ${credit.number} is a donation account (Kontoart Spendenertrag) in Optigem fiscal year ${year}, so Optigem cannot keep the donor. Book it on a donation account or remove the donor in ChurchTools.`,
        { args: { donor: ledger.donor, debitAccount: debit.number, creditAccount: credit.number, fiscalYear: year } },
      );
    }
    const bothFinancial = debit.isFinancialAccount && credit.isFinancialAccount;
    const side = (a: Account, before: LedgerSide | undefined, isSoll: boolean): LedgerSide => ({
      account: a.number,
      subAccount: a.isDonationAccount ? (ledger.donor ?? 0) : before?.account === a.number ? before.subAccount : 0,
      project: ledger.project !== null && (!a.isFinancialAccount || (bothFinancial && isSoll)) ? ledger.project : 0,
    });
    return { debit: side(debit, current?.debit, true), credit: side(credit, current?.credit, false), isDonation };
  }
}

function sameSide(a: LedgerSide, b: LedgerSide): boolean {
  return a.account === b.account && a.subAccount === b.subAccount && a.project === b.project;
}
