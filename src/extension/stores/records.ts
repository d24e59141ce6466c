// Both systems' person records of a connection, read through the same ports the engine uses,
// for the pair list and the person panel. Cached until a run (or a manual link) changes them.
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { IdentityFields, SyncRecord, SystemId } from '../../sync/model.ts';
import type { ReadProblem } from '../../sync/ports.ts';
import { useBackendStore, toUiError, type UiError } from './backend.ts';
import { useConnectionsStore } from './connections.ts';

export interface SystemRecords {
  readonly byId: ReadonlyMap<string, SyncRecord>;
  readonly identity: IdentityFields;
  readonly complete: boolean;
  /** What could not be read, when the read was incomplete. */
  readonly problems: readonly ReadProblem[];
}

export type ConnectionRecords = Readonly<Record<SystemId, SystemRecords>>;

export const useRecordsStore = defineStore('optigem-sync/records', () => {
  const backend = useBackendStore();
  const connections = useConnectionsStore();
  const data = shallowRef<Record<string, ConnectionRecords>>({});
  const loading = ref<Record<string, boolean>>({});
  const errors = ref<Record<string, UiError>>({});
  const pending = new Map<string, Promise<ConnectionRecords | null>>();

  function load(connectionId: string, force = false): Promise<ConnectionRecords | null> {
    const cached = data.value[connectionId];
    if (cached && !force) return Promise.resolve(cached);
    const running = pending.get(connectionId);
    if (running) return running;
    const promise = (async (): Promise<ConnectionRecords | null> => {
      loading.value = { ...loading.value, [connectionId]: true };
      try {
        await connections.load();
        const connection = connections.byId(connectionId)?.data;
        const token = await connections.tokenOf(connectionId);
        if (!connection || !token) throw new Error('no token');
        const sync = backend.get();
        const ports = { churchtools: sync.churchToolsPort(), optigem: sync.optigemPort(connection, token) };
        const [ct, og] = await Promise.all([ports.churchtools.readAll('person'), ports.optigem.readAll('person')]);
        const records: ConnectionRecords = {
          churchtools: { byId: new Map(ct.records.map((r) => [r.id, r])), identity: ports.churchtools.identity, complete: ct.complete, problems: ct.problems },
          optigem: { byId: new Map(og.records.map((r) => [r.id, r])), identity: ports.optigem.identity, complete: og.complete, problems: og.problems },
        };
        data.value = { ...data.value, [connectionId]: records };
        const { [connectionId]: _cleared, ...rest } = errors.value;
        errors.value = rest;
        return records;
      } catch (e) {
        errors.value = { ...errors.value, [connectionId]: toUiError(e) };
        return null;
      } finally {
        loading.value = { ...loading.value, [connectionId]: false };
        pending.delete(connectionId);
      }
    })();
    pending.set(connectionId, promise);
    return promise;
  }

  function invalidate(connectionId?: string): void {
    if (connectionId === undefined) data.value = {};
    else {
      const { [connectionId]: _gone, ...rest } = data.value;
      data.value = rest;
    }
  }

  return { data, loading, errors, load, invalidate };
});
