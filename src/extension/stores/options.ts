// Option lists for enumerated fields: ChurchTools master data (statuses, sexes, …) and, per
// connection, Optigem's categories and fiscal years from the bridge's meta; for bookings, per
// fiscal year, the accounts and cost centres of ChurchTools' accounting period and the bridge's
// accounts and projects. Loaded on demand and cached; labels for ids ("1" → "Mitglied",
// "150" → "150: Mitglieder") come from here.
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { AccountingPeriod, OptionItem } from '../../churchtools/index.ts';
import type { Meta } from '../../optigem/index.ts';
import { numberedName } from '../../format/values.ts';
import type { SystemId } from '../../sync/model.ts';
import { fieldInfo, OPTIGEM_GENDERS, VALUE_NAME_SOURCES, type OptionSource } from '../services/fields.ts';
import type { MappingOption } from '../services/value-mapping.ts';
import { useBackendStore, toUiError, type UiError } from './backend.ts';
import { useConnectionsStore } from './connections.ts';

export type ChurchToolsSource = Exclude<OptionSource, 'categories' | 'genders' | FinanceSource>;
type FinanceSource = 'ctAccounts' | 'ctCostCenters' | 'ogAccounts' | 'ogProjects' | 'fiscalYears';

/** Which fiscal year (and ChurchTools finance client) the booking lists are for: a job's scope. */
export interface FinanceScope {
  readonly fiscalYear?: string;
  readonly clientId?: string;
}

interface FinanceLists {
  readonly accounts: MappingOption[];
  /** ChurchTools cost centres, or Optigem projects. */
  readonly units: MappingOption[];
}

const FISCAL_YEAR = /^\d{4}$/;

/** "1200 Bank": the number people know first, the name after it; sorted by number. */
function numbered(items: readonly { number: number | string; name?: string | null }[]): MappingOption[] {
  return [...items]
    .sort((a, b) => String(a.number).localeCompare(String(b.number), undefined, { numeric: true }))
    .map((item) => ({ id: String(item.number), name: numberedName(item.number, item.name) }));
}

/** [I] The period of a fiscal year is the one that starts in it (a year may start in, e.g., July). */
export function periodsOfYear(periods: readonly AccountingPeriod[], fiscalYear: string, clientId?: string): AccountingPeriod[] {
  return periods.filter((p) => p.startDate.slice(0, 4) === fiscalYear && (clientId === undefined || String(p.clientId ?? '') === clientId));
}

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
  const periods = shallowRef<AccountingPeriod[] | null>(null);
  const periodsError = ref<UiError | null>(null);
  /** Keyed `ct:<year>:<client>` and `og:<connection>:<year>`. */
  const finance = shallowRef<Record<string, FinanceLists>>({});
  const financeErrors = ref<Record<string, UiError>>({});

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

  /** ChurchTools' accounting periods (once per session; the job editor offers their years and clients). */
  function loadPeriods(): Promise<void> {
    if (periods.value) return Promise.resolve();
    return once('ct:periods', async () => {
      try {
        periods.value = await backend.get().finance.accountingPeriods();
        periodsError.value = null;
      } catch (error) {
        periodsError.value = toUiError(error);
      }
    });
  }

  function ctKey(scope: FinanceScope): string {
    return `ct:${scope.fiscalYear ?? ''}:${scope.clientId ?? ''}`;
  }

  function ogKey(connectionId: string | undefined, scope: FinanceScope): string {
    return `og:${connectionId ?? ''}:${scope.fiscalYear ?? ''}`;
  }

  function setFinance(key: string, lists: FinanceLists | UiError): void {
    if ('key' in lists) {
      financeErrors.value = { ...financeErrors.value, [key]: lists };
      return;
    }
    finance.value = { ...finance.value, [key]: lists };
    const { [key]: _cleared, ...rest } = financeErrors.value;
    financeErrors.value = rest;
  }

  /** Accounts and cost centres of the ChurchTools period that starts in the scope's fiscal year. */
  function loadChurchToolsFinance(scope: FinanceScope): Promise<void> {
    const key = ctKey(scope);
    if (finance.value[key] || !scope.fiscalYear || !FISCAL_YEAR.test(scope.fiscalYear)) return Promise.resolve();
    const year = scope.fiscalYear;
    return once(key, async () => {
      await loadPeriods();
      if (!periods.value) {
        if (periodsError.value) setFinance(key, periodsError.value);
        return;
      }
      const matching = periodsOfYear(periods.value, year, scope.clientId);
      if (matching.length === 0) return setFinance(key, { key: 'conditions.problem.noPeriod', args: { year } });
      if (matching.length > 1) return setFinance(key, { key: 'conditions.problem.severalPeriods', args: { year } });
      try {
        const data = await backend.get().finance.periodMasterData((matching[0] as AccountingPeriod).id);
        setFinance(key, { accounts: numbered([...data.accountsByNumber.values()]), units: numbered([...data.costCentersByNumber.values()]) });
      } catch (error) {
        setFinance(key, toUiError(error));
      }
    });
  }

  /** Optigem's accounts and projects of the scope's fiscal year, from the connection's bridge. */
  function loadOptigemFinance(connectionId: string, scope: FinanceScope): Promise<void> {
    const key = ogKey(connectionId, scope);
    if (finance.value[key] || !scope.fiscalYear || !FISCAL_YEAR.test(scope.fiscalYear)) return Promise.resolve();
    const year = Number(scope.fiscalYear);
    return once(key, async () => {
      try {
        await connections.load();
        const connection = connections.byId(connectionId)?.data;
        const token = await connections.tokenOf(connectionId);
        if (!connection) return;
        if (!token) return setFinance(key, { key: 'readiness.noToken', args: { connection: connection.name } });
        const bridge = backend.get().bridge(connection.bridgeUrl, token);
        const [accounts, projects] = await Promise.all([bridge.accounts(year), bridge.projects(year)]);
        setFinance(key, { accounts: numbered(accounts), units: numbered(projects) });
      } catch (error) {
        setFinance(key, toUiError(error));
      }
    });
  }

  /** Loads whatever `source` needs; booking lists need the job's fiscal year in `scope`. */
  function ensure(source: OptionSource, connectionId?: string, scope: FinanceScope = {}): Promise<void> {
    switch (source) {
      case 'genders':
        return Promise.resolve();
      case 'categories':
      case 'fiscalYears':
        return connectionId ? loadMeta(connectionId) : Promise.resolve();
      case 'ctAccounts':
      case 'ctCostCenters':
        return loadChurchToolsFinance(scope);
      case 'ogAccounts':
      case 'ogProjects':
        return connectionId ? loadOptigemFinance(connectionId, scope) : Promise.resolve();
      default:
        return loadChurchTools(source);
    }
  }

  function list(source: OptionSource, connectionId?: string, scope: FinanceScope = {}): MappingOption[] {
    switch (source) {
      case 'genders':
        return OPTIGEM_GENDERS.map((id) => ({ id, name: genderNames.value[id] ?? id, aliases: GENDER_ALIASES[id] }));
      case 'categories': {
        const categories = connectionId ? meta.value[connectionId]?.categories : undefined;
        return (categories ?? []).map((c) => ({ id: String(c.id), name: c.label }));
      }
      case 'fiscalYears': {
        const years = connectionId ? meta.value[connectionId]?.fiscalYears : undefined;
        return [...(years ?? [])].sort((a, b) => b.year - a.year).map((y) => ({ id: String(y.year), name: String(y.year) }));
      }
      case 'ctAccounts':
        return finance.value[ctKey(scope)]?.accounts ?? [];
      case 'ctCostCenters':
        return finance.value[ctKey(scope)]?.units ?? [];
      case 'ogAccounts':
        return finance.value[ogKey(connectionId, scope)]?.accounts ?? [];
      case 'ogProjects':
        return finance.value[ogKey(connectionId, scope)]?.units ?? [];
      default:
        return churchtools.value[source] ?? [];
    }
  }

  /** Why a list is empty, when it could not be loaded (no period for the year, bridge down, …). */
  function errorOf(source: OptionSource, connectionId?: string, scope: FinanceScope = {}): UiError | undefined {
    switch (source) {
      case 'genders':
        return undefined;
      case 'categories':
      case 'fiscalYears':
        return connectionId ? metaErrors.value[connectionId] : undefined;
      case 'ctAccounts':
      case 'ctCostCenters':
        if (!scope.fiscalYear || !FISCAL_YEAR.test(scope.fiscalYear)) return { key: 'conditions.problem.noFiscalYear', args: {} };
        return financeErrors.value[ctKey(scope)];
      case 'ogAccounts':
      case 'ogProjects':
        if (!scope.fiscalYear || !FISCAL_YEAR.test(scope.fiscalYear)) return { key: 'conditions.problem.noFiscalYear', args: {} };
        return financeErrors.value[ogKey(connectionId, scope)];
      default:
        return churchtoolsErrors.value[source];
    }
  }

  /**
   * The name of one value of `field` on `system`, or the value itself when unknown. Accounts,
   * cost centres and projects are named from the lists of the job's fiscal year (`scope`).
   */
  function label(system: SystemId, field: string, value: string, connectionId?: string, scope: FinanceScope = {}): string {
    const source = fieldInfo(system, field)?.options ?? VALUE_NAME_SOURCES[system][field];
    if (!source) return value;
    return list(source, connectionId, scope).find((option) => option.id === value)?.name ?? value;
  }

  return { churchtools, meta, genderNames, periods, loadChurchTools, loadMeta, setMeta, loadPeriods, ensure, list, errorOf, label };
});
