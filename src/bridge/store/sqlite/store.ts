/**
 * The store: Optigem-named tables read and written through a driver seam, so the same
 * statements serve the embedded SQLite database (demo, tests, `npm start`) and a real Optigem
 * database over ODBC (Access or SQL Server).
 */
import type { PersonData } from '../../../optigem/schemas.ts';
import type { SqlDialect } from '../driver/dialect.ts';
import type { SqlDriver } from '../driver/types.ts';
import type { BookingData, MandantInfo, OptigemStore, PageStart, StoredBooking, StoredPerson } from '../types.ts';
import { SqlFinance } from './finance.ts';
import { resolveNames } from './names.ts';
import type { NameOverrides, OptigemNames } from './names.ts';
import { SqlPersons } from './persons.ts';
import { DEFAULT_GENDER_CODES, textFromDb } from './values.ts';
import type { GenderCodes } from './values.ts';

export interface SqlStoreOptions {
  driver: SqlDriver;
  dialect: SqlDialect;
  names?: NameOverrides;
  genderCodes?: Partial<GenderCodes>;
  /** Category that marks a person archived [I]; default 999. */
  archiveCategoryId?: number;
  /** Kontoart values of donation accounts; default "Spendenertrag 1" and "Spendenertrag 2" [C]. */
  donationAccountTypes?: readonly string[];
  /** Kontoart values of cash and bank accounts; default "Finanzkonto" [I]. */
  financialAccountTypes?: readonly string[];
  /** Zuwendungsart text of a waiver; default "Verzicht auf Erstattung von Aufwendungen" [I]. */
  waiverDonationKind?: string;
  /** Mandant number shown in meta; Optigem's file names suggest "01" [I]. */
  mandantId?: string;
}

export const DEFAULT_ARCHIVE_CATEGORY_ID = 999;
export const DEFAULT_DONATION_ACCOUNT_TYPES = ['Spendenertrag 1', 'Spendenertrag 2'] as const;
export const DEFAULT_FINANCIAL_ACCOUNT_TYPES = ['Finanzkonto'] as const;
export const DEFAULT_WAIVER_DONATION_KIND = 'Verzicht auf Erstattung von Aufwendungen';

const offsetOrKey = (start: PageStart): { after: number } | { offset: number } =>
  'after' in start ? { after: Number.isSafeInteger(Number(start.after)) ? Number(start.after) : Number.NaN } : start;

export class SqlStore implements OptigemStore {
  readonly modificationTracking = 'none' as const;
  readonly archiveCategoryId: number;
  readonly names: OptigemNames;
  private readonly persons: SqlPersons;
  private readonly finance: SqlFinance;
  private readonly mandantId: string;

  private constructor(
    readonly driver: SqlDriver,
    readonly dialect: SqlDialect,
    options: SqlStoreOptions,
    names: OptigemNames,
    waiverColumn: string | null,
  ) {
    this.names = names;
    this.archiveCategoryId = options.archiveCategoryId ?? DEFAULT_ARCHIVE_CATEGORY_ID;
    this.mandantId = options.mandantId ?? '01';
    this.persons = new SqlPersons(driver, dialect, {
      names,
      genderCodes: { ...DEFAULT_GENDER_CODES, ...options.genderCodes },
      archiveCategoryId: this.archiveCategoryId,
    });
    this.finance = new SqlFinance(driver, dialect, {
      names,
      donationAccountTypes: options.donationAccountTypes ?? DEFAULT_DONATION_ACCOUNT_TYPES,
      financialAccountTypes: options.financialAccountTypes ?? DEFAULT_FINANCIAL_ACCOUNT_TYPES,
      waiverDonationKind: options.waiverDonationKind ?? DEFAULT_WAIVER_DONATION_KIND,
      waiverColumn,
    });
  }

  /** Looks up the optional columns once (the catalog), then answers with a ready store. */
  static async open(options: SqlStoreOptions): Promise<SqlStore> {
    const names = resolveNames(options.names);
    const waiver = names.bookings.waiver;
    const waiverColumn = waiver !== null && (await options.driver.columns(names.bookings.table)).includes(waiver) ? waiver : null;
    return new SqlStore(options.driver, options.dialect, options, names, waiverColumn);
  }

  get kind(): 'sqlite' | 'odbc' {
    return this.driver.kind;
  }

  get bookingWaiver(): boolean {
    return this.finance.waiverColumn !== null;
  }

  async mandant(): Promise<MandantInfo> {
    const m = this.names.mandantOptions;
    const q = (name: string): string => this.dialect.quote(name);
    const row = (await this.driver.query(`SELECT ${q(m.value)} AS ${q('name')} FROM ${q(m.table)} WHERE ${q(m.key)} = ?`, [m.nameKey]))[0];
    return { id: this.mandantId, name: textFromDb(row?.['name']) };
  }

  fiscalYears() {
    return this.finance.fiscalYears();
  }
  categories() {
    return this.persons.categories();
  }
  listPersons(): Promise<StoredPerson[]> {
    return this.persons.list();
  }
  pagePersons(start: PageStart, limit: number): Promise<StoredPerson[]> {
    const from = offsetOrKey(start);
    // A key that is no number sorts after every Nr: nothing follows it.
    if ('after' in from && Number.isNaN(from.after)) return Promise.resolve([]);
    return this.persons.page(from, limit);
  }
  countPersons(): Promise<number> {
    return this.persons.count();
  }
  getPerson(nr: number): Promise<StoredPerson | null> {
    return this.persons.get(nr);
  }
  donor0RecordExists(): Promise<boolean> {
    return this.persons.donor0Exists();
  }
  createPerson(data: PersonData): Promise<number> {
    return this.persons.create(data);
  }
  updatePerson(nr: number, patch: Partial<PersonData>): Promise<void> {
    return this.persons.update(nr, patch);
  }
  setArchived(nr: number, archived: boolean): Promise<void> {
    return this.persons.setArchived(nr, archived);
  }
  deletePerson(nr: number): Promise<void> {
    return this.persons.delete(nr);
  }
  personHasBookings(nr: number): Promise<boolean> {
    return this.finance.subAccountUsed(nr);
  }
  accounts(year: number) {
    return this.finance.accounts(year);
  }
  projects(year: number) {
    return this.finance.projects(year);
  }
  listBookings(year: number): Promise<StoredBooking[]> {
    return this.finance.listBookings(year);
  }
  pageBookings(year: number, start: PageStart, limit: number): Promise<StoredBooking[]> {
    return this.finance.pageBookings(year, start, limit);
  }
  countBookings(year: number): Promise<number> {
    return this.finance.countBookings(year);
  }
  getBooking(year: number, id: string): Promise<StoredBooking | null> {
    return this.finance.getBooking(year, id);
  }
  createBooking(year: number, data: BookingData): Promise<string> {
    return this.finance.createBooking(year, data, new Date().toISOString().slice(0, 10));
  }
  updateBooking(year: number, id: string, patch: Partial<BookingData>): Promise<void> {
    return this.finance.updateBooking(year, id, patch);
  }
  deleteBooking(year: number, id: string): Promise<void> {
    return this.finance.deleteBooking(year, id);
  }

  atomic<T>(work: () => Promise<T>): Promise<T> {
    return this.driver.transaction(work);
  }

  close(): Promise<void> {
    return this.driver.close();
  }
}
