/** The bridge's own state: shadow change times, audit log, idempotency keys, partner ids, API tokens. */
import type { Database } from 'better-sqlite3';
import { AuditLog } from './audit.ts';
import { IdempotencyKeys } from './idempotency.ts';
import { PartnerIds } from './partners.ts';
import { NightlyResultTable } from './nightly-results.ts';
import { migrateState } from './schema.ts';
import { ShadowLedger } from './shadow.ts';
import { FileTokenRepository, TableTokenRepository } from './tokens.ts';
import type { TokenRepository } from './tokens.ts';

export interface BridgeState {
  readonly db: Database;
  readonly shadow: ShadowLedger;
  readonly audit: AuditLog;
  readonly idempotency: IdempotencyKeys;
  readonly partners: PartnerIds;
  readonly tokens: TokenRepository;
  readonly nightlyResults: NightlyResultTable;
}

export function openBridgeState(db: Database, options: { tokenFile?: string | undefined } = {}): BridgeState {
  migrateState(db);
  return {
    db,
    shadow: new ShadowLedger(db),
    audit: new AuditLog(db),
    idempotency: new IdempotencyKeys(db),
    partners: new PartnerIds(db),
    tokens: options.tokenFile ? new FileTokenRepository(options.tokenFile) : new TableTokenRepository(db),
    nightlyResults: new NightlyResultTable(db),
  };
}
