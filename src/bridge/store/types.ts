/**
 * What the bridge needs from wherever Optigem's data lives. One SQL store implements it over
 * tables named like Optigem's, through a driver (better-sqlite3 or ODBC) and a dialect (SQLite,
 * Access, SQL Server) (reference §1.1: do not hard-code one database).
 *
 * Stores speak the API's field names and already-normalised values (dates `YYYY-MM-DD`, amounts
 * in cents, empty strings as null). They know nothing about ETags, shadow timestamps, tokens or
 * audit: that is the bridge's business, kept in its own tables.
 */
import type { Account, Category, FiscalYear, LedgerSide, PersonData, Project } from '../../optigem/schemas.ts';

export type StoreKind = 'sqlite' | 'odbc';

/** Where a page starts: after a key (keyed paging) or after skipping rows (offset paging). */
export type PageStart = { after: string } | { offset: number };

export interface StoredPerson extends PersonData {
  readonly nr: number;
  readonly archived: boolean;
  /** Native modification time (UTC ISO) when the store has such a column; undefined otherwise. */
  readonly modifiedAt?: string | null;
}

export interface BookingData {
  readonly date: string;
  readonly debit: LedgerSide;
  readonly credit: LedgerSide;
  readonly amountCents: number;
  readonly text: string | null;
  readonly documentType: string | null;
  readonly documentNumber: string | null;
  readonly donationDate: string | null;
  /** Zuwendungsart "Verzicht auf Erstattung von Aufwendungen" [I]. */
  readonly waiver: boolean;
}

export interface StoredBooking extends BookingData {
  readonly id: string;
  readonly fiscalYear: number;
  readonly modifiedAt?: string | null;
}

export interface MandantInfo {
  readonly id: string;
  readonly name: string | null;
}

export interface OptigemStore {
  readonly kind: StoreKind;
  /** 'native' when records carry `modifiedAt`; otherwise the bridge keeps shadow hashes. */
  readonly modificationTracking: 'native' | 'none';
  /** The category that marks a person archived (Optigem has no archive flag [I]). */
  readonly archiveCategoryId: number;
  /** Whether bookings can carry the waiver (the store has a Zuwendungsart column [I]). */
  readonly bookingWaiver: boolean;

  mandant(): Promise<MandantInfo>;
  fiscalYears(): Promise<FiscalYear[]>;
  /** All categories except the archive marker. */
  categories(): Promise<Category[]>;

  /** All persons except Donor 0, ascending by Nr. */
  listPersons(): Promise<StoredPerson[]>;
  /** One page of persons (Donor 0 excluded) ascending by Nr, read by key from the table's index. */
  pagePersons(start: PageStart, limit: number): Promise<StoredPerson[]>;
  countPersons(): Promise<number>;
  getPerson(nr: number): Promise<StoredPerson | null>;
  /** Whether the Donor 0 record (`Nr = 0`) exists. */
  donor0RecordExists(): Promise<boolean>;
  createPerson(data: PersonData): Promise<number>;
  updatePerson(nr: number, patch: Partial<PersonData>): Promise<void>;
  setArchived(nr: number, archived: boolean): Promise<void>;
  deletePerson(nr: number): Promise<void>;
  /** Whether any booking of any fiscal year points to this Nr as a sub-account. */
  personHasBookings(nr: number): Promise<boolean>;

  accounts(year: number): Promise<Account[]>;
  projects(year: number): Promise<Project[]>;
  listBookings(year: number): Promise<StoredBooking[]>;
  /** One page of a fiscal year's bookings ascending by id. */
  pageBookings(year: number, start: PageStart, limit: number): Promise<StoredBooking[]>;
  countBookings(year: number): Promise<number>;
  getBooking(year: number, id: string): Promise<StoredBooking | null>;
  createBooking(year: number, data: BookingData): Promise<string>;
  updateBooking(year: number, id: string, patch: Partial<BookingData>): Promise<void>;
  deleteBooking(year: number, id: string): Promise<void>;

  /**
   * Runs `work` so that its store writes (and, where the bridge's own tables share the
   * database, the bridge's writes) commit together or not at all. Callers serialise access.
   */
  atomic<T>(work: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
