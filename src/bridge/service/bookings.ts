/**
 * Bookings per fiscal year, with derived donor fields, change times and guarded writes; and the
 * Donor-0 report (bookings whose donation side points to sub-account 0).
 */
import type { z } from 'zod';
import type { Account, Booking, BookingCreateSchema, BookingPatch, Donor0Report, FieldProblem, FiscalYear } from '../../optigem/schemas.ts';
import { ApiError, invalid, notFound } from '../errors.ts';
import { joinObjects, jsonText } from '../http/json-text.ts';
import type { JsonText } from '../http/json-text.ts';
import type { BookingData, StoredBooking } from '../store/types.ts';
import { assertIfMatch, contentHash, contentJson, etagOf, hashOfJson } from './content.ts';
import { assertWritesAllowed, diff, isoNow } from './deps.ts';
import type { Actor, ServiceDeps } from './deps.ts';
import { ListCounts, changedSince, fromNative, fromShadow, pageOf, readKeyedPage, trackAll, trackPage } from './tracking.ts';
import type { Paged, Tracked } from './tracking.ts';

export interface BookingListQuery {
  page: number;
  limit: number;
  updatedSince?: string | undefined;
  after?: string | undefined;
}

interface WriteOptions {
  ifMatch: string | undefined;
  actor: Actor;
}

/** A create request after validation (the waiver defaulted). */
type BookingCreateBody = z.output<typeof BookingCreateSchema>;

const entityOf = (year: number): string => `booking:${year}`;

type BookingCore = Pick<Booking, 'amountCents' | 'credit' | 'date' | 'debit' | 'documentNumber' | 'documentType' | 'donationDate' | 'text'>;
/** The waiver is part of the content only when set (see contentOf). */
type BookingContent = BookingCore & { waiver?: true };
/** What a booking shows besides its content: id, year, derived donor, change time, ETag. */
type BookingExtras = Omit<Booking, keyof BookingCore | 'waiver'>;

/** Keys in sorted order, so that hashing needs no re-sorting (see contentHash). */
function contentOf(b: BookingData): BookingContent {
  return {
    amountCents: b.amountCents,
    credit: { account: b.credit.account, project: b.credit.project, subAccount: b.credit.subAccount },
    date: b.date,
    debit: { account: b.debit.account, project: b.debit.project, subAccount: b.debit.subAccount },
    documentNumber: b.documentNumber,
    documentType: b.documentType,
    donationDate: b.donationDate,
    text: b.text,
    // Only when set: bookings stored before the waiver existed keep their hash, so their ETag
    // and shadow change time do not move on the upgrade.
    ...(b.waiver ? { waiver: true } : {}),
  };
}

/** A page's booking as the answer's text: its content's text, the one its hash covers, plus the rest. */
function bookingJson(content: JsonText<BookingContent>, waiver: boolean, extras: BookingExtras): JsonText<Booking> {
  if (!waiver) return joinObjects(content, jsonText({ waiver }), jsonText(extras));
  // The content already says `"waiver":true`; only its type leaves the key optional.
  return joinObjects(content, jsonText(extras)) as string as JsonText<Booking>;
}

/** The side booked on a donation account carries the donor as its sub-account [C]. */
function donorOf(b: BookingData, donationAccounts: ReadonlySet<number>): { donorNr: number | null; donor0: boolean } {
  const side = donationAccounts.has(b.credit.account) ? b.credit : donationAccounts.has(b.debit.account) ? b.debit : null;
  if (side === null) return { donorNr: null, donor0: false };
  return side.subAccount === 0 ? { donorNr: null, donor0: true } : { donorNr: side.subAccount, donor0: false };
}

export class BookingService {
  private readonly counts = new ListCounts();

  constructor(private readonly deps: ServiceDeps) {}

  list(year: number, query: BookingListQuery): Promise<Paged<JsonText<Booking>>> {
    return this.deps.serial.run(async () => {
      await this.fiscalYear(year);
      const accounts = await this.donationAccounts(year);
      const entity = entityOf(year);
      if (query.updatedSince === undefined) {
        const store = this.deps.store;
        return readKeyedPage(query, {
          fetch: (start, limit) => store.pageBookings(year, start, limit),
          count: () => store.countBookings(year),
          counts: { memo: this.counts, list: entity },
          keyOf: (b) => b.id,
          present: (bookings) =>
            this.presentPage(bookings, accounts, (records) => trackPage(this.deps.state.shadow, entity, this.native, records, isoNow(this.deps))).map((entry) => entry.json),
        });
      }
      const since = Date.parse(query.updatedSince);
      const all = this.presentPage(await this.deps.store.listBookings(year), accounts, (records) =>
        trackAll(this.deps.state.shadow, entity, this.native, records, isoNow(this.deps)),
      );
      const paged = pageOf(
        all.filter((entry) => changedSince(entry.tracked, since)),
        query,
        (entry) => entry.id,
      );
      return { ...paged, items: paged.items.map((entry) => entry.json) };
    });
  }

  /** Like PersonService.presentPage: each booking's content serialised once, for its hash and the answer. */
  private presentPage(
    bookings: readonly StoredBooking[],
    donationAccounts: ReadonlySet<number>,
    track: (records: { key: string; hash: string; modifiedAt: string | null | undefined }[]) => Map<string, Tracked>,
  ): { id: string; json: JsonText<Booking>; tracked: Tracked }[] {
    const contents = bookings.map((b) => contentJson(contentOf(b)));
    const records = bookings.map((b, i) => ({ key: b.id, hash: hashOfJson(contents[i] as string), modifiedAt: b.modifiedAt }));
    const tracked = track(records);
    return bookings.map((b, i) => {
      const state = tracked.get(b.id) ?? fromNative(null);
      const json = bookingJson(contents[i] as JsonText<BookingContent>, b.waiver, this.extrasOf(b, records[i]?.hash ?? '', state, donationAccounts));
      return { id: b.id, json, tracked: state };
    });
  }

  get(year: number, id: string): Promise<Booking> {
    return this.deps.serial.run(async () => {
      await this.fiscalYear(year);
      return this.presentCurrent(await this.load(year, id), await this.donationAccounts(year));
    });
  }

  donor0Report(year: number): Promise<Donor0Report> {
    return this.deps.serial.run(async () => {
      const bookings = (await this.presentAll(year)).map((entry) => entry.booking).filter((b) => b.donor0);
      return {
        fiscalYear: year,
        personRecordExists: await this.deps.store.donor0RecordExists(),
        count: bookings.length,
        totalCents: bookings.reduce((sum, b) => sum + b.amountCents, 0),
        bookings,
      };
    });
  }

  fiscalYears(): Promise<FiscalYear[]> {
    return this.deps.serial.run(() => this.deps.store.fiscalYears());
  }

  accounts(year: number): Promise<Account[]> {
    return this.deps.serial.run(async () => {
      await this.fiscalYear(year);
      return this.deps.store.accounts(year);
    });
  }

  projects(year: number) {
    return this.deps.serial.run(async () => {
      await this.fiscalYear(year);
      return this.deps.store.projects(year);
    });
  }

  create(year: number, input: BookingCreateBody, options: { idempotencyKey?: string | undefined; actor: Actor }): Promise<{ booking: Booking; replayed: boolean }> {
    this.assertWritable();
    return this.deps.serial.run(() =>
      this.deps.store.atomic(async () => {
        const scope = entityOf(year);
        const fiscalYear = await this.fiscalYear(year);
        const key = options.idempotencyKey;
        if (key !== undefined) {
          const earlier = this.deps.state.idempotency.find(scope, key);
          if (earlier !== null) {
            const booking = await this.deps.store.getBooking(year, earlier);
            if (booking === null) {
              throw new ApiError(409, 'idempotencyKeyReused', `The booking created with this Idempotency-Key (${earlier}) was deleted since.`);
            }
            return { booking: this.presentCurrent(booking, await this.donationAccounts(year)), replayed: true };
          }
        }
        this.assertOpen(fiscalYear);
        const data: BookingData = {
          text: null,
          documentType: null,
          documentNumber: null,
          donationDate: null,
          ...input,
        };
        await this.assertConsistent(fiscalYear, data);
        const id = await this.deps.store.createBooking(year, data);
        const created = await this.load(year, id);
        const now = isoNow(this.deps);
        const hash = contentHash(contentOf(created));
        const tracked = this.native ? fromNative(created.modifiedAt) : fromShadow(this.deps.state.shadow.recordWrite(scope, id, hash, now));
        if (key !== undefined) this.deps.state.idempotency.remember(scope, key, id, now);
        this.audit(options.actor, 'create', year, id, null, contentOf(created));
        return { booking: this.present(created, hash, tracked, await this.donationAccounts(year)), replayed: false };
      }),
    );
  }

  patch(year: number, id: string, patch: BookingPatch, options: WriteOptions): Promise<Booking> {
    this.assertWritable();
    return this.deps.serial.run(() =>
      this.deps.store.atomic(async () => {
        const fiscalYear = await this.fiscalYear(year);
        const before = await this.load(year, id);
        assertIfMatch(options.ifMatch, etagOf(contentHash(contentOf(before))), `booking ${id}`);
        this.assertOpen(fiscalYear);
        await this.assertConsistent(fiscalYear, { ...before, ...patch });
        await this.deps.store.updateBooking(year, id, patch);
        const after = await this.load(year, id);
        const accounts = await this.donationAccounts(year);
        const changes = diff(contentOf(before), contentOf(after));
        if (Object.keys(changes.newValues).length === 0) return this.presentCurrent(after, accounts);
        const hash = contentHash(contentOf(after));
        const tracked = this.native
          ? fromNative(after.modifiedAt)
          : fromShadow(this.deps.state.shadow.recordWrite(entityOf(year), id, hash, isoNow(this.deps)));
        this.audit(options.actor, 'update', year, id, changes.oldValues, changes.newValues);
        return this.present(after, hash, tracked, accounts);
      }),
    );
  }

  delete(year: number, id: string, options: WriteOptions): Promise<void> {
    this.assertWritable();
    return this.deps.serial.run(() =>
      this.deps.store.atomic(async () => {
        const fiscalYear = await this.fiscalYear(year);
        const before = await this.load(year, id);
        assertIfMatch(options.ifMatch, etagOf(contentHash(contentOf(before))), `booking ${id}`);
        this.assertOpen(fiscalYear);
        await this.deps.store.deleteBooking(year, id);
        this.deps.state.shadow.forget(entityOf(year), id);
        this.audit(options.actor, 'delete', year, id, contentOf(before), null);
      }),
    );
  }

  private async presentAll(year: number): Promise<{ booking: Booking; tracked: Tracked }[]> {
    await this.fiscalYear(year);
    const accounts = await this.donationAccounts(year);
    const bookings = await this.deps.store.listBookings(year);
    const hashes = bookings.map((b) => ({ key: b.id, hash: contentHash(contentOf(b)), modifiedAt: b.modifiedAt }));
    const tracked = trackAll(this.deps.state.shadow, entityOf(year), this.native, hashes, isoNow(this.deps));
    return bookings.map((b, i) => {
      const t = tracked.get(b.id) ?? fromNative(null);
      return { booking: this.present(b, hashes[i]?.hash ?? '', t, accounts), tracked: t };
    });
  }

  private get native(): boolean {
    return this.deps.store.modificationTracking === 'native';
  }

  private assertWritable(): void {
    assertWritesAllowed(this.deps, 'bookings');
  }

  private assertOpen(fiscalYear: FiscalYear): void {
    if (fiscalYear.closed) throw new ApiError(409, 'fiscalYearClosed', `Fiscal year ${fiscalYear.year} is closed in Optigem.`);
  }

  private async fiscalYear(year: number): Promise<FiscalYear> {
    const found = (await this.deps.store.fiscalYears()).find((f) => f.year === year);
    if (!found) throw notFound(`Fiscal year ${year}`);
    return found;
  }

  private async load(year: number, id: string): Promise<StoredBooking> {
    const booking = await this.deps.store.getBooking(year, id);
    if (booking === null) throw notFound(`Booking ${id} in fiscal year ${year}`);
    return booking;
  }

  private async donationAccounts(year: number): Promise<Set<number>> {
    return new Set((await this.deps.store.accounts(year)).filter((a) => a.isDonationAccount).map((a) => a.number));
  }

  /** Date inside the fiscal year; accounts and projects exist; a donor sub-account is a real person. */
  private async assertConsistent(fiscalYear: FiscalYear, data: BookingData): Promise<void> {
    const problems: FieldProblem[] = [];
    if (data.date < fiscalYear.start || data.date > fiscalYear.end) {
      problems.push({ path: 'date', message: `The date must lie in fiscal year ${fiscalYear.year} (${fiscalYear.start} to ${fiscalYear.end}).` });
    }
    const accounts = await this.deps.store.accounts(fiscalYear.year);
    const byNumber = new Map(accounts.map((a) => [a.number, a]));
    const projects = new Set((await this.deps.store.projects(fiscalYear.year)).map((p) => p.number));
    for (const sideName of ['debit', 'credit'] as const) {
      const side = data[sideName];
      const account = byNumber.get(side.account);
      if (account === undefined) problems.push({ path: `${sideName}.account`, message: `Account ${side.account} does not exist in ${fiscalYear.year}.` });
      if (side.project !== 0 && !projects.has(side.project)) {
        problems.push({ path: `${sideName}.project`, message: `Project ${side.project} does not exist in ${fiscalYear.year}.` });
      }
      if (account?.isDonationAccount && side.subAccount !== 0 && (await this.deps.store.getPerson(side.subAccount)) === null) {
        problems.push({ path: `${sideName}.subAccount`, message: `No person with Nr ${side.subAccount} (the donor) exists.` });
      }
    }
    if (data.waiver && !this.deps.store.bookingWaiver) {
      problems.push({ path: 'waiver', message: 'This Optigem database has no Zuwendungsart column for bookings (store.names.bookings.waiver), so a waiver cannot be stored.' });
    }
    if (problems.length > 0) throw invalid(problems);
  }

  private presentCurrent(booking: StoredBooking, donationAccounts: ReadonlySet<number>): Booking {
    const hash = contentHash(contentOf(booking));
    const tracked = this.native
      ? fromNative(booking.modifiedAt)
      : fromShadow(this.deps.state.shadow.observe(entityOf(booking.fiscalYear), booking.id, hash, isoNow(this.deps)));
    return this.present(booking, hash, tracked, donationAccounts);
  }

  private present(b: StoredBooking, hash: string, tracked: Tracked, donationAccounts: ReadonlySet<number>): Booking {
    return {
      date: b.date,
      debit: { ...b.debit },
      credit: { ...b.credit },
      amountCents: b.amountCents,
      text: b.text,
      documentType: b.documentType,
      documentNumber: b.documentNumber,
      donationDate: b.donationDate,
      waiver: b.waiver,
      ...this.extrasOf(b, hash, tracked, donationAccounts),
    };
  }

  private extrasOf(b: StoredBooking, hash: string, tracked: Tracked, donationAccounts: ReadonlySet<number>): BookingExtras {
    return {
      id: b.id,
      fiscalYear: b.fiscalYear,
      ...donorOf(b, donationAccounts),
      lastModified: tracked.lastModified,
      lastModifiedSource: tracked.source,
      etag: etagOf(hash),
    };
  }

  private audit(actor: Actor, action: 'create' | 'update' | 'delete', year: number, id: string, oldValues: Record<string, unknown> | null, newValues: Record<string, unknown> | null): void {
    this.deps.state.audit.append({
      at: isoNow(this.deps),
      tokenId: actor.tokenId,
      tokenName: actor.tokenName,
      action,
      entity: 'booking',
      recordId: `${year}/${id}`,
      oldValues,
      newValues,
    });
  }
}
