/**
 * Creates Optigem-like tables in an SQLite database (demo and test databases). A real Optigem
 * database already has its tables; the bridge never runs this against one.
 */
import type { Database } from 'better-sqlite3';
import { q } from './names.ts';
import type { OptigemNames } from './names.ts';

/**
 * Optigem's text columns are Access Text(255) fields [I]. Declared VARCHAR(255) (same affinity as
 * TEXT in SQLite), ODBC drivers report them as SQL_VARCHAR; a TEXT column would read as a 64 KB
 * SQL_LONGVARCHAR, which the `odbc` package fetches several hundred times slower.
 */
const TEXT = 'VARCHAR(255)';

export function createOptigemSchema(db: Database, n: OptigemNames): void {
  const p = n.persons;
  const personColumns = Object.entries(p.columns)
    .filter((entry): entry is [string, string] => entry[1] !== null)
    .map(([field, column]) => `${q(column)} ${field === 'gender' ? 'INTEGER' : TEXT}`);
  const userFields = [4, 5, 6, 7, 8, 9, 10, 11].map((i) => `${q(`bdF${i}`)} ${TEXT}`);
  const c = n.categories;
  const a = n.categoryAssignments;
  const m = n.mandantOptions;
  const f = n.fiscalYears;
  const k = n.accounts;
  const pr = n.projects;
  const b = n.bookings;
  db.exec(`
    CREATE TABLE IF NOT EXISTS ${q(p.table)} (
      ${q(p.nr)} INTEGER PRIMARY KEY,
      ${[...personColumns, `${q('OutlookAdrBuchAenderFlag')} INTEGER NOT NULL DEFAULT 0`, ...userFields].join(',\n      ')}
    );
    CREATE TABLE IF NOT EXISTS ${q(c.table)} (
      ${q(c.id)} INTEGER PRIMARY KEY,
      ${q(c.name)} ${TEXT} NOT NULL,
      ${q(c.prefix)} ${TEXT}
    );
    CREATE TABLE IF NOT EXISTS ${q(a.table)} (
      ${q(a.personNr)} INTEGER NOT NULL,
      ${q(a.categoryId)} INTEGER NOT NULL,
      PRIMARY KEY (${q(a.personNr)}, ${q(a.categoryId)})
    );
    CREATE TABLE IF NOT EXISTS ${q(m.table)} (
      ${q(m.key)} ${TEXT} PRIMARY KEY,
      ${q(m.value)} ${TEXT}
    );
    CREATE TABLE IF NOT EXISTS ${q(f.table)} (
      ${q(f.year)} INTEGER PRIMARY KEY,
      ${q(f.start)} ${TEXT} NOT NULL,
      ${q(f.end)} ${TEXT} NOT NULL,
      ${q(f.closed)} INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE IF NOT EXISTS ${q(k.table)} (
      ${q(k.year)} INTEGER NOT NULL,
      ${q(k.number)} INTEGER NOT NULL,
      ${q(k.name)} ${TEXT} NOT NULL,
      ${q(k.type)} ${TEXT},
      PRIMARY KEY (${q(k.year)}, ${q(k.number)})
    );
    CREATE TABLE IF NOT EXISTS ${q(pr.table)} (
      ${q(pr.year)} INTEGER NOT NULL,
      ${q(pr.number)} INTEGER NOT NULL,
      ${q(pr.name)} ${TEXT} NOT NULL,
      PRIMARY KEY (${q(pr.year)}, ${q(pr.number)})
    );
    CREATE TABLE IF NOT EXISTS ${q(b.table)} (
      ${q(b.id)} INTEGER PRIMARY KEY AUTOINCREMENT,
      ${q(b.year)} INTEGER NOT NULL,
      ${q(b.date)} ${TEXT} NOT NULL,
      ${q(b.debitAccount)} INTEGER NOT NULL,
      ${q(b.debitSubAccount)} INTEGER NOT NULL DEFAULT 0,
      ${q(b.debitProject)} INTEGER NOT NULL DEFAULT 0,
      ${q(b.creditAccount)} INTEGER NOT NULL,
      ${q(b.creditSubAccount)} INTEGER NOT NULL DEFAULT 0,
      ${q(b.creditProject)} INTEGER NOT NULL DEFAULT 0,
      ${q(b.amount)} REAL NOT NULL,
      ${q(b.text)} ${TEXT},
      ${q(b.documentType)} ${TEXT},
      ${q(b.documentNumber)} ${TEXT},
      ${q(b.donationDate)} ${TEXT},
      ${q(b.enteredAt)} ${TEXT}${b.waiver === null ? '' : `,\n      ${q(b.waiver)} ${TEXT}`}
    );
    CREATE INDEX IF NOT EXISTS ${q(`${b.table}_year`)} ON ${q(b.table)} (${q(b.year)});
  `);
}

/**
 * Brings a demo database made by an older version up to date: the waiver's Zuwendungsart column
 * came later. Only the SQLite store runs this (a real Optigem lives in Access or MSSQL, whose
 * tables the bridge never alters); a database without a bookings table is left alone.
 */
export function upgradeOptigemSchema(db: Database, n: OptigemNames): void {
  const b = n.bookings;
  if (b.waiver === null) return;
  const columns = db.prepare(`SELECT name FROM pragma_table_info(?)`).all(b.table) as { name: string }[];
  if (columns.length > 0 && !columns.some((c) => c.name === b.waiver)) {
    db.exec(`ALTER TABLE ${q(b.table)} ADD COLUMN ${q(b.waiver)} ${TEXT}`);
  }
}
