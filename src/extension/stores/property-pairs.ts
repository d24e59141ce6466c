// Editing a connection's property pairs: a draft that is saved as a whole. Value mappings,
// "apply all", fallbacks and completeness live here so the mapping table stays a thin view.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { Fallback, PropertyPair, SystemId, ValueMapping } from '../../sync/model.ts';
import { DEFAULT_PERSON_PAIRS, emptyMapping, fieldInfo, newPropertyPairKey, type OptionSource } from '../services/fields.ts';
import { applyAll, completeness, type Completeness, type MappingOption } from '../services/value-mapping.ts';
import { toUiError, type UiError } from './backend.ts';
import { useConnectionsStore } from './connections.ts';
import { useOptionsStore } from './options.ts';

export function optionSources(pair: Pick<PropertyPair, 'churchtools' | 'optigem'>): Record<SystemId, OptionSource | undefined> {
  return { churchtools: fieldInfo('churchtools', pair.churchtools)?.options, optigem: fieldInfo('optigem', pair.optigem)?.options };
}

/** A pair maps values when either side holds enumerated values. */
export function isEnumerated(pair: Pick<PropertyPair, 'churchtools' | 'optigem'>): boolean {
  const sources = optionSources(pair);
  return sources.churchtools !== undefined || sources.optigem !== undefined;
}

export const usePropertyPairsStore = defineStore('optigem-sync/property-pairs', () => {
  const connections = useConnectionsStore();
  const options = useOptionsStore();
  const connectionId = ref<string | null>(null);
  const draft = ref<PropertyPair[]>([]);
  const saved = ref<string>('[]');
  const saving = ref(false);
  const error = ref<UiError | null>(null);

  const dirty = computed(() => JSON.stringify(draft.value) !== saved.value);

  async function open(id: string): Promise<void> {
    await connections.load();
    connectionId.value = id;
    const pairs = connections.byId(id)?.data.propertyPairs ?? [];
    draft.value = structuredClone([...pairs]) as PropertyPair[];
    saved.value = JSON.stringify(draft.value);
    error.value = null;
    await loadOptions(draft.value);
  }

  /** Loads the option lists the enumerated pairs need. */
  async function loadOptions(pairs: readonly PropertyPair[]): Promise<void> {
    const id = connectionId.value ?? undefined;
    const sources = new Set<OptionSource>();
    for (const pair of pairs) for (const source of Object.values(optionSources(pair))) if (source) sources.add(source);
    await Promise.all([...sources].map((source) => options.ensure(source, id)));
  }

  function optionsOf(pair: PropertyPair, system: SystemId, forConnection = connectionId.value): MappingOption[] {
    const source = optionSources(pair)[system];
    return source ? options.list(source, forConnection ?? undefined) : [];
  }

  function completenessOf(pair: PropertyPair, forConnection = connectionId.value): Completeness | null {
    if (!pair.mapping) return null;
    return completeness(
      pair.mapping,
      { churchtools: optionsOf(pair, 'churchtools', forConnection), optigem: optionsOf(pair, 'optigem', forConnection) },
      { churchtools: fieldInfo('churchtools', pair.churchtools)?.multi === true, optigem: fieldInfo('optigem', pair.optigem)?.multi === true },
    );
  }

  const missingDefaults = computed(() =>
    DEFAULT_PERSON_PAIRS.filter((d) => !draft.value.some((p) => p.key === d.key || (p.churchtools === d.churchtools && p.optigem === d.optigem))),
  );

  function update(key: string, change: (pair: PropertyPair) => PropertyPair): void {
    draft.value = draft.value.map((pair) => (pair.key === key ? change(pair) : pair));
  }

  async function addDefaults(): Promise<void> {
    const added = missingDefaults.value.map((pair) => structuredClone(pair) as PropertyPair);
    draft.value = [...draft.value, ...added];
    await loadOptions(added);
  }

  async function add(churchtools: string, optigem: string): Promise<string> {
    const key = newPropertyPairKey(churchtools, draft.value.map((p) => p.key));
    const pair: PropertyPair = { key, domain: 'person', churchtools, optigem };
    const withMapping = isEnumerated(pair) ? { ...pair, mapping: emptyMapping() } : pair;
    draft.value = [...draft.value, withMapping];
    await loadOptions([withMapping]);
    return key;
  }

  function remove(key: string): void {
    draft.value = draft.value.filter((pair) => pair.key !== key);
  }

  function setMapping(key: string, mapping: ValueMapping): void {
    update(key, (pair) => ({ ...pair, mapping }));
  }

  function setFallback(key: string, fallback: Fallback): void {
    update(key, (pair) => ({ ...pair, mapping: { ...(pair.mapping ?? emptyMapping()), fallback } }));
  }

  function applyAllTo(key: string): void {
    update(key, (pair) => (pair.mapping ? { ...pair, mapping: applyAll(pair.mapping, optionsOf(pair, 'churchtools'), optionsOf(pair, 'optigem')) } : pair));
  }

  async function save(): Promise<boolean> {
    if (!connectionId.value) return false;
    saving.value = true;
    error.value = null;
    try {
      await connections.savePropertyPairs(connectionId.value, draft.value);
      saved.value = JSON.stringify(draft.value);
      return true;
    } catch (e) {
      error.value = toUiError(e);
      return false;
    } finally {
      saving.value = false;
    }
  }

  function discard(): void {
    draft.value = JSON.parse(saved.value) as PropertyPair[];
  }

  return {
    connectionId, draft, dirty, saving, error, missingDefaults,
    open, loadOptions, optionsOf, completenessOf, addDefaults, add, remove, setMapping, setFallback, applyAllTo, save, discard,
  };
});
