/**
 * Everything the extension keeps in ChurchTools, over one KvBackend: the repositories share
 * one category registry, so the module and category lookups happen once per session.
 */
import type { KvBackend } from './backend.ts';
import { KvCategories } from './categories.ts';
import { DecisionStore } from './decision-store.ts';
import { LogRepository } from './log-store.ts';
import { ChurchToolsPairStore, type PairStoreOptions } from './pair-store.ts';
import { ConnectionRepository, ExecutionRepository, JobRepository, SecretRepository } from './repositories.ts';
import { RunLockRepository, type RunLockOptions } from './run-locks.ts';

export interface StorageOptions {
  readonly now?: () => Date;
  /** Written as `updatedBy` on documents. */
  readonly author?: string;
  readonly pairs?: Omit<PairStoreOptions, 'now'>;
  readonly locks?: Omit<RunLockOptions, 'now'>;
}

export interface ExtensionStorage {
  readonly categories: KvCategories;
  readonly connections: ConnectionRepository;
  readonly jobs: JobRepository;
  readonly executions: ExecutionRepository;
  readonly logs: LogRepository;
  readonly locks: RunLockRepository;
  readonly secrets: SecretRepository;
  readonly pairs: ChurchToolsPairStore;
  readonly decisions: DecisionStore;
}

export function createStorage(kv: KvBackend, options: StorageOptions = {}): ExtensionStorage {
  const categories = new KvCategories(kv);
  const documents = { ...(options.now ? { now: options.now } : {}), ...(options.author !== undefined ? { author: options.author } : {}) };
  const now = options.now ? { now: options.now } : {};
  return {
    categories,
    connections: new ConnectionRepository(categories, documents),
    jobs: new JobRepository(categories, documents),
    executions: new ExecutionRepository(categories, documents),
    logs: new LogRepository(categories, now),
    locks: new RunLockRepository(categories, { ...options.locks, ...now }),
    secrets: new SecretRepository(categories, documents),
    pairs: new ChurchToolsPairStore(categories, { ...options.pairs, ...now }),
    decisions: new DecisionStore(categories, documents),
  };
}
