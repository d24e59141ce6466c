/**
 * What differs between the SQL of SQLite, Microsoft Access (Jet/ACE) and SQL Server for the few
 * statements the store needs. Everything else the store writes in the common subset.
 *
 * Access and SQL Server rules are [I] for this project: taken from their documentation and
 * unit-tested as generated SQL, not run against a real database here (see docs/bridge.md,
 * "Checks only a Windows installation can make").
 */
import type { SqlValue } from './types.ts';

export type DialectName = 'sqlite' | 'access' | 'sqlserver';

export interface SelectParts {
  /** Everything from `SELECT` (exclusive) up to `FROM` (exclusive): the column list. */
  readonly columns: string;
  /** `FROM …` including any `WHERE …`. */
  readonly from: string;
  /** The `ORDER BY` expression list, without the keywords. */
  readonly orderBy: string;
}

export interface LimitedSelect {
  readonly sql: string;
  /** Rows the caller drops from the front (Jet has no OFFSET). */
  readonly skip: number;
}

export interface SqlDialect {
  readonly name: DialectName;
  quote(identifier: string): string;
  /** Jet stores Yes/No as -1/0; SQLite and SQL Server (bit) as 1/0. */
  bool(value: boolean): number;
  /** A calendar date (`YYYY-MM-DD`) as a parameter value. */
  date(value: string): SqlValue;
  /** At most `limit` rows after skipping `offset` rows, in `orderBy` order. */
  select(parts: SelectParts, limit: number, offset?: number): LimitedSelect;
  /**
   * The statement(s) that insert a row and answer its generated id in a column `id`. Jet answers
   * @@IDENTITY per connection, SQL Server's SCOPE_IDENTITY() only inside the inserting batch.
   */
  insertReturningId(insert: string): { insert: string; identity: string | null };
}

function checkCount(n: number, what: string): number {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`Invalid ${what}: ${n}`);
  return n;
}

function invalidIdentifier(name: string): boolean {
  return name.length === 0 || /[\u0000-\u001f]/.test(name);
}

/**
 * Names come from code and the operator's config, never from requests; quoting still matters
 * because Optigem's names contain spaces, `#`, `-` and umlauts.
 */
function bracket(name: string, allowClosing: boolean): string {
  if (invalidIdentifier(name) || (!allowClosing && /[[\]]/.test(name))) throw new Error(`Invalid SQL identifier: ${JSON.stringify(name)}`);
  return `[${name.replaceAll(']', ']]')}]`;
}

export const SQLITE_DIALECT: SqlDialect = {
  name: 'sqlite',
  quote(name) {
    if (invalidIdentifier(name)) throw new Error(`Invalid SQL identifier: ${JSON.stringify(name)}`);
    return `"${name.replaceAll('"', '""')}"`;
  },
  bool: (value) => (value ? 1 : 0),
  date: (value) => value,
  select(parts, limit, offset = 0) {
    const tail = offset > 0 ? ` OFFSET ${checkCount(offset, 'offset')}` : '';
    return { sql: `SELECT ${parts.columns} ${parts.from} ORDER BY ${parts.orderBy} LIMIT ${checkCount(limit, 'limit')}${tail}`, skip: 0 };
  },
  insertReturningId: (insert) => ({ insert, identity: 'SELECT last_insert_rowid() AS id' }),
};

export const ACCESS_DIALECT: SqlDialect = {
  name: 'access',
  // Jet allows no brackets inside a name at all.
  quote: (name) => bracket(name, false),
  bool: (value) => (value ? -1 : 0),
  date: (value) => value,
  select(parts, limit, offset = 0) {
    // Jet has TOP but no OFFSET: fetch up to the end of the wanted rows and drop the front. Keyed
    // paging (WHERE key > ?) keeps offset at 0, so this cost only applies to offset paging.
    const top = checkCount(limit, 'limit') + checkCount(offset, 'offset');
    return { sql: `SELECT TOP ${top} ${parts.columns} ${parts.from} ORDER BY ${parts.orderBy}`, skip: offset };
  },
  insertReturningId: (insert) => ({ insert, identity: 'SELECT @@IDENTITY AS id' }),
};

export const SQLSERVER_DIALECT: SqlDialect = {
  name: 'sqlserver',
  quote: (name) => bracket(name, true),
  bool: (value) => (value ? 1 : 0),
  date: (value) => value,
  select(parts, limit, offset = 0) {
    if (offset === 0) return { sql: `SELECT TOP (${checkCount(limit, 'limit')}) ${parts.columns} ${parts.from} ORDER BY ${parts.orderBy}`, skip: 0 };
    return {
      sql: `SELECT ${parts.columns} ${parts.from} ORDER BY ${parts.orderBy} OFFSET ${checkCount(offset, 'offset')} ROWS FETCH NEXT ${checkCount(limit, 'limit')} ROWS ONLY`,
      skip: 0,
    };
  },
  // One batch, so SCOPE_IDENTITY() still sees the insert; NOCOUNT keeps the row count of the
  // INSERT from becoming the first result.
  insertReturningId: (insert) => ({ insert: `SET NOCOUNT ON; ${insert}; SELECT CAST(SCOPE_IDENTITY() AS int) AS id`, identity: null }),
};

export function dialectOf(name: DialectName): SqlDialect {
  return name === 'access' ? ACCESS_DIALECT : name === 'sqlserver' ? SQLSERVER_DIALECT : SQLITE_DIALECT;
}
