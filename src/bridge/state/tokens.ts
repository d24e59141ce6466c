/**
 * API tokens. A token is 32 random bytes, shown once when it is made; the bridge keeps only its
 * SHA-256 (enough for a high-entropy secret: there is nothing to brute-force) and compares in
 * constant time. Two scopes: `read` (sync simulation, dashboards) and `readwrite`.
 */
import { hash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Database, Statement } from 'better-sqlite3';

export type TokenScope = 'read' | 'readwrite';

export interface TokenRecord {
  readonly id: string;
  readonly name: string;
  readonly scope: TokenScope;
  /** Hex SHA-256 of the token. */
  readonly hash: string;
  readonly createdAt: string;
}

export interface TokenRepository {
  list(): TokenRecord[];
  /** Stores `record` and drops every other token of the same scope (rotation). */
  replaceScope(record: TokenRecord): void;
}

export function hashToken(token: string): string {
  return hash('sha256', token);
}

export function generateToken(scope: TokenScope, name: string, now: string): { token: string; record: TokenRecord } {
  const token = `ogb_${scope === 'readwrite' ? 'rw' : 'ro'}_${randomBytes(32).toString('base64url')}`;
  return { token, record: { id: randomBytes(6).toString('hex'), name, scope, hash: hashToken(token), createdAt: now } };
}

/** The record whose hash matches, checking every record so timing does not reveal which one did. */
export function findToken(presented: string, records: readonly TokenRecord[]): TokenRecord | null {
  const presentedHash = Buffer.from(hashToken(presented), 'hex');
  let found: TokenRecord | null = null;
  for (const record of records) {
    const stored = Buffer.from(record.hash, 'hex');
    if (stored.length === presentedHash.length && timingSafeEqual(stored, presentedHash) && found === null) found = record;
  }
  return found;
}

export class TableTokenRepository implements TokenRepository {
  /** Read on every request (the `token` command may rotate them while the bridge runs), prepared once. */
  private listStatement: Statement | undefined;

  constructor(private readonly db: Database) {}

  list(): TokenRecord[] {
    this.listStatement ??= this.db.prepare('SELECT id, name, scope, hash, created_at AS createdAt FROM bridge_tokens ORDER BY created_at');
    return this.listStatement.all() as TokenRecord[];
  }

  replaceScope(record: TokenRecord): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM bridge_tokens WHERE scope = ?').run(record.scope);
      this.db
        .prepare('INSERT INTO bridge_tokens (id, name, scope, hash, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(record.id, record.name, record.scope, record.hash, record.createdAt);
    })();
  }
}

/**
 * Token hashes in a JSON file instead of the state database (config `tokenFile`), for operators
 * who provision tokens from outside or keep the state database disposable.
 */
export class FileTokenRepository implements TokenRepository {
  constructor(private readonly path: string) {}

  list(): TokenRecord[] {
    if (!existsSync(this.path)) return [];
    const parsed = JSON.parse(readFileSync(this.path, 'utf8')) as { tokens?: unknown };
    if (!Array.isArray(parsed.tokens)) throw new Error(`Token file ${this.path} has no "tokens" array.`);
    return parsed.tokens.filter(isTokenRecord);
  }

  replaceScope(record: TokenRecord): void {
    const tokens = [...this.list().filter((t) => t.scope !== record.scope), record];
    const temp = `${this.path}.tmp`;
    writeFileSync(temp, `${JSON.stringify({ tokens }, null, 2)}\n`, { mode: 0o600 });
    renameSync(temp, this.path);
  }
}

function isTokenRecord(value: unknown): value is TokenRecord {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v['id'] === 'string' &&
    typeof v['name'] === 'string' &&
    (v['scope'] === 'read' || v['scope'] === 'readwrite') &&
    typeof v['hash'] === 'string' &&
    /^[0-9a-f]{64}$/.test(v['hash']) &&
    typeof v['createdAt'] === 'string'
  );
}

export interface IssuedTokens {
  readWrite: string;
  readOnly: string;
}

/** Makes a fresh read-write and read-only token, replacing any existing ones. */
export function issueTokens(repo: TokenRepository, now: string): IssuedTokens {
  const rw = generateToken('readwrite', 'read-write', now);
  const ro = generateToken('read', 'read-only', now);
  repo.replaceScope(rw.record);
  repo.replaceScope(ro.record);
  return { readWrite: rw.token, readOnly: ro.token };
}
