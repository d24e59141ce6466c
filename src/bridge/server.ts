/**
 * Starting and stopping a bridge: open the store and the bridge's own state, make tokens on
 * first start, listen over HTTP or HTTPS.
 */
import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import Database from 'better-sqlite3';
import { describeNightlyEvent, startNightlyService } from '../runner/nightly-service.ts';
import { webhookNotifier } from './notify.ts';
import type { NightlyService, NightlyServiceOptions } from '../runner/nightly-service.ts';
import { createApp } from './app.ts';
import type { ResponseCheck } from './http/route.ts';
import { BridgeConfigSchema, ConfigError, checkNightlyConfig, coupleRulesOf, isReadOnly, writesOf } from './config.ts';
import type { BridgeConfig, BridgeConfigInput } from './config.ts';
import { silentLogger } from './http/log.ts';
import type { Logger } from './http/log.ts';
import { coupleDetector } from './service/couple.ts';
import { createServices } from './service/index.ts';
import { Serial } from './service/serial.ts';
import { openBridgeState } from './state/index.ts';
import type { BridgeState } from './state/index.ts';
import { issueTokens } from './state/tokens.ts';
import type { IssuedTokens } from './state/tokens.ts';
import { SqliteDriver } from './store/driver/sqlite.ts';
import { openStore } from './store/open.ts';
import type { SqlStore } from './store/sqlite/store.ts';

export interface StartOptions extends Omit<BridgeConfigInput, 'port'> {
  /** Default 0: any free port (tests). The CLI passes the configured port. */
  port?: number;
  logger?: Logger;
  /** The bridge's clock (tests may fix it). */
  now?: () => Date;
  /** Make a read-write and a read-only token when none exist (default true). */
  issueTokensIfMissing?: boolean;
  /** ChurchTools login token of the sync user for nightly runs (only from OPTIGEM_BRIDGE_CT_TOKEN, never the config file). */
  nightlyLoginToken?: string;
  /** Tests only: clock, timer and ChurchTools pacing of the nightly runner. */
  nightlyTesting?: Pick<NightlyServiceOptions, 'clock' | 'timer' | 'http'>;
  /** How much of each page to check against its schema; the test suite checks `every` record (default `sample`). */
  responseCheck?: ResponseCheck;
}

export interface RunningBridge {
  /** e.g. `http://127.0.0.1:40123` (no trailing slash). */
  readonly url: string;
  readonly config: BridgeConfig;
  /** Only on the start that made them; the bridge keeps nothing but their hashes. */
  readonly tokens?: IssuedTokens;
  /** The nightly runner, when `nightly.enabled`. */
  readonly nightly?: NightlyService;
  close(): Promise<void>;
}

export interface OpenedBridge {
  readonly store: SqlStore;
  readonly state: BridgeState;
  close(): Promise<void>;
}

/** Opens store and state without listening (also used by the `token` and `doctor` commands). */
export async function openBridge(config: BridgeConfig): Promise<OpenedBridge> {
  const embedded = config.store.kind === 'sqlite';
  const separateState = !embedded || (config.stateDatabasePath !== undefined && config.stateDatabasePath !== config.databasePath);
  if (!embedded && config.stateDatabasePath === undefined) {
    throw new ConfigError('Invalid configuration:\n  stateDatabasePath: an ODBC store needs a file for the bridge\'s own tables (e.g. C:\\OptigemBridge\\bridge-state.sqlite).');
  }
  // The older top-level `readonly` opens the SQLite file read-only; `store.readOnly` only refuses writes.
  if (config.readonly && !separateState) {
    throw new ConfigError('Invalid configuration:\n  stateDatabasePath: a read-only store needs its own file for the bridge\'s tables.');
  }
  const store = await openStore(config, { readonly: config.readonly });
  let stateDb: Database.Database;
  try {
    stateDb = separateState ? new Database(config.stateDatabasePath) : (store.driver as SqliteDriver).db;
  } catch (error) {
    await store.close();
    throw error;
  }
  const state = openBridgeState(stateDb, { tokenFile: config.tokenFile });
  return {
    store,
    state,
    async close() {
      await store.close();
      if (separateState && stateDb.open) stateDb.close();
    },
  };
}

function urlOf(config: BridgeConfig, port: number): string {
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return `${config.tls ? 'https' : 'http'}://${host}:${port}`;
}

export async function startBridge(options: StartOptions = {}): Promise<RunningBridge> {
  const { logger = silentLogger, now = () => new Date(), issueTokensIfMissing = true, nightlyLoginToken, nightlyTesting, responseCheck, ...configInput } = options;
  const config = BridgeConfigSchema.parse({ ...configInput, port: configInput.port ?? 0 });
  checkNightlyConfig(config);
  // Before anything is opened: a bridge that should run jobs nightly but cannot log in must not start.
  if (config.nightly.enabled && !nightlyLoginToken) {
    throw new ConfigError('Nightly runs are enabled but OPTIGEM_BRIDGE_CT_TOKEN (the ChurchTools login token of the sync user) is not set.');
  }
  const opened = await openBridge(config);
  let nightly: NightlyService | undefined;
  try {
    const existing = opened.state.tokens.list();
    const hasBoth = existing.some((t) => t.scope === 'readwrite') && existing.some((t) => t.scope === 'read');
    const tokens = issueTokensIfMissing && !hasBoth ? issueTokens(opened.state.tokens, now().toISOString()) : undefined;

    const services = createServices({
      store: opened.store,
      state: opened.state,
      serial: new Serial(),
      now,
      detectCouple: coupleDetector(coupleRulesOf(config)),
      writePersons: writesOf(config).persons,
      writeBookings: writesOf(config).bookings,
      readOnly: isReadOnly(config),
      realDatabase: config.store.kind === 'odbc',
      nightlyStatus: () => nightly?.nightly.status(),
    });
    const app = createApp({
      services,
      tokens: opened.state.tokens,
      allowedOrigins: config.allowedOrigins,
      maxBodyBytes: config.maxBodyBytes,
      logger,
      nightly: () => nightly?.nightly,
      ...(responseCheck ? { responseCheck } : {}),
    });

    const server = await new Promise<Server>((resolve, reject) => {
      const tls = config.tls;
      const created = serve(
        {
          fetch: app.fetch,
          port: config.port,
          hostname: config.host,
          ...(tls
            ? { createServer: createHttpsServer, serverOptions: { cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) } }
            : {}),
        },
        () => resolve(created as Server),
      );
      created.once('error', reject);
    });
    const port = (server.address() as AddressInfo).port;
    const url = urlOf(config, port);
    logger.log('info', 'listening', { url, store: config.store.kind, readOnly: isReadOnly(config), tls: config.tls !== undefined });

    const { enabled, churchToolsUrl, window, timeZone, requestsPerMinute, notifyWebhook } = config.nightly;
    const notify = notifyWebhook ? webhookNotifier(notifyWebhook, logger) : undefined;
    if (enabled && churchToolsUrl !== undefined && nightlyLoginToken) {
      try {
        nightly = startNightlyService({
          churchToolsUrl,
          loginToken: nightlyLoginToken,
          window,
          ...(timeZone ? { timeZone } : {}),
          ...(requestsPerMinute !== undefined ? { http: { requestsPerMinute } } : {}),
          resultStore: opened.state.nightlyResults,
          ...nightlyTesting,
          onEvent: (e) => {
            const l = describeNightlyEvent(e);
            logger.log(l.level, l.message, l.fields);
            if (e.type === 'result') void notify?.(e.result);
          },
        });
      } catch (error) {
        server.closeAllConnections();
        server.close();
        throw error instanceof RangeError ? new ConfigError(`Invalid configuration:\n  nightly: ${error.message}`) : error;
      }
      logger.log('info', 'nightly.scheduled', { window: `${window.start}-${window.end}`, timeZone: nightly.nightly.timeZone });
    }

    let closed = false;
    return {
      url,
      config,
      ...(tokens ? { tokens } : {}),
      ...(nightly ? { nightly } : {}),
      close: async () => {
        if (closed) return;
        closed = true;
        await nightly?.stop();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await opened.close();
      },
    };
  } catch (error) {
    await opened.close();
    throw error;
  }
}
