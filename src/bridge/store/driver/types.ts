/**
 * The seam between the store's SQL and a database connection. The store writes each statement
 * once with `?` parameters and the dialect's quoting; a driver only runs them.
 */
export type SqlValue = string | number | null;
export type SqlRow = Record<string, unknown>;

export interface SqlDriver {
  /** 'sqlite': better-sqlite3 in process; 'odbc': any ODBC data source through the `odbc` package. */
  readonly kind: 'sqlite' | 'odbc';
  query(sql: string, params?: readonly SqlValue[]): Promise<SqlRow[]>;
  /**
   * Like `query`, each row as the array of its values in the select list's order: for pages of
   * wide rows, where making one object per row is a large share of the read.
   */
  queryArrays(sql: string, params?: readonly SqlValue[]): Promise<unknown[][]>;
  /** Runs a statement that returns no rows; answers how many rows it changed. */
  execute(sql: string, params?: readonly SqlValue[]): Promise<number>;
  /**
   * Runs `work` in one transaction. Nested calls join the outer transaction. Callers serialise
   * every access to the connection, so no two transactions interleave.
   */
  transaction<T>(work: () => Promise<T>): Promise<T>;
  /** Base tables of the database (doctor). */
  tables(): Promise<string[]>;
  /** Column names of a table; empty when the table does not exist. */
  columns(table: string): Promise<string[]>;
  close(): Promise<void>;
}
