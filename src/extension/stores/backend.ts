// Holds the SyncBackend the other stores talk through. Set once at mount (or by a test).
import { defineStore } from 'pinia';
import { markRaw, shallowRef } from 'vue';
import type { SyncBackend } from '../services/backend.ts';

export const useBackendStore = defineStore('optigem-sync/backend', () => {
  const current = shallowRef<SyncBackend | null>(null);

  function use(backend: SyncBackend): void {
    // Not reactive inside: clients and caches must stay plain objects.
    current.value = markRaw(backend);
  }

  function get(): SyncBackend {
    if (!current.value) throw new Error('Optigem Sync: no backend (mount the app with mountSyncApp)');
    return current.value;
  }

  return { current, use, get };
});

/** A message for people from whatever was thrown: an i18n key and its arguments. */
export interface UiError {
  readonly key: string;
  readonly args: Readonly<Record<string, string | number>>;
}

export function toUiError(error: unknown): UiError {
  if (error && typeof error === 'object') {
    const e = error as { i18nKey?: unknown; args?: unknown; code?: unknown; message?: unknown; name?: unknown };
    // BridgeError carries its own key (`optigem.bridgeError.<kind>`) and arguments.
    if (typeof e.i18nKey === 'string' && e.args && typeof e.args === 'object') {
      return { key: e.i18nKey, args: e.args as Record<string, string | number> };
    }
    if (e.name === 'StaleRevisionError') return { key: 'errors.stale', args: {} };
    if (e.name === 'LockHeldError') {
      const held = error as { holderJobName?: unknown; since?: unknown; owner?: unknown };
      if (typeof held.holderJobName === 'string' && typeof held.since === 'string' && typeof held.owner === 'string') {
        return { key: 'refusal.lockHeld', args: { job: held.holderJobName, since: held.since, owner: held.owner } };
      }
      return { key: 'errors.locked', args: { detail: String(e.message ?? '') } };
    }
    if (e.name === 'KvRightsError') return { key: 'errors.rights', args: { detail: String(e.message ?? '') } };
    if (e.name === 'RunnerError' && typeof e.code === 'string') return { key: `errors.runner.${e.code}`, args: {} };
  }
  return { key: 'errors.generic', args: { detail: error instanceof Error ? error.message : String(error) } };
}
