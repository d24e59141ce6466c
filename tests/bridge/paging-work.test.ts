/**
 * The work of one list page is bounded by the page, not by the table (issue 12 §1): counted, not
 * timed. The store's real driver (SQLite, or ODBC in the `bridge-odbc` project) is wrapped to
 * count the rows each statement hands back, and the bridge's state database to count the rows
 * its statements read and write; the services are the real ones. A record's ETag and change time
 * need its row from the store and one shadow row, so rows read bound the records hashed.
 */
import Database from 'better-sqlite3';
import type { Database as Db, Statement } from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BridgeConfigSchema } from '../../src/bridge/config.ts';
import { createTempDemoDatabase } from '../../src/bridge/index.ts';
import type { TempDatabase } from '../../src/bridge/index.ts';
import { contentHash, etagOf } from '../../src/bridge/service/content.ts';
import { coupleDetector } from '../../src/bridge/service/couple.ts';
import { createServices } from '../../src/bridge/service/index.ts';
import type { Services } from '../../src/bridge/service/index.ts';
import { Serial } from '../../src/bridge/service/serial.ts';
import { openBridgeState } from '../../src/bridge/state/index.ts';
import { dialectOf } from '../../src/bridge/store/driver/dialect.ts';
import type { SqlDriver, SqlRow, SqlValue } from '../../src/bridge/store/driver/types.ts';
import { dialectNameOf, openDriver } from '../../src/bridge/store/open.ts';
import { SqlStore } from '../../src/bridge/store/sqlite/store.ts';
import { BookingSchema, PersonSchema } from '../../src/optigem/schemas.ts';
import { statePathOf, testStore } from './helpers.ts';

/** Passes every statement to the real driver and counts the rows it answers. */
class CountingDriver implements SqlDriver {
  rowsRead = 0;
  /** Statements that count a whole list (`COUNT(*)`). */
  listCounts = 0;
  constructor(private readonly inner: SqlDriver) {}
  get kind() {
    return this.inner.kind;
  }
  async query(sql: string, params?: readonly SqlValue[]): Promise<SqlRow[]> {
    const rows = await this.inner.query(sql, params);
    this.rowsRead += rows.length;
    if (sql.includes('COUNT(*)')) this.listCounts++;
    return rows;
  }
  async queryArrays(sql: string, params?: readonly SqlValue[]): Promise<unknown[][]> {
    const rows = await this.inner.queryArrays(sql, params);
    this.rowsRead += rows.length;
    return rows;
  }
  execute(sql: string, params?: readonly SqlValue[]): Promise<number> {
    return this.inner.execute(sql, params);
  }
  transaction<T>(work: () => Promise<T>): Promise<T> {
    return this.inner.transaction(work);
  }
  tables(): Promise<string[]> {
    return this.inner.tables();
  }
  columns(table: string): Promise<string[]> {
    return this.inner.columns(table);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

interface StateCounts {
  statements: number;
  rowsRead: number;
  rowsWritten: number;
}

function countingStatement(statement: Statement, counts: StateCounts): Statement {
  return new Proxy(statement, {
    get(target, property) {
      if (property === 'all') return (...args: unknown[]) => tally(target.all(...args) as unknown[], counts);
      if (property === 'get') return (...args: unknown[]) => tally([target.get(...args)].filter((row) => row !== undefined), counts)[0];
      if (property === 'run') {
        return (...args: unknown[]) => {
          counts.statements++;
          const result = target.run(...args);
          counts.rowsWritten += result.changes;
          return result;
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

function tally<T>(rows: T[], counts: StateCounts): T[] {
  counts.statements++;
  counts.rowsRead += rows.length;
  return rows;
}

/** The bridge's state database, counting the rows its statements read and write. */
function countingDatabase(db: Db, counts: StateCounts): Db {
  return new Proxy(db, {
    get(target, property) {
      if (property === 'prepare') return (sql: string) => countingStatement(target.prepare(sql), counts);
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

const EXTRA_PERSONS = 1_200;
const EXTRA_BOOKINGS = 1_200;
const YEAR = 2026;
const LIMIT = 100;

let database: TempDatabase;
let driver: CountingDriver;
let store: SqlStore;
let stateDb: Db;
const state: StateCounts = { statements: 0, rowsRead: 0, rowsWritten: 0 };
let services: Services;

beforeAll(async () => {
  database = await createTempDemoDatabase({ knownChangeTimes: false });
  const raw = new Database(database.path);
  try {
    const person = raw.prepare('INSERT INTO "Spender" ("Nr", "Vorname", "Nachname") VALUES (?, ?, ?)');
    const category = raw.prepare('INSERT INTO "Personen-Kategorie-Zuordnung" ("Personen-Nr", "Kategorie-ID") VALUES (?, 150)');
    const booking = raw.prepare('INSERT INTO "Buchungen" ("Jahr", "Datum", "SollHK", "HabenHK", "Betrag", "BuchText") SELECT "Jahr", ?, "SollHK", "HabenHK", ?, ? FROM "Buchungen" WHERE "Jahr" = ? LIMIT 1');
    raw.transaction(() => {
      for (let i = 0; i < EXTRA_PERSONS; i++) {
        person.run(200_000 + i, 'Zähl', `Person ${i}`);
        category.run(200_000 + i);
      }
      for (let i = 0; i < EXTRA_BOOKINGS; i++) booking.run(`${YEAR}-06-01`, 1 + i, `Zählbuchung ${i}`, YEAR);
    })();
  } finally {
    raw.close();
  }
  const config = BridgeConfigSchema.parse({ ...testStore(database.path), port: 0 });
  driver = new CountingDriver(await openDriver(config, { readonly: false }));
  store = await SqlStore.open({ driver, dialect: dialectOf(dialectNameOf(config)) });
  stateDb = new Database(statePathOf(database.path));
  services = createServices({
    store,
    state: openBridgeState(countingDatabase(stateDb, state)),
    serial: new Serial(),
    now: () => new Date(),
    detectCouple: coupleDetector(),
    writePersons: false,
    writeBookings: false,
  });
});

afterAll(async () => {
  await store.close();
  stateDb.close();
  database.remove();
});

interface PageWork {
  items: number;
  storeRows: number;
  stateStatements: number;
  stateRowsRead: number;
  stateRowsWritten: number;
}

/** Reads every page following `nextAfter` and counts each page's work. */
async function readAllPages(read: (after: string | undefined) => Promise<{ items: unknown[]; nextAfter: string | null }>): Promise<PageWork[]> {
  const pages: PageWork[] = [];
  let after: string | undefined;
  for (;;) {
    const before = { store: driver.rowsRead, statements: state.statements, read: state.rowsRead, written: state.rowsWritten };
    const page = await read(after);
    pages.push({
      items: page.items.length,
      storeRows: driver.rowsRead - before.store,
      stateStatements: state.statements - before.statements,
      stateRowsRead: state.rowsRead - before.read,
      stateRowsWritten: state.rowsWritten - before.written,
    });
    if (page.nextAfter === null) return pages;
    after = page.nextAfter;
  }
}

describe('work per list page', () => {
  it('reads a page of persons from the store with at most its own rows, their categories and two counts, and looks at one shadow row per person', async () => {
    const total = await store.countPersons();
    expect(total).toBeGreaterThan(EXTRA_PERSONS);
    const first = await readAllPages((after) => services.persons.list({ page: 1, limit: LIMIT, after }));
    const second = await readAllPages((after) => services.persons.list({ page: 1, limit: LIMIT, after }));
    expect(first.reduce((sum, p) => sum + p.items, 0)).toBe(total);
    for (const page of [...first, ...second]) {
      // limit + 1 persons (is there a next page?), at most two categories each in this data
      // (the extra persons have one), COUNT(*) and Donor 0's row.
      expect(page.storeRows).toBeLessThanOrEqual(3 * (LIMIT + 1) + 2);
      // The page's remembered hashes and its partner ids, each in one statement; one write per
      // new or changed record.
      expect(page.stateRowsRead).toBeLessThanOrEqual(2 * page.items);
      expect(page.stateStatements).toBeLessThanOrEqual(2 + page.stateRowsWritten);
    }
    // A first read remembers each person once; a second read of unchanged persons writes nothing.
    expect(first.reduce((sum, p) => sum + p.stateRowsWritten, 0)).toBe(total);
    expect(second.map((p) => p.stateRowsWritten)).toEqual(second.map(() => 0));
    // One pass over the table in all, not one per page: the last page costs what the first does.
    const pageRows = first.filter((p) => p.items === LIMIT).map((p) => p.storeRows);
    expect(Math.max(...pageRows)).toBeLessThan(total / 2);
  });

  it('reads a page of a fiscal year\'s bookings with at most its own rows plus the year\'s fiscal years, accounts and count', async () => {
    const total = await store.countBookings(YEAR);
    expect(total).toBeGreaterThan(EXTRA_BOOKINGS);
    const lookups = (await store.fiscalYears()).length + (await store.accounts(YEAR)).length + 1;
    const first = await readAllPages((after) => services.bookings.list(YEAR, { page: 1, limit: LIMIT, after }));
    const second = await readAllPages((after) => services.bookings.list(YEAR, { page: 1, limit: LIMIT, after }));
    expect(first.reduce((sum, p) => sum + p.items, 0)).toBe(total);
    for (const page of [...first, ...second]) {
      expect(page.storeRows).toBeLessThanOrEqual(LIMIT + 1 + lookups);
      expect(page.stateRowsRead).toBeLessThanOrEqual(page.items);
      expect(page.stateStatements).toBeLessThanOrEqual(1 + page.stateRowsWritten);
    }
    expect(first.reduce((sum, p) => sum + p.stateRowsWritten, 0)).toBe(total);
    expect(second.map((p) => p.stateRowsWritten)).toEqual(second.map(() => 0));
  });

  it('counts a list on the first and the last page of a read only, so a change between pages still shows in the last total', async () => {
    const before = driver.listCounts;
    const pages = await readAllPages((after) => services.bookings.list(YEAR, { page: 1, limit: LIMIT, after }));
    expect(pages.length).toBeGreaterThan(10);
    expect(driver.listCounts - before).toBe(2);

    // A booking deleted after the first page was read: the last page's total says one fewer than
    // the read collected, which the client's read check reports as a list that changed.
    const first = await services.bookings.list(YEAR, { page: 1, limit: LIMIT });
    const raw = new Database(database.path);
    try {
      raw.prepare('DELETE FROM "Buchungen" WHERE "Jahr" = ? AND "ID" = ?').run(YEAR, Number(first.nextAfter));
    } finally {
      raw.close();
    }
    let read = first.items.length;
    let page = first;
    while (page.nextAfter !== null) {
      page = await services.bookings.list(YEAR, { page: 1, limit: LIMIT, after: page.nextAfter });
      read += page.items.length;
    }
    expect(page.total).toBe(first.total - 1);
    expect(read).toBe(first.total);
  });

  it('notices a change made in Optigem on the next read of the page that holds the record, writing one shadow row', async () => {
    const nr = 200_000 + 150;
    const raw = new Database(database.path);
    try {
      raw.prepare('UPDATE "Spender" SET "Ort" = ? WHERE "Nr" = ?').run('Zählstadt', nr);
    } finally {
      raw.close();
    }
    const pages = await readAllPages((after) => services.persons.list({ page: 1, limit: LIMIT, after }));
    expect(pages.reduce((sum, p) => sum + p.stateRowsWritten, 0)).toBe(1);
    const changed = await services.persons.get(nr);
    expect(changed).toMatchObject({ city: 'Zählstadt', lastModifiedSource: 'shadow' });
  });
});

describe('ETags across this version', () => {
  it('hashes content as before, so ETags and remembered shadow hashes of unchanged records stay valid', () => {
    // Values computed by the earlier implementation (sort keys into new objects, then JSON.stringify).
    const person = {
      archived: false, salutation: null, title: 'Dr.', firstName: 'Jürgen "Jo"', lastName: 'Müller\\Schmidt', letterSalutation: null, street: 'Hauptstraße 1',
      addressAddition: null, zip: '50667', city: 'Köln', country: null, phoneEvening: null, mobile: '+49 170 1234567', fax: null, email: 'j@example.org',
      birthday: '1950-01-31', membershipStart: null, membershipEnd: null, gender: 'male', categoryIds: [150, 300],
    };
    const booking = {
      date: '2026-03-01', debit: { account: 1200, subAccount: 0, project: 0 }, credit: { account: 8000, subAccount: 17, project: 3 }, amountCents: 12345,
      text: 'Spende\nMärz', documentType: 'BA', documentNumber: '17', donationDate: null, waiver: true,
    };
    expect(contentHash(person)).toBe('3f448af19d5b0f107688caf94926655938525e7b890d36a7485843c9bdab0d1d');
    expect(contentHash(booking)).toBe('59f545a900bce1a8ccbc1bb64a00fc003bb18029d0b7598b8a59e34baf15da22');
    expect(contentHash({ b: [1, { z: 1, a: [null, 'x'] }], a: undefined, c: 1.5 })).toBe('ce8e89e2ba9efca06ba967121851b524e82ff4cb20217b7c83c80f383c35fca5');
    expect(etagOf(contentHash(person))).toBe('"3f448af19d5b0f107688caf949266559"');
  });
});

describe('page answers built from each record\'s content text', () => {
  /** How often each top-level field of the schema is named in a record's text: once, or the JSON has a key twice. */
  const namings = (text: string, fields: readonly string[]): Record<string, number> =>
    Object.fromEntries(fields.map((field) => [field, text.split(`"${field}":`).length - 1]));

  it('name every field of a person and a booking exactly once, a waiver booking\'s waiver too, and the record\'s content hash is its ETag', async () => {
    const persons = await services.persons.list({ page: 1, limit: 50 });
    const personFields = Object.keys(PersonSchema.shape);
    for (const text of persons.items) {
      expect(namings(text, personFields)).toEqual(Object.fromEntries(personFields.map((f) => [f, 1])));
      const person = PersonSchema.parse(JSON.parse(text));
      expect(person.etag).toBe((await services.persons.get(person.nr)).etag);
    }
    const bookingFields = Object.keys(BookingSchema.shape);
    const bookings = await services.bookings.list(YEAR, { page: 1, limit: 1_000 });
    const texts = bookings.items.map((text) => ({ text, booking: BookingSchema.parse(JSON.parse(text)) }));
    expect(texts.some((t) => t.booking.waiver)).toBe(true);
    expect(texts.some((t) => !t.booking.waiver)).toBe(true);
    for (const { text } of texts) expect(namings(text, bookingFields)).toEqual(Object.fromEntries(bookingFields.map((f) => [f, 1])));
  });
});
