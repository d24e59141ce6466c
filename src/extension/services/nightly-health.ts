/**
 * Whether a job with automatic execution needs a person: refused, skipped since a refusal,
 * failed, incomplete, cancelled, changes held back, or not run for more than a day. Pure: the
 * overview's store hands in what it has — the bridge's last result per job (`GET /v1/nightly`,
 * with reasons) and the runs stored in ChurchTools, which stand in when the bridge is unreachable.
 */
import type { NightlyStatusBody } from '../../optigem/index.ts';
import { blockerGroupOf } from '../../sync/blockers.ts';
import type { Execution, Job, Message } from '../../sync/model.ts';

export type NightlyResultBody = NightlyStatusBody['lastResults'][number];

/** What the connection's bridge said about its nightly runner, or that it could not be asked. */
export type NightlyBridgeView = { readonly state: 'known'; readonly status: NightlyStatusBody } | { readonly state: 'unknown' };

export type NightlyFlagReason = 'refused' | 'skipped' | 'failed' | 'incomplete' | 'cancelled' | 'heldBack' | 'notRun' | 'neverRun';

/** What the admin does about it; each has its text in `nightlyHealth.fix` and a place to go. */
export type NightlyFix =
  | 'editJob'
  | 'openPropertyPairs'
  | 'linkDonors'
  | 'resolveBlockers'
  | 'confirmByHand'
  | 'simulateAgain'
  | 'checkConnection'
  | 'openExecution'
  | 'checkBridge'
  | 'enableNightly';

export interface NightlyFlag {
  readonly jobId: string;
  readonly jobName: string;
  readonly connectionId: string;
  readonly reason: NightlyFlagReason;
  /** When it happened: the result or run; for `neverRun` the job's last save. */
  readonly since: string | null;
  /** What the engine said: the refusal, the first problem, what was held back. */
  readonly detail?: Message;
  /** The bridge's own words (English), for "Technische Details" only. */
  readonly technical?: string;
  readonly fix: NightlyFix;
  readonly executionId: string | null;
  /** The bridge's results, or the executions stored in ChurchTools (bridge not asked or unreachable). */
  readonly source: 'bridge' | 'churchtools';
}

export interface NightlyJobFacts {
  readonly job: Pick<Job, 'id' | 'name' | 'connectionId' | 'autoRun'>;
  /**
   * When the job was last saved. [I] ChurchTools keeps no date for "automatic execution switched
   * on", so the last save stands for it: a job switched on an hour ago is not "not run for a day".
   */
  readonly savedAt: string | null;
  /** The newest real run (not a simulation) stored in ChurchTools, by whoever started it. */
  readonly lastRun: Execution | undefined;
  readonly bridge: NightlyBridgeView;
}

const HOUR = 3_600_000;
const DEFAULT_WINDOW_MS = 4 * HOUR;

function minutes(time: string): number | null {
  const match = /^(\d\d):(\d\d)$/.exec(time);
  return match ? Number(match[1]) * 60 + Number(match[2]) : null;
}

/** The window's length; an end at or before the start crosses midnight (as the runner reads it). */
export function windowLengthMs(window: NightlyStatusBody['window']): number {
  const start = window ? minutes(window.start) : null;
  const end = window ? minutes(window.end) : null;
  if (start === null || end === null) return DEFAULT_WINDOW_MS;
  const length = end > start ? end - start : end + 24 * 60 - start;
  return length * 60_000;
}

/** How long a job may go without a run before it is flagged: a day plus the window. */
export function staleAfterMs(bridge: NightlyBridgeView): number {
  return 24 * HOUR + windowLengthMs(bridge.state === 'known' ? bridge.status.window : null);
}

/** The fix for a refusal, by what stands in the way (the same groups as a simulation's blockers). */
export function fixForRefusal(refusal: Message | undefined, executionId: string | null): NightlyFix {
  if (!refusal) return 'resolveBlockers';
  if (refusal.key === 'refusal.massChange') return 'confirmByHand';
  if (refusal.key === 'refusal.planChanged' || refusal.key === 'nightly.beyondSimulation') return 'simulateAgain';
  if (refusal.key === 'refusal.readFailed') return 'checkConnection';
  if (refusal.key.startsWith('refusal.lock')) return executionId ? 'openExecution' : 'simulateAgain';
  switch (blockerGroupOf(refusal)) {
    case 'job':
      return 'editJob';
    case 'mapping':
      return 'openPropertyPairs';
    case 'donors':
      return 'linkDonors';
    default:
      return 'resolveBlockers';
  }
}

const RAN: ReadonlySet<string> = new Set(['succeeded', 'finishedWithErrors', 'refused', 'failed', 'incomplete', 'cancelled']);

function time(instant: string | null | undefined): number {
  const t = instant ? Date.parse(instant) : NaN;
  return Number.isNaN(t) ? -Infinity : t;
}

function fromBridge(job: NightlyJobFacts['job'], result: NightlyResultBody): Omit<NightlyFlag, 'source'> | null {
  const base = { jobId: job.id, jobName: job.name, connectionId: job.connectionId, since: result.at, executionId: result.executionId };
  const technical = result.reason ? { technical: result.reason } : {};
  const refusal = result.refusal ? { detail: result.refusal } : {};
  switch (result.status) {
    case 'refused':
    case 'skipped':
      return { ...base, ...refusal, ...technical, reason: result.status, fix: fixForRefusal(result.refusal, result.executionId) };
    case 'failed':
    case 'error':
      return { ...base, ...technical, reason: 'failed', fix: result.executionId ? 'openExecution' : 'checkBridge' };
    case 'incomplete':
    case 'cancelled':
      return { ...base, ...technical, reason: result.status, fix: result.executionId ? 'openExecution' : 'checkBridge' };
    case 'succeeded':
    case 'finishedWithErrors':
      return result.heldBack && result.heldBack.count > 0 ? { ...base, detail: result.heldBack.message, reason: 'heldBack', fix: 'simulateAgain' } : null;
    default:
      // running, locked: the runner is at it or tries again later in the window.
      return null;
  }
}

function fromExecution(job: NightlyJobFacts['job'], run: Execution): Omit<NightlyFlag, 'source'> | null {
  const base = { jobId: job.id, jobName: job.name, connectionId: job.connectionId, since: run.startedAt, executionId: run.id };
  const problem = run.problems?.[0];
  switch (run.status) {
    case 'refused':
      return { ...base, ...(run.refusal ? { detail: run.refusal } : {}), reason: 'refused', fix: fixForRefusal(run.refusal, run.id) };
    case 'failed':
    case 'incomplete':
    case 'cancelled':
      return { ...base, ...(problem ? { detail: problem } : {}), reason: run.status, fix: 'openExecution' };
    default:
      return null;
  }
}

/** The flag for one job, or null when it needs nobody. */
export function nightlyFlag(facts: NightlyJobFacts, now: Date): NightlyFlag | null {
  const { job, lastRun, bridge } = facts;
  if (!job.autoRun) return null;
  const result = bridge.state === 'known' ? bridge.status.lastResults.find((r) => r.jobId === job.id) : undefined;
  // The newer of the two speaks: a run by hand after a refused night clears the flag.
  const bridgeSpeaks = result !== undefined && (lastRun === undefined || result.executionId === lastRun.id || time(result.at) >= time(lastRun.startedAt));
  const found = bridgeSpeaks ? fromBridge(job, result) : lastRun ? fromExecution(job, lastRun) : null;
  if (found) return { ...found, source: bridgeSpeaks ? 'bridge' : 'churchtools' };

  const ranAt = Math.max(result && RAN.has(result.status) ? time(result.at) : -Infinity, time(lastRun?.startedAt));
  const reference = Math.max(ranAt, time(facts.savedAt));
  if (reference === -Infinity || now.getTime() - reference <= staleAfterMs(bridge)) return null;
  const off = bridge.state === 'known' && !bridge.status.enabled;
  const ran = ranAt !== -Infinity;
  return {
    jobId: job.id,
    jobName: job.name,
    connectionId: job.connectionId,
    reason: ran ? 'notRun' : 'neverRun',
    since: new Date(ran ? ranAt : reference).toISOString(),
    fix: off ? 'enableNightly' : 'checkBridge',
    executionId: ran && lastRun && time(lastRun.startedAt) === ranAt ? lastRun.id : null,
    source: bridge.state === 'known' ? 'bridge' : 'churchtools',
  };
}

/** Where the fix is done, as a route of the module (none: the text says what to do on the bridge). */
export function fixRoute(flag: NightlyFlag): { name: string; params?: Record<string, string> } | null {
  switch (flag.fix) {
    case 'editJob':
      return { name: 'job', params: { id: flag.jobId } };
    case 'openPropertyPairs':
      return { name: 'property-pairs', params: { id: flag.connectionId } };
    case 'linkDonors':
    case 'resolveBlockers':
    case 'confirmByHand':
    case 'simulateAgain':
      return { name: 'job-run', params: { id: flag.jobId } };
    case 'checkConnection':
    case 'checkBridge':
      return { name: 'connection', params: { id: flag.connectionId } };
    case 'openExecution':
      return flag.executionId ? { name: 'execution', params: { id: flag.executionId } } : { name: 'job-run', params: { id: flag.jobId } };
    case 'enableNightly':
      return null;
  }
}
