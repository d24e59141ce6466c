/**
 * Repositories for the extension's documents: connections, jobs, executions, and the bridge
 * token. Each is a DocumentCollection (one revision-checked document per value).
 */
import type { Execution, Job } from '../../sync/model.ts';
import type { KvCategories } from './categories.ts';
import { DocumentCollection, type DocumentOptions, type ListResult, type Stored } from './documents.ts';
import type { LogRepository } from './log-store.ts';
import { bridgeSecretSchema, connectionSchema, executionSchema, jobSchema, type BridgeSecret, type Connection } from './schemas.ts';

export class ConnectionRepository extends DocumentCollection<Connection> {
  constructor(categories: KvCategories, options: DocumentOptions = {}) {
    super(categories, 'connections', connectionSchema, options);
  }
}

export class JobRepository extends DocumentCollection<Job> {
  constructor(categories: KvCategories, options: DocumentOptions = {}) {
    super(categories, 'jobs', jobSchema, options);
  }

  async forConnection(connectionId: string): Promise<ListResult<Job>> {
    const { items, problems } = await this.list();
    return { items: items.filter((j) => j.data.connectionId === connectionId), problems };
  }
}

/** How many executions (with their logs) the history keeps: every read of a category returns all of it. */
export const KEEP_EXECUTIONS = 200;

export class ExecutionRepository extends DocumentCollection<Execution> {
  constructor(categories: KvCategories, options: DocumentOptions = {}) {
    super(categories, 'executions', executionSchema, options);
  }

  /** Newest first. */
  async recent(jobId?: string): Promise<ListResult<Execution>> {
    const { items, problems } = await this.list();
    const filtered = jobId === undefined ? items : items.filter((e) => e.data.jobId === jobId);
    return { items: filtered.sort((a, b) => b.data.startedAt.localeCompare(a.data.startedAt)), problems };
  }

  /**
   * Keeps the newest `keep` executions (KEEP_EXECUTIONS wherever the history is cleaned up) and
   * deletes the rest with their logs.
   */
  async prune(keep: number, logs: LogRepository, listed?: readonly Stored<Execution>[]): Promise<number> {
    // A list the caller read moments ago (newest first) saves the category read.
    const items = listed ?? (await this.recent()).items;
    const old = items.filter((e) => e.data.status !== 'running').slice(keep);
    for (const execution of old) {
      await logs.remove(execution.data.id);
      await this.remove(execution.data.id, execution.revision);
    }
    return old.length;
  }
}

/**
 * The bridge token, kept apart from job configuration in `secrets`, a category an admin grants
 * only to sync administrators (ChurchTools rights are per category).
 */
export class SecretRepository {
  private readonly documents: DocumentCollection<BridgeSecret>;

  constructor(categories: KvCategories, options: DocumentOptions = {}) {
    this.documents = new DocumentCollection(categories, 'secrets', bridgeSecretSchema, options);
  }

  async token(connectionId: string): Promise<string | null> {
    return (await this.documents.get(connectionId))?.data.token ?? null;
  }

  /** Replaces the token; fails with StaleRevisionError if it changed since `expectedRevision`. */
  async setToken(connectionId: string, token: string, expectedRevision?: number | null): Promise<Stored<BridgeSecret>> {
    const expected = expectedRevision !== undefined ? expectedRevision : ((await this.documents.get(connectionId))?.revision ?? null);
    return this.documents.save({ id: connectionId, token }, expected);
  }

  remove(connectionId: string): Promise<void> {
    return this.documents.remove(connectionId);
  }
}
