// Option lists for enumerated fields: ChurchTools master data (statuses, sexes, …) and, per
// connection, Optigem's categories and fiscal years from the bridge's meta. Loaded on demand and
// cached; labels for ids ("1" → "Mitglied", "150" → "150: Mitglieder") come from here.
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { OptionItem } from '../../churchtools/index.ts';
import type { Meta } from '../../optigem/index.ts';
import type { SystemId } from '../../sync/model.ts';
import { fieldInfo, OPTIGEM_GENDERS, type OptionSource } from '../services/fields.ts';
import type { MappingOption } from '../services/value-mapping.ts';
import { useBackendStore, toUiError, type UiError } from './backend.ts';
import { useConnectionsStore } from './connections.ts';

export type ChurchToolsSource = Exclude<OptionSource, 'categories' | 'genders'>;

/** Names Optigem's gender codes go by, for "apply all" in either UI language. */
const GENDER_ALIASES: Readonly<Record<(typeof OPTIGEM_GENDERS)[number], readonly string[]>> = {
  male: ['male', 'männlich', 'mann', 'm'],
  female: ['female', 'weiblich', 'frau', 'w'],
};

export const useOptionsStore = defineStore('optigem-sync/options', () => {
  const backend = useBackendStore();
  const connections = useConnectionsStore();
  const churchtools = ref<Partial<Record<ChurchToolsSource, OptionItem[]>>>({});
  const churchtoolsErrors = ref<Partial<Record<ChurchToolsSource, UiError>>>({});
  const meta = shallowRef<Record<string, Meta>>({});
  const metaErrors = ref<Record<string, UiError>>({});
  const pending = new Map<string, Promise<void>>();
  /** Set by the view from the current locale, for the names of Optigem's gender codes. */
  const genderNames = ref<Record<string, string>>({ male: 'männlich', female: 'weiblich' });

  function once(key: string, load: () => Promise<void>): Promise<void> {
    const running = pending.get(key);
    if (running) return running;
    const promise = load().finally(() => pending.delete(key));
    pending.set(key, promise);
    return promise;
  }

  function loadChurchTools(source: ChurchToolsSource): Promise<void> {
    if (churchtools.value[source]) return Promise.resolve();
    return once(`ct:${source}`, async () => {
      const md = backend.get().masterData;
      const loaders: Record<ChurchToolsSource, () => Promise<OptionItem[]>> = {
        statuses: () => md.statuses(),
        sexes: () => md.sexes(),
        familyStatuses: () => md.familyStatuses(),
        campuses: () => md.campuses(),
        departments: () => md.departments(),
        tags: () => md.personTags(),
        groups: () => md.groups(),
      };
      try {
        const items = await loaders[source]();
        // Spread after the await: lists load in parallel and must not overwrite each other.
        churchtools.value = { ...churchtools.value, [source]: items };
        const { [source]: _cleared, ...rest } = churchtoolsErrors.value;
        churchtoolsErrors.value = rest;
      } catch (error) {
        churchtoolsErrors.value = { ...churchtoolsErrors.value, [source]: toUiError(error) };
      }
    });
  }

  function setMeta(connectionId: string, value: Meta): void {
    meta.value = { ...meta.value, [connectionId]: value };
    const { [connectionId]: _cleared, ...rest } = metaErrors.value;
    metaErrors.value = rest;
  }

  /** Reads the bridge's meta (categories, fiscal years) with the connection's stored token. */
  function loadMeta(connectionId: string, force = false): Promise<void> {
    if (meta.value[connectionId] && !force) return Promise.resolve();
    return once(`meta:${connectionId}`, async () => {
      try {
        await connections.load();
        const connection = connections.byId(connectionId)?.data;
        const token = await connections.tokenOf(connectionId);
        if (!connection || !token) throw new Error('no token');
        setMeta(connectionId, await backend.get().bridge(connection.bridgeUrl, token).meta());
      } catch (error) {
        metaErrors.value = { ...metaErrors.value, [connectionId]: toUiError(error) };
      }
    });
  }

  /** Loads whatever `source` needs. */
  function ensure(source: OptionSource, connectionId?: string): Promise<void> {
    if (source === 'genders') return Promise.resolve();
    if (source === 'categories') return connectionId ? loadMeta(connectionId) : Promise.resolve();
    return loadChurchTools(source);
  }

  function list(source: OptionSource, connectionId?: string): MappingOption[] {
    if (source === 'genders') return OPTIGEM_GENDERS.map((id) => ({ id, name: genderNames.value[id] ?? id, aliases: GENDER_ALIASES[id] }));
    if (source === 'categories') {
      const categories = connectionId ? meta.value[connectionId]?.categories : undefined;
      return (categories ?? []).map((c) => ({ id: String(c.id), name: c.label }));
    }
    return churchtools.value[source] ?? [];
  }

  function errorOf(source: OptionSource, connectionId?: string): UiError | undefined {
    if (source === 'genders') return undefined;
    if (source === 'categories') return connectionId ? metaErrors.value[connectionId] : undefined;
    return churchtoolsErrors.value[source];
  }

  /** The name of one value of `field` on `system`, or the value itself when unknown. */
  function label(system: SystemId, field: string, value: string, connectionId?: string): string {
    const source = fieldInfo(system, field)?.options;
    if (!source) return value;
    return list(source, connectionId).find((option) => option.id === value)?.name ?? value;
  }

  return { churchtools, meta, genderNames, loadChurchTools, loadMeta, setMeta, ensure, list, errorOf, label };
});
