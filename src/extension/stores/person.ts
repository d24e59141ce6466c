// The person panel: one ChurchTools person, its Optigem partner (or the best candidates for
// one), and what the logs say happened to the two.
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { Execution, LogEntry, SyncRecord } from '../../sync/model.ts';
import { suggestMatches, type Suggestion } from '../../sync/suggestions.ts';
import { useExecutionsStore } from './executions.ts';
import { useJobsStore } from './jobs.ts';
import { usePairsStore } from './pairs.ts';
import { useRecordsStore } from './records.ts';

export interface HistoryItem {
  readonly execution: Execution;
  readonly entry: LogEntry;
}

/**
 * Whether a log entry is about the ChurchTools person `ctId` or its Optigem partner `ogId` as
 * they are linked now. An entry names the ChurchTools person it was about: an entry about the
 * partner and another person (before a relink) is not this person's; one about the partner alone
 * (nobody was linked with it) is. A couple record's entries name the first spouse: for the
 * other spouse (`spouse` is the one the pair names) they count too.
 */
export function isAboutRecords(entry: Pick<LogEntry, 'ctId' | 'ogId'>, record: { readonly ctId: string; readonly ogId: string | null; readonly spouse?: string }): boolean {
  if (entry.ctId === record.ctId) return true;
  if (record.ogId === null || entry.ogId !== record.ogId) return false;
  return entry.ctId === null || (record.spouse !== undefined && entry.ctId === record.spouse);
}

/** How many of the newest runs the history looks through (each costs a log read). */
const HISTORY_RUNS = 15;

export const usePersonStore = defineStore('optigem-sync/person', () => {
  const records = useRecordsStore();
  const pairs = usePairsStore();
  const executions = useExecutionsStore();
  const jobs = useJobsStore();
  const history = shallowRef<HistoryItem[]>([]);
  const historyLoading = ref(false);

  /** Optigem records that are not paired yet, best candidates for `ct` first. */
  function suggestionsFor(connectionId: string, ct: SyncRecord, limit = 5): Suggestion[] {
    const data = records.data[connectionId];
    if (!data) return [];
    const paired = new Set((pairs.pairs[connectionId] ?? []).map((p) => p.og));
    const free = [...data.optigem.byId.values()].filter((r) => !paired.has(r.id) && !r.archived);
    return suggestMatches(ct, data.churchtools.identity, free, data.optigem.identity, limit);
  }

  /**
   * Log entries about the person and about its current Optigem partner as a record: what
   * happened to the partner while another ChurchTools person was linked with it is that
   * person's history, not this one's (the history follows the records, not the pair).
   */
  async function loadHistory(connectionId: string, ctId: string, ogId: string | null, spouse?: string): Promise<void> {
    historyLoading.value = true;
    try {
      await Promise.all([executions.load(), jobs.load()]);
      const jobIds = new Set(jobs.forConnection(connectionId).map((job) => job.id));
      const runs = executions.items.filter((e) => !e.dryRun && jobIds.has(e.jobId)).slice(0, HISTORY_RUNS);
      const found: HistoryItem[] = [];
      const record = { ctId, ogId, ...(spouse === undefined ? {} : { spouse }) };
      for (const execution of runs) {
        for (const entry of await executions.loadLog(execution.id)) {
          if (isAboutRecords(entry, record)) found.push({ execution, entry });
        }
      }
      history.value = found;
    } finally {
      historyLoading.value = false;
    }
  }

  return { history, historyLoading, suggestionsFor, loadHistory };
});
