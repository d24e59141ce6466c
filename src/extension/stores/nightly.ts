// Automatic execution as the module sees it: what each connection's bridge says about its nightly
// runner (GET /v1/nightly), which jobs need a person (nightly-health.ts), and "run now" per job
// (POST /v1/nightly/run) with its state until the bridge has finished.
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { NightlyStatusBody } from '../../optigem/index.ts';
import type { Job } from '../../sync/model.ts';
import { nightlyFlag, type NightlyBridgeView, type NightlyFlag, type NightlyResultBody } from '../services/nightly-health.ts';
import { toUiError, useBackendStore, type UiError } from './backend.ts';
import { useConnectionsStore } from './connections.ts';
import { useExecutionsStore } from './executions.ts';
import { useJobsStore } from './jobs.ts';
import { usePermissionsStore } from './permissions.ts';

export type BridgeNightly =
  | { readonly state: 'loading' }
  | { readonly state: 'known'; readonly status: NightlyStatusBody }
  | { readonly state: 'failed'; readonly error: UiError; readonly detail: string };

/** An error the admin can act on, and the bridge's own words for "Technische Details". */
export interface RunNowProblem {
  readonly message: UiError;
  readonly detail: string;
}

export type RunNowState =
  | { readonly state: 'starting' }
  | { readonly state: 'started'; readonly at: string }
  | { readonly state: 'finished'; readonly result: NightlyResultBody }
  | { readonly state: 'refused'; readonly problem: RunNowProblem };

/** What a failed "run now" means for the admin: busy, off and unknown job by the bridge's code. */
export function runNowProblem(error: unknown, jobName: string): RunNowProblem {
  const e = (error ?? {}) as { code?: unknown; kind?: unknown };
  const detail = error instanceof Error ? error.message : String(error);
  if (e.code === 'nightlyBusy') return { message: { key: 'nightlyHealth.runNow.busy', args: {} }, detail };
  if (e.code === 'nightlyOff') return { message: { key: 'nightlyHealth.runNow.off', args: {} }, detail };
  if (e.kind === 'notFound') return { message: { key: 'nightlyHealth.runNow.unknownJob', args: { job: jobName } }, detail };
  if (e.kind === 'readOnlyToken') return { message: { key: 'nightlyHealth.runNow.readOnlyToken', args: {} }, detail };
  if (e.kind === 'unauthorized') return { message: { key: 'nightlyHealth.runNow.tokenRejected', args: {} }, detail };
  return { message: toUiError(error), detail };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export const useNightlyStore = defineStore('optigem-sync/nightly', () => {
  const backend = useBackendStore();
  const connections = useConnectionsStore();
  const jobs = useJobsStore();
  const executions = useExecutionsStore();
  const permissions = usePermissionsStore();
  const bridges = ref<Record<string, BridgeNightly>>({});
  const runNow = shallowRef<Record<string, RunNowState>>({});
  /** The instant flags are judged at; set on each load so the computed stays pure. */
  const now = shallowRef(new Date());
  /** How often and how long "run now" asks the bridge whether the job has finished. */
  const follow = { intervalMs: 2_000, maxPolls: 300 };

  function setBridge(connectionId: string, state: BridgeNightly): void {
    bridges.value = { ...bridges.value, [connectionId]: state };
  }

  function setRunNow(jobId: string, state: RunNowState): void {
    runNow.value = { ...runNow.value, [jobId]: state };
  }

  async function client(connectionId: string) {
    const connection = connections.byId(connectionId)?.data;
    const token = await connections.tokenOf(connectionId);
    if (!connection || !token) return null;
    return backend.get().bridge(connection.bridgeUrl, token);
  }

  async function loadConnection(connectionId: string): Promise<void> {
    if (!bridges.value[connectionId]) setBridge(connectionId, { state: 'loading' });
    try {
      const bridge = await client(connectionId);
      if (!bridge) return;
      setBridge(connectionId, { state: 'known', status: await bridge.nightly() });
    } catch (e) {
      setBridge(connectionId, { state: 'failed', error: toUiError(e), detail: e instanceof Error ? e.message : String(e) });
    }
  }

  /** One request per connection that has a job with automatic execution and a readable token. */
  async function load(): Promise<void> {
    now.value = new Date();
    const wanted = connections.list.filter((c) => connections.tokens[c.id]?.present && jobs.forConnection(c.id).some((job) => job.autoRun));
    await Promise.all(wanted.map((c) => loadConnection(c.id)));
  }

  function viewOf(connectionId: string): NightlyBridgeView {
    const state = bridges.value[connectionId];
    return state?.state === 'known' ? state : { state: 'unknown' };
  }

  const flags = computed<NightlyFlag[]>(() =>
    jobs.items.flatMap((item) => {
      const flag = nightlyFlag(
        { job: item.data, savedAt: item.updatedAt, lastRun: executions.latestKindByJob[item.data.id]?.run, bridge: viewOf(item.data.connectionId) },
        now.value,
      );
      return flag ? [flag] : [];
    }),
  );

  function flagOf(jobId: string): NightlyFlag | undefined {
    return flags.value.find((flag) => flag.jobId === jobId);
  }

  /**
   * Who may start it: someone who reads the connection's token (the `secrets` category is granted
   * to sync administrators only, docs/install.md) and has the rights to run the job by hand.
   * The bridge checks the token once more: a read-only one is refused there.
   */
  function mayRunNow(job: Job): boolean {
    return job.autoRun && connections.tokens[job.connectionId]?.present === true && permissions.current !== null && permissions.missingForJob(job).length === 0;
  }

  function resultOf(job: Job): NightlyResultBody | undefined {
    const state = bridges.value[job.connectionId];
    return state?.state === 'known' ? state.status.lastResults.find((r) => r.jobId === job.id) : undefined;
  }

  /** Waits (bounded) until the bridge reports a result of this job other than `previousAt`, from after the start. */
  async function followRun(job: Job, startedAt: number, previousAt: string | undefined): Promise<void> {
    for (let poll = 0; poll < follow.maxPolls; poll++) {
      await sleep(follow.intervalMs);
      await loadConnection(job.connectionId);
      const result = resultOf(job);
      if (result && result.status !== 'running' && result.at !== previousAt && Date.parse(result.at) >= startedAt) {
        await executions.load(true);
        now.value = new Date();
        setRunNow(job.id, { state: 'finished', result });
        return;
      }
    }
  }

  /**
   * Run now: what the nightly window does, for this job, at once. Resolves once the bridge has
   * started it (or refused); following it to the end goes on in the background (`finished`).
   */
  async function start(jobId: string, options: { follow?: boolean } = {}): Promise<RunNowState> {
    const job = jobs.byId(jobId)?.data;
    if (!job) throw new Error(`Unknown job ${jobId}`);
    setRunNow(jobId, { state: 'starting' });
    // The bridge's clock stamps the result; a little slack keeps a skewed clock from hiding it.
    const startedAt = Date.now() - 60_000;
    const previousAt = resultOf(job)?.at;
    let state: RunNowState;
    try {
      const bridge = await client(job.connectionId);
      if (bridge) {
        await bridge.runNightlyNow(job.id);
        state = { state: 'started', at: new Date().toISOString() };
      } else {
        const connection = connections.byId(job.connectionId)?.data.name ?? '';
        state = { state: 'refused', problem: { message: { key: 'readiness.noToken', args: { connection } }, detail: '' } };
      }
    } catch (e) {
      state = { state: 'refused', problem: runNowProblem(e, job.name) };
    }
    setRunNow(jobId, state);
    if (state.state === 'started' && options.follow !== false) void followRun(job, startedAt, previousAt);
    return state;
  }

  return { bridges, runNow, now, follow, flags, flagOf, mayRunNow, load, loadConnection, start, followRun };
});
