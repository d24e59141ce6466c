/**
 * Runs a stored job the same way wherever it starts — the admin's browser, the CLI, or the
 * bridge's nightly runner: load the job, its connection and the bridge token from the
 * extension's storage, take the job's run lock, let the engine simulate or run, journal every
 * log entry, store the finished execution, release the lock. The execution is stored as
 * "running" right before the run's first write anywhere, so a run that dies after it changed
 * something leaves that record; a run that changes nothing stores it once, at the end.
 * Browser-safe: no Node imports.
 */
import type { ExtensionStorage } from '../churchtools/kv/storage.ts';
import type { Connection, RunLock } from '../churchtools/kv/schemas.ts';
import type { Stored } from '../churchtools/kv/documents.ts';
import { hasReversedBookingSides } from '../sync/booking-sides.ts';
import { LockLostError } from '../churchtools/kv/errors.ts';
import type { RunLockRepository } from '../churchtools/kv/run-locks.ts';
import { KEEP_EXECUTIONS, type ExecutionRepository } from '../churchtools/kv/repositories.ts';
import { run, simulate, type SyncOutcome } from '../sync/engine.ts';
import type { Counters, Execution, Job, LogEntry } from '../sync/model.ts';
import { emptyCounters } from '../sync/model.ts';
import type { Plan } from '../sync/plan.ts';
import type { Clock, PairStore, Progress, SystemPort } from '../sync/ports.ts';
import { systemClock } from '../sync/ports.ts';
import { unattendedRestriction } from './unattended.ts';

export interface RunnerCallbacks {
  onEntry?(entry: LogEntry): void;
  onProgress?(progress: Progress): void;
}

export interface RunReport {
  readonly execution: Execution;
  readonly plan: Plan | null;
  readonly entries: readonly LogEntry[];
}

export interface RunnerDeps {
  /**
   * The ChurchTools side: its port (people and bookings; it serves each job's domain) and the
   * extension's storage (`createChurchTools`).
   */
  readonly churchtools: { readonly port: SystemPort; readonly storage: ExtensionStorage };
  /** The Optigem side for a connection and its token (the bridge client's SystemPort). */
  optigemPort(connection: Connection, token: string): SystemPort;
  /** Who runs: shown on the lock ("Anna Admin", "cli", "nightly"). */
  readonly owner: string;
  readonly clock?: Clock;
  /** Renew the run lock this often while a run goes on; default 3 minutes. */
  readonly lockRenewMs?: number;
}

/**
 * Older executions and their logs (beyond KEEP_EXECUTIONS) are removed by whoever reads the
 * executions anyway (the nightly run, a run that records a dead one, the extension's history):
 * a clean-up read of its own would be one more request in every run.
 */

/**
 * Runs that never read the executions (a plain `optigem-sync run` from cron, with nobody opening
 * the history) clean up on about one run in this many: those whose record got a value id
 * divisible by it. Value ids are increasing integers [I: as the run lock relies on,
 * run-locks.ts], so no counter needs storing; the modulus is prime so that runs writing the same
 * number of values each time still take their turn.
 */
export const CLEAN_UP_EVERY = 17;

/**
 * A run renews its lock every 3 minutes, a third of a claim's 10-minute lifetime: two failed
 * renewals in a row still leave it the lock, and a run of an hour (a first import at
 * ChurchTools' pace) spends 20 writes on it, not 60 (issue 12: writes beyond the creates).
 */
const LOCK_RENEW_MS = 3 * 60_000;

/** The run lock's name: runs of any job of a connection and domain exclude each other. */
export function runLockKey(job: Pick<Job, 'connectionId' | 'domain'>): string {
  return `${job.connectionId}:${job.domain}`;
}

export type RunnerProblem = 'jobNotFound' | 'connectionNotFound' | 'tokenMissing' | 'bookingSidesReversed';

/** A job that cannot even start; `code` says which piece of configuration is missing. */
export class RunnerError extends Error {
  constructor(
    readonly code: RunnerProblem,
    readonly subject: string,
    /** How people know the subject (a connection's name), when it has one. */
    readonly label: string = subject,
  ) {
    super(
      code === 'bookingSidesReversed'
        ? `Booking jobs of connection "${label}" do not run: it pairs Optigem's Soll with ChurchTools' Gegenkonto (contraAccountId) and Haben with Konto (accountId). ` +
            'ChurchTools books an income on Konto = bank and Gegenkonto = donation account, so these bookings would land the wrong way round. ' +
            `Switch it under "Eigenschaften-Paare" in the extension, or with:\n  optigem-sync connection fix-booking-sides ${JSON.stringify(label)}`
        : `${code}: ${subject}`,
    );
    this.name = 'RunnerError';
  }
}

/** A run that stopped on an unexpected error after it started; `report` is what it stored. */
export class RunFailedError extends Error {
  constructor(
    readonly report: RunReport,
    cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'RunFailedError';
  }
}

/** What the log says was done, counted like the executor counts. */
function countersOf(entries: readonly LogEntry[]): Counters {
  const counters = emptyCounters();
  for (const entry of entries) {
    if (entry.state !== 'done') continue;
    if (entry.type === 'link') counters.both.link++;
    else if (entry.system !== 'both' && (entry.type === 'create' || entry.type === 'update' || entry.type === 'archive' || entry.type === 'delete' || entry.type === 'storno')) {
      counters[entry.system][entry.type]++;
    }
  }
  return counters;
}

/**
 * Renews a run's lock on a timer and releases it at the end, one request after the other: a
 * renewal still under way when the run ends is waited for, and none starts after the release.
 * A renewal that fails for a moment (429, network) is tried again at the next tick; a lock that
 * is gone is `lost`, and the run stops before its next write.
 */
class LockKeeper {
  lost: LockLostError | null = null;
  private held: Stored<RunLock>;
  private queue: Promise<void> = Promise.resolve();
  private released = false;
  private renewing = false;
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(
    private readonly locks: RunLockRepository,
    lock: Stored<RunLock>,
    renewMs: number,
  ) {
    this.held = lock;
    this.timer = setInterval(() => {
      // One renewal at a time: ticks while one is under way (slow answers, 429 waits) are skipped.
      if (this.renewing) return;
      this.renewing = true;
      void this.enqueue(() => this.renew()).finally(() => {
        this.renewing = false;
      });
    }, renewMs);
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(task, task);
    return this.queue;
  }

  private async renew(): Promise<void> {
    if (this.released || this.lost) return;
    try {
      this.held = await this.locks.renew(this.held);
    } catch (error) {
      if (error instanceof LockLostError) this.lost = error;
    }
  }

  release(): Promise<void> {
    clearInterval(this.timer);
    return this.enqueue(async () => {
      if (this.released) return;
      this.released = true;
      if (this.lost) return;
      await this.locks.release(this.held).catch(() => undefined);
    });
  }
}

/**
 * The execution record of one run, written as late as it can be (see the module comment): the
 * first write of the run anywhere waits for `start()`; `finish()` stores the final state with one
 * more write, or with the only one when nothing was started.
 */
class RunRecord {
  private stored: Stored<Execution> | null = null;
  private starting: Promise<void> | null = null;

  constructor(
    private readonly executions: ExecutionRepository,
    readonly running: Execution,
  ) {}

  start(): Promise<void> {
    if (this.stored) return Promise.resolve();
    this.starting ??= this.executions.create(this.running).then(
      (stored) => {
        this.stored = stored;
      },
      (error: unknown) => {
        this.starting = null;
        throw error;
      },
    );
    return this.starting;
  }

  get started(): boolean {
    return this.stored !== null;
  }

  /** The value id ChurchTools gave the stored record, once stored. */
  get valueId(): number | null {
    return this.stored?.valueId ?? null;
  }

  async finish(execution: Execution): Promise<void> {
    await this.starting?.catch(() => undefined);
    // Executions are written by their own run only, so the revision it stored last is current.
    this.stored = this.stored ? await this.executions.replace(this.stored, execution) : await this.executions.create(execution);
  }
}

/** The operations of a SystemPort that change records. */
const PORT_WRITES: ReadonlySet<string | symbol> = new Set(['create', 'update', 'archive', 'remove', 'rebook', 'linkSpouses', 'notePartner']);

/** The port, with `before()` awaited ahead of every write (reads and optional methods unchanged). */
function guardWrites(port: SystemPort, before: () => Promise<void>): SystemPort {
  return new Proxy(port, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => unknown;
      if (!PORT_WRITES.has(property)) return method.bind(target);
      return async (...args: unknown[]) => {
        await before();
        return method.apply(target, args);
      };
    },
  });
}

interface Loaded {
  readonly job: Job;
  readonly connection: Connection;
  readonly ports: { readonly churchtools: SystemPort; readonly optigem: SystemPort };
}

export class JobRunner {
  private readonly clock: Clock;

  constructor(private readonly deps: RunnerDeps) {
    this.clock = deps.clock ?? systemClock;
  }

  /** The job itself when the caller has just read it (the CLI, the nightly runner), else read by id. */
  private async job(job: string | Job): Promise<Job> {
    if (typeof job !== 'string') return job;
    const found = (await this.deps.churchtools.storage.jobs.get(job))?.data;
    if (!found) throw new RunnerError('jobNotFound', job);
    return found;
  }

  private async load(job: Job): Promise<Loaded> {
    const { storage, port } = this.deps.churchtools;
    const connection = (await storage.connections.get(job.connectionId))?.data;
    if (!connection) throw new RunnerError('connectionNotFound', job.connectionId);
    // Never book with the old, reversed sides (issue #11): the admin switches them first.
    if (job.domain === 'transaction' && hasReversedBookingSides(connection.propertyPairs)) {
      throw new RunnerError('bookingSidesReversed', connection.id, connection.name);
    }
    const token = await storage.secrets.token(connection.id);
    if (!token) throw new RunnerError('tokenMissing', connection.id);
    return { job, connection, ports: { churchtools: port, optigem: this.deps.optigemPort(connection, token) } };
  }

  async simulate(jobOrId: string | Job, callbacks: RunnerCallbacks = {}): Promise<RunReport> {
    const job = await this.job(jobOrId);
    return this.execute(job, true, callbacks, globalThis.crypto.randomUUID(), (loaded, context) => simulate(loaded.job, context));
  }

  async run(
    jobOrId: string | Job,
    options: {
      expectedDigest?: string;
      confirmMassChange?: boolean;
      signal?: AbortSignal;
      /** A run nobody watches (nightly): writes beyond the last simulation are held back (unattended.ts). */
      unattended?: boolean;
    } & RunnerCallbacks = {},
  ): Promise<RunReport> {
    const { storage } = this.deps.churchtools;
    const job = await this.job(jobOrId);
    const runId = globalThis.crypto.randomUUID();
    // One lock per connection and domain, not per job: two jobs of one connection share its
    // pairs, and runs that plan and save them at the same time would undo each other. Taken
    // before anything is read, so two admins never plan against each other. The run's own id
    // makes the claim its own: two runs of one user exclude each other too.
    let expired: readonly Stored<RunLock>[] = [];
    const lock = await storage.locks.acquire(runLockKey(job), { owner: this.deps.owner, runId, jobId: job.id, jobName: job.name }, undefined, (claims) => {
      expired = claims;
    });
    const keeper = new LockKeeper(storage.locks, lock, this.deps.lockRenewMs ?? LOCK_RENEW_MS);
    const external = options.signal;
    // The engine checks between operations: a lost lock stops the run before its next write.
    const signal = { get aborted() { return (external?.aborted ?? false) || keeper.lost !== null; } };
    try {
      const listed = expired.length > 0 ? await this.recordInterrupted(job.connectionId, expired).catch(() => undefined) : undefined;
      // Read once: the last simulation of the job, and the list the clean-up at the end prunes.
      const recent = options.unattended ? (await storage.executions.recent()).items : listed;
      const simulation = recent?.map((item) => item.data).find((execution) => execution.jobId === job.id && execution.dryRun && execution.status !== 'refused');
      return await this.execute(
        job,
        false,
        options,
        runId,
        (loaded, context) =>
          run(loaded.job, context, {
            ...(options.expectedDigest === undefined ? {} : { expectedDigest: options.expectedDigest }),
            ...(options.confirmMassChange === undefined ? {} : { confirmMassChange: options.confirmMassChange }),
            signal,
            ...(options.unattended ? { restrict: (plan: Plan) => unattendedRestriction(plan, simulation, loaded.job) } : {}),
          }),
        {
          // A run stopped by a lost lock says so in the one record it stores.
          finalise: (execution) =>
            keeper.lost === null || execution.status !== 'cancelled'
              ? execution
              : { ...execution, problems: [...(execution.problems ?? []), { key: 'refusal.lockLost', args: { detail: keeper.lost.message } }] },
          ...(recent ? { recent } : {}),
        },
      );
    } finally {
      // A release that fails leaves a claim that ends with its lease; the run's outcome stands.
      await keeper.release();
    }
  }

  /**
   * Runs that ended without releasing their lock (the process was killed, the browser closed)
   * before their first write stored no execution: the run that finds their expired claims
   * stores one for each ("every run leaves its record"), then removes the claims. Rare, so the
   * read of the executions it needs costs nothing in the usual run; the run's clean-up reuses it
   * (the executions as read, newest first).
   */
  private async recordInterrupted(connectionId: string, claims: readonly Stored<RunLock>[]): Promise<readonly Stored<Execution>[]> {
    const { storage } = this.deps.churchtools;
    const listed = (await storage.executions.recent()).items;
    const recorded = new Set(listed.map((item) => item.data.id));
    for (const claim of claims) {
      const { runId, jobId, acquiredAt, renewedAt } = claim.data;
      // Claims without a job are the pairs page's short changes: nothing to record.
      if (jobId !== undefined && runId !== undefined && !recorded.has(runId)) {
        await storage.executions.create({
          id: runId,
          jobId,
          connectionId,
          dryRun: false,
          status: 'cancelled',
          startedAt: acquiredAt,
          // Its last sign of life.
          finishedAt: renewedAt ?? acquiredAt,
          counters: emptyCounters(),
          errorCount: 0,
          conflictCount: 0,
          problems: [{ key: 'refusal.interrupted', args: {} }],
        });
      }
      await storage.locks.discard(claim);
    }
    return listed;
  }

  private async execute(
    job: Job,
    dryRun: boolean,
    callbacks: RunnerCallbacks,
    id: string,
    start: (loaded: Loaded, context: Parameters<typeof simulate>[1]) => Promise<SyncOutcome>,
    more: {
      readonly finalise?: (execution: Execution) => Execution;
      /** The job's executions, newest first, when the caller read them already (pruning reuses them). */
      readonly recent?: readonly Stored<Execution>[];
    } = {},
  ): Promise<RunReport> {
    const { storage } = this.deps.churchtools;
    const loaded = await this.load(job);
    const running: Execution = {
      id,
      jobId: loaded.job.id,
      connectionId: loaded.connection.id,
      dryRun,
      status: 'running',
      startedAt: this.clock.now().toISOString(),
      finishedAt: null,
      counters: emptyCounters(),
      errorCount: 0,
      conflictCount: 0,
    };
    // Stored before the run's first write anywhere, so a run that dies after it changed something
    // leaves an execution that says "running" with its log so far.
    const record = new RunRecord(storage.executions, running);
    const before = () => record.start();
    const ports = dryRun ? loaded.ports : { churchtools: guardWrites(loaded.ports.churchtools, before), optigem: guardWrites(loaded.ports.optigem, before) };
    const pairStore: PairStore = {
      load: (connectionId, domain) => storage.pairs.load(connectionId, domain),
      save: async (connectionId, domain, pairs) => {
        await before();
        // Only runs save pairs, and a run holds the lock of its connection and domain.
        await storage.pairs.save(connectionId, domain, pairs, { underLock: true });
      },
    };
    const log = storage.logs.writer(id, 0, before);
    // The end of a run: a run that stored "running" completes its log, then its execution; a run
    // that wrote nothing else stores its execution first (its only write when it logged nothing),
    // then its log, so that no log part is ever without its execution.
    const complete = async (execution: Execution): Promise<void> => {
      if (record.started) {
        await log.flush();
        await record.finish(execution);
      } else {
        await record.finish(execution);
        await log.flush();
      }
    };
    const written: LogEntry[] = [];
    let outcome: SyncOutcome;
    try {
      outcome = await start(loaded, {
      ports,
      pairStore,
      decisions: storage.decisions,
      propertyPairs: loaded.connection.propertyPairs,
      ...(loaded.connection.coupleCorrections ? { coupleCorrections: loaded.connection.coupleCorrections } : {}),
      ...(loaded.connection.partnerNumbers?.show ? { partnerNotes: { perRun: loaded.connection.partnerNumbers.perRun } } : {}),
      clock: this.clock,
      newId: () => id,
      sink: {
        entry: async (entry) => {
          callbacks.onEntry?.(entry);
          // Pending marks exist for the live view; the stored log keeps each entry once, final.
          if (entry.state !== 'pending') {
            written.push(entry);
            await log.add(entry);
          }
        },
        progress: (progress) => callbacks.onProgress?.(progress),
      },
    });
    } catch (error) {
      // Whatever was written so far is in the log; the execution says the run failed and why,
      // so neither the UI nor the CLI is left with a run that "is still running".
      const failed: Execution = {
        ...running,
        status: 'failed',
        finishedAt: this.clock.now().toISOString(),
        counters: countersOf(written),
        errorCount: written.filter((entry) => entry.state === 'failed').length + 1,
        problems: [{ key: 'error.unexpected', args: { detail: error instanceof Error ? error.message : String(error) } }],
      };
      await complete(failed).catch(() => undefined);
      throw new RunFailedError({ execution: failed, plan: null, entries: written }, error);
    }
    const finished: Execution = { ...outcome.execution, id, startedAt: running.startedAt };
    const execution = more.finalise ? more.finalise(finished) : finished;
    await complete(execution);
    // Clean-up with a list of the executions read anyway (the nightly run's, or the one read to
    // record a dead run) deletes what lies beyond the newest KEEP_EXECUTIONS and reads nothing;
    // other runs read the list for it only on their CLEAN_UP_EVERY-th turn.
    const valueId = record.valueId;
    if (more.recent !== undefined || (valueId !== null && valueId % CLEAN_UP_EVERY === 0)) {
      await storage.executions.prune(KEEP_EXECUTIONS, storage.logs, more.recent).catch(() => 0);
    }
    return { execution, plan: outcome.plan, entries: outcome.entries };
  }
}
