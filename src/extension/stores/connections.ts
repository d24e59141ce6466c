// Connections (bridge URL + property pairs) and their tokens. The token is written to the
// secrets category and never handed back to a view: views see only whether one is stored and
// its last characters.
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { Connection, Stored } from '../../churchtools/index.ts';
import type { CoupleCorrection } from '../../sync/couples.ts';
import type { PartnerNumbers } from '../../churchtools/kv/schemas.ts';
import type { PropertyPair } from '../../sync/model.ts';
import { useBackendStore, toUiError, type UiError } from './backend.ts';
import { loadOnce } from './load-once.ts';

export interface TokenInfo {
  readonly present: boolean;
  /** e.g. "…3f9a"; empty when there is none. */
  readonly hint: string;
}

export function tokenHint(token: string): string {
  return token.length <= 8 ? '…' : `…${token.slice(-4)}`;
}

export const useConnectionsStore = defineStore('optigem-sync/connections', () => {
  const backend = useBackendStore();
  const items = shallowRef<Stored<Connection>[]>([]);
  const tokens = ref<Record<string, TokenInfo>>({});
  const loaded = ref(false);
  const loading = ref(false);
  const error = ref<UiError | null>(null);
  /** Values that could not be read (corrupt or from a newer version); shown, never overwritten. */
  const problems = ref<string[]>([]);

  const list = computed(() => items.value.map((item) => item.data));

  function byId(id: string): Stored<Connection> | undefined {
    return items.value.find((item) => item.data.id === id);
  }

  const load = loadOnce(fetchAll, () => loaded.value);

  async function fetchAll(): Promise<void> {
    loading.value = true;
    error.value = null;
    try {
      const { storage } = backend.get();
      const result = await storage.connections.list();
      const infos: Record<string, TokenInfo> = {};
      for (const item of result.items) {
        const token = await storage.secrets.token(item.data.id);
        infos[item.data.id] = token ? { present: true, hint: tokenHint(token) } : { present: false, hint: '' };
      }
      // Connections and token state change together: a connection never shows as "no token"
      // just because its token is still being read.
      items.value = result.items.sort((a, b) => a.data.name.localeCompare(b.data.name));
      tokens.value = infos;
      problems.value = result.problems.map((p) => `${p.category} #${p.valueId}: ${p.reason}`);
      loaded.value = true;
    } catch (e) {
      error.value = toUiError(e);
    } finally {
      loading.value = false;
    }
  }

  function replace(stored: Stored<Connection>): void {
    const others = items.value.filter((item) => item.data.id !== stored.data.id);
    items.value = [...others, stored].sort((a, b) => a.data.name.localeCompare(b.data.name));
  }

  /** Creates or updates name, URL and settings; property pairs are kept. Returns the connection's id. */
  async function save(values: { id?: string; name: string; bridgeUrl: string; partnerNumbers?: PartnerNumbers }): Promise<string> {
    const { storage } = backend.get();
    const current = values.id ? byId(values.id) : undefined;
    const partnerNumbers = values.partnerNumbers ?? current?.data.partnerNumbers;
    const connection: Connection = {
      id: values.id ?? globalThis.crypto.randomUUID(),
      name: values.name.trim(),
      bridgeUrl: values.bridgeUrl.trim().replace(/\/+$/, ''),
      propertyPairs: current?.data.propertyPairs ?? [],
      ...(current?.data.coupleCorrections ? { coupleCorrections: current.data.coupleCorrections } : {}),
      ...(partnerNumbers ? { partnerNumbers } : {}),
    };
    replace(await storage.connections.save(connection, current?.revision ?? null));
    return connection.id;
  }

  async function saveToken(connectionId: string, token: string): Promise<void> {
    const { storage } = backend.get();
    await storage.secrets.setToken(connectionId, token.trim());
    tokens.value = { ...tokens.value, [connectionId]: { present: true, hint: tokenHint(token.trim()) } };
  }

  /** The stored token, for calls made by stores (never for display). */
  async function tokenOf(connectionId: string): Promise<string | null> {
    return backend.get().storage.secrets.token(connectionId);
  }

  async function savePropertyPairs(connectionId: string, propertyPairs: readonly PropertyPair[]): Promise<void> {
    const current = byId(connectionId);
    if (!current) throw new Error(`unknown connection ${connectionId}`);
    const { storage } = backend.get();
    replace(await storage.connections.save({ ...current.data, propertyPairs: [...propertyPairs] }, current.revision));
  }

  /** Replaces the admin's correction of one couple detection; `null` takes it back. */
  async function saveCoupleCorrection(connectionId: string, og: string, correction: CoupleCorrection | null): Promise<void> {
    const current = byId(connectionId);
    if (!current) throw new Error(`unknown connection ${connectionId}`);
    const others = (current.data.coupleCorrections ?? []).filter((c) => c.og !== og);
    const coupleCorrections = correction ? [...others, correction] : others;
    replace(await backend.get().storage.connections.save({ ...current.data, coupleCorrections }, current.revision));
  }

  async function remove(connectionId: string): Promise<void> {
    const current = byId(connectionId);
    const { storage } = backend.get();
    if (current) await storage.connections.remove(connectionId, current.revision);
    await storage.secrets.remove(connectionId).catch(() => undefined);
    items.value = items.value.filter((item) => item.data.id !== connectionId);
    const { [connectionId]: _gone, ...rest } = tokens.value;
    tokens.value = rest;
  }

  return { items, list, tokens, loaded, loading, error, problems, byId, load, save, saveToken, tokenOf, savePropertyPairs, saveCoupleCorrection, remove };
});
