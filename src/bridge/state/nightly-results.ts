/**
 * The nightly runner's last result per job, kept in the bridge's own database so that a restart
 * does not forget them (health, the module's flag and `GET /v1/nightly` show them).
 */
import type { Database } from 'better-sqlite3';
import { NightlyResultSchema } from '../../optigem/schemas.ts';
import type { NightlyResult, NightlyResultStore } from '../../runner/nightly.ts';

export class NightlyResultTable implements NightlyResultStore {
  constructor(private readonly db: Database) {}

  load(): readonly NightlyResult[] {
    const rows = this.db.prepare('SELECT result FROM bridge_nightly_results ORDER BY job_id').all() as { result: string }[];
    return rows.flatMap((row) => {
      try {
        const parsed = NightlyResultSchema.safeParse(JSON.parse(row.result));
        // A row an older or newer bridge wrote in another shape is skipped, not fatal.
        return parsed.success ? [parsed.data as NightlyResult] : [];
      } catch {
        return [];
      }
    });
  }

  save(result: NightlyResult): void {
    this.db.prepare('INSERT INTO bridge_nightly_results (job_id, result) VALUES (?, ?) ON CONFLICT (job_id) DO UPDATE SET result = excluded.result').run(result.jobId, JSON.stringify(result));
  }
}
