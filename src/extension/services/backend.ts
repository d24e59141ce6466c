// Everything the stores reach outside the browser tab, behind one interface: ChurchTools (its
// storage, master data, permissions, persons) and the Optigem bridge. The app creates the real
// one at mount; store and component tests hand in in-memory twins (MemoryKv, MemorySystem).
import type { AccountingPeriod, ChurchTools, Connection, ExtensionStorage, OptionItem, PeriodMasterData, Permissions } from '../../churchtools/index.ts';
import { ChurchToolsSystemPort, createChurchTools, type CtClient, type CtHttpOptions } from '../../churchtools/index.ts';
import { clampPace } from '../../churchtools/http/pacer.ts';
import { BridgeClient, OptigemSystemPort } from '../../optigem/index.ts';
import type { Account, Donor0Report, Health, Meta, NightlyStatusBody, Project } from '../../optigem/index.ts';
import type { SystemPort } from '../../sync/ports.ts';
import type { CtUser } from '../contracts.ts';

/** ChurchTools' option lists used by conditions, value mappings and creation defaults. */
export interface MasterDataSource {
  statuses(): Promise<OptionItem[]>;
  sexes(): Promise<OptionItem[]>;
  campuses(): Promise<OptionItem[]>;
  departments(): Promise<OptionItem[]>;
  familyStatuses(): Promise<OptionItem[]>;
  personTags(): Promise<OptionItem[]>;
  groups(): Promise<OptionItem[]>;
}

/**
 * ChurchTools Finance as the job editor needs it: the accounting periods, and the accounts and
 * cost centres of one period for the bookings' conditions (FinanceClient).
 */
export interface FinanceSource {
  accountingPeriods(): Promise<AccountingPeriod[]>;
  periodMasterData(periodId: number): Promise<PeriodMasterData>;
}

/** The part of the bridge client the UI calls directly (everything else goes through ports). */
export interface BridgeApi {
  health(): Promise<Health>;
  meta(): Promise<Meta>;
  donor0Report(fiscalYear: number): Promise<Donor0Report>;
  accounts(fiscalYear: number): Promise<Account[]>;
  projects(fiscalYear: number): Promise<Project[]>;
  /** The nightly runner with the reasons of its last results (needs a token). */
  nightly(): Promise<NightlyStatusBody>;
  /** Run now (read-write token): the jobs that started. */
  runNightlyNow(job?: string): Promise<{ id: string; name: string }[]>;
}

/** How a job's ChurchTools conditions shape the person read (tags and group members cost extra requests). */
export interface ChurchToolsReadOptions {
  readonly includeTags?: boolean;
  readonly membershipGroupIds?: readonly string[];
}

export interface SyncBackend {
  readonly storage: ExtensionStorage;
  readonly masterData: MasterDataSource;
  readonly finance: FinanceSource;
  loadPermissions(): Promise<Permissions>;
  /** The ChurchTools person port, reading what the given conditions need. */
  churchToolsPort(options?: ChurchToolsReadOptions): SystemPort;
  bridge(url: string, token: string): BridgeApi;
  optigemPort(connection: Connection, token: string): SystemPort;
  /** Who runs jobs from this tab; shown on the run lock. */
  readonly owner: string;
  /**
   * Sets the pace of every ChurchTools request from this tab, runs included (the admin's
   * setting, services/pace.ts). Backends without a ChurchTools pacer (test twins) have none.
   */
  setPace?(requestsPerMinute: number): void;
}

export interface BrowserBackendOptions {
  /** ChurchTools requests per minute; capped at ChurchTools' limit. Default: the Pacer's. */
  readonly requestsPerMinute?: number;
  /** The rest of the ChurchTools HTTP options (tests pass a virtual clock). */
  readonly http?: Omit<CtHttpOptions, 'requestsPerMinute'>;
}

const PRIVATE_HOST = /^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|169\.254\.|\[?fd|\[?fc)|\.(local|lan|intern|internal|home\.arpa)$/i;
const LOOPBACK_HOST = /^(localhost|127\.|\[?::1\]?$)/i;

/**
 * Chrome's Local Network Access: a page on a public address that calls a bridge in the church
 * LAN must declare it, or the request fails without an answer. Same address space: nothing to declare.
 */
export function targetAddressSpaceFor(bridgeUrl: string, pageHost: string | undefined): 'private' | 'local' | undefined {
  let host: string;
  try {
    host = new URL(bridgeUrl).hostname;
  } catch {
    return undefined;
  }
  const page = pageHost ?? '';
  if (LOOPBACK_HOST.test(host)) return LOOPBACK_HOST.test(page) ? undefined : 'local';
  if (PRIVATE_HOST.test(host)) return PRIVATE_HOST.test(page) || LOOPBACK_HOST.test(page) ? undefined : 'private';
  return undefined;
}

function bridgeClient(url: string, token: string): BridgeClient {
  const pageHost = typeof location === 'undefined' ? undefined : location.hostname;
  const space = targetAddressSpaceFor(url, pageHost);
  return new BridgeClient({ baseUrl: url, token, ...(space ? { targetAddressSpace: space } : {}) });
}

function ownerName(user: CtUser | undefined): string {
  const name = [user?.firstName, user?.lastName].filter(Boolean).join(' ') || `person ${user?.id ?? '?'}`;
  // A random suffix per tab: the same admin in two tabs must not share a run lock.
  return `browser:${name}:${globalThis.crypto.randomUUID().slice(0, 8)}`;
}

/** The real backend over the user's ChurchTools session. Creates nothing until first used. */
export function createBrowserBackend(client: CtClient, user?: CtUser, options: BrowserBackendOptions = {}): SyncBackend {
  let churchtools: ChurchTools | undefined;
  let requestsPerMinute = options.requestsPerMinute === undefined ? undefined : clampPace(options.requestsPerMinute);
  const ct = (): ChurchTools =>
    (churchtools ??= createChurchTools(client, {
      ...(user ? { storage: { author: ownerName(user).split(':')[1] ?? '' } } : {}),
      http: { ...options.http, ...(requestsPerMinute === undefined ? {} : { requestsPerMinute }) },
    }));
  const owner = ownerName(user);
  return {
    get storage() {
      return ct().storage;
    },
    get masterData() {
      return ct().masterData;
    },
    get finance() {
      return ct().finance;
    },
    loadPermissions: () => ct().permissions.load(),
    churchToolsPort(options = {}) {
      const wanted = options.includeTags || (options.membershipGroupIds?.length ?? 0) > 0;
      if (!wanted) return ct().persons;
      return new ChurchToolsSystemPort(ct().http, {
        masterData: ct().masterData,
        ...(options.includeTags ? { includeTags: true } : {}),
        ...(options.membershipGroupIds ? { membershipGroupIds: options.membershipGroupIds } : {}),
      });
    },
    bridge: (url, token) => bridgeClient(url, token),
    optigemPort: (connection, token) => new OptigemSystemPort(bridgeClient(connection.bridgeUrl, token)),
    owner,
    setPace(pace) {
      requestsPerMinute = clampPace(pace);
      churchtools?.http.pacer.setRequestsPerMinute(requestsPerMinute);
    },
  };
}
