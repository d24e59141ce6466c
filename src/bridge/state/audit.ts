/** Append-only record of every write the bridge made: who (token), when, what, before and after. */
import type { Database, Statement } from 'better-sqlite3';
import type { AuditEntry } from '../../optigem/schemas.ts';

export type AuditInput = Omit<AuditEntry, 'id'>;

interface Row {
  id: number;
  at: string;
  token_id: string;
  token_name: string;
  action: AuditEntry['action'];
  entity: AuditEntry['entity'];
  record_id: string;
  old_values: string | null;
  new_values: string | null;
}

export interface AuditQuery {
  limit: number;
  entity?: AuditEntry['entity'] | undefined;
  recordId?: string | undefined;
}

export class AuditLog {
  /** Every write appends one entry: prepared once. */
  private insert: Statement | undefined;

  constructor(private readonly db: Database) {}

  append(entry: AuditInput): void {
    this.insert ??= this.db.prepare(
      'INSERT INTO bridge_audit (at, token_id, token_name, action, entity, record_id, old_values, new_values) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.insert.run(
        entry.at,
        entry.tokenId,
        entry.tokenName,
        entry.action,
        entry.entity,
        entry.recordId,
        entry.oldValues === null ? null : JSON.stringify(entry.oldValues),
        entry.newValues === null ? null : JSON.stringify(entry.newValues),
      );
  }

  /** Newest first. */
  list(query: AuditQuery): AuditEntry[] {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (query.entity !== undefined) {
      where.push('entity = ?');
      params.push(query.entity);
    }
    if (query.recordId !== undefined) {
      where.push('record_id = ?');
      params.push(query.recordId);
    }
    const sql = `SELECT * FROM bridge_audit ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
    const rows = this.db.prepare(sql).all(...params, query.limit) as Row[];
    return rows.map((row) => ({
      id: row.id,
      at: row.at,
      tokenId: row.token_id,
      tokenName: row.token_name,
      action: row.action,
      entity: row.entity,
      recordId: row.record_id,
      oldValues: row.old_values === null ? null : (JSON.parse(row.old_values) as Record<string, unknown>),
      newValues: row.new_values === null ? null : (JSON.parse(row.new_values) as Record<string, unknown>),
    }));
  }
}
