/**
 * The nightly runner ("automatische Ausführung"): runs every job with `autoRun: true` once per
 * night inside a time window (default 00:00–04:00 in the given IANA time zone), one job after
 * the other, each through JobRunner — so under the job's run lock, with a stored execution and
 * log that the UI shows like any other run.
 *
 * Rules:
 * - "Once per night" is decided from the stored executions: a job that already has a run
 *   (not a simulation) started inside tonight's window is not run again, whoever started it and
 *   even if the process restarted in between — unless that run was cancelled or never finished
 *   (a restart mid-run): then it is tried again after a pause, up to `maxAttempts` runs a night.
 * - Unattended: writes beyond the job's last simulation (more creates, archives, deletes) are
 *   held back unless the job allows them (unattended.ts).
 * - A job whose lock is held is retried later in the same window.
 * - A job whose last run was refused by its pre-flight (refusal keys `blocker.*`,
 *   `validation.*`) is skipped and reported, night after night, until someone runs it by hand
 *   successfully: its configuration needs a human, and retrying changes nothing.
 * - Mass changes are never confirmed: such a run is refused and reported.
 *
 * Clock and timer are injected, so tests step through nights without waiting. Browser-safe
 * (no Node imports), though it is meant for the bridge.
 */
import { LockHeldError } from '../churchtools/kv/errors.ts';
import type { ExecutionRepository, JobRepository } from '../churchtools/kv/repositories.ts';
import type { Execution, ExecutionStatus, Job, Message } from '../sync/model.ts';
import type { Clock } from '../sync/ports.ts';
import { systemClock } from '../sync/ports.ts';
import type { JobRunner } from './job-runner.ts';

// ---------------------------------------------------------------------------------------------
// Time windows in a time zone

/** Local wall-clock times `HH:MM`. An end at or before the start means the window crosses midnight. */
export interface NightlyWindow {
  readonly start: string;
  readonly end: string;
}

export const DEFAULT_WINDOW: NightlyWindow = { start: '00:00', end: '04:00' };

export function defaultTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

function minutesOf(time: string, what: string): number {
  const match = TIME.exec(time);
  if (!match) throw new RangeError(`${what} "${time}" is not a time like 00:00 or 23:30`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/** Throws a RangeError that says what is wrong with the window or the time zone. */
export function checkWindow(window: NightlyWindow, timeZone: string): void {
  const start = minutesOf(window.start, 'Window start');
  const end = minutesOf(window.end, 'Window end');
  if (start === end) throw new RangeError(`The window ${window.start}–${window.end} is empty`);
  try {
    formatter(timeZone);
  } catch {
    throw new RangeError(`Unknown time zone "${timeZone}" (use an IANA name like Europe/Berlin)`);
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

interface LocalDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** The wall-clock reading of `instant` in `timeZone`, as if it were UTC (ms since epoch). */
function wallClock(instant: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(instant))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return Date.UTC(parts['year'] ?? 1970, (parts['month'] ?? 1) - 1, parts['day'] ?? 1, parts['hour'] ?? 0, parts['minute'] ?? 0, parts['second'] ?? 0);
}

function localDate(instant: Date, timeZone: string): LocalDate {
  const wall = new Date(wallClock(instant.getTime(), timeZone));
  return { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate() };
}

function addDays(date: LocalDate, days: number): LocalDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/**
 * The instant at which the wall clock in `timeZone` shows `minutes` after midnight of `date`.
 * In the spring-forward gap (a time that does not exist) this is the same wall time in the new
 * offset, i.e. later by the gap; in the autumn overlap one of the two instants.
 */
function zonedInstant(date: LocalDate, minutes: number, timeZone: string): Date {
  const wall = Date.UTC(date.year, date.month - 1, date.day, 0, minutes);
  const offsetAt = (instant: number) => wallClock(instant, timeZone) - Math.floor(instant / 1000) * 1000;
  let guess = wall - offsetAt(wall);
  guess = wall - offsetAt(guess);
  return new Date(guess);
}

interface Occurrence {
  readonly start: Date;
  readonly end: Date;
}

function occurrenceOn(date: LocalDate, window: NightlyWindow, timeZone: string): Occurrence {
  const start = minutesOf(window.start, 'Window start');
  const end = minutesOf(window.end, 'Window end');
  return {
    start: zonedInstant(date, start, timeZone),
    end: zonedInstant(end <= start ? addDays(date, 1) : date, end, timeZone),
  };
}

/** The window occurrence that contains `now`, or null. */
export function windowAt(now: Date, window: NightlyWindow, timeZone: string): Occurrence | null {
  const today = localDate(now, timeZone);
  for (const offset of [-1, 0]) {
    const occurrence = occurrenceOn(addDays(today, offset), window, timeZone);
    if (occurrence.start.getTime() <= now.getTime() && now.getTime() < occurrence.end.getTime()) return occurrence;
  }
  return null;
}

/** The first start of the window at or after `now` (inside a window: the next night's start). */
export function nextWindowStart(now: Date, window: NightlyWindow = DEFAULT_WINDOW, timeZone: string = defaultTimeZone()): Date {
  checkWindow(window, timeZone);
  const today = localDate(now, timeZone);
  for (let offset = -1; offset <= 2; offset++) {
    const { start } = occurrenceOn(addDays(today, offset), window, timeZone);
    if (start.getTime() >= now.getTime()) return start;
  }
  // Unreachable: a window starts every day.
  throw new Error('no window start found');
}

// ---------------------------------------------------------------------------------------------
// The runner

export interface NightlyTimer {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Real timers that do not keep a process alive on their own (the bridge's server does). */
export const systemTimer: NightlyTimer = {
  setTimeout(callback, ms) {
    const handle = setTimeout(callback, ms);
    (handle as { unref?: () => void }).unref?.();
    return handle;
  },
  clearTimeout(handle) {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};

export type NightlyResultStatus = ExecutionStatus | 'skipped' | 'locked' | 'error';

export interface NightlyResult {
  readonly jobId: string;
  readonly jobName: string;
  /** The stored execution, when there is one. */
  readonly executionId: string | null;
  readonly status: NightlyResultStatus;
  /** When the result was reached (ISO). */
  readonly at: string;
  /** Why a job was skipped, refused or failed. */
  readonly reason?: string;
  /** The refusal (pre-flight, mass change, failed read) as the engine gave it. */
  readonly refusal?: Message;
  /** Writes held back because they went beyond the last simulation (unattended.ts). */
  readonly heldBack?: { readonly count: number; readonly message: Message };
  /** How this run came about: the window, a retry after a cancelled or failed try, or "run now". */
  readonly trigger?: NightlyTrigger;
}

export type NightlyTrigger = 'window' | 'resume' | 'runNow';

/** Where the runner keeps its last result per job, so a restart does not forget them. */
export interface NightlyResultStore {
  load(): readonly NightlyResult[];
  save(result: NightlyResult): void;
}

export interface NightlyStatus {
  /**
   * When the nightly runner will next run jobs (ISO): soon while the window is open and jobs are
   * due, else the next window's start. Null when stopped or no job has automatic execution.
   */
  readonly nextRun: string | null;
  /** The latest result per job, newest first. */
  readonly lastResults: readonly NightlyResult[];
  readonly window: NightlyWindow;
  readonly timeZone: string;
  /** A pass over the jobs is going on right now. */
  readonly busy: boolean;
}

export type NightlyEvent =
  | { readonly type: 'result'; readonly result: NightlyResult }
  | { readonly type: 'started'; readonly jobId: string; readonly jobName: string; readonly trigger: NightlyTrigger; readonly reason?: string }
  | { readonly type: 'error'; readonly message: string };

export interface NightlyOptions {
  readonly runner: Pick<JobRunner, 'run'>;
  readonly storage: { readonly jobs: Pick<JobRepository, 'list'>; readonly executions: Pick<ExecutionRepository, 'recent'> };
  readonly clock?: Clock;
  readonly timer?: NightlyTimer;
  readonly window?: NightlyWindow;
  /** IANA time zone of the window; default the process's. */
  readonly timeZone?: string;
  /** While the window is open: look again this often (held locks, newly enabled jobs). Default 10 min. */
  readonly retryMs?: number;
  /** Never sleep longer than this, so a suspended machine or a clock change is noticed. Default 1 h. */
  readonly maxSleepMs?: number;
  /**
   * Tries per night for a job: a run that throws (ChurchTools unreachable, …), ended cancelled
   * (the bridge was stopped) or never ended (the process died) is tried again in the same
   * window, up to this many runs in all. Default 3.
   */
  readonly maxAttempts?: number;
  /** Pause before such a retry. Default 5 min. */
  readonly retryPauseMs?: number;
  /** Keeps the last results across restarts (the bridge's state database). */
  readonly resultStore?: NightlyResultStore;
  /** Wraps every pass and "run now" (the service logs in before and out after each). */
  readonly around?: <T>(work: () => Promise<T>) => Promise<T>;
  readonly onEvent?: (event: NightlyEvent) => void;
}

/** Pre-flight refusals: the job's configuration is at fault, not the data or the moment. */
export function isPreflightRefusal(refusal: Message | undefined): boolean {
  return refusal !== undefined && (refusal.key.startsWith('blocker.') || refusal.key.startsWith('validation.'));
}

export class NightlyRunner {
  readonly window: NightlyWindow;
  readonly timeZone: string;
  private readonly clock: Clock;
  private readonly timer: NightlyTimer;
  private readonly retryMs: number;
  private readonly maxSleepMs: number;
  private readonly maxAttempts: number;
  private readonly retryPauseMs: number;
  private handle: unknown = null;
  private nextTickAt: Date | null = null;
  private started = false;
  private pass: Promise<void> | null = null;
  private abort = new AbortController();
  /** autoRun jobs as of the last look. */
  private jobs: Job[] = [];
  /** Per job: the window occurrence (start ISO) it is finished for. */
  private readonly doneFor = new Map<string, string>();
  /** Per job: attempts that threw, in the window occurrence named. */
  private readonly attempts = new Map<string, { occurrence: string; count: number }>();
  /** Jobs skipped for a pre-flight refusal at the last look. */
  private readonly blocked = new Set<string>();
  private readonly results = new Map<string, NightlyResult>();

  constructor(private readonly options: NightlyOptions) {
    this.window = options.window ?? DEFAULT_WINDOW;
    this.timeZone = options.timeZone ?? defaultTimeZone();
    checkWindow(this.window, this.timeZone);
    this.clock = options.clock ?? systemClock;
    this.timer = options.timer ?? systemTimer;
    this.retryMs = options.retryMs ?? 10 * 60_000;
    this.maxSleepMs = options.maxSleepMs ?? 60 * 60_000;
    this.maxAttempts = options.maxAttempts ?? 3;
    this.retryPauseMs = options.retryPauseMs ?? 5 * 60_000;
    for (const result of options.resultStore?.load() ?? []) this.results.set(result.jobId, result);
  }

  /** Starts looking: at once (to learn the jobs, and to run them if the window is open), then as scheduled. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.abort = new AbortController();
    this.scheduleIn(0);
  }

  /** Stops scheduling, cancels a run between operations, and waits for the pass to end. */
  async stop(): Promise<void> {
    this.started = false;
    if (this.handle !== null) this.timer.clearTimeout(this.handle);
    this.handle = null;
    this.nextTickAt = null;
    this.abort.abort();
    await this.pass?.catch(() => undefined);
  }

  /** One pass: run what is due now. The timer calls it; tests and a "run now" button may too. */
  tick(): Promise<void> {
    if (!this.pass) {
      this.pass = this.wrapped(() => this.runPass()).finally(() => {
        this.pass = null;
        if (this.started) this.schedule();
      });
    }
    return this.pass;
  }

  status(): NightlyStatus {
    return {
      nextRun: this.nextRun()?.toISOString() ?? null,
      lastResults: [...this.results.values()].sort((a, b) => b.at.localeCompare(a.at)),
      window: this.window,
      timeZone: this.timeZone,
      busy: this.pass !== null,
    };
  }

  /** When this job will be run next (ISO), or null: not an autoRun job, skipped for its pre-flight, or stopped. */
  nextRunFor(jobId: string): string | null {
    if (!this.started || !this.jobs.some((job) => job.id === jobId) || this.blocked.has(jobId)) return null;
    const now = this.clock.now();
    const open = windowAt(now, this.window, this.timeZone);
    if (open && this.doneFor.get(jobId) !== open.start.toISOString()) return this.soon(now).toISOString();
    return this.followingStart(now, open).toISOString();
  }

  private nextRun(): Date | null {
    if (!this.started || this.jobs.length === 0) return null;
    const now = this.clock.now();
    const open = windowAt(now, this.window, this.timeZone);
    if (open && this.pending(open).length > 0) return this.soon(now);
    // Blocked jobs count: they are looked at again then, and run if someone fixed them meanwhile.
    return this.followingStart(now, open);
  }

  /** The next look while the window is open: the scheduled one, or now while a pass is going on. */
  private soon(now: Date): Date {
    return this.pass !== null || this.nextTickAt === null || this.nextTickAt < now ? now : this.nextTickAt;
  }

  /** The next window start after the open occurrence (or from now, outside a window). */
  private followingStart(now: Date, open: Occurrence | null): Date {
    return nextWindowStart(open ? new Date(open.end.getTime()) : now, this.window, this.timeZone);
  }

  private pending(open: Occurrence): Job[] {
    const key = open.start.toISOString();
    return this.jobs.filter((job) => this.doneFor.get(job.id) !== key && !this.blocked.has(job.id));
  }

  private scheduleIn(ms: number): void {
    if (this.handle !== null) this.timer.clearTimeout(this.handle);
    const delay = Math.max(0, Math.min(ms, this.maxSleepMs));
    this.nextTickAt = new Date(this.clock.now().getTime() + delay);
    this.handle = this.timer.setTimeout(() => {
      this.handle = null;
      void this.tick();
    }, delay);
  }

  private schedule(): void {
    const now = this.clock.now();
    const open = windowAt(now, this.window, this.timeZone);
    if (open) {
      // Inside the window: look again soon (a lock may be free, a job newly enabled), but not past its end.
      this.scheduleIn(Math.min(this.retryMs, open.end.getTime() - now.getTime()));
    } else {
      this.scheduleIn(nextWindowStart(now, this.window, this.timeZone).getTime() - now.getTime());
    }
  }

  private emit(event: NightlyEvent): void {
    try {
      this.options.onEvent?.(event);
    } catch {
      // A broken listener must not stop the nightly runs.
    }
  }

  private record(result: NightlyResult): void {
    this.results.set(result.jobId, result);
    try {
      this.options.resultStore?.save(result);
    } catch (error) {
      this.emit({ type: 'error', message: `Cannot store the result of ${result.jobName}: ${message(error)}` });
    }
    this.emit({ type: 'result', result });
  }

  /**
   * "Run now": what the window does, at once — every job with automatic execution, or the one
   * named (by id or name) — whether or not it ran tonight. Refuses while a pass is going on.
   */
  async runNow(job?: string): Promise<NightlyResult[]> {
    return (await this.startRunNow(job)).finished;
  }

  /**
   * "Run now" without waiting for the runs: resolves once the jobs are known (or rejects for an
   * unknown job / a busy runner); `finished` resolves with their results.
   */
  startRunNow(job?: string): Promise<{ jobs: readonly { id: string; name: string }[]; finished: Promise<NightlyResult[]> }> {
    if (this.pass !== null) return Promise.reject(new NightlyBusyError());
    let announce: (jobs: Job[]) => void = () => undefined;
    const announced = new Promise<Job[]>((resolve) => {
      announce = resolve;
    });
    const run = this.wrapped(async () => {
      const jobs = await this.loadJobs();
      const chosen = job === undefined ? jobs : jobs.filter((j) => j.id === job || j.name === job);
      if (job !== undefined && chosen.length === 0) throw new NightlyJobUnknownError(job, jobs.map((j) => j.name));
      announce(chosen);
      const results: NightlyResult[] = [];
      for (const j of chosen) {
        if (this.abort.signal.aborted) break;
        const result = await this.runJob(j, 'runNow', windowAt(this.clock.now(), this.window, this.timeZone)?.start.toISOString() ?? null);
        results.push(result);
      }
      return results;
    });
    this.pass = run.then(() => undefined, () => undefined).finally(() => {
      this.pass = null;
      if (this.started) this.schedule();
    });
    return Promise.race([announced, run.then(() => [] as Job[])]).then((chosen) => ({
      jobs: chosen.map(({ id, name }) => ({ id, name })),
      finished: run,
    }));
  }

  private wrapped<T>(work: () => Promise<T>): Promise<T> {
    return this.options.around ? this.options.around(work) : work();
  }

  private async loadJobs(): Promise<Job[]> {
    const jobs = (await this.options.storage.jobs.list()).items.map((item) => item.data).filter((job) => job.autoRun);
    this.jobs = jobs.sort((a, b) => a.name.localeCompare(b.name));
    for (const id of [...this.blocked]) if (!jobs.some((job) => job.id === id)) this.blocked.delete(id);
    return this.jobs;
  }

  private async runPass(): Promise<void> {
    try {
      await this.loadJobs();
    } catch (error) {
      this.emit({ type: 'error', message: `Cannot read the jobs: ${error instanceof Error ? error.message : String(error)}` });
      return;
    }

    for (const job of this.jobs) {
      if (this.abort.signal.aborted) return;
      // Checked per job: a long run may carry the pass past the window's end.
      const open = windowAt(this.clock.now(), this.window, this.timeZone);
      if (!open) return;
      await this.consider(job, open);
    }
  }

  private async consider(job: Job, open: Occurrence): Promise<void> {
    const key = open.start.toISOString();
    if (this.doneFor.get(job.id) === key) return;
    const at = () => this.clock.now().toISOString();
    let tonight: Execution[];
    let last: Execution | undefined;
    try {
      const runs = (await this.options.storage.executions.recent(job.id)).items.map((item) => item.data).filter((execution) => !execution.dryRun);
      last = runs[0];
      tonight = runs.filter((execution) => Date.parse(execution.startedAt) >= open.start.getTime());
    } catch (error) {
      this.record({ jobId: job.id, jobName: job.name, executionId: null, status: 'error', at: at(), reason: `Cannot read executions: ${message(error)}` });
      return;
    }
    let trigger: NightlyTrigger = 'window';
    let resumeReason: string | undefined;
    const latest = tonight[0];
    if (latest) {
      // Already run tonight — by us before a restart, or by an admin. A try that was cancelled
      // or never finished (the process died) is tried again, a few times, after a pause.
      // A failed or incomplete try (ChurchTools or the bridge went away) is tried again as well.
      const unfinished = latest.status === 'cancelled' || latest.status === 'running' || latest.status === 'failed' || latest.status === 'incomplete';
      if (!unfinished || tonight.length >= this.maxAttempts) {
        this.doneFor.set(job.id, key);
        return;
      }
      const retryAt = Date.parse(latest.finishedAt ?? latest.startedAt) + this.retryPauseMs;
      if (this.clock.now().getTime() < retryAt) return;
      trigger = 'resume';
      const how = latest.status === 'running' ? 'did not finish' : latest.status === 'cancelled' ? 'was cancelled' : `ended ${latest.status}`;
      resumeReason = `the run started at ${latest.startedAt} ${how} (try ${tonight.length + 1} of ${this.maxAttempts})`;
    }
    if (last && last.status === 'refused' && isPreflightRefusal(last.refusal)) {
      this.blocked.add(job.id);
      this.doneFor.set(job.id, key);
      this.record({
        jobId: job.id,
        jobName: job.name,
        executionId: last.id,
        status: 'skipped',
        at: at(),
        reason: 'The last run was refused by its pre-flight check; run it by hand successfully to resume automatic execution.',
        ...(last.refusal ? { refusal: last.refusal } : {}),
      });
      return;
    }
    this.blocked.delete(job.id);
    const result = await this.runJob(job, trigger, key, resumeReason);
    if (result.status === 'error') {
      const attempts = this.attempts.get(job.id);
      const count = attempts?.occurrence === key ? attempts.count + 1 : 1;
      this.attempts.set(job.id, { occurrence: key, count });
      if (count >= this.maxAttempts) this.doneFor.set(job.id, key);
    }
  }

  /** Runs one job unattended and records the result; `occurrence` is the window it counts for. */
  private async runJob(job: Job, trigger: NightlyTrigger, occurrence: string | null, reason?: string): Promise<NightlyResult> {
    const at = () => this.clock.now().toISOString();
    this.emit({ type: 'started', jobId: job.id, jobName: job.name, trigger, ...(reason ? { reason } : {}) });
    let result: NightlyResult;
    try {
      // By id, not the job read at the start of the pass: an earlier job of the pass may have run
      // for an hour, and an admin's change in between (autoRun off, other pairs) must count. The
      // price is one jobs read per run.
      const report = await this.options.runner.run(job.id, { signal: this.abort.signal, unattended: true });
      const retryable = report.execution.status === 'cancelled' || report.execution.status === 'failed' || report.execution.status === 'incomplete';
      if (occurrence !== null && !retryable) this.doneFor.set(job.id, occurrence);
      if (isPreflightRefusal(report.execution.refusal)) this.blocked.add(job.id);
      else if (report.execution.status === 'succeeded' || report.execution.status === 'finishedWithErrors') this.blocked.delete(job.id);
      const held = report.entries.filter((entry) => entry.state === 'skipped' && entry.message.key === 'nightly.beyondSimulation');
      result = {
        jobId: job.id,
        jobName: job.name,
        executionId: report.execution.id,
        status: report.execution.status,
        at: at(),
        trigger,
        ...(reason ? { reason } : {}),
        ...(report.execution.refusal ? { refusal: report.execution.refusal } : {}),
        ...(held[0] ? { heldBack: { count: held.length, message: held[0].message } } : {}),
      };
    } catch (error) {
      // Someone is running it: try again later in this window.
      result = error instanceof LockHeldError
        ? { jobId: job.id, jobName: job.name, executionId: null, status: 'locked', at: at(), trigger, reason: error.message }
        : { jobId: job.id, jobName: job.name, executionId: null, status: 'error', at: at(), trigger, reason: message(error) };
    }
    this.record(result);
    return result;
  }
}

/** "Run now" while a nightly pass (or another "run now") is going on. */
export class NightlyBusyError extends Error {
  constructor() {
    super('The nightly runner is busy with a run right now; try again when it has finished.');
    this.name = 'NightlyBusyError';
  }
}

/** "Run now" for a job that is not marked for automatic execution (or does not exist). */
export class NightlyJobUnknownError extends Error {
  constructor(
    readonly job: string,
    readonly known: readonly string[],
  ) {
    super(`"${job}" is not a job with automatic execution. Jobs with automatic execution: ${known.map((name) => `"${name}"`).join(', ') || 'none'}.`);
    this.name = 'NightlyJobUnknownError';
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * What the bridge's unauthenticated health endpoint may show: times, ids and statuses, no job
 * names and no reasons (those are in the Sync module, behind ChurchTools' login).
 */
export function nightlyHealth(status: NightlyStatus): {
  nextRun: string | null;
  lastResults: { jobId: string; executionId: string | null; status: NightlyResultStatus; at: string }[];
} {
  return {
    nextRun: status.nextRun,
    lastResults: status.lastResults.map(({ jobId, executionId, status: result, at }) => ({ jobId, executionId, status: result, at })),
  };
}
