// In-memory twins for the extension's stores and views: the real storage over MemoryKv, the
// engine's MemorySystem as both systems, a fixed master-data source and a bridge that answers
// from fixed meta. Nothing of our own is mocked; only the network is left out.
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { MemoryKv, Permissions, createStorage, type AccountingPeriod, type ExtensionStorage, type OptionItem } from '../../src/churchtools/index.ts';
import type { Meta } from '../../src/optigem/index.ts';
import { MemorySystem } from '../../src/sync/memory.ts';
import type { BridgeApi, FinanceSource, MasterDataSource, SyncBackend } from '../../src/extension/services/backend.ts';
import { useBackendStore } from '../../src/extension/stores/backend.ts';

export const CT_IDENTITY = { firstName: 'firstName', lastName: 'lastName', email: 'email', birthday: 'birthday', address: ['street', 'zip', 'city'] };
export const OG_IDENTITY = { firstName: 'Vorname', lastName: 'Nachname', email: 'EMail', birthday: 'Geburtsdatum', address: ['Straße', 'PLZ', 'Ort'] };

export const STATUSES: OptionItem[] = [
  { id: '1', name: 'Mitglied' },
  { id: '2', name: 'Freund' },
  { id: '3', name: 'Gast' },
  { id: '4', name: 'Optigem' },
];
export const SEXES: OptionItem[] = [
  { id: '0', name: 'unbekannt' },
  { id: '1', name: 'männlich' },
  { id: '2', name: 'weiblich' },
];

export const META: Meta = {
  version: '1.2.3',
  store: 'sqlite',
  mandant: { id: '1', name: 'Gemeinde' },
  fiscalYears: [{ year: 2026, start: '2026-01-01', end: '2026-12-31', closed: false }],
  categories: [
    { id: 150, name: 'Mitglieder', prefix: 'Gemeinde.', label: '150: Mitglieder' },
    { id: 160, name: 'Freunde', prefix: 'Gemeinde.', label: '160: Freunde' },
    { id: 170, name: 'Gäste', prefix: 'Gemeinde.', label: '170: Gäste' },
    { id: 300, name: 'Rundbrief', prefix: 'Versand.', label: '300: Rundbrief' },
  ],
  capabilities: { writePersons: true, writeBookings: true, lastModified: 'shadow', idempotentCreate: true, archive: { mechanism: 'category', categoryId: 999 } },
};

export const masterData: MasterDataSource = {
  statuses: async () => STATUSES,
  sexes: async () => SEXES,
  campuses: async () => [{ id: '1', name: 'Gemeindezentrum' }],
  departments: async () => [
    { id: '1', name: 'Gemeinde' },
    { id: '2', name: 'Optigem' },
  ],
  familyStatuses: async () => [
    { id: '1', name: 'ledig' },
    { id: '2', name: 'verheiratet' },
  ],
  personTags: async () => [{ id: '7', name: 'Chor' }],
  groups: async () => [{ id: '11', name: 'Hauskreis Nord' }],
};

/** ChurchTools Finance: one accounting period for 2026 (id 7), with two accounts and two cost centres. */
export const PERIODS: AccountingPeriod[] = [
  { id: 6, clientId: 1, startDate: '2025-01-01', endDate: '2025-12-31', isClosed: true },
  { id: 7, clientId: 1, startDate: '2026-01-01', endDate: '2026-12-31', isClosed: false },
];

export const finance: FinanceSource = {
  accountingPeriods: async () => PERIODS,
  periodMasterData: async (periodId) => ({
    periodId,
    accountsByNumber: new Map([
      ['8000', { id: 71, accountingPeriodId: periodId, number: 8000, name: 'Spenden', isDonationAccount: true }],
      ['1200', { id: 72, accountingPeriodId: periodId, number: 1200, name: 'Bank', isDonationAccount: false }],
    ]),
    costCentersByNumber: new Map([
      ['10', { id: 81, accountingPeriodId: periodId, number: 10, name: 'Gemeinde' }],
      ['20', { id: 82, accountingPeriodId: periodId, number: 20, name: 'Mission' }],
    ]),
  }),
};

const ALL_RIGHTS = {
  churchdb: {
    view: true,
    'view alldata': [-1],
    'write access': true,
    'create person': true,
    'push/pull archive': true,
    'view archive': true,
    'delete persons': true,
  },
};

export interface Twins {
  pinia: Pinia;
  backend: SyncBackend;
  kv: MemoryKv;
  storage: ExtensionStorage;
  ct: MemorySystem;
  og: MemorySystem;
  /** Tokens the fake bridge accepts. */
  bridgeCalls: string[];
}

/** A bridge twin: answers meta and health for the right token, 401-like errors otherwise. */
function bridge(calls: string[], url: string, token: string): BridgeApi {
  const check = (what: string) => {
    calls.push(`${what} ${url}`);
    if (token !== 'secret-token-1234') throw Object.assign(new Error('rejected'), { kind: 'unauthorized', args: { detail: 'HTTP 401', url } });
  };
  return {
    health: async () => {
      check('health');
      return { status: 'ok', version: META.version, apiVersion: 'v1', store: 'sqlite', serverTime: '2026-01-01T00:00:00Z' };
    },
    meta: async () => {
      check('meta');
      return META;
    },
    donor0Report: async (year) => {
      check('donor0');
      return { fiscalYear: year, personRecordExists: true, count: 3, totalCents: 4500, bookings: [] };
    },
    accounts: async () => {
      check('accounts');
      return [
        { number: 1200, name: 'Bank', type: null, isDonationAccount: false, isFinancialAccount: true },
        { number: 8000, name: 'Spenden', type: 'Spendenertrag 1', isDonationAccount: true, isFinancialAccount: false },
      ];
    },
    projects: async () => {
      check('projects');
      return [{ number: 10, name: 'Gemeinde' }];
    },
    // Nightly runs on, nothing run yet; tests that need results replace these.
    nightly: async () => {
      check('nightly');
      return { enabled: true, nextRun: null, busy: false, window: { start: '00:00', end: '04:00' }, timeZone: 'UTC', lastResults: [] };
    },
    runNightlyNow: async () => {
      check('runNightlyNow');
      return [];
    },
  };
}

export function createTwins(options: { rights?: Record<string, Record<string, unknown>> } = {}): Twins {
  const kv = new MemoryKv();
  const storage = createStorage(kv);
  const ct = new MemorySystem('churchtools', CT_IDENTITY, undefined, 'optigemId', ['departmentIds']);
  const og = new MemorySystem('optigem', OG_IDENTITY, undefined, null, ['Kategorien']);
  const bridgeCalls: string[] = [];
  const backend: SyncBackend = {
    storage,
    masterData,
    finance,
    loadPermissions: async () => new Permissions(options.rights ?? ALL_RIGHTS, { id: 1, name: 'Admin' }),
    churchToolsPort: () => ct,
    bridge: (url, token) => bridge(bridgeCalls, url, token),
    optigemPort: () => og,
    owner: 'test:Admin:0001',
  };
  const pinia = createPinia();
  setActivePinia(pinia);
  useBackendStore(pinia).use(backend);
  return { pinia, backend, kv, storage, ct, og, bridgeCalls };
}
