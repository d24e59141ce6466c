// "Test connection": asks the bridge for health and meta with the URL and token in the form (or
// the stored token) and turns any failure into one precise problem with what to do about it.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { Health, Meta } from '../../optigem/index.ts';
import { targetAddressSpaceFor } from '../services/backend.ts';
import { useBackendStore } from './backend.ts';
import { useOptionsStore } from './options.ts';

/** What went wrong, as the connection view explains it (i18n `connection.problem.<kind>`). */
export type ConnectionProblemKind =
  | 'unreachable'
  | 'privateNetwork'
  | 'timeout'
  | 'tls'
  | 'cors'
  | 'mixedContent'
  | 'blocked'
  | 'unauthorized'
  | 'readOnlyToken'
  | 'invalidResponse'
  | 'server'
  | 'noToken'
  | 'invalidUrl'
  | 'other';

export interface ConnectionProblem {
  readonly kind: ConnectionProblemKind;
  readonly url: string;
  readonly detail: string;
}

export interface ConnectionTestResult {
  readonly ok: boolean;
  readonly health?: Health;
  readonly meta?: Meta;
  readonly problem?: ConnectionProblem;
  /** The bridge is configured not to write persons: simulations work, runs cannot write Optigem. */
  readonly writesDisabled?: boolean;
}

function pageHost(): string | undefined {
  return typeof location === 'undefined' ? undefined : location.hostname;
}

/** Classifies whatever the bridge client threw. */
export function classifyBridgeFailure(error: unknown, url: string): ConnectionProblem {
  const e = (error && typeof error === 'object' ? error : {}) as { kind?: unknown; args?: { detail?: unknown }; message?: unknown };
  const detail = String(e.args?.detail ?? e.message ?? error);
  switch (e.kind) {
    case 'unreachable':
      // Chrome hides a denied local-network request as "no answer"; when the request crossed
      // from a public page into the LAN, that is the likely reason.
      return { kind: targetAddressSpaceFor(url, pageHost()) ? 'privateNetwork' : 'unreachable', url, detail };
    case 'blocked':
      return { kind: detail.startsWith('mixed content') ? 'mixedContent' : detail.startsWith('CORS') ? 'cors' : 'blocked', url, detail };
    case 'timeout':
    case 'tls':
    case 'unauthorized':
    case 'readOnlyToken':
    case 'invalidResponse':
    case 'server':
      return { kind: e.kind, url, detail };
    default:
      return { kind: 'other', url, detail };
  }
}

export const useConnectionTestStore = defineStore('optigem-sync/connection-test', () => {
  const backend = useBackendStore();
  const options = useOptionsStore();
  /** Per connection id (or "new" for an unsaved form). */
  const results = ref<Record<string, ConnectionTestResult>>({});
  const testing = ref<Record<string, boolean>>({});

  async function test(key: string, url: string, token: string | null): Promise<ConnectionTestResult> {
    const trimmed = url.trim().replace(/\/+$/, '');
    let result: ConnectionTestResult;
    if (!/^https?:\/\/[^/\s]+/i.test(trimmed)) {
      result = { ok: false, problem: { kind: 'invalidUrl', url: trimmed, detail: '' } };
    } else if (!token) {
      result = { ok: false, problem: { kind: 'noToken', url: trimmed, detail: '' } };
    } else {
      testing.value = { ...testing.value, [key]: true };
      try {
        const bridge = backend.get().bridge(trimmed, token);
        const health = await bridge.health();
        const meta = await bridge.meta();
        options.setMeta(key, meta);
        result = { ok: true, health, meta, writesDisabled: !meta.capabilities.writePersons };
      } catch (error) {
        result = { ok: false, problem: classifyBridgeFailure(error, trimmed) };
      } finally {
        testing.value = { ...testing.value, [key]: false };
      }
    }
    results.value = { ...results.value, [key]: result };
    return result;
  }

  return { results, testing, test };
});
