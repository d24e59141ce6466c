/**
 * ODBC driver over the optional `odbc` package: Optigem's Access database on Windows (Microsoft
 * Access Driver), SQL Server, and on Linux the SQLite ODBC driver the tests use. One connection,
 * used by one request at a time (the services serialise).
 */
import { createRequire } from 'node:module';
import type { SqlDriver, SqlRow, SqlValue } from './types.ts';

/** The part of the `odbc` package's connection the bridge uses. */
interface OdbcConnection {
  query(sql: string, params?: SqlValue[]): Promise<OdbcResult>;
  beginTransaction(): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  tables(catalog: string | null, schema: string | null, table: string | null, type: string | null): Promise<{ TABLE_NAME: string }[]>;
  columns(catalog: string | null, schema: string | null, table: string | null, column: string | null): Promise<{ COLUMN_NAME: string }[]>;
  close(): Promise<void>;
}

/** Rows, plus what the package adds to the array: the changed-row count and the columns. */
type OdbcResult = SqlRow[] & { count?: number; columns?: { name: string }[] };

interface OdbcModule {
  connect(connectionString: string): Promise<OdbcConnection>;
}

export class OdbcUnavailableError extends Error {
  override readonly name = 'OdbcUnavailableError';
}

function loadOdbc(): OdbcModule {
  try {
    return createRequire(import.meta.url)('odbc') as OdbcModule;
  } catch (error) {
    throw new OdbcUnavailableError(
      `store.kind "odbc" needs the optional package "odbc", which is not installed or not built (${(error as Error).message.split('\n')[0]}). ` +
        'Install it with "npm install odbc@2.6.0" (on Linux first: apt-get install unixodbc unixodbc-dev).',
    );
  }
}

/** Data rows only: the package adds `statement`, `columns` and `count` to the array. */
function rowsOf(result: SqlRow[]): SqlRow[] {
  return Array.from(result);
}

export class OdbcDriver implements SqlDriver {
  readonly kind = 'odbc' as const;
  private inTransaction = false;

  private constructor(private readonly connection: OdbcConnection) {}

  /** `redact` hides secrets of the connection string in error messages. */
  static async connect(connectionString: string, redact: (text: string) => string): Promise<OdbcDriver> {
    const odbc = loadOdbc();
    try {
      return new OdbcDriver(await odbc.connect(connectionString));
    } catch (error) {
      throw new Error(`Cannot connect to the ODBC data source: ${redact(describe(error))}`);
    }
  }

  async query(sql: string, params: readonly SqlValue[] = []): Promise<SqlRow[]> {
    return rowsOf(await this.run(sql, params));
  }

  /** The package answers objects; their values in the result's column order. */
  async queryArrays(sql: string, params: readonly SqlValue[] = []): Promise<unknown[][]> {
    const result = await this.run(sql, params);
    const names = result.columns?.map((column) => column.name) ?? Object.keys(result[0] ?? {});
    return Array.from(result, (row) => names.map((name) => row[name]));
  }

  async execute(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return (await this.run(sql, params)).count ?? 0;
  }

  async transaction<T>(work: () => Promise<T>): Promise<T> {
    if (this.inTransaction) return work();
    await this.connection.beginTransaction();
    this.inTransaction = true;
    try {
      const result = await work();
      await this.connection.commit();
      return result;
    } catch (error) {
      await this.connection.rollback();
      throw error;
    } finally {
      this.inTransaction = false;
    }
  }

  async tables(): Promise<string[]> {
    return (await this.connection.tables(null, null, null, 'TABLE')).map((t) => t.TABLE_NAME);
  }

  async columns(table: string): Promise<string[]> {
    return (await this.connection.columns(null, null, table, null)).map((c) => c.COLUMN_NAME);
  }

  async close(): Promise<void> {
    await this.connection.close();
  }

  private async run(sql: string, params: readonly SqlValue[]): Promise<OdbcResult> {
    try {
      return await this.connection.query(sql, [...params]);
    } catch (error) {
      throw new Error(`ODBC statement failed: ${describe(error)}\n  ${sql}`);
    }
  }
}

/** The package's errors carry the driver's messages in `odbcErrors`. */
function describe(error: unknown): string {
  const odbcErrors = (error as { odbcErrors?: { message?: string }[] }).odbcErrors;
  const details = Array.isArray(odbcErrors) ? odbcErrors.map((e) => e.message).filter(Boolean) : [];
  return [(error as Error).message, ...details].join(' | ');
}
