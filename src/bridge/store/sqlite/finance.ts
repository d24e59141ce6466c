/** Fiscal years, accounts, projects and bookings. All values are bound parameters. */
import type { Database } from 'better-sqlite3';
import type { Account, FiscalYear, Project } from '../../../optigem/schemas.ts';
import type { BookingData, StoredBooking } from '../types.ts';
import { q } from './names.ts';
import type { OptigemNames } from './names.ts';
import { centsFromDb, centsToDb, dateFromDb, intFromDb, textFromDb, textToDb } from './values.ts';

type Row = Record<string, unknown>;

export interface FinanceQueryOptions {
  names: OptigemNames;
  /** Kontoart values that make an account a donation account ("Spendenertrag 1/2" [C]). */
  donationAccountTypes: readonly string[];
}

export class SqliteFinance {
  private readonly n: OptigemNames;
  private readonly selectBooking: string;

  constructor(
    private readonly db: Database,
    private readonly options: FinanceQueryOptions,
  ) {
    this.n = options.names;
    const b = this.n.bookings;
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
    ];
    this.selectBooking = `SELECT ${cols.map(([column, alias]) => `${q(column)} AS ${q(alias)}`).join(', ')} FROM ${q(b.table)}`;
  }

  fiscalYears(): FiscalYear[] {
    const f = this.n.fiscalYears;
    const rows = this.db
      .prepare(`SELECT ${q(f.year)} AS year, ${q(f.start)} AS start, ${q(f.end)} AS "end", ${q(f.closed)} AS closed FROM ${q(f.table)} ORDER BY ${q(f.year)}`)
      .all() as Row[];
    return rows.map((row) => {
      const year = intFromDb(row['year']);
      return {
        year,
        start: dateFromDb(row['start']) ?? `${year}-01-01`,
        end: dateFromDb(row['end']) ?? `${year}-12-31`,
        closed: Boolean(intFromDb(row['closed'])),
      };
    });
  }

  accounts(year: number): Account[] {
    const k = this.n.accounts;
    const rows = this.db
      .prepare(`SELECT ${q(k.number)} AS number, ${q(k.name)} AS name, ${q(k.type)} AS type FROM ${q(k.table)} WHERE ${q(k.year)} = ? ORDER BY ${q(k.number)}`)
      .all(year) as Row[];
    const donationTypes = new Set(this.options.donationAccountTypes.map((t) => t.toLowerCase()));
    return rows.map((row) => {
      const type = textFromDb(row['type']);
      return {
        number: intFromDb(row['number']),
        name: textFromDb(row['name']) ?? '',
        type,
        isDonationAccount: type !== null && donationTypes.has(type.toLowerCase()),
      };
    });
  }

  projects(year: number): Project[] {
    const p = this.n.projects;
    const rows = this.db
      .prepare(`SELECT ${q(p.number)} AS number, ${q(p.name)} AS name FROM ${q(p.table)} WHERE ${q(p.year)} = ? ORDER BY ${q(p.number)}`)
      .all(year) as Row[];
    return rows.map((row) => ({ number: intFromDb(row['number']), name: textFromDb(row['name']) ?? '' }));
  }

  listBookings(year: number): StoredBooking[] {
    const b = this.n.bookings;
    const rows = this.db.prepare(`${this.selectBooking} WHERE ${q(b.year)} = ? ORDER BY ${q(b.id)}`).all(year) as Row[];
    return rows.map(toBooking);
  }

  getBooking(year: number, id: string): StoredBooking | null {
    const b = this.n.bookings;
    const row = this.db.prepare(`${this.selectBooking} WHERE ${q(b.year)} = ? AND ${q(b.id)} = ?`).get(year, id) as Row | undefined;
    return row ? toBooking(row) : null;
  }

  /** Whether any booking in any year uses this Nr as a sub-account on either side. */
  subAccountUsed(nr: number): boolean {
    const b = this.n.bookings;
    return (
      this.db.prepare(`SELECT 1 FROM ${q(b.table)} WHERE ${q(b.debitSubAccount)} = ? OR ${q(b.creditSubAccount)} = ? LIMIT 1`).get(nr, nr) !==
      undefined
    );
  }

  createBooking(year: number, data: BookingData, enteredAt: string): string {
    const columns = this.writable(data);
    const b = this.n.bookings;
    columns.push([b.year, year], [b.enteredAt, enteredAt]);
    const result = this.db
      .prepare(`INSERT INTO ${q(b.table)} (${columns.map(([c]) => q(c)).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`)
      .run(...columns.map(([, v]) => v));
    return String(result.lastInsertRowid);
  }

  updateBooking(year: number, id: string, patch: Partial<BookingData>): void {
    const columns = this.writable(patch);
    if (columns.length === 0) return;
    const b = this.n.bookings;
    this.db
      .prepare(`UPDATE ${q(b.table)} SET ${columns.map(([c]) => `${q(c)} = ?`).join(', ')} WHERE ${q(b.year)} = ? AND ${q(b.id)} = ?`)
      .run(...columns.map(([, v]) => v), year, id);
  }

  deleteBooking(year: number, id: string): void {
    const b = this.n.bookings;
    this.db.prepare(`DELETE FROM ${q(b.table)} WHERE ${q(b.year)} = ? AND ${q(b.id)} = ?`).run(year, id);
  }

  private writable(data: Partial<BookingData>): [string, string | number | null][] {
    const b = this.n.bookings;
    const out: [string, string | number | null][] = [];
    if (data.date !== undefined) out.push([b.date, data.date]);
    if (data.debit !== undefined) {
      out.push([b.debitAccount, data.debit.account], [b.debitSubAccount, data.debit.subAccount], [b.debitProject, data.debit.project]);
    }
    if (data.credit !== undefined) {
      out.push([b.creditAccount, data.credit.account], [b.creditSubAccount, data.credit.subAccount], [b.creditProject, data.credit.project]);
    }
    if (data.amountCents !== undefined) out.push([b.amount, centsToDb(data.amountCents)]);
    if (data.text !== undefined) out.push([b.text, textToDb(data.text)]);
    if (data.documentType !== undefined) out.push([b.documentType, textToDb(data.documentType)]);
    if (data.documentNumber !== undefined) out.push([b.documentNumber, textToDb(data.documentNumber)]);
    if (data.donationDate !== undefined) out.push([b.donationDate, data.donationDate]);
    return out;
  }
}

function toBooking(row: Row): StoredBooking {
  return {
    id: String(row['id']),
    fiscalYear: intFromDb(row['year']),
    date: dateFromDb(row['date']) ?? '',
    debit: { account: intFromDb(row['debitAccount']), subAccount: intFromDb(row['debitSubAccount']), project: intFromDb(row['debitProject']) },
    credit: { account: intFromDb(row['creditAccount']), subAccount: intFromDb(row['creditSubAccount']), project: intFromDb(row['creditProject']) },
    amountCents: centsFromDb(row['amount']),
    text: textFromDb(row['text']),
    documentType: textFromDb(row['documentType']),
    documentNumber: textFromDb(row['documentNumber']),
    donationDate: dateFromDb(row['donationDate']),
  };
}
