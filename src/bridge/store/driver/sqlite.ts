/** The embedded driver: better-sqlite3, synchronous underneath, statements prepared once. */
import Database from 'better-sqlite3';
import type { Database as Db, Statement } from 'better-sqlite3';
import type { SqlDriver, SqlRow, SqlValue } from './types.ts';

const STATEMENT_CACHE_SIZE = 256;

export class SqliteDriver implements SqlDriver {
  readonly kind = 'sqlite' as const;
  readonly db: Db;
  private readonly statements = new Map<string, Statement>();
  /** Statements in raw mode (better-sqlite3 switches a statement, so these are kept apart). */
  private readonly arrayStatements = new Map<string, Statement>();

  constructor(path: string, options: { readonly?: boolean } = {}) {
    this.db = new Database(path, { readonly: options.readonly ?? false, fileMustExist: path !== ':memory:' });
    if (!options.readonly) {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('busy_timeout = 5000');
      // With WAL, NORMAL syncs at checkpoints instead of on every commit (a write's transaction
      // cost ~8 ms of fsync here, four times its CPU). It cannot corrupt the file; a power cut may
      // lose the last commits, each whole with its idempotency key and audit entry. This store is
      // the demo and test database; a real Optigem database is reached over ODBC.
      this.db.pragma('synchronous = NORMAL');
    }
  }

  private prepare(sql: string, arrays = false): Statement {
    const cache = arrays ? this.arrayStatements : this.statements;
    let statement = cache.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      if (arrays) statement.raw(true);
      // Page sizes and offsets are part of the SQL text: keep the cache bounded, dropping the oldest.
      if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      cache.set(sql, statement);
    }
    return statement;
  }

  async query(sql: string, params: readonly SqlValue[] = []): Promise<SqlRow[]> {
    return this.prepare(sql).all(...params) as SqlRow[];
  }

  async queryArrays(sql: string, params: readonly SqlValue[] = []): Promise<unknown[][]> {
    return this.prepare(sql, true).all(...params) as unknown[][];
  }

  async execute(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return this.prepare(sql).run(...params).changes;
  }

  async transaction<T>(work: () => Promise<T>): Promise<T> {
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

  async tables(): Promise<string[]> {
    return (this.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
  }

  async columns(table: string): Promise<string[]> {
    return (this.db.prepare('SELECT name FROM pragma_table_info(?)').all(table) as { name: string }[]).map((r) => r.name);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
