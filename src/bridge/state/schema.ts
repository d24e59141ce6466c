/**
 * The bridge's own tables, all prefixed `bridge_` so they never collide with Optigem's. With the
 * SQLite store they live in the same database (so a write and its audit entry commit together);
 * with a real Optigem database they live in a separate SQLite file (`stateDatabasePath`).
 */
import type { Database } from 'better-sqlite3';

const STATE_SCHEMA_VERSION = 1;

export function migrateState(db: Database): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS bridge_meta (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS bridge_shadow (
      entity TEXT NOT NULL,
      key TEXT NOT NULL,
      hash TEXT NOT NULL,
      changed_at TEXT,
      first_seen TEXT NOT NULL,
      PRIMARY KEY (entity, key)
    );
    CREATE TABLE IF NOT EXISTS bridge_audit (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      at TEXT NOT NULL,
      token_id TEXT NOT NULL,
      token_name TEXT NOT NULL,
      action TEXT NOT NULL,
      entity TEXT NOT NULL,
      record_id TEXT NOT NULL,
      old_values TEXT,
      new_values TEXT
    );
    CREATE INDEX IF NOT EXISTS bridge_audit_record ON bridge_audit (entity, record_id);
    CREATE TABLE IF NOT EXISTS bridge_idempotency (
      scope TEXT NOT NULL,
      key TEXT NOT NULL,
      record_id TEXT NOT NULL,
      created_at TEXT NOT NULL,
      PRIMARY KEY (scope, key)
    );
    CREATE TABLE IF NOT EXISTS bridge_partner (
      entity TEXT NOT NULL,
      record_id TEXT NOT NULL,
      partner_id TEXT NOT NULL,
      PRIMARY KEY (entity, record_id)
    );
    CREATE TABLE IF NOT EXISTS bridge_nightly_results (
      job_id TEXT PRIMARY KEY,
      result TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS bridge_tokens (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      scope TEXT NOT NULL CHECK (scope IN ('read', 'readwrite')),
      hash TEXT NOT NULL,
      created_at TEXT NOT NULL
    );
  `);
  db.prepare(`INSERT OR IGNORE INTO bridge_meta (key, value) VALUES ('schemaVersion', ?)`).run(String(STATE_SCHEMA_VERSION));
}
