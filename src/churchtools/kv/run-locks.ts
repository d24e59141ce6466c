/**
 * One run at a time per lock (a connection and domain), across browsers, CLI processes and the
 * nightly runner — also between two runs of the same user. ChurchTools' data store has no
 * compare-and-set, so a lock is a set of claims: every run writes its own claim as a new value,
 * reads the category back, and holds the lock only if its claim has the lowest value id among
 * the unexpired claims of the lock. Value ids are increasing integers assigned by ChurchTools
 * [I: ct-contract — custom data values get auto-increment ids], so the claim written first
 * wins for every reader; a loser withdraws its claim. Taking a lock is therefore two requests
 * (claim, read-back) and giving it back one (delete). A claim is only ever changed by its own
 * run (renewal) or deleted (release, withdrawal, an admin breaking a stale lock), so renewal and
 * release never race on a shared revision.
 */
import type { KvCategories } from './categories.ts';
import { parseEnvelope, serialiseEnvelope, type Stored } from './documents.ts';
import { LockHeldError, LockLostError } from './errors.ts';
import { runLockSchema, type RunLock } from './schemas.ts';
import { PortError } from '../../sync/ports.ts';

export interface RunLockOptions {
  readonly now?: () => Date;
  /** Lifetime of a claim unless renewed. Default 10 minutes; renew well within it during a run. */
  readonly ttlMs?: number;
  /**
   * The longest a claim counts from its last renewal, whatever its `expiresAt` says: a claim
   * that "never expires" or lies far in the future (a broken clock, a hand-edited value) stops
   * blocking runs after this. Default 30 minutes.
   */
  readonly maxLeaseMs?: number;
}

/** Who takes a lock: the person or process for people, the run's own random id, the job. */
export interface LockHolder {
  readonly owner: string;
  /** Unique per run; default a random UUID. */
  readonly runId?: string;
  readonly jobId?: string;
  readonly jobName?: string;
}

const SHORTY = 'locks';

export class RunLockRepository {
  private readonly categories: KvCategories;
  private readonly now: () => Date;
  private readonly ttlMs: number;
  readonly maxLeaseMs: number;

  constructor(categories: KvCategories, options: RunLockOptions = {}) {
    this.categories = categories;
    this.now = options.now ?? (() => new Date());
    this.maxLeaseMs = options.maxLeaseMs ?? 30 * 60_000;
    this.ttlMs = Math.min(options.ttlMs ?? 10 * 60_000, this.maxLeaseMs);
  }

  /** Every readable claim on the lock, expired or not, oldest first. */
  async claims(key: string): Promise<Stored<RunLock>[]> {
    const categoryId = await this.categories.id(SHORTY);
    const claims: Stored<RunLock>[] = [];
    for (const value of await this.categories.kv.listValues(categoryId)) {
      const parsed = parseEnvelope(SHORTY, value, runLockSchema);
      // An unreadable claim cannot say when it expires; it never blocks a run.
      if (parsed.ok && parsed.stored.data.id === key) claims.push(parsed.stored);
    }
    return claims.sort((a, b) => a.valueId - b.valueId);
  }

  /** The claim that holds the lock now, or null when nobody holds it. */
  async current(key: string): Promise<Stored<RunLock> | null> {
    return this.holder(await this.claims(key));
  }

  /** The end of a claim's lease (ms), capped at the maximum lease from its last renewal. */
  leaseEnd(lock: RunLock): number {
    const now = this.now().getTime();
    const renewed = Date.parse(lock.renewedAt ?? lock.acquiredAt);
    // A renewal time that cannot be read, or lies beyond a whole lease ahead, is not believed.
    if (Number.isNaN(renewed) || renewed > now + this.maxLeaseMs) return Number.NEGATIVE_INFINITY;
    const claimed = Date.parse(lock.expiresAt);
    const cap = renewed + this.maxLeaseMs;
    return Number.isNaN(claimed) ? cap : Math.min(claimed, cap);
  }

  isExpired(lock: RunLock): boolean {
    return this.leaseEnd(lock) <= this.now().getTime();
  }

  /**
   * Takes the lock for `holder` (a string is an owner name with a fresh run id). Throws
   * LockHeldError while another run holds an unexpired claim — also another run of the same
   * user: only the run id makes a claim one's own.
   */
  async acquire(
    key: string,
    holder: LockHolder | string,
    ttlMs: number = this.ttlMs,
    /** Told the expired claims of other runs seen while taking the lock (runs that ended without releasing it). */
    onExpired?: (claims: readonly Stored<RunLock>[]) => void,
  ): Promise<Stored<RunLock>> {
    const who: LockHolder = typeof holder === 'string' ? { owner: holder } : holder;
    const runId = who.runId ?? globalThis.crypto.randomUUID();
    // No look whether the lock is held before claiming: the read-back after the claim has to
    // decide simultaneous starts anyway, and it decides a held lock the same way (the holder's
    // claim is older, so ours loses and is withdrawn). A start costs claim + read-back; a start
    // against a held lock one withdrawal more, which is rare and ends the start.
    const now = this.now();
    const claim: RunLock = {
      id: key,
      owner: who.owner,
      runId,
      ...(who.jobId !== undefined ? { jobId: who.jobId } : {}),
      ...(who.jobName !== undefined ? { jobName: who.jobName } : {}),
      acquiredAt: now.toISOString(),
      renewedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + Math.min(ttlMs, this.maxLeaseMs)).toISOString(),
    };
    const categoryId = await this.categories.id(SHORTY);
    const created = await this.categories.kv.createValue(categoryId, this.serialise(claim, 1));
    const mine: Stored<RunLock> = { valueId: created.id, revision: 1, updatedAt: claim.acquiredAt, updatedBy: who.owner, data: claim };

    let winner: Stored<RunLock> | null;
    let expired: Stored<RunLock>[] = [];
    try {
      const claims = await this.claims(key);
      winner = this.holder(claims);
      expired = claims.filter((claim) => claim.valueId !== mine.valueId && this.isExpired(claim.data));
    } catch (error) {
      await this.withdraw(mine);
      throw error;
    }
    if (winner?.valueId === mine.valueId) {
      if (onExpired && expired.length > 0) onExpired(expired);
      return mine;
    }
    await this.withdraw(mine);
    // Our claim not among the readable ones (removed at once by an admin): someone else's moment.
    throw winner ? this.heldError(winner) : new LockHeldError(key, who.owner, claim.expiresAt, { since: claim.acquiredAt });
  }

  /**
   * Extends our claim. Throws LockLostError when it is gone (an admin broke the lock) or no
   * longer holds the lock (it expired and someone else took over).
   */
  async renew(lock: Stored<RunLock>, ttlMs: number = this.ttlMs): Promise<Stored<RunLock>> {
    const claims = await this.claims(lock.data.id);
    const own = claims.find((claim) => claim.valueId === lock.valueId && claim.data.runId === lock.data.runId);
    const holder = this.holder(claims);
    if (!own || holder?.valueId !== own.valueId) throw new LockLostError(lock.data.id, holder?.data.owner ?? null);
    const now = this.now();
    const renewed: RunLock = {
      ...own.data,
      renewedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + Math.min(ttlMs, this.maxLeaseMs)).toISOString(),
    };
    const revision = own.revision + 1;
    await this.categories.kv.updateValue(await this.categories.id(SHORTY), own.valueId, this.serialise(renewed, revision));
    return { ...own, revision, updatedAt: renewed.renewedAt ?? now.toISOString(), data: renewed };
  }

  /**
   * Gives our claim back: one delete, no read first. Value ids are never reused, so deleting our
   * own claim's value can only ever remove that claim; a claim already gone (broken by an admin)
   * is fine.
   */
  async release(lock: Stored<RunLock>): Promise<void> {
    try {
      await this.categories.kv.deleteValue(await this.categories.id(SHORTY), lock.valueId);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }

  /** Removes a claim that has expired (its run ended without releasing it); best effort. */
  async discard(claim: Stored<RunLock>): Promise<void> {
    if (!this.isExpired(claim.data)) return;
    await this.withdraw(claim);
  }

  /**
   * An admin's "break the lock": removes every claim on it, so the next run may start. A run
   * that still holds it notices at its next renewal and stops before its next write.
   * Returns the claims removed.
   */
  async breakLock(key: string): Promise<Stored<RunLock>[]> {
    const claims = await this.claims(key);
    const categoryId = await this.categories.id(SHORTY);
    for (const claim of claims) await this.categories.kv.deleteValue(categoryId, claim.valueId);
    return claims;
  }

  private holder(claims: readonly Stored<RunLock>[]): Stored<RunLock> | null {
    return claims.find((claim) => !this.isExpired(claim.data)) ?? null;
  }

  private heldError(holder: Stored<RunLock>): LockHeldError {
    return new LockHeldError(holder.data.id, holder.data.owner, new Date(this.leaseEnd(holder.data)).toISOString(), {
      since: holder.data.acquiredAt,
      ...(holder.data.jobId !== undefined ? { jobId: holder.data.jobId } : {}),
      ...(holder.data.jobName !== undefined ? { jobName: holder.data.jobName } : {}),
    });
  }

  private async withdraw(claim: Stored<RunLock>): Promise<void> {
    // Best effort: a claim left behind blocks nobody once its lease ends.
    await this.categories.kv.deleteValue(await this.categories.id(SHORTY), claim.valueId).catch(() => undefined);
  }

  private serialise(claim: RunLock, revision: number): string {
    return serialiseEnvelope(claim, revision, { updatedAt: claim.renewedAt ?? claim.acquiredAt, updatedBy: claim.owner }, `${SHORTY}/${claim.id}`);
  }
}

/** ChurchTools answered 404: the value is not there (any more). */
function isNotFound(error: unknown): boolean {
  return error instanceof PortError && error.args['status'] === 404;
}
