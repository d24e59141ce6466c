/**
 * The bridge benchmark's database: persons with the fields a parish fills, their categories, and
 * two fiscal years with accounts and bookings, written straight into an Optigem-named SQLite file.
 */
import Database from 'better-sqlite3';
import { openBridgeState } from '../src/bridge/state/index.ts';
import { DEFAULT_NAMES, q } from '../src/bridge/store/sqlite/names.ts';
import { createOptigemSchema } from '../src/bridge/store/sqlite/schema.ts';

export interface BridgeBenchData {
  persons: number;
  /** Bookings in `year`; a third as many in the year before. */
  bookings: number;
  year: number;
}

const FIRST = ['Anna', 'Jürgen', 'Clara', 'Paul', 'Hans', 'Eva', 'Lukas', 'Marie', 'Jonas', 'Sophie'];
const LAST = ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Schulz', 'Hoffmann'];
const BANK = 1200;
const DONATIONS = 8000;

function insertInto(db: Database.Database, table: string, columns: readonly string[]): Database.Statement {
  return db.prepare(`INSERT INTO ${q(table)} (${columns.map(q).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
}

export function fillBridgeDatabase(path: string, data: BridgeBenchData): void {
  const earlier = Math.round(data.bookings / 3);
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  const n = DEFAULT_NAMES;
  createOptigemSchema(db, n);
  openBridgeState(db);
  const c = n.persons.columns as Record<string, string>;
  const person = insertInto(db, n.persons.table, [n.persons.nr, c['salutation'], c['firstName'], c['lastName'], c['letterSalutation'], c['street'], c['zip'], c['city'], c['email'], c['mobile'], c['birthday'], c['gender']].map(String));
  const category = insertInto(db, n.categoryAssignments.table, [n.categoryAssignments.personNr, n.categoryAssignments.categoryId]);
  const year = insertInto(db, n.fiscalYears.table, [n.fiscalYears.year, n.fiscalYears.start, n.fiscalYears.end, n.fiscalYears.closed]);
  const account = insertInto(db, n.accounts.table, [n.accounts.year, n.accounts.number, n.accounts.name, n.accounts.type]);
  const b = n.bookings;
  const booking = insertInto(db, b.table, [b.year, b.date, b.debitAccount, b.debitSubAccount, b.creditAccount, b.creditSubAccount, b.amount, b.text, b.documentType, b.documentNumber]);
  db.transaction(() => {
    for (let i = 1; i <= data.persons; i++) {
      const female = i % 2 === 1;
      const first = FIRST[i % 10] ?? '';
      const last = LAST[Math.floor(i / 10) % 10] ?? '';
      person.run(
        i, female ? 'Frau' : 'Herr', first, last, `${female ? 'Liebe Frau' : 'Lieber Herr'} ${last}`, `Hauptstraße ${1 + (i % 200)}`, String(50000 + (i % 9000)),
        i % 3 ? 'Köln' : 'Bonn', `p${i}@example.org`, i % 5 ? null : `+49 170 ${String(1_000_000 + i)}`,
        `19${String(40 + (i % 60)).padStart(2, '0')}-0${1 + (i % 9)}-1${i % 10}`, female ? 1 : 0,
      );
      category.run(i, i % 2 ? 150 : 160);
      if (i % 4 === 0) category.run(i, 300);
    }
    for (const [y, count] of [[data.year - 1, earlier], [data.year, data.bookings]] as const) {
      year.run(y, `${y}-01-01`, `${y}-12-31`, y < data.year ? 1 : 0);
      account.run(y, BANK, 'Bank', 'Finanzkonto');
      account.run(y, DONATIONS, 'Spenden', 'Spendenertrag 1');
      for (let i = 1; i <= count; i++) {
        const date = `${y}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
        booking.run(y, date, BANK, 0, DONATIONS, 1 + (i % data.persons), 10 + (i % 500), `Spende ${i}`, 'KA', String(i));
      }
    }
  })();
  db.close();
}
