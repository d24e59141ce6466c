/**
 * The SQL the store generates for Access (Jet) and SQL Server, checked as text: these databases
 * only exist on Windows installations (see docs/bridge.md for the checks made there). The
 * recording driver below stands for the database; the store under test is the real one.
 */
import { describe, expect, it } from 'vitest';
import { ACCESS_DIALECT, SQLITE_DIALECT, SQLSERVER_DIALECT } from '../../src/bridge/store/driver/dialect.ts';
import type { SqlDialect } from '../../src/bridge/store/driver/dialect.ts';
import type { SqlDriver, SqlRow, SqlValue } from '../../src/bridge/store/driver/types.ts';
import { SqlStore } from '../../src/bridge/store/sqlite/store.ts';

class RecordingDriver implements SqlDriver {
  readonly kind = 'odbc' as const;
  readonly statements: { sql: string; params: readonly SqlValue[] }[] = [];
  constructor(private readonly answer: (sql: string) => SqlRow[] = () => []) {}
  async query(sql: string, params: readonly SqlValue[] = []) {
    this.statements.push({ sql, params });
    return this.answer(sql);
  }
  async queryArrays(sql: string, params: readonly SqlValue[] = []) {
    return (await this.query(sql, params)).map((row) => Object.values(row));
  }
  async execute(sql: string, params: readonly SqlValue[] = []) {
    this.statements.push({ sql, params });
    return 1;
  }
  async transaction<T>(work: () => Promise<T>) {
    return work();
  }
  async tables() {
    return [];
  }
  async columns() {
    return ['Zuwendungsart'];
  }
  async close() {}
}

async function storeWith(dialect: SqlDialect, answer?: (sql: string) => SqlRow[]) {
  const driver = new RecordingDriver(answer);
  return { driver, store: await SqlStore.open({ driver, dialect }) };
}

const booking = {
  date: '2026-05-04',
  debit: { account: 1200, subAccount: 0, project: 0 },
  credit: { account: 8000, subAccount: 17, project: 100 },
  amountCents: 4200,
  text: 'Spende',
  documentType: null,
  documentNumber: 'T-1',
  donationDate: null,
  waiver: false,
};

describe('dialect rules', () => {
  it('quotes Optigem names with brackets for Access and SQL Server, with double quotes for SQLite', () => {
    expect(ACCESS_DIALECT.quote('Personen-Kategorie-Zuordnung')).toBe('[Personen-Kategorie-Zuordnung]');
    expect(SQLSERVER_DIALECT.quote('main_#_Optionen_Mandant')).toBe('[main_#_Optionen_Mandant]');
    expect(SQLSERVER_DIALECT.quote('a]b')).toBe('[a]]b]');
    expect(() => ACCESS_DIALECT.quote('a]b')).toThrow(/Invalid SQL identifier/);
    expect(SQLITE_DIALECT.quote('Präfix')).toBe('"Präfix"');
  });

  it('writes booleans as -1/0 for Access and 1/0 elsewhere', () => {
    expect([ACCESS_DIALECT.bool(true), ACCESS_DIALECT.bool(false)]).toEqual([-1, 0]);
    expect([SQLSERVER_DIALECT.bool(true), SQLITE_DIALECT.bool(true)]).toEqual([1, 1]);
  });

  it('limits rows with TOP on Jet (no OFFSET: rows are skipped), TOP/OFFSET FETCH on SQL Server, LIMIT on SQLite', () => {
    const parts = { columns: '[Nr] AS nr', from: 'FROM [Spender] WHERE [Nr] > ?', orderBy: '[Nr]' };
    expect(ACCESS_DIALECT.select(parts, 501)).toEqual({ sql: 'SELECT TOP 501 [Nr] AS nr FROM [Spender] WHERE [Nr] > ? ORDER BY [Nr]', skip: 0 });
    expect(ACCESS_DIALECT.select(parts, 100, 200)).toEqual({ sql: 'SELECT TOP 300 [Nr] AS nr FROM [Spender] WHERE [Nr] > ? ORDER BY [Nr]', skip: 200 });
    expect(SQLSERVER_DIALECT.select(parts, 501).sql).toBe('SELECT TOP (501) [Nr] AS nr FROM [Spender] WHERE [Nr] > ? ORDER BY [Nr]');
    expect(SQLSERVER_DIALECT.select(parts, 100, 200).sql).toBe('SELECT [Nr] AS nr FROM [Spender] WHERE [Nr] > ? ORDER BY [Nr] OFFSET 200 ROWS FETCH NEXT 100 ROWS ONLY');
    expect(SQLITE_DIALECT.select(parts, 100, 200).sql).toBe('SELECT [Nr] AS nr FROM [Spender] WHERE [Nr] > ? ORDER BY [Nr] LIMIT 100 OFFSET 200');
    expect(() => ACCESS_DIALECT.select(parts, -1)).toThrow();
  });

  it('gets the id of an inserted row with @@IDENTITY (Jet), SCOPE_IDENTITY() in the same batch (SQL Server), last_insert_rowid() (SQLite)', () => {
    expect(ACCESS_DIALECT.insertReturningId('INSERT X')).toEqual({ insert: 'INSERT X', identity: 'SELECT @@IDENTITY AS id' });
    expect(SQLSERVER_DIALECT.insertReturningId('INSERT X')).toEqual({ insert: 'SET NOCOUNT ON; INSERT X; SELECT CAST(SCOPE_IDENTITY() AS int) AS id', identity: null });
    expect(SQLITE_DIALECT.insertReturningId('INSERT X').identity).toBe('SELECT last_insert_rowid() AS id');
  });
});

describe('the store on Access', () => {
  it('reads a page of persons by key with TOP and the categories of just that key range', async () => {
    const { driver, store } = await storeWith(ACCESS_DIALECT, (sql) => (sql.includes('FROM [Spender]') ? [{ nr: 11 }, { nr: 12 }] : []));
    await store.pagePersons({ after: '10' }, 501);
    const [persons, categories] = driver.statements;
    expect(persons?.sql).toMatch(/^SELECT TOP 501 \[Nr\] AS nr, \[Anrede\] AS \[salutation\], .* FROM \[Spender\] WHERE \[Nr\] > \? AND \[Nr\] <> 0 ORDER BY \[Nr\]$/);
    expect(persons?.params).toEqual([10]);
    expect(categories).toEqual({
      sql: 'SELECT [Personen-Nr] AS nr, [Kategorie-ID] AS id FROM [Personen-Kategorie-Zuordnung] WHERE [Personen-Nr] >= ? AND [Personen-Nr] <= ?',
      params: [11, 12],
    });
  });

  it('writes every statement in Jet SQL: no LIMIT, OFFSET, COALESCE, CASE, INSERT OR IGNORE or double quotes', async () => {
    const { driver, store } = await storeWith(ACCESS_DIALECT, (sql) => (sql.includes('@@IDENTITY') ? [{ id: 77 }] : sql.includes('MAX(') ? [{ nr: null }] : []));
    expect(await store.createBooking(2026, booking)).toBe('77');
    await store.updateBooking(2026, '77', { waiver: false, amountCents: 100 });
    await store.personHasBookings(17);
    expect(await store.createPerson({ lastName: 'Neu', categoryIds: [150] } as Parameters<typeof store.createPerson>[0])).toBe(1);
    await store.setArchived(1, true);
    await store.fiscalYears();
    await store.mandant();
    const all = driver.statements.map((s) => s.sql);
    for (const sql of all) expect(sql).not.toMatch(/\bLIMIT\b|\bOFFSET\b|COALESCE|\bCASE\b|INSERT OR|"/);
    expect(all).toContain('SELECT @@IDENTITY AS id');
    expect(all.some((sql) => /^SELECT TOP 1 \[ID\] AS id FROM \[Buchungen\] WHERE \[SollUK\] = \? OR \[HabenUK\] = \?/.test(sql))).toBe(true);
    // Category assignment: look first, insert only when absent.
    expect(all.filter((sql) => sql.startsWith('INSERT INTO [Personen-Kategorie-Zuordnung]'))).toHaveLength(2);
  });
});

describe('the store on SQL Server', () => {
  it('inserts a booking and reads its id in one batch', async () => {
    const { driver, store } = await storeWith(SQLSERVER_DIALECT, (sql) => (sql.includes('SCOPE_IDENTITY') ? [{ id: 5 }] : []));
    expect(await store.createBooking(2026, booking)).toBe('5');
    const insert = driver.statements.find((s) => s.sql.includes('INSERT INTO [Buchungen]'));
    expect(insert?.sql).toMatch(/^SET NOCOUNT ON; INSERT INTO \[Buchungen\] \(.*\) VALUES \(.*\); SELECT CAST\(SCOPE_IDENTITY\(\) AS int\) AS id$/);
    expect(insert?.params).toContain(42);
  });
});
