/**
 * Change times for stores without a modification column (Optigem's Access schema has none,
 * reference §2.6): the bridge remembers a hash of each record's content and the moment it first
 * saw that content change. Resolution is "between two reads"; the bridge reads right before
 * answering, so a sync sees changes made up to its own request.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { LastModifiedSource } from '../../optigem/schemas.ts';

export interface ShadowState {
  readonly lastModified: string | null;
  readonly source: LastModifiedSource;
  /** When the bridge first saw the record at all. */
  readonly firstSeen: string;
}

interface Row {
  key: string;
  hash: string;
  changed_at: string | null;
  first_seen: string;
}

function stateOf(row: { changed_at: string | null; first_seen: string }): ShadowState {
  return {
    lastModified: row.changed_at,
    source: row.changed_at === null ? 'unknown' : 'shadow',
    firstSeen: row.first_seen,
  };
}

/** SQLite's limit on bound parameters is far higher; 500 keys keep one statement small. */
const KEY_CHUNK = 500;
const STATEMENT_CACHE_SIZE = 256;

export class ShadowLedger {
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly db: Database) {}

  private prepare(sql: string, raw = false): Statement {
    const cacheKey = raw ? `raw:${sql}` : sql;
    let statement = this.statements.get(cacheKey);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      if (raw) statement.raw(true);
      // Page sizes and offsets are part of the SQL text: keep the cache bounded, dropping the oldest.
      if (this.statements.size >= STATEMENT_CACHE_SIZE) this.statements.delete(this.statements.keys().next().value as string);
      this.statements.set(cacheKey, statement);
    }
    return statement;
  }

  /**
   * Observes just the given records (one page): reads their remembered hashes by primary key and
   * writes only those that are new or changed. The cost follows the page, not the table.
   */
  observeMany(entity: string, entries: readonly { key: string; hash: string }[], now: string): Map<string, ShadowState> {
    const known = new Map<string, Row>();
    for (let i = 0; i < entries.length; i += KEY_CHUNK) {
      const keys = entries.slice(i, i + KEY_CHUNK).map((e) => e.key);
      // Rows as arrays: half the cost of one object per row, on every page.
      const rows = this.prepare(`SELECT key, hash, changed_at, first_seen FROM bridge_shadow WHERE entity = ? AND key IN (${keys.map(() => '?').join(', ')})`, true).all(
        entity,
        ...keys,
      ) as [string, string, string | null, string][];
      for (const [key, hash, changed_at, first_seen] of rows) known.set(key, { key, hash, changed_at, first_seen });
    }
    const result = new Map<string, ShadowState>();
    const run = (): void => {
      for (const { key, hash } of entries) result.set(key, this.apply(entity, key, hash, now, known.get(key)));
    };
    const unchanged = entries.every(({ key, hash }) => known.get(key)?.hash === hash);
    if (unchanged || this.db.inTransaction) run();
    else this.db.transaction(run)();
    return result;
  }

  /** Compares one record's content hash with the remembered one and returns its change time. */
  observe(entity: string, key: string, hash: string, now: string): ShadowState {
    const row = this.prepare('SELECT key, hash, changed_at, first_seen FROM bridge_shadow WHERE entity = ? AND key = ?').get(entity, key) as Row | undefined;
    return this.apply(entity, key, hash, now, row);
  }

  /**
   * Observes every record of an entity at once and forgets records that no longer exist (so a
   * reused number starts fresh). One query in, one transaction out.
   */
  observeAll(entity: string, entries: readonly { key: string; hash: string }[], now: string): Map<string, ShadowState> {
    const rows = this.prepare('SELECT key, hash, changed_at, first_seen FROM bridge_shadow WHERE entity = ?').all(entity) as Row[];
    const known = new Map(rows.map((row) => [row.key, row]));
    const result = new Map<string, ShadowState>();
    const run = (): void => {
      for (const { key, hash } of entries) {
        result.set(key, this.apply(entity, key, hash, now, known.get(key)));
        known.delete(key);
      }
      const forget = this.prepare('DELETE FROM bridge_shadow WHERE entity = ? AND key = ?');
      for (const key of known.keys()) forget.run(entity, key);
    };
    if (this.db.inTransaction) run();
    else this.db.transaction(run)();
    return result;
  }

  /** The bridge itself just wrote this content: its change time is known exactly. */
  recordWrite(entity: string, key: string, hash: string, now: string): ShadowState {
    this.prepare(
      `INSERT INTO bridge_shadow (entity, key, hash, changed_at, first_seen) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (entity, key) DO UPDATE SET hash = excluded.hash, changed_at = excluded.changed_at`,
    ).run(entity, key, hash, now, now);
    return { lastModified: now, source: 'shadow', firstSeen: now };
  }

  /** Seeds a known change time (demo data). */
  seed(entity: string, key: string, hash: string, changedAt: string): void {
    this.db
      .prepare('INSERT OR REPLACE INTO bridge_shadow (entity, key, hash, changed_at, first_seen) VALUES (?, ?, ?, ?, ?)')
      .run(entity, key, hash, changedAt, changedAt);
  }

  forget(entity: string, key: string): void {
    this.prepare('DELETE FROM bridge_shadow WHERE entity = ? AND key = ?').run(entity, key);
  }

  private apply(entity: string, key: string, hash: string, now: string, row: Row | undefined): ShadowState {
    if (row === undefined) {
      // First sight: the bridge cannot know when this content was last changed.
      this.prepare('INSERT INTO bridge_shadow (entity, key, hash, changed_at, first_seen) VALUES (?, ?, ?, NULL, ?)').run(entity, key, hash, now);
      return { lastModified: null, source: 'unknown', firstSeen: now };
    }
    if (row.hash === hash) return stateOf(row);
    this.prepare('UPDATE bridge_shadow SET hash = ?, changed_at = ? WHERE entity = ? AND key = ?').run(hash, now, entity, key);
    return { lastModified: now, source: 'shadow', firstSeen: row.first_seen };
  }
}
