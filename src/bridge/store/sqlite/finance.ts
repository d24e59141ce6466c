/**
 * Fiscal years, accounts, projects and bookings, written once for every driver and dialect.
 * All values are bound parameters.
 */
import type { Account, FiscalYear, Project } from '../../../optigem/schemas.ts';
import type { SqlDialect } from '../driver/dialect.ts';
import type { SqlDriver, SqlValue } from '../driver/types.ts';
import type { BookingData, StoredBooking } from '../types.ts';
import type { OptigemNames } from './names.ts';
import { centsFromDb, centsToDb, dateFromDb, intFromDb, textFromDb, textToDb } from './values.ts';

export interface FinanceQueryOptions {
  names: OptigemNames;
  /** Kontoart values that make an account a donation account ("Spendenertrag 1/2" [C]). */
  donationAccountTypes: readonly string[];
  /** Kontoart values of cash and bank accounts ("Finanzkonto" [I]). */
  financialAccountTypes: readonly string[];
  /** The Zuwendungsart text that marks a waiver [I]. */
  waiverDonationKind: string;
  /** The waiver's column, when the bookings table has it (the store looks it up once). */
  waiverColumn: string | null;
}

/** One column to write and its value. */
type Assignment = [column: string, value: SqlValue];

/** Which bookings of a year a page holds: those after an id (keyed paging) or after skipping rows. */
export type BookingPageStart = { after: string } | { offset: number };

const lowerSet = (values: readonly string[]): Set<string> => new Set(values.map((v) => v.trim().toLowerCase()));
const sameKind = (a: string | null, b: string): boolean => a !== null && a.trim().toLowerCase() === b.trim().toLowerCase();

export class SqlFinance {
  private readonly n: OptigemNames;
  private readonly selectColumns: string;
  readonly waiverColumn: string | null;

  constructor(
    private readonly sql: SqlDriver,
    private readonly d: SqlDialect,
    private readonly options: FinanceQueryOptions,
  ) {
    this.n = options.names;
    const b = this.n.bookings;
    this.waiverColumn = options.waiverColumn;
    // toBooking reads a row by position: keep this order, the optional waiver column last.
    const cols: [string, string][] = [
      [b.id, 'id'],
      [b.year, 'year'],
      [b.date, 'date'],
      [b.debitAccount, 'debitAccount'],
      [b.debitSubAccount, 'debitSubAccount'],
      [b.debitProject, 'debitProject'],
      [b.creditAccount, 'creditAccount'],
      [b.creditSubAccount, 'creditSubAccount'],
      [b.creditProject, 'creditProject'],
      [b.amount, 'amount'],
      [b.text, 'text'],
      [b.documentType, 'documentType'],
      [b.documentNumber, 'documentNumber'],
      [b.donationDate, 'donationDate'],
      ...(this.waiverColumn === null ? [] : [[this.waiverColumn, 'donationKind'] as [string, string]]),
    ];
    this.selectColumns = cols.map(([column, alias]) => `${d.quote(column)} AS ${d.quote(alias)}`).join(', ');
  }

  private q(name: string): string {
    return this.d.quote(name);
  }

  async fiscalYears(): Promise<FiscalYear[]> {
    const f = this.n.fiscalYears;
    const rows = await this.sql.query(
      `SELECT ${this.q(f.year)} AS ${this.q('year')}, ${this.q(f.start)} AS ${this.q('start')}, ${this.q(f.end)} AS ${this.q('end')}, ${this.q(f.closed)} AS ${this.q('closed')} FROM ${this.q(f.table)} ORDER BY ${this.q(f.year)}`,
    );
    return rows.map((row) => {
      const year = intFromDb(row['year']);
      return {
        year,
        start: dateFromDb(row['start']) ?? `${year}-01-01`,
        end: dateFromDb(row['end']) ?? `${year}-12-31`,
        // Jet's Yes is -1: any non-zero value is closed.
        closed: intFromDb(row['closed']) !== 0,
      };
    });
  }

  async accounts(year: number): Promise<Account[]> {
    const k = this.n.accounts;
    const rows = await this.sql.query(
      `SELECT ${this.q(k.number)} AS ${this.q('number')}, ${this.q(k.name)} AS ${this.q('name')}, ${this.q(k.type)} AS ${this.q('type')} FROM ${this.q(k.table)} WHERE ${this.q(k.year)} = ? ORDER BY ${this.q(k.number)}`,
      [year],
    );
    const donationTypes = lowerSet(this.options.donationAccountTypes);
    const financialTypes = lowerSet(this.options.financialAccountTypes);
    return rows.map((row) => {
      const type = textFromDb(row['type']);
      const kind = type?.trim().toLowerCase() ?? '';
      return {
        number: intFromDb(row['number']),
        name: textFromDb(row['name']) ?? '',
        type,
        isDonationAccount: donationTypes.has(kind),
        isFinancialAccount: financialTypes.has(kind),
      };
    });
  }

  async projects(year: number): Promise<Project[]> {
    const p = this.n.projects;
    const rows = await this.sql.query(
      `SELECT ${this.q(p.number)} AS ${this.q('number')}, ${this.q(p.name)} AS ${this.q('name')} FROM ${this.q(p.table)} WHERE ${this.q(p.year)} = ? ORDER BY ${this.q(p.number)}`,
      [year],
    );
    return rows.map((row) => ({ number: intFromDb(row['number']), name: textFromDb(row['name']) ?? '' }));
  }

  async listBookings(year: number): Promise<StoredBooking[]> {
    const b = this.n.bookings;
    const rows = await this.sql.queryArrays(`SELECT ${this.selectColumns} FROM ${this.q(b.table)} WHERE ${this.q(b.year)} = ? ORDER BY ${this.q(b.id)}`, [year]);
    return rows.map((row) => this.toBooking(row));
  }

  /** One page of a year's bookings ascending by id, served by the (year, id) index. */
  async pageBookings(year: number, start: BookingPageStart, limit: number): Promise<StoredBooking[]> {
    const b = this.n.bookings;
    const keyed = 'after' in start;
    const where = `WHERE ${this.q(b.year)} = ?${keyed ? ` AND ${this.q(b.id)} > ?` : ''}`;
    const select = this.d.select({ columns: this.selectColumns, from: `FROM ${this.q(b.table)} ${where}`, orderBy: this.q(b.id) }, limit, keyed ? 0 : start.offset);
    // Booking ids are integers in every known schema [I]; a numeric key compares as a number.
    const after = keyed ? (Number.isSafeInteger(Number(start.after)) ? Number(start.after) : start.after) : null;
    const rows = await this.sql.queryArrays(select.sql, after === null ? [year] : [year, after]);
    return rows.slice(select.skip).map((row) => this.toBooking(row));
  }

  async countBookings(year: number): Promise<number> {
    const b = this.n.bookings;
    const rows = await this.sql.query(`SELECT COUNT(*) AS n FROM ${this.q(b.table)} WHERE ${this.q(b.year)} = ?`, [year]);
    return intFromDb(rows[0]?.['n']);
  }

  async getBooking(year: number, id: string): Promise<StoredBooking | null> {
    const b = this.n.bookings;
    const row = (await this.sql.queryArrays(`SELECT ${this.selectColumns} FROM ${this.q(b.table)} WHERE ${this.q(b.year)} = ? AND ${this.q(b.id)} = ?`, [year, id]))[0];
    return row ? this.toBooking(row) : null;
  }

  /** Whether any booking in any year uses this Nr as a sub-account on either side. */
  async subAccountUsed(nr: number): Promise<boolean> {
    const b = this.n.bookings;
    const select = this.d.select(
      { columns: `${this.q(b.id)} AS id`, from: `FROM ${this.q(b.table)} WHERE ${this.q(b.debitSubAccount)} = ? OR ${this.q(b.creditSubAccount)} = ?`, orderBy: this.q(b.id) },
      1,
    );
    return (await this.sql.query(select.sql, [nr, nr])).length > 0;
  }

  async createBooking(year: number, data: BookingData, enteredAt: string): Promise<string> {
    const b = this.n.bookings;
    const columns: Assignment[] = [...this.writable(data, null), [b.year, year], [b.enteredAt, this.d.date(enteredAt)]];
    const insert = `INSERT INTO ${this.q(b.table)} (${columns.map(([c]) => this.q(c)).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
    const statements = this.d.insertReturningId(insert);
    const params = columns.map(([, v]) => v);
    return this.sql.transaction(async () => {
      if (statements.identity === null) return String(intFromDb((await this.sql.query(statements.insert, params))[0]?.['id']));
      await this.sql.execute(statements.insert, params);
      return String(intFromDb((await this.sql.query(statements.identity))[0]?.['id']));
    });
  }

  async updateBooking(year: number, id: string, patch: Partial<BookingData>): Promise<void> {
    const current = patch.waiver === false && this.waiverColumn !== null ? await this.donationKind(year, id) : null;
    const columns = this.writable(patch, current);
    if (columns.length === 0) return;
    const b = this.n.bookings;
    await this.sql.execute(`UPDATE ${this.q(b.table)} SET ${columns.map(([c]) => `${this.q(c)} = ?`).join(', ')} WHERE ${this.q(b.year)} = ? AND ${this.q(b.id)} = ?`, [
      ...columns.map(([, v]) => v),
      year,
      id,
    ]);
  }

  async deleteBooking(year: number, id: string): Promise<void> {
    const b = this.n.bookings;
    await this.sql.execute(`DELETE FROM ${this.q(b.table)} WHERE ${this.q(b.year)} = ? AND ${this.q(b.id)} = ?`, [year, id]);
  }

  private async donationKind(year: number, id: string): Promise<string | null> {
    const b = this.n.bookings;
    const row = (await this.sql.query(`SELECT ${this.q(this.waiverColumn as string)} AS kind FROM ${this.q(b.table)} WHERE ${this.q(b.year)} = ? AND ${this.q(b.id)} = ?`, [year, id]))[0];
    return textFromDb(row?.['kind']);
  }

  /** `currentKind`: the stored Zuwendungsart when updating (null on insert). */
  private writable(data: Partial<BookingData>, currentKind: string | null): Assignment[] {
    const b = this.n.bookings;
    const out: Assignment[] = [];
    if (data.date !== undefined) out.push([b.date, this.d.date(data.date)]);
    if (data.debit !== undefined) out.push([b.debitAccount, data.debit.account], [b.debitSubAccount, data.debit.subAccount], [b.debitProject, data.debit.project]);
    if (data.credit !== undefined) out.push([b.creditAccount, data.credit.account], [b.creditSubAccount, data.credit.subAccount], [b.creditProject, data.credit.project]);
    if (data.amountCents !== undefined) out.push([b.amount, centsToDb(data.amountCents)]);
    if (data.text !== undefined) out.push([b.text, textToDb(data.text)]);
    if (data.documentType !== undefined) out.push([b.documentType, textToDb(data.documentType)]);
    if (data.documentNumber !== undefined) out.push([b.documentNumber, textToDb(data.documentNumber)]);
    if (data.donationDate !== undefined) out.push([b.donationDate, data.donationDate === null ? null : this.d.date(data.donationDate)]);
    // Without the column only "no waiver" can be stored, which is what every booking reads as.
    const column = this.waiverColumn;
    if (column === null || data.waiver === undefined) return out;
    if (data.waiver) out.push([column, this.options.waiverDonationKind]);
    // "No waiver" clears only the waiver: a Sachzuwendung stays what it is.
    else if (currentKind === null || sameKind(currentKind, this.options.waiverDonationKind)) out.push([column, null]);
    return out;
  }

  /** One row in `selectColumns` order (the waiver's Zuwendungsart last, when the column exists). */
  private toBooking(row: readonly unknown[]): StoredBooking {
    return {
      id: String(row[0]),
      fiscalYear: intFromDb(row[1]),
      date: dateFromDb(row[2]) ?? '',
      debit: { account: intFromDb(row[3]), subAccount: intFromDb(row[4]), project: intFromDb(row[5]) },
      credit: { account: intFromDb(row[6]), subAccount: intFromDb(row[7]), project: intFromDb(row[8]) },
      amountCents: centsFromDb(row[9]),
      text: textFromDb(row[10]),
      documentType: textFromDb(row[11]),
      documentNumber: textFromDb(row[12]),
      donationDate: dateFromDb(row[13]),
      waiver: sameKind(textFromDb(row[14]), this.options.waiverDonationKind),
    };
  }
}
