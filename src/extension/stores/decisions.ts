// Decisions on possible duplicates ("Mit diesem verknüpfen" / "Trotzdem anlegen"), stored in
// ChurchTools per connection and domain. The next simulation reads them through the engine;
// this store keeps what was decided in this tab so the report shows it until then.
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { PossibleDuplicate } from '../../sync/duplicates.ts';
import type { DuplicateDecision } from '../../sync/model.ts';
import { toUiError, useBackendStore, type UiError } from './backend.ts';

function keyOf(connectionId: string, possible: PossibleDuplicate): string {
  return `${connectionId}|${possible.record.system}|${possible.record.id}`;
}

export const useDecisionsStore = defineStore('optigem-sync/decisions', () => {
  const backend = useBackendStore();
  /** Decisions taken in this tab, by connection, source system and record id. */
  const decided = shallowRef<Record<string, DuplicateDecision>>({});
  /** The record whose decision is being saved. */
  const saving = ref<string | null>(null);
  const error = ref<UiError | null>(null);

  async function decide(connectionId: string, possible: PossibleDuplicate, kind: 'link' | 'create', candidateId?: string): Promise<boolean> {
    const key = keyOf(connectionId, possible);
    const sync = backend.get();
    const decision: DuplicateDecision = {
      source: possible.record.system,
      sourceId: possible.record.id,
      kind,
      ...(kind === 'link' && candidateId !== undefined ? { candidateId } : {}),
      basis: possible.basis,
      decidedAt: new Date().toISOString(),
      decidedBy: sync.owner,
    };
    saving.value = key;
    error.value = null;
    try {
      await sync.storage.decisions.decide(connectionId, 'person', [decision]);
      decided.value = { ...decided.value, [key]: decision };
      return true;
    } catch (e) {
      error.value = toUiError(e);
      return false;
    } finally {
      saving.value = null;
    }
  }

  /** What was decided in this tab for the record, if it still fits the possible duplicate shown. */
  function decisionFor(connectionId: string, possible: PossibleDuplicate): DuplicateDecision | undefined {
    const decision = decided.value[keyOf(connectionId, possible)];
    return decision?.basis === possible.basis ? decision : undefined;
  }

  function isSaving(connectionId: string, possible: PossibleDuplicate): boolean {
    return saving.value === keyOf(connectionId, possible);
  }

  return { decided, saving, error, decide, decisionFor, isSaving };
});
