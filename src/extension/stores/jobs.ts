// Jobs: list, save (validated with the engine's own rules), delete, and what a job still needs
// before it can run.
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { Stored } from '../../churchtools/index.ts';
import { PERSON_ACTIONS, TRANSACTION_ACTIONS, type ActionId, type Domain, type Job, type JobActions, type Message } from '../../sync/model.ts';
import { fixBookingSides as switchSides } from '../../runner/booking-sides.ts';
import { hasReversedBookingSides } from '../../sync/booking-sides.ts';
import { validateJob, type ValidationIssue } from '../../sync/validate.ts';
import { useBackendStore, toUiError, type UiError } from './backend.ts';
import { useConnectionsStore } from './connections.ts';
import { usePermissionsStore } from './permissions.ts';
import { usePropertyPairsStore } from './property-pairs.ts';
import { loadOnce } from './load-once.ts';

export function newJob(connectionId: string, domain: Domain = 'person', now: Date = new Date()): Job {
  return {
    id: globalThis.crypto.randomUUID(),
    name: '',
    connectionId,
    domain,
    actions: {},
    conditions: { churchtools: [], optigem: [] },
    propertyPairKeys: [],
    autoRun: false,
    ...(domain === 'transaction' ? { scope: { fiscalYear: String(now.getFullYear()) } } : {}),
  };
}

/**
 * The job moved to another domain. Actions the domain also has stay chosen (archive goes: bookings
 * have none), without creation defaults, which name person fields; conditions and property pairs
 * name the other domain's fields and are cleared; bookings get the current fiscal year.
 */
export function withDomain(job: Job, domain: Domain, now: Date = new Date()): Job {
  if (job.domain === domain) return job;
  const kept: readonly ActionId[] = domain === 'transaction' ? TRANSACTION_ACTIONS : PERSON_ACTIONS;
  const actions: Record<string, unknown> = {};
  for (const action of kept) {
    const options = job.actions[action];
    if (options !== undefined) actions[action] = action === 'import' || action === 'export' ? { defaults: {} } : options;
  }
  const { scope: _scope, ...rest } = job;
  return {
    ...rest,
    domain,
    actions: actions as JobActions,
    conditions: { churchtools: [], optigem: [] },
    propertyPairKeys: [],
    ...(domain === 'transaction' ? { scope: { fiscalYear: String(now.getFullYear()) } } : {}),
  };
}

/** One thing that keeps a job from running, as a message for people. */
export type ReadinessIssue = Message;

export const useJobsStore = defineStore('optigem-sync/jobs', () => {
  const backend = useBackendStore();
  const connections = useConnectionsStore();
  const permissions = usePermissionsStore();
  const propertyPairs = usePropertyPairsStore();
  const items = shallowRef<Stored<Job>[]>([]);
  const loaded = ref(false);
  const loading = ref(false);
  const error = ref<UiError | null>(null);

  const list = computed(() => items.value.map((item) => item.data));

  function byId(id: string): Stored<Job> | undefined {
    return items.value.find((item) => item.data.id === id);
  }

  function forConnection(connectionId: string): Job[] {
    return list.value.filter((job) => job.connectionId === connectionId);
  }

  const load = loadOnce(fetchAll, () => loaded.value);

  async function fetchAll(): Promise<void> {
    loading.value = true;
    error.value = null;
    try {
      const result = await backend.get().storage.jobs.list();
      items.value = result.items.sort((a, b) => a.data.name.localeCompare(b.data.name));
      loaded.value = true;
    } catch (e) {
      error.value = toUiError(e);
    } finally {
      loading.value = false;
    }
  }

  function validate(job: Job): ValidationIssue[] {
    const pairs = connections.byId(job.connectionId)?.data.propertyPairs ?? [];
    return validateJob(job, pairs);
  }

  /** Saves a valid job; returns the issues instead when it is not valid. */
  async function save(job: Job): Promise<ValidationIssue[]> {
    const issues = validate(job);
    if (issues.length > 0) return issues;
    const current = byId(job.id);
    const stored = await backend.get().storage.jobs.save(job, current?.revision ?? null);
    items.value = [...items.value.filter((item) => item.data.id !== job.id), stored].sort((a, b) => a.data.name.localeCompare(b.data.name));
    return [];
  }

  async function remove(jobId: string): Promise<void> {
    const current = byId(jobId);
    await backend.get().storage.jobs.remove(jobId, current?.revision);
    items.value = items.value.filter((item) => item.data.id !== jobId);
  }

  /**
   * Everything that still keeps `job` from running: validation, the connection's token, value
   * mappings that block, missing ChurchTools rights. Option lists must be loaded for the mapping check.
   */
  function readiness(job: Job): ReadinessIssue[] {
    return [...validate(job).map((issue) => issue.message), ...runBlockers(job)];
  }

  /** What keeps a valid job from running: the connection, its token, blocking mappings, rights. */
  function runBlockers(job: Job): ReadinessIssue[] {
    const issues: ReadinessIssue[] = [];
    const connection = connections.byId(job.connectionId)?.data;
    if (!connection) return [{ key: 'readiness.noConnection' }];
    if (!connections.tokens[job.connectionId]?.present) issues.push({ key: 'readiness.noToken', args: { connection: connection.name } });
    if (job.domain === 'transaction' && hasReversedBookingSides(connection.propertyPairs)) {
      issues.push({ key: 'readiness.bookingSidesReversed', args: { connection: connection.name } });
    }
    for (const key of job.propertyPairKeys) {
      const pair = connection.propertyPairs.find((p) => p.key === key);
      const state = pair ? propertyPairs.completenessOf(pair, job.connectionId) : null;
      if (pair && state?.blocking) {
        issues.push({
          key: 'readiness.unmapped',
          args: { ctField: pair.churchtools, optigemField: pair.optigem, values: state.missing.map((m) => m.name).join(', ') },
        });
      }
    }
    for (const right of permissions.missingForJob(job)) {
      issues.push({ key: 'readiness.permission', args: { module: right.module, permission: right.permission } });
    }
    return issues;
  }

  /**
   * Switches the connection to Soll ↔ Konto, Haben ↔ Gegenkonto and its jobs to the new pair
   * keys (issue #11), then shows what is stored now.
   */
  async function fixBookingSides(connectionId: string): Promise<void> {
    await switchSides(backend.get().storage, connectionId);
    await Promise.all([connections.load(true), load(true)]);
  }

  return { items, list, loaded, loading, error, byId, forConnection, load, validate, save, remove, readiness, runBlockers, fixBookingSides };
});
