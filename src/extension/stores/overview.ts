// What the overview needs beyond the other stores: the warnings that need a person (missing
// rights, value mappings that block, pairs in conflict, Donor 0 bookings in Optigem) and each
// bridge's nightly schedule.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { Message } from '../../sync/model.ts';
import { toUiError, useBackendStore, type UiError } from './backend.ts';
import { useConnectionsStore } from './connections.ts';
import { useExecutionsStore } from './executions.ts';
import { useJobsStore } from './jobs.ts';
import { useNightlyStore } from './nightly.ts';
import { useOptionsStore } from './options.ts';
import { usePairsStore } from './pairs.ts';
import { usePermissionsStore } from './permissions.ts';
import { isEnumerated, optionSources, usePropertyPairsStore } from './property-pairs.ts';

export interface Donor0Finding {
  readonly fiscalYear: number;
  readonly count: number;
  readonly totalCents: number;
}

export interface Warning {
  readonly kind: 'permission' | 'unmapped' | 'conflicts' | 'donor0' | 'noToken' | 'incomplete';
  readonly message: Message;
  /** Where to fix it. */
  readonly route?: { readonly name: string; readonly params?: Record<string, string>; readonly query?: Record<string, string> };
}

/**
 * What a connection's bridge says about its nightly runner: `nextRun` null when it has none
 * scheduled; `enabled` false when the bridge does not run jobs nightly at all.
 */
export type NightlyState =
  | { readonly state: 'loading' }
  | { readonly state: 'known'; readonly enabled: boolean; readonly nextRun: string | null }
  | { readonly state: 'failed'; readonly error: UiError };

export const useOverviewStore = defineStore('optigem-sync/overview', () => {
  const backend = useBackendStore();
  const connections = useConnectionsStore();
  const jobs = useJobsStore();
  const executions = useExecutionsStore();
  const permissions = usePermissionsStore();
  const pairs = usePairsStore();
  const options = useOptionsStore();
  const propertyPairs = usePropertyPairsStore();
  const nightlyHealth = useNightlyStore();
  const donor0 = ref<Record<string, Donor0Finding[]>>({});
  const nightly = ref<Record<string, NightlyState>>({});
  const loading = ref(false);
  let generation = 0;

  async function loadDonor0(connectionId: string): Promise<void> {
    await options.loadMeta(connectionId);
    const meta = options.meta[connectionId];
    const connection = connections.byId(connectionId)?.data;
    const token = await connections.tokenOf(connectionId);
    if (!meta || !connection || !token) return;
    const bridge = backend.get().bridge(connection.bridgeUrl, token);
    const findings: Donor0Finding[] = [];
    // The newest three fiscal years: older ones are rarely synced and each costs a request.
    const years = [...meta.fiscalYears].sort((a, b) => b.year - a.year).slice(0, 3);
    for (const year of years) {
      try {
        const report = await bridge.donor0Report(year.year);
        if (report.count > 0) findings.push({ fiscalYear: report.fiscalYear, count: report.count, totalCents: report.totalCents });
      } catch {
        // A bridge without the report (or a year it cannot read) only means no warning here.
      }
    }
    donor0.value = { ...donor0.value, [connectionId]: findings };
  }

  /** One health request per connection and load; failures stay in the state, never thrown. */
  async function loadNightly(connectionId: string, loadGeneration: number): Promise<void> {
    const set = (state: NightlyState) => {
      if (loadGeneration === generation) nightly.value = { ...nightly.value, [connectionId]: state };
    };
    set({ state: 'loading' });
    try {
      const connection = connections.byId(connectionId)?.data;
      const token = await connections.tokenOf(connectionId);
      if (!connection || !token) {
        set({ state: 'known', enabled: false, nextRun: null });
        return;
      }
      const health = await backend.get().bridge(connection.bridgeUrl, token).health();
      set({ state: 'known', enabled: health.nightly !== undefined, nextRun: health.nightly?.nextRun ?? null });
    } catch (e) {
      set({ state: 'failed', error: toUiError(e) });
    }
  }

  async function load(): Promise<void> {
    loading.value = true;
    const loadGeneration = ++generation;
    nightly.value = {};
    try {
      await Promise.all([connections.load(true), jobs.load(true), executions.load(true), permissions.load()]);
      // The schedule is extra: started here, never awaited, so a slow bridge cannot hold the page.
      for (const connection of connections.list) {
        if (connections.tokens[connection.id]?.present && jobs.forConnection(connection.id).some((job) => job.autoRun)) {
          void loadNightly(connection.id, loadGeneration);
        }
      }
      // The red flags of jobs with automatic execution: extra too, never awaited.
      void nightlyHealth.load();
      await Promise.all(
        connections.list.map(async (connection) => {
          if (!connections.tokens[connection.id]?.present) return;
          const sources = new Set(connection.propertyPairs.filter(isEnumerated).flatMap((pair) => Object.values(optionSources(pair))));
          await Promise.all([
            pairs.load(connection.id, true),
            loadDonor0(connection.id),
            ...[...sources].map((source) => (source ? options.ensure(source, connection.id) : undefined)),
          ]);
        }),
      );
    } finally {
      loading.value = false;
    }
  }

  const warnings = computed<Warning[]>(() => {
    const found: Warning[] = [];
    for (const right of permissions.missingBasics()) {
      found.push({ kind: 'permission', message: { key: 'overview.warning.permission', args: { module: right.module, permission: right.permission } } });
    }
    for (const connection of connections.list) {
      const params = { id: connection.id };
      if (!connections.tokens[connection.id]?.present) {
        found.push({ kind: 'noToken', message: { key: 'overview.warning.noToken', args: { connection: connection.name } }, route: { name: 'connection', params } });
        continue;
      }
      for (const pair of connection.propertyPairs) {
        const state = propertyPairs.completenessOf(pair, connection.id);
        if (state && state.missing.length > 0) {
          found.push({
            kind: 'unmapped',
            message: {
              key: state.blocking ? 'overview.warning.unmappedBlocking' : 'overview.warning.unmapped',
              args: { connection: connection.name, ctField: pair.churchtools, optigemField: pair.optigem, values: state.missing.map((m) => m.name).join(', ') },
            },
            route: { name: 'property-pairs', params },
          });
        }
      }
      const conflicts = (pairs.pairs[connection.id] ?? []).filter((p) => p.status === 'conflict').length;
      if (conflicts > 0) {
        found.push({
          kind: 'conflicts',
          message: { key: 'overview.warning.conflicts', args: { connection: connection.name, count: conflicts } },
          route: { name: 'pairs', query: { connection: connection.id, status: 'conflict' } },
        });
      }
      // A job whose last simulation or run could not read everything: its result may miss records.
      for (const job of jobs.forConnection(connection.id)) {
        const last = executions.latestByJob[job.id];
        if (last?.status !== 'incomplete' && last?.status !== 'failed') continue;
        // The nightly flag already says it, with the reason and the fix.
        if (nightlyHealth.flagOf(job.id)?.executionId === last.id) continue;
        found.push({
          kind: 'incomplete',
          message: { key: last.status === 'incomplete' ? 'overview.warning.incomplete' : 'overview.warning.failed', args: { job: job.name } },
          route: { name: 'execution', params: { id: last.id } },
        });
      }
      for (const finding of donor0.value[connection.id] ?? []) {
        found.push({
          kind: 'donor0',
          message: {
            key: 'overview.warning.donor0',
            args: { connection: connection.name, year: finding.fiscalYear, count: finding.count, amountCents: finding.totalCents },
          },
        });
      }
    }
    return found;
  });

  return { donor0, nightly, loading, warnings, load };
});
