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
  /** Kontoart values of cash and bank accounts ("Finanzkonto" [I]). */
  financialAccountTypes: readonly string[];
  /** The Zuwendungsart text that marks a waiver [I]. */
  waiverDonationKind: string;
}

/** One column to write: its SQL value expression and the parameters that fill it. */
interface Assignment {
  column: string;
  sql: string;
  params: (string | number | null)[];
}

const lowerSet = (values: readonly string[]): Set<string> => new Set(values.map((v) => v.trim().toLowerCase()));

export class SqliteFinance {
  private readonly n: OptigemNames;
  private readonly selectBooking: string;
  /** The waiver's column, when the bookings table has it. */
  readonly waiverColumn: string | null;

  constructor(
    private readonly db: Database,
    private readonly options: FinanceQueryOptions,
  ) {
    this.n = options.names;
    const b = this.n.bookings;
    const present = new Set((db.prepare('SELECT name FROM pragma_table_info(?)').all(b.table) as { name: string }[]).map((c) => c.name));
    this.waiverColumn = b.waiver !== null && present.has(b.waiver) ? b.waiver : null;
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
    return rows.map((row) => this.toBooking(row));
  }

  getBooking(year: number, id: string): StoredBooking | null {
    const b = this.n.bookings;
    const row = this.db.prepare(`${this.selectBooking} WHERE ${q(b.year)} = ? AND ${q(b.id)} = ?`).get(year, id) as Row | undefined;
    return row ? this.toBooking(row) : null;
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
    const b = this.n.bookings;
    const columns = [...this.writable(data, 'insert'), plain(b.year, year), plain(b.enteredAt, enteredAt)];
    const result = this.db
      .prepare(`INSERT INTO ${q(b.table)} (${columns.map((c) => q(c.column)).join(', ')}) VALUES (${columns.map((c) => c.sql).join(', ')})`)
      .run(...columns.flatMap((c) => c.params));
    return String(result.lastInsertRowid);
  }

  updateBooking(year: number, id: string, patch: Partial<BookingData>): void {
    const columns = this.writable(patch, 'update');
    if (columns.length === 0) return;
    const b = this.n.bookings;
    this.db
      .prepare(`UPDATE ${q(b.table)} SET ${columns.map((c) => `${q(c.column)} = ${c.sql}`).join(', ')} WHERE ${q(b.year)} = ? AND ${q(b.id)} = ?`)
      .run(...columns.flatMap((c) => c.params), year, id);
  }

  deleteBooking(year: number, id: string): void {
    const b = this.n.bookings;
    this.db.prepare(`DELETE FROM ${q(b.table)} WHERE ${q(b.year)} = ? AND ${q(b.id)} = ?`).run(year, id);
  }

  private writable(data: Partial<BookingData>, mode: 'insert' | 'update'): Assignment[] {
    const b = this.n.bookings;
    const out: Assignment[] = [];
    if (data.date !== undefined) out.push(plain(b.date, data.date));
    if (data.debit !== undefined) {
      out.push(plain(b.debitAccount, data.debit.account), plain(b.debitSubAccount, data.debit.subAccount), plain(b.debitProject, data.debit.project));
    }
    if (data.credit !== undefined) {
      out.push(plain(b.creditAccount, data.credit.account), plain(b.creditSubAccount, data.credit.subAccount), plain(b.creditProject, data.credit.project));
    }
    if (data.amountCents !== undefined) out.push(plain(b.amount, centsToDb(data.amountCents)));
    if (data.text !== undefined) out.push(plain(b.text, textToDb(data.text)));
    if (data.documentType !== undefined) out.push(plain(b.documentType, textToDb(data.documentType)));
    if (data.documentNumber !== undefined) out.push(plain(b.documentNumber, textToDb(data.documentNumber)));
    if (data.donationDate !== undefined) out.push(plain(b.donationDate, data.donationDate));
    // Without the column only "no waiver" can be stored, which is what every booking reads as.
    const column = this.waiverColumn;
    if (data.waiver === true && column !== null) out.push(plain(column, this.options.waiverDonationKind));
    if (data.waiver === false && column !== null && mode === 'insert') out.push(plain(column, null));
    if (data.waiver === false && column !== null && mode === 'update') {
      // "No waiver" clears only the waiver: a Sachzuwendung stays what it is.
      out.push({ column, sql: `CASE WHEN lower(trim(${q(column)})) = lower(trim(?)) THEN NULL ELSE ${q(column)} END`, params: [this.options.waiverDonationKind] });
    }
    return out;
  }

  private toBooking(row: Row): StoredBooking {
    const kind = textFromDb(row['donationKind']);
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
      waiver: kind !== null && kind.trim().toLowerCase() === this.options.waiverDonationKind.trim().toLowerCase(),
    };
  }
}

function plain(column: string, value: string | number | null): Assignment {
  return { column, sql: '?', params: [value] };
}
