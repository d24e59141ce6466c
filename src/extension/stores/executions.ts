// Executions (simulations and runs) and their logs, newest first. Logs are read on demand and
// kept for the session; they do not change once an execution has finished.
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { KEEP_EXECUTIONS } from '../../churchtools/kv/repositories.ts';
import type { Execution, LogEntry } from '../../sync/model.ts';
import { useBackendStore, toUiError, type UiError } from './backend.ts';

export interface ExecutionFilter {
  jobId?: string;
  /** Days, `YYYY-MM-DD`, inclusive. */
  from?: string;
  to?: string;
  kind?: 'simulation' | 'run' | '';
  status?: Execution['status'] | '';
}

export function filterExecutions(items: readonly Execution[], filter: ExecutionFilter): Execution[] {
  return items.filter((e) => {
    if (filter.jobId && e.jobId !== filter.jobId) return false;
    const day = e.startedAt.slice(0, 10);
    if (filter.from && day < filter.from) return false;
    if (filter.to && day > filter.to) return false;
    if (filter.kind === 'simulation' && !e.dryRun) return false;
    if (filter.kind === 'run' && e.dryRun) return false;
    if (filter.status && e.status !== filter.status) return false;
    return true;
  });
}

export const useExecutionsStore = defineStore('optigem-sync/executions', () => {
  const backend = useBackendStore();
  const items = shallowRef<Execution[]>([]);
  const loaded = ref(false);
  const loading = ref(false);
  const error = ref<UiError | null>(null);
  const logs = shallowRef<Record<string, readonly LogEntry[]>>({});
  const logErrors = ref<Record<string, UiError>>({});
  const logProblems = ref<Record<string, string[]>>({});
  let pendingLoad: Promise<void> | null = null;

  /** The newest execution of each job. */
  const latestByJob = computed(() => {
    const latest: Record<string, Execution> = {};
    for (const execution of items.value) if (!latest[execution.jobId]) latest[execution.jobId] = execution;
    return latest;
  });

  /** The newest real run and the newest simulation of each job: the overview names both. */
  const latestKindByJob = computed(() => {
    const latest: Record<string, { run?: Execution; simulation?: Execution }> = {};
    for (const execution of items.value) {
      const slot = (latest[execution.jobId] ??= {});
      const kind = execution.dryRun ? 'simulation' : 'run';
      slot[kind] ??= execution;
    }
    return latest;
  });

  function load(force = false): Promise<void> {
    if (loaded.value && !force) return Promise.resolve();
    pendingLoad ??= (async () => {
      loading.value = true;
      try {
        const { storage } = backend.get();
        const result = await storage.executions.recent();
        items.value = result.items.map((item) => item.data);
        // The history is where the executions are read anyway, so it cleans up beyond the newest
        // ones (runs do not read them for that); in the background, best effort.
        if (result.items.length > KEEP_EXECUTIONS) void storage.executions.prune(KEEP_EXECUTIONS, storage.logs, result.items).catch(() => 0);
        loaded.value = true;
        error.value = null;
      } catch (e) {
        error.value = toUiError(e);
      } finally {
        loading.value = false;
        pendingLoad = null;
      }
    })();
    return pendingLoad;
  }

  function byId(id: string): Execution | undefined {
    return items.value.find((e) => e.id === id);
  }

  async function loadLog(executionId: string): Promise<readonly LogEntry[]> {
    const cached = logs.value[executionId];
    const execution = byId(executionId);
    // A running execution's log still grows: read it again.
    if (cached && execution?.status !== 'running') return cached;
    try {
      const read = await backend.get().storage.logs.read(executionId);
      logs.value = { ...logs.value, [executionId]: read.entries };
      logProblems.value = { ...logProblems.value, [executionId]: read.problems.map((p) => `#${p.valueId}: ${p.reason}`) };
      return read.entries;
    } catch (e) {
      logErrors.value = { ...logErrors.value, [executionId]: toUiError(e) };
      return [];
    }
  }

  return { items, loaded, loading, error, logs, logErrors, logProblems, latestByJob, latestKindByJob, load, byId, loadLog };
});
