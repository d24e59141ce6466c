/**
 * The ChurchTools id each person was created for, kept in the bridge's own state (never in an
 * Optigem table): a sync whose create answer was lost, or that died before saving its pairs,
 * finds the person by this id on its next run and links it instead of creating it again.
 */
import type { Database, Statement } from 'better-sqlite3';

export class PartnerIds {
  private readonly select: Statement<[string, string], { partner_id: string }>;
  private readonly selectAll: Statement<[string], { record_id: string; partner_id: string }>;
  private readonly selectMany: Statement<[string, string], { record_id: string; partner_id: string }>;
  private readonly upsert: Statement<[string, string, string]>;
  private readonly remove: Statement<[string, string]>;

  constructor(db: Database) {
    this.select = db.prepare('SELECT partner_id FROM bridge_partner WHERE entity = ? AND record_id = ?');
    this.selectAll = db.prepare('SELECT record_id, partner_id FROM bridge_partner WHERE entity = ?');
    // The ids travel as one JSON array, so one prepared statement serves pages of any size.
    this.selectMany = db.prepare('SELECT record_id, partner_id FROM bridge_partner WHERE entity = ? AND record_id IN (SELECT value FROM json_each(?))');
    this.upsert = db.prepare(
      'INSERT INTO bridge_partner (entity, record_id, partner_id) VALUES (?, ?, ?) ON CONFLICT (entity, record_id) DO UPDATE SET partner_id = excluded.partner_id',
    );
    this.remove = db.prepare('DELETE FROM bridge_partner WHERE entity = ? AND record_id = ?');
  }

  find(entity: string, recordId: string): string | null {
    return this.select.get(entity, recordId)?.partner_id ?? null;
  }

  /** Every mapping of an entity, for presenting a list in one query. */
  all(entity: string): Map<string, string> {
    return new Map(this.selectAll.all(entity).map((row) => [row.record_id, row.partner_id]));
  }

  /** The mappings of some records (one page), in one query by primary key. */
  findMany(entity: string, recordIds: readonly string[]): Map<string, string> {
    if (recordIds.length === 0) return new Map();
    return new Map(this.selectMany.all(entity, JSON.stringify(recordIds)).map((row) => [row.record_id, row.partner_id]));
  }

  remember(entity: string, recordId: string, partnerId: string): void {
    this.upsert.run(entity, recordId, partnerId);
  }

  forget(entity: string, recordId: string): void {
    this.remove.run(entity, recordId);
  }
}
