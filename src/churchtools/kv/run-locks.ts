/**
 * One run at a time per job, across browsers and the nightly runner. A lock is a document in
 * `locks` with owner and expiry; an expired lock may be taken over (its holder died). ChurchTools
 * offers no compare-and-set, so acquire writes, then reads back and keeps the lock only if its
 * own write is the one every reader sees (highest revision, then lowest value id).
 */
import type { KvCategories } from './categories.ts';
import { DocumentCollection, type Stored } from './documents.ts';
import { LockHeldError, StaleRevisionError } from './errors.ts';
import { runLockSchema, type RunLock } from './schemas.ts';

export interface RunLockOptions {
  readonly now?: () => Date;
  /** Lifetime of a lock unless renewed. Default 10 minutes; renew well within it during a run. */
  readonly ttlMs?: number;
}

export class RunLockRepository {
  private readonly documents: DocumentCollection<RunLock>;
  private readonly categories: KvCategories;
  private readonly now: () => Date;
  private readonly ttlMs: number;

  constructor(categories: KvCategories, options: RunLockOptions = {}) {
    this.categories = categories;
    this.now = options.now ?? (() => new Date());
    this.ttlMs = options.ttlMs ?? 10 * 60_000;
    this.documents = new DocumentCollection(categories, 'locks', runLockSchema, { now: this.now });
  }

  /** The lock of a job, expired or not, or null. */
  current(jobId: string): Promise<Stored<RunLock> | null> {
    return this.documents.get(jobId);
  }

  isExpired(lock: RunLock): boolean {
    return Date.parse(lock.expiresAt) <= this.now().getTime();
  }

  /**
   * Takes the job's lock for `owner` (make it unique per session, e.g. name + random suffix).
   * Throws LockHeldError while someone else holds an unexpired lock.
   */
  async acquire(jobId: string, owner: string, ttlMs: number = this.ttlMs): Promise<Stored<RunLock>> {
    const existing = await this.documents.get(jobId);
    if (existing && existing.data.owner !== owner && !this.isExpired(existing.data)) {
      throw new LockHeldError(jobId, existing.data.owner, existing.data.expiresAt);
    }
    const now = this.now();
    const lock: RunLock = {
      id: jobId,
      owner,
      acquiredAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + ttlMs).toISOString(),
    };
    let mine: Stored<RunLock>;
    try {
      mine = await this.documents.save(lock, existing?.revision ?? null);
    } catch (error) {
      if (error instanceof StaleRevisionError) throw await this.heldError(jobId);
      throw error;
    }
    // Read back: with two writers at once, only one write is the one readers pick.
    const winner = await this.documents.get(jobId);
    if (!winner || winner.valueId !== mine.valueId || winner.data.owner !== owner || winner.data.acquiredAt !== lock.acquiredAt) {
      if (winner && winner.valueId !== mine.valueId) {
        // Our value lost to a concurrent create: remove it so it cannot resurface later.
        await this.categories.kv.deleteValue(await this.categories.id('locks'), mine.valueId).catch(() => undefined);
      }
      throw await this.heldError(jobId);
    }
    return winner;
  }

  /** Extends a lock we hold. Throws LockHeldError if it was taken over meanwhile. */
  async renew(lock: Stored<RunLock>, ttlMs: number = this.ttlMs): Promise<Stored<RunLock>> {
    const current = await this.documents.get(lock.data.id);
    if (!current || current.data.owner !== lock.data.owner || current.data.acquiredAt !== lock.data.acquiredAt) {
      throw await this.heldError(lock.data.id);
    }
    const renewed: RunLock = { ...current.data, expiresAt: new Date(this.now().getTime() + ttlMs).toISOString() };
    try {
      return await this.documents.save(renewed, current.revision);
    } catch (error) {
      if (error instanceof StaleRevisionError) throw await this.heldError(lock.data.id);
      throw error;
    }
  }

  /** Gives a lock back. A lock that is no longer ours is left alone. */
  async release(lock: Stored<RunLock>): Promise<void> {
    const current = await this.documents.get(lock.data.id);
    if (!current || current.data.owner !== lock.data.owner || current.data.acquiredAt !== lock.data.acquiredAt) return;
    await this.documents.remove(lock.data.id, current.revision);
  }

  private async heldError(jobId: string): Promise<LockHeldError> {
    const holder = await this.documents.get(jobId).catch(() => null);
    return new LockHeldError(jobId, holder?.data.owner ?? 'unknown', holder?.data.expiresAt ?? 'unknown');
  }
}
