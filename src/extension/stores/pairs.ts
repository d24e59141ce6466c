// Person pairs of a connection: read, unlink, link by hand, relink. Every change takes the
// connection's run lock, re-reads the stored pairs and writes the whole set back (the pair
// store writes only what changed), and keeps ChurchTools' `optigemId` in step so a later run
// neither restores an unlinked pair nor misses a manual one.
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { Stored } from '../../churchtools/kv/documents.ts';
import { LockHeldError } from '../../churchtools/kv/errors.ts';
import type { RunLock } from '../../churchtools/kv/schemas.ts';
import { runLockKey } from '../../runner/job-runner.ts';
import type { Pair, SystemId } from '../../sync/model.ts';
import { useBackendStore, toUiError, type UiError } from './backend.ts';
import { useConnectionsStore } from './connections.ts';
import { useJobsStore } from './jobs.ts';
import { useRunsStore } from './runs.ts';

export type PairStatusFilter = Pair['status'] | '';

export class PairChangeRefused extends Error {
  constructor(readonly reason: 'busy' | 'alreadyPaired' | 'notFound') {
    super(reason);
    this.name = 'PairChangeRefused';
  }
}

export const usePairsStore = defineStore('optigem-sync/pairs', () => {
  const backend = useBackendStore();
  const connections = useConnectionsStore();
  const pairs = shallowRef<Record<string, readonly Pair[]>>({});
  const loading = ref<Record<string, boolean>>({});
  const errors = ref<Record<string, UiError>>({});

  async function load(connectionId: string, force = false): Promise<readonly Pair[]> {
    const cached = pairs.value[connectionId];
    if (cached && !force) return cached;
    loading.value = { ...loading.value, [connectionId]: true };
    try {
      const loaded = await backend.get().storage.pairs.load(connectionId, 'person');
      pairs.value = { ...pairs.value, [connectionId]: loaded };
      const { [connectionId]: _cleared, ...rest } = errors.value;
      errors.value = rest;
      return loaded;
    } catch (e) {
      errors.value = { ...errors.value, [connectionId]: toUiError(e) };
      return [];
    } finally {
      loading.value = { ...loading.value, [connectionId]: false };
    }
  }

  function pairOf(connectionId: string, system: SystemId, id: string): Pair | undefined {
    const key = system === 'churchtools' ? 'ct' : 'og';
    return pairs.value[connectionId]?.find((pair) => pair[key] === id);
  }

  /** Refuses while a job of this connection runs in this tab: the run saves pairs too. */
  function assertIdle(connectionId: string): void {
    const active = useRunsStore().active;
    if (active && useJobsStore().byId(active.jobId)?.data.connectionId === connectionId) throw new PairChangeRefused('busy');
  }

  async function change(connectionId: string, edit: (current: Pair[]) => Pair[]): Promise<void> {
    assertIdle(connectionId);
    const { storage, owner } = backend.get();
    // Pairs are written under the run lock of their connection and domain, the pair store's rule
    // that lets a run save them without re-reading: a run in another tab, the CLI or the nightly
    // runner holds it while it saves.
    let lock: Stored<RunLock>;
    try {
      lock = await storage.locks.acquire(runLockKey({ connectionId, domain: 'person' }), { owner });
    } catch (error) {
      if (error instanceof LockHeldError) throw new PairChangeRefused('busy');
      throw error;
    }
    try {
      const current = [...(await storage.pairs.load(connectionId, 'person'))];
      const next = edit(current);
      await storage.pairs.save(connectionId, 'person', next, { underLock: true });
      pairs.value = { ...pairs.value, [connectionId]: next };
    } finally {
      await storage.locks.release(lock).catch(() => undefined);
    }
  }

  /** Remembers (or forgets, with '') the Optigem partner in the ChurchTools person. */
  async function notePartner(ctId: string, ogId: string): Promise<void> {
    await backend.get().churchToolsPort().notePartner?.('person', ctId, ogId);
  }

  /**
   * Forgets the ChurchTools partner the bridge keeps for an Optigem person (set when the sync
   * created it), so that the next run does not restore a link the admin removed.
   */
  async function forgetOptigemPartner(connectionId: string, ogId: string): Promise<void> {
    await connections.load();
    const connection = connections.byId(connectionId)?.data;
    const token = await connections.tokenOf(connectionId);
    if (!connection || !token) return;
    await backend.get().optigemPort(connection, token).notePartner?.('person', ogId, '');
  }

  async function unlink(connectionId: string, ct: string, og: string): Promise<void> {
    await change(connectionId, (current) => {
      if (!current.some((p) => p.ct === ct && p.og === og)) throw new PairChangeRefused('notFound');
      return current.filter((p) => !(p.ct === ct && p.og === og));
    });
    await notePartner(ct, '');
    await forgetOptigemPartner(connectionId, og);
  }

  async function link(connectionId: string, ct: string, og: string): Promise<void> {
    await change(connectionId, (current) => {
      if (current.some((p) => p.ct === ct || p.og === og)) throw new PairChangeRefused('alreadyPaired');
      // No fingerprint: nothing is known about what was last synced, so the next run lets the
      // newer record win field by field, or reports a conflict (docs/sync-behaviour.md).
      return [...current, { ct, og, status: 'synced', fp: '', at: Math.floor(Date.now() / 1000) }];
    });
    await notePartner(ct, og);
  }

  /** Replaces one side of a pair: the record on `side` becomes `newId`. */
  async function relink(connectionId: string, pair: Pick<Pair, 'ct' | 'og'>, side: SystemId, newId: string): Promise<void> {
    const next = side === 'churchtools' ? { ct: newId, og: pair.og } : { ct: pair.ct, og: newId };
    await change(connectionId, (current) => {
      if (!current.some((p) => p.ct === pair.ct && p.og === pair.og)) throw new PairChangeRefused('notFound');
      const clash = current.some((p) => !(p.ct === pair.ct && p.og === pair.og) && (p.ct === next.ct || p.og === next.og));
      if (clash) throw new PairChangeRefused('alreadyPaired');
      return [
        ...current.filter((p) => !(p.ct === pair.ct && p.og === pair.og)),
        { ...next, status: 'synced', fp: '', at: Math.floor(Date.now() / 1000) },
      ];
    });
    if (side === 'churchtools') await notePartner(pair.ct, '');
    else await forgetOptigemPartner(connectionId, pair.og);
    await notePartner(next.ct, next.og);
  }

  /** Forgets the cached pairs of a connection (a run changed them), so the next load reads them. */
  function invalidate(connectionId: string): void {
    const { [connectionId]: _gone, ...rest } = pairs.value;
    pairs.value = rest;
  }

  return { pairs, loading, errors, load, invalidate, pairOf, unlink, link, relink };
});
