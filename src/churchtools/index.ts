/**
 * The ChurchTools side, assembled: one CtHttp (one pacer) shared by persons, master data,
 * finance, permissions and the extension's data store. Browser-safe; for Node see node-client.ts.
 */
import { CtHttp, type CtClient, type CtHttpOptions } from './http/ct-http.ts';
import { FinanceClient } from './finance.ts';
import { ChurchToolsKv } from './kv/churchtools-kv.ts';
import { createStorage, type ExtensionStorage, type StorageOptions } from './kv/storage.ts';
import { MasterDataService } from './masterdata.ts';
import { EXTENSION_KEY, PermissionService } from './permissions.ts';
import { ChurchToolsSystemPort, type ChurchToolsPersonPortOptions } from './persons/person-port.ts';

export interface ChurchToolsOptions {
  readonly http?: CtHttpOptions;
  readonly persons?: Omit<ChurchToolsPersonPortOptions, 'masterData'>;
  readonly storage?: StorageOptions;
  /** Extension key = shorty of the custom module. Default `optigem-sync`. */
  readonly moduleKey?: string;
}

export interface ChurchTools {
  readonly http: CtHttp;
  readonly persons: ChurchToolsSystemPort;
  readonly masterData: MasterDataService;
  readonly finance: FinanceClient;
  readonly permissions: PermissionService;
  readonly kv: ChurchToolsKv;
  readonly storage: ExtensionStorage;
}

export function createChurchTools(client: CtClient, options: ChurchToolsOptions = {}): ChurchTools {
  const http = new CtHttp(client, options.http);
  const masterData = new MasterDataService(http);
  const moduleKey = options.moduleKey ?? EXTENSION_KEY;
  const kv = new ChurchToolsKv(http, moduleKey);
  return {
    http,
    persons: new ChurchToolsSystemPort(http, { ...options.persons, masterData }),
    masterData,
    finance: new FinanceClient(http),
    permissions: new PermissionService(http, moduleKey),
    kv,
    storage: createStorage(kv, options.storage),
  };
}

export { CtHttp, type CtClient, type CtHttpOptions, type CtHttpEvent, type CtHttpStats } from './http/ct-http.ts';
export { CtHttpError, toPortError, type CtErrorEnvelope } from './http/errors.ts';
export { Pacer, type PacerOptions } from './http/pacer.ts';
export { ChurchToolsSystemPort, type ChurchToolsPersonPortOptions } from './persons/person-port.ts';
export { MasterDataService, type OptionItem } from './masterdata.ts';
export { FinanceClient } from './finance.ts';
export type { AccountingPeriod, Account, CostCenter, CtTransaction, TransactionNew, TransactionUpdate, PeriodMasterData } from './finance.ts';
export { ChurchToolsTransactionPort, type TransactionPort } from './transactions/transaction-port.ts';
export { spouseTypeIds } from './transactions/spouses.ts';
export { PermissionService, Permissions, EXTENSION_KEY, type MissingRight, type Capability } from './permissions.ts';
export type { KvBackend, KvCategory, KvValue } from './kv/backend.ts';
export { ChurchToolsKv } from './kv/churchtools-kv.ts';
export { MemoryKv } from './kv/memory-kv.ts';
export { KvCategories, CATEGORIES } from './kv/categories.ts';
export { createStorage, type ExtensionStorage, type StorageOptions } from './kv/storage.ts';
export { ChurchToolsPairStore, type PairStoreOptions } from './kv/pair-store.ts';
export { LogRepository, LogWriter } from './kv/log-store.ts';
export { DecisionStore } from './kv/decision-store.ts';
export { RunLockRepository } from './kv/run-locks.ts';
export { ConnectionRepository, JobRepository, ExecutionRepository, SecretRepository } from './kv/repositories.ts';
export { DocumentCollection, type Stored, type ListResult } from './kv/documents.ts';
export { StaleRevisionError, CorruptValueError, KvRightsError, ValueTooLargeError, LockHeldError, LockLostError, type KvProblem } from './kv/errors.ts';
export type { Connection, BridgeSecret, RunLock } from './kv/schemas.ts';
