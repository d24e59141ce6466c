// Editing a connection's property pairs: a draft that is saved as a whole. Value mappings,
// "apply all", fallbacks and completeness live here so the mapping table stays a thin view.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { reversedBookingSides } from '../../sync/booking-sides.ts';
import type { Domain, Fallback, PropertyPair, SystemId, ValueMapping } from '../../sync/model.ts';
import { DEFAULT_PAIRS, DONOR_FIELDS, emptyMapping, newPropertyPairKey, propertyFieldInfo, type OptionSource } from '../services/fields.ts';
import { applyAll, completeness, type Completeness, type MappingOption } from '../services/value-mapping.ts';
import { toUiError, type UiError } from './backend.ts';
import { useConnectionsStore } from './connections.ts';
import { useOptionsStore } from './options.ts';

type PairFields = Pick<PropertyPair, 'domain' | 'churchtools' | 'optigem'>;

export function optionSources(pair: PairFields): Record<SystemId, OptionSource | undefined> {
  return {
    churchtools: propertyFieldInfo('churchtools', pair.churchtools, pair.domain)?.options,
    optigem: propertyFieldInfo('optigem', pair.optigem, pair.domain)?.options,
  };
}

/** Whether each side holds several values (Optigem categories, ChurchTools departments). */
export function multiValued(pair: PairFields): Record<SystemId, boolean> {
  return {
    churchtools: propertyFieldInfo('churchtools', pair.churchtools, pair.domain)?.multi === true,
    optigem: propertyFieldInfo('optigem', pair.optigem, pair.domain)?.multi === true,
  };
}

/** A pair maps values when either side holds enumerated values. */
export function isEnumerated(pair: PairFields): boolean {
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
    const connection = connections.byId(id);
    // Never start editing from an empty list that only looks like "no pairs": saving it would
    // erase the connection's pairs.
    if (!connection) {
      connectionId.value = null;
      error.value = connections.error ?? { key: 'errors.runner.connectionNotFound', args: {} };
      return;
    }
    connectionId.value = id;
    const pairs = connection.data.propertyPairs;
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
      multiValued(pair),
    );
  }

  /** The usual pairs per domain that the draft does not have yet (same key, or the same two fields). */
  const missingDefaults = computed<Record<Domain, PropertyPair[]>>(() => {
    // A side paired the old, reversed way is switched (BookingSidesNotice), not paired twice.
    const reversed = new Set(reversedBookingSides(draft.value).map((p) => p.optigem));
    const missing = (domain: Domain) =>
      DEFAULT_PAIRS[domain].filter(
        (d) =>
          !(domain === 'transaction' && reversed.has(d.optigem)) &&
          !draft.value.some((p) => p.key === d.key || (p.domain === d.domain && p.churchtools === d.churchtools && p.optigem === d.optigem)),
      );
    return { person: missing('person'), transaction: missing('transaction') };
  });

  function update(key: string, change: (pair: PropertyPair) => PropertyPair): void {
    draft.value = draft.value.map((pair) => (pair.key === key ? change(pair) : pair));
  }

  async function addDefaults(domain: Domain = 'person'): Promise<void> {
    const added = missingDefaults.value[domain].map((pair) => structuredClone(pair) as PropertyPair);
    draft.value = [...draft.value, ...added];
    await loadOptions(added);
  }

  async function add(churchtools: string, optigem: string, domain: Domain = 'person'): Promise<string> {
    const key = newPropertyPairKey(churchtools, draft.value.map((p) => p.key));
    // Donor ids are mapped through the person pairs at plan time, never by a value mapping.
    const donor = domain === 'transaction' && churchtools === DONOR_FIELDS.churchtools && optigem === DONOR_FIELDS.optigem;
    const pair: PropertyPair = { key, domain, churchtools, optigem, ...(donor ? { role: 'donor' as const } : {}) };
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
