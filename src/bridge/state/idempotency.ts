/**
 * Idempotency keys of creates. The sync engine sends one stable key per source record, so a run
 * that crashed after creating a person but before saving the pair gets the same person back
 * instead of a duplicate.
 */
import type { Database } from 'better-sqlite3';

export class IdempotencyKeys {
  constructor(private readonly db: Database) {}

  find(scope: string, key: string): string | null {
    const row = this.db.prepare('SELECT record_id FROM bridge_idempotency WHERE scope = ? AND key = ?').get(scope, key) as
      | { record_id: string }
      | undefined;
    return row?.record_id ?? null;
  }

  remember(scope: string, key: string, recordId: string, now: string): void {
    this.db
      .prepare('INSERT INTO bridge_idempotency (scope, key, record_id, created_at) VALUES (?, ?, ?, ?)')
      .run(scope, key, recordId, now);
  }
}
