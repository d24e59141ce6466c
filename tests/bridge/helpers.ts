/** A real bridge over HTTP on a free port, with a throwaway demo database. */
import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import { createTempDemoDatabase, startBridge } from '../../src/bridge/index.ts';
import type { DemoDatabaseOptions, Logger, RunningBridge, StartOptions } from '../../src/bridge/index.ts';

export const CT_ORIGIN = 'https://gemeinde.church.tools';

export interface TestBridge {
  readonly bridge: RunningBridge;
  readonly url: string;
  readonly rw: string;
  readonly ro: string;
  readonly dbPath: string;
  /** Log lines the bridge wrote (JSON strings). */
  readonly logLines: string[];
  /** fetch against the bridge with the read-write token (unless `token` says otherwise). */
  call(path: string, init?: RequestInit & { token?: string | null; json?: unknown }): Promise<Response>;
  /** The database opened directly, to change data "in Optigem", behind the bridge's back. */
  rawDb(): Db;
  close(): Promise<void>;
}

export async function startTestBridge(
  options: Omit<StartOptions, 'databasePath' | 'logger'> & { demo?: DemoDatabaseOptions } = {},
): Promise<TestBridge> {
  const { demo, ...startOptions } = options;
  const db = await createTempDemoDatabase(demo);
  const logLines: string[] = [];
  const logger: Logger = { log: (level, msg, fields) => logLines.push(JSON.stringify({ level, msg, ...fields })) };
  const bridge = await startBridge({ allowedOrigins: [CT_ORIGIN], ...startOptions, databasePath: db.path, logger });
  const tokens = bridge.tokens;
  if (!tokens) throw new Error('expected fresh tokens');
  let raw: Db | undefined;
  return {
    bridge,
    url: bridge.url,
    rw: tokens.readWrite,
    ro: tokens.readOnly,
    dbPath: db.path,
    logLines,
    call(path, init = {}) {
      const { token = tokens.readWrite, json, headers, ...rest } = init;
      const h = new Headers(headers);
      if (token !== null) h.set('Authorization', `Bearer ${token}`);
      if (json !== undefined) h.set('Content-Type', 'application/json');
      return fetch(`${bridge.url}${path}`, { ...rest, headers: h, ...(json !== undefined ? { body: JSON.stringify(json) } : {}) });
    },
    rawDb() {
      raw ??= new Database(db.path);
      return raw;
    },
    async close() {
      raw?.close();
      await bridge.close();
      db.remove();
    },
  };
}

/** Reads a person and returns it with its ETag. */
export async function readPerson(t: TestBridge, nr: number): Promise<{ body: Record<string, unknown>; etag: string }> {
  const res = await t.call(`/v1/persons/${nr}`);
  if (res.status !== 200) throw new Error(`GET person ${nr}: ${res.status}`);
  return { body: (await res.json()) as Record<string, unknown>, etag: res.headers.get('ETag') ?? '' };
}
