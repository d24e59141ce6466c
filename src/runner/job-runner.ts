/**
 * Runs a stored job the same way wherever it starts — the admin's browser, the CLI, or the
 * bridge's nightly runner: load the job, its connection and the bridge token from the
 * extension's storage, take the job's run lock, record the execution as running, let the
 * engine simulate or run, journal every log entry, store the finished execution, release the
 * lock. Browser-safe: no Node imports.
 */
import type { ExtensionStorage } from '../churchtools/kv/storage.ts';
import type { Connection } from '../churchtools/kv/schemas.ts';
import type { Stored } from '../churchtools/kv/documents.ts';
import { run, simulate, type SyncOutcome } from '../sync/engine.ts';
import type { Execution, Job, LogEntry } from '../sync/model.ts';
import { emptyCounters } from '../sync/model.ts';
import type { Plan } from '../sync/plan.ts';
import type { Clock, Progress, SystemPort } from '../sync/ports.ts';
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
  /** Renew the run lock this often while a run goes on; default 60 s. */
  readonly lockRenewMs?: number;
}

/** Older executions and their logs are removed so the store stays within its request budget. */
const KEEP_EXECUTIONS = 200;

/** The run lock's name: runs of any job of a connection and domain exclude each other. */
export function runLockKey(job: Pick<Job, 'connectionId' | 'domain'>): string {
  return `${job.connectionId}:${job.domain}`;
}

export type RunnerProblem = 'jobNotFound' | 'connectionNotFound' | 'tokenMissing';

/** A job that cannot even start; `code` says which piece of configuration is missing. */
export class RunnerError extends Error {
  constructor(
    readonly code: RunnerProblem,
    readonly subject: string,
  ) {
    super(`${code}: ${subject}`);
    this.name = 'RunnerError';
  }
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

  private async load(jobId: string): Promise<Loaded> {
    const { storage, port } = this.deps.churchtools;
    const job = (await storage.jobs.get(jobId))?.data;
    if (!job) throw new RunnerError('jobNotFound', jobId);
    const connection = (await storage.connections.get(job.connectionId))?.data;
    if (!connection) throw new RunnerError('connectionNotFound', job.connectionId);
    const token = await storage.secrets.token(connection.id);
    if (!token) throw new RunnerError('tokenMissing', connection.id);
    return { job, connection, ports: { churchtools: port, optigem: this.deps.optigemPort(connection, token) } };
  }

  simulate(jobId: string, callbacks: RunnerCallbacks = {}): Promise<RunReport> {
    return this.execute(jobId, true, callbacks, (loaded, context) => simulate(loaded.job, context));
  }

  async run(
    jobId: string,
    options: {
      expectedDigest?: string;
      confirmMassChange?: boolean;
      signal?: AbortSignal;
      /** A run nobody watches (nightly): writes beyond the last simulation are held back (unattended.ts). */
      unattended?: boolean;
    } & RunnerCallbacks = {},
  ): Promise<RunReport> {
    const { storage } = this.deps.churchtools;
    const job = (await storage.jobs.get(jobId))?.data;
    if (!job) throw new RunnerError('jobNotFound', jobId);
    // One lock per connection and domain, not per job: two jobs of one connection share its
    // pairs, and runs that plan and save them at the same time would undo each other. Taken
    // before anything is read, so two admins never plan against each other.
    const lock = await storage.locks.acquire(runLockKey(job), this.deps.owner);
    let held: Stored<typeof lock.data> = lock;
    const timer = setInterval(() => {
      storage.locks.renew(held).then((renewed) => {
        held = renewed;
      }, () => undefined);
    }, this.deps.lockRenewMs ?? 60_000);
    try {
      const simulation = options.unattended ? await this.lastSimulation(jobId) : undefined;
      return await this.execute(jobId, false, options, (loaded, context) =>
        run(loaded.job, context, {
          ...(options.expectedDigest === undefined ? {} : { expectedDigest: options.expectedDigest }),
          ...(options.confirmMassChange === undefined ? {} : { confirmMassChange: options.confirmMassChange }),
          ...(options.signal ? { signal: options.signal } : {}),
          ...(options.unattended ? { restrict: (plan: Plan) => unattendedRestriction(plan, simulation, loaded.job) } : {}),
        }),
      );
    } finally {
      clearInterval(timer);
      await storage.locks.release(held);
    }
  }

  private async lastSimulation(jobId: string): Promise<Execution | undefined> {
    const recent = await this.deps.churchtools.storage.executions.recent(jobId);
    return recent.items.map((item) => item.data).find((execution) => execution.dryRun && execution.status !== 'refused');
  }

  private async execute(
    jobId: string,
    dryRun: boolean,
    callbacks: RunnerCallbacks,
    start: (loaded: Loaded, context: Parameters<typeof simulate>[1]) => Promise<SyncOutcome>,
  ): Promise<RunReport> {
    const { storage } = this.deps.churchtools;
    const loaded = await this.load(jobId);
    const id = globalThis.crypto.randomUUID();
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
    // Stored first, so a run that dies leaves an execution that says "running" with its log so far.
    const stored = await storage.executions.save(running, null);
    const log = storage.logs.writer(id);
    let outcome: SyncOutcome;
    try {
      outcome = await start(loaded, {
      ports: loaded.ports,
      pairStore: storage.pairs,
      propertyPairs: loaded.connection.propertyPairs,
      clock: this.clock,
      newId: () => id,
      sink: {
        entry: async (entry) => {
          callbacks.onEntry?.(entry);
          // Pending marks exist for the live view; the stored log keeps each entry once, final.
          if (entry.state !== 'pending') await log.add(entry);
        },
        progress: (progress) => callbacks.onProgress?.(progress),
      },
    });
    } finally {
      await log.flush();
    }
    const execution: Execution = { ...outcome.execution, id, startedAt: running.startedAt };
    await storage.executions.save(execution, stored.revision);
    await storage.executions.prune(KEEP_EXECUTIONS, storage.logs).catch(() => 0);
    return { execution, plan: outcome.plan, entries: outcome.entries };
  }
}
