// The current user's ChurchTools rights, read once per session, and which of them a job needs.
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { Capability, MissingRight, Permissions } from '../../churchtools/index.ts';
import type { ActionId, Job } from '../../sync/model.ts';
import { selectedActions } from '../../sync/validate.ts';
import { useBackendStore, toUiError, type UiError } from './backend.ts';

const ACTION_CAPABILITIES: Readonly<Record<ActionId, readonly Capability[]>> = {
  // Linking writes the Optigem number into the ChurchTools person (so lost pairs can be restored).
  link: ['writePersons'],
  import: ['createPersons', 'writePersons'],
  export: ['writePersons'],
  updateProperties: ['writePersons'],
  importProperties: ['writePersons'],
  exportProperties: [],
  archiveInChurchTools: ['archivePersons'],
  deleteInChurchTools: ['deletePersons'],
  archiveInOptigem: [],
  deleteInOptigem: [],
};

/**
 * Bookings: actions that may write a ChurchTools transaction need the period's edit right. [I]
 * Linking counts: "link & unify" unifies the selected properties once, on either side.
 */
const TRANSACTION_WRITES: ReadonlySet<ActionId> = new Set(['link', 'import', 'updateProperties', 'importProperties', 'deleteInChurchTools']);

export function capabilitiesFor(job: Pick<Job, 'actions' | 'domain'>): Capability[] {
  if (job.domain === 'transaction') {
    // Donors are ChurchTools persons (person pairs, spouses, donor status): reading them is needed too.
    const wanted = new Set<Capability>(['readFinance', 'readPersons']);
    if (selectedActions(job).some((action) => TRANSACTION_WRITES.has(action))) wanted.add('writeFinance');
    return [...wanted];
  }
  const wanted = new Set<Capability>(['readPersons']);
  for (const action of selectedActions(job)) for (const capability of ACTION_CAPABILITIES[action]) wanted.add(capability);
  return [...wanted];
}

export const usePermissionsStore = defineStore('optigem-sync/permissions', () => {
  const backend = useBackendStore();
  const current = shallowRef<Permissions | null>(null);
  const error = ref<UiError | null>(null);
  let loading: Promise<void> | null = null;

  function load(): Promise<void> {
    if (current.value) return Promise.resolve();
    loading ??= backend
      .get()
      .loadPermissions()
      .then((permissions) => {
        current.value = permissions;
        error.value = null;
      })
      .catch((e: unknown) => {
        error.value = toUiError(e);
      })
      .finally(() => {
        loading = null;
      });
    return loading;
  }

  /** Rights missing for a job; empty while the rights are unknown. */
  function missingForJob(job: Pick<Job, 'actions' | 'domain'>): MissingRight[] {
    return current.value?.missingFor(capabilitiesFor(job)) ?? [];
  }

  /** Rights missing for reading persons at all, for the overview. */
  function missingBasics(): MissingRight[] {
    return current.value?.missingFor(['readPersons', 'writePersons']) ?? [];
  }

  return { current, error, load, missingForJob, missingBasics };
});
