/**
 * The embedded default store: an SQLite file with Optigem-named tables (demo, tests, and a
 * starting point for pointing the same queries at a real Optigem database).
 *
 * better-sqlite3 is synchronous; the store still answers with promises because real Optigem
 * adapters (Access via OLE DB, MSSQL) are asynchronous and share the interface.
 */
import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import type { PersonData } from '../../../optigem/schemas.ts';
import type { BookingData, MandantInfo, OptigemStore, StoredBooking, StoredPerson } from '../types.ts';
import { SqliteFinance } from './finance.ts';
import { q, resolveNames } from './names.ts';
import type { NameOverrides, OptigemNames } from './names.ts';
import { SqlitePersons } from './persons.ts';
import { upgradeOptigemSchema } from './schema.ts';
import { DEFAULT_GENDER_CODES } from './values.ts';
import type { GenderCodes } from './values.ts';

export interface SqliteStoreOptions {
  /** Path of the database file; `:memory:` works for throwaway stores. */
  path: string;
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
  /** Open without writing (for a copy of a production database). */
  readonly?: boolean;
}

export const DEFAULT_ARCHIVE_CATEGORY_ID = 999;
export const DEFAULT_DONATION_ACCOUNT_TYPES = ['Spendenertrag 1', 'Spendenertrag 2'] as const;
export const DEFAULT_FINANCIAL_ACCOUNT_TYPES = ['Finanzkonto'] as const;
export const DEFAULT_WAIVER_DONATION_KIND = 'Verzicht auf Erstattung von Aufwendungen';

export class SqliteStore implements OptigemStore {
  readonly kind = 'sqlite' as const;
  readonly modificationTracking = 'none' as const;
  readonly archiveCategoryId: number;
  readonly db: Db;
  readonly names: OptigemNames;
  private readonly persons: SqlitePersons;
  private readonly finance: SqliteFinance;
  private readonly mandantId: string;

  constructor(options: SqliteStoreOptions) {
    this.db = new Database(options.path, { readonly: options.readonly ?? false, fileMustExist: options.path !== ':memory:' });
    if (!options.readonly) {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('busy_timeout = 5000');
    }
    this.names = resolveNames(options.names);
    if (!options.readonly) upgradeOptigemSchema(this.db, this.names);
    this.archiveCategoryId = options.archiveCategoryId ?? DEFAULT_ARCHIVE_CATEGORY_ID;
    this.mandantId = options.mandantId ?? '01';
    this.persons = new SqlitePersons(this.db, {
      names: this.names,
      genderCodes: { ...DEFAULT_GENDER_CODES, ...options.genderCodes },
      archiveCategoryId: this.archiveCategoryId,
    });
    this.finance = new SqliteFinance(this.db, {
      names: this.names,
      donationAccountTypes: options.donationAccountTypes ?? DEFAULT_DONATION_ACCOUNT_TYPES,
      financialAccountTypes: options.financialAccountTypes ?? DEFAULT_FINANCIAL_ACCOUNT_TYPES,
      waiverDonationKind: options.waiverDonationKind ?? DEFAULT_WAIVER_DONATION_KIND,
    });
  }

  get bookingWaiver(): boolean {
    return this.finance.waiverColumn !== null;
  }

  async mandant(): Promise<MandantInfo> {
    const m = this.names.mandantOptions;
    const row = this.db.prepare(`SELECT ${q(m.value)} AS name FROM ${q(m.table)} WHERE ${q(m.key)} = ?`).get(m.nameKey) as
      | { name: unknown }
      | undefined;
    const name = typeof row?.name === 'string' && row.name !== '' ? row.name : null;
    return { id: this.mandantId, name };
  }

  async fiscalYears() {
    return this.finance.fiscalYears();
  }
  async categories() {
    return this.persons.categories();
  }
  async listPersons(): Promise<StoredPerson[]> {
    return this.persons.list();
  }
  async getPerson(nr: number): Promise<StoredPerson | null> {
    return this.persons.get(nr);
  }
  async donor0RecordExists(): Promise<boolean> {
    return this.persons.donor0Exists();
  }
  async createPerson(data: PersonData): Promise<number> {
    return this.persons.create(data);
  }
  async updatePerson(nr: number, patch: Partial<PersonData>): Promise<void> {
    this.persons.update(nr, patch);
  }
  async setArchived(nr: number, archived: boolean): Promise<void> {
    this.persons.setArchived(nr, archived);
  }
  async deletePerson(nr: number): Promise<void> {
    this.persons.delete(nr);
  }
  async personHasBookings(nr: number): Promise<boolean> {
    return this.finance.subAccountUsed(nr);
  }
  async accounts(year: number) {
    return this.finance.accounts(year);
  }
  async projects(year: number) {
    return this.finance.projects(year);
  }
  async listBookings(year: number): Promise<StoredBooking[]> {
    return this.finance.listBookings(year);
  }
  async getBooking(year: number, id: string): Promise<StoredBooking | null> {
    return this.finance.getBooking(year, id);
  }
  async createBooking(year: number, data: BookingData): Promise<string> {
    return this.finance.createBooking(year, data, new Date().toISOString().slice(0, 10));
  }
  async updateBooking(year: number, id: string, patch: Partial<BookingData>): Promise<void> {
    this.finance.updateBooking(year, id, patch);
  }
  async deleteBooking(year: number, id: string): Promise<void> {
    this.finance.deleteBooking(year, id);
  }

  async atomic<T>(work: () => Promise<T>): Promise<T> {
    // better-sqlite3's db.transaction() cannot wrap async work; the caller serialises every
    // access to this connection, so a manual BEGIN/COMMIT is safe here.
    if (this.db.inTransaction) return work();
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const result = await work();
      this.db.exec('COMMIT');
      return result;
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw error;
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
