// Simulations and runs started from this tab, through the JobRunner (lock, engine, journal).
// The state lives here, not in a view: leaving the page while a run goes on changes nothing;
// the run finishes, stores its execution and log, and the report is here when one comes back.
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { JobRunner, RunFailedError, runLockKey, type RunReport } from '../../runner/job-runner.ts';
import type { Job, LogEntry } from '../../sync/model.ts';
import type { Progress } from '../../sync/ports.ts';
import type { ChurchToolsReadOptions } from '../services/backend.ts';
import { useBackendStore, toUiError, type UiError } from './backend.ts';
import { useExecutionsStore } from './executions.ts';
import { useJobsStore } from './jobs.ts';
import { usePairsStore } from './pairs.ts';
import { useRecordsStore } from './records.ts';

export type RunKind = 'simulate' | 'run';

export interface ActiveRun {
  readonly jobId: string;
  readonly kind: RunKind;
  readonly progress: Progress | null;
  readonly entryCount: number;
}

/** What the ChurchTools read must include for the job's conditions (tags, group members). */
export function churchToolsReadOptions(job: Job): ChurchToolsReadOptions {
  const fields = job.conditions.churchtools;
  const groupIds = [...new Set(fields.filter((c) => c.field === 'groupIds').flatMap((c) => c.values))];
  return {
    ...(fields.some((c) => c.field === 'tags') ? { includeTags: true } : {}),
    ...(groupIds.length > 0 ? { membershipGroupIds: groupIds } : {}),
  };
}

/** How often the live view catches up with the entries that arrived (ms). */
const LIVE_INTERVAL = 150;

export const useRunsStore = defineStore('optigem-sync/runs', () => {
  const backend = useBackendStore();
  const jobs = useJobsStore();
  const active = ref<ActiveRun | null>(null);
  const liveEntries = shallowRef<readonly LogEntry[]>([]);
  /** The last simulation per job: what "run exactly this" refers to. */
  const simulations = shallowRef<Record<string, RunReport>>({});
  /** The last run per job. */
  const runs = shallowRef<Record<string, RunReport>>({});
  const error = ref<UiError | null>(null);
  let controller: AbortController | null = null;

  const busy = computed(() => active.value !== null);

  function warnOnUnload(event: BeforeUnloadEvent): void {
    // Closing the tab mid-run is safe (the run can be repeated), but the admin should know.
    event.preventDefault();
  }

  async function execute(jobId: string, kind: RunKind, options: { expectedDigest?: string; confirmMassChange?: boolean } = {}): Promise<RunReport | null> {
    if (active.value) return null;
    error.value = null;
    await jobs.load();
    const job = jobs.byId(jobId)?.data;
    if (!job) {
      error.value = { key: 'errors.runner.jobNotFound', args: {} };
      return null;
    }
    const sync = backend.get();
    const runner = new JobRunner({
      churchtools: { port: sync.churchToolsPort(churchToolsReadOptions(job)), storage: sync.storage },
      optigemPort: (connection, token) => sync.optigemPort(connection, token),
      owner: sync.owner,
    });
    const buffer: LogEntry[] = [];
    let progress: Progress | null = null;
    active.value = { jobId, kind, progress: null, entryCount: 0 };
    liveEntries.value = [];
    const timer = setInterval(() => {
      liveEntries.value = [...buffer];
      active.value = { jobId, kind, progress, entryCount: buffer.length };
    }, LIVE_INTERVAL);
    const callbacks = {
      onEntry: (entry: LogEntry) => {
        // A run reports each write twice (pending, then done/failed): keep the latest per seq.
        const last = buffer[buffer.length - 1];
        if (last && last.seq === entry.seq) buffer[buffer.length - 1] = entry;
        else buffer.push(entry);
      },
      onProgress: (p: Progress) => {
        progress = p;
      },
    };
    if (kind === 'run' && typeof window !== 'undefined') window.addEventListener('beforeunload', warnOnUnload);
    try {
      if (kind === 'simulate') {
        const report = await runner.simulate(jobId, callbacks);
        simulations.value = { ...simulations.value, [jobId]: report };
        return report;
      }
      controller = new AbortController();
      const report = await runner.run(jobId, { ...options, signal: controller.signal, ...callbacks });
      runs.value = { ...runs.value, [jobId]: report };
      // A run changed both systems and the pairs: what other views cached is stale now.
      useRecordsStore().invalidate(job.connectionId);
      if (job.domain === 'person') usePairsStore().invalidate(job.connectionId);
      return report;
    } catch (e) {
      // A run that failed after it started still has its report: show what it wrote.
      if (e instanceof RunFailedError) {
        runs.value = { ...runs.value, [jobId]: e.report };
        useRecordsStore().invalidate(job.connectionId);
        return e.report;
      }
      error.value = toUiError(e);
      return null;
    } finally {
      clearInterval(timer);
      controller = null;
      liveEntries.value = [...buffer];
      active.value = null;
      if (typeof window !== 'undefined') window.removeEventListener('beforeunload', warnOnUnload);
      void useExecutionsStore().load(true);
    }
  }

  function simulate(jobId: string): Promise<RunReport | null> {
    return execute(jobId, 'simulate');
  }

  /**
   * Runs the job. `exact`: refuse when the plan differs from the last simulation's (the data
   * changed in between). `confirmMassChange`: the admin typed the confirmation for a large
   * archive/delete.
   */
  function run(jobId: string, options: { exact?: boolean; confirmMassChange?: boolean } = {}): Promise<RunReport | null> {
    const digest = options.exact ? simulations.value[jobId]?.plan?.digest : undefined;
    return execute(jobId, 'run', {
      ...(digest ? { expectedDigest: digest } : {}),
      ...(options.confirmMassChange ? { confirmMassChange: true } : {}),
    });
  }

  /**
   * An admin's "break the lock" after confirming: removes the run lock of the job's connection
   * and domain, e.g. one left behind by a crashed run. A run that still holds it stops before
   * its next write. Returns how many claims were removed, or null on failure.
   */
  async function breakLock(jobId: string): Promise<number | null> {
    const job = jobs.byId(jobId)?.data;
    if (!job) return null;
    try {
      const removed = await backend.get().storage.locks.breakLock(runLockKey(job));
      error.value = null;
      return removed.length;
    } catch (e) {
      error.value = toUiError(e);
      return null;
    }
  }

  /** Stops a run before its next write; what was written stays written and journalled. */
  function cancel(): void {
    controller?.abort();
  }

  return { active, busy, liveEntries, simulations, runs, error, simulate, run, cancel, breakLock };
});
