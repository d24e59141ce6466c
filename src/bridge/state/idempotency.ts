/**
 * Idempotency keys of creates. The sync engine sends one stable key per source record, so a run
 * that crashed after creating a person but before saving the pair gets the same person back
 * instead of a duplicate.
 */
import type { Database, Statement } from 'better-sqlite3';

export class IdempotencyKeys {
  /** Every create looks its key up and remembers it: prepared once. */
  private readonly select: Statement<[string, string], { record_id: string }>;
  private readonly insert: Statement<[string, string, string, string]>;

  constructor(db: Database) {
    this.select = db.prepare('SELECT record_id FROM bridge_idempotency WHERE scope = ? AND key = ?');
    this.insert = db.prepare('INSERT INTO bridge_idempotency (scope, key, record_id, created_at) VALUES (?, ?, ?, ?)');
  }

  find(scope: string, key: string): string | null {
    return this.select.get(scope, key)?.record_id ?? null;
  }

  remember(scope: string, key: string, recordId: string, now: string): void {
    this.insert.run(scope, key, recordId, now);
  }
}
