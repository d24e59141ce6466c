/**
 * Bridge configuration: defaults < JSON file < environment < command line. Everything the
 * reference marks as inferred about Optigem ([I]) is a setting here, so a real installation can
 * be accommodated without code changes.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { CHURCHTOOLS_MAX_REQUESTS_PER_MINUTE } from '../churchtools/http/pacer.ts';
import { checkWindow, defaultTimeZone } from '../runner/nightly.ts';
import { DEFAULT_COUPLE_RULES } from './service/couple.ts';

const nullableName = z.string().min(1).nullable();
const tableNames = <K extends string>(keys: readonly K[]) =>
  z.strictObject(Object.fromEntries(keys.map((k) => [k, z.string().min(1).optional()])) as Record<K, z.ZodOptional<z.ZodString>>);

const NamesSchema = z.strictObject({
  persons: z
    .strictObject({
      table: z.string().min(1).optional(),
      nr: z.string().min(1).optional(),
      columns: z.record(z.string(), nullableName).optional(),
    })
    .optional(),
  categories: tableNames(['table', 'id', 'name', 'prefix']).optional(),
  categoryAssignments: tableNames(['table', 'personNr', 'categoryId']).optional(),
  mandantOptions: tableNames(['table', 'key', 'value', 'nameKey']).optional(),
  fiscalYears: tableNames(['table', 'year', 'start', 'end', 'closed']).optional(),
  accounts: tableNames(['table', 'year', 'number', 'name', 'type']).optional(),
  projects: tableNames(['table', 'year', 'number', 'name']).optional(),
  bookings: tableNames([
    'table', 'id', 'year', 'date', 'debitAccount', 'debitSubAccount', 'debitProject', 'creditAccount',
    'creditSubAccount', 'creditProject', 'amount', 'text', 'documentType', 'documentNumber', 'donationDate', 'enteredAt',
  ])
    .extend({ waiver: nullableName.optional() })
    .optional(),
});

function isExactOrigin(origin: string): boolean {
  if (origin.includes('*')) return false;
  try {
    const url = new URL(origin);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.pathname === '/' && url.search === '' && url.hash === '' && url.username === '';
  } catch {
    return false;
  }
}

const OriginSchema = z.string().refine(isExactOrigin, {
  message: 'Give an exact origin like https://gemeinde.church.tools (scheme and host, no path, never "*").',
});

/**
 * Where Optigem's data lives. The plain string "sqlite" (older configs) means the embedded
 * SQLite store at `databasePath`.
 */
export const StoreSchema = z.strictObject({
  kind: z.enum(['sqlite', 'odbc']).default('sqlite'),
  /** ODBC only: a DSN ("DSN=Optigem") or a full connection string. Secrets belong in `passwordFile`/`passwordEnv`. */
  connection: z.string().min(1).optional(),
  /** SQL dialect of the database; default "sqlite" for kind sqlite, "access" for kind odbc. */
  dialect: z.enum(['access', 'sqlserver', 'sqlite']).optional(),
  /** Access: the workgroup information file (optigemxp.mdw), added as SystemDB=…. */
  workgroupFile: z.string().min(1).optional(),
  /** Access: the Jet user (Optigem's is "optigem" [C]), added as Uid=…. */
  user: z.string().min(1).optional(),
  /** A file whose first line is the database password (added as Pwd=…). */
  passwordFile: z.string().min(1).optional(),
  /** The environment variable that holds the database password; default OPTIGEM_BRIDGE_DB_PASSWORD. */
  passwordEnv: z.string().min(1).default('OPTIGEM_BRIDGE_DB_PASSWORD'),
  /** Serve reads only: every write route answers 403. Recommended for the first weeks. */
  readOnly: z.boolean().default(false),
  /**
   * ODBC only: allow person writes (export, properties, archive via category). Off by default:
   * the admin enables writing after the read-only phase.
   */
  writePersons: z.boolean().default(false),
  /**
   * ODBC only: allow booking writes. Off by default because writing straight into the accounting
   * tables bypasses Optigem's own checks (see docs/bridge.md).
   */
  writeBookings: z.boolean().default(false),
  /** Table and column names that differ from the defaults (override the top-level `names`). */
  names: NamesSchema.optional(),
});
export type StoreConfig = z.infer<typeof StoreSchema>;

export const BridgeConfigSchema = z.strictObject({
  port: z.int().min(0).max(65535).default(8478),
  /** Loopback by default: the bridge must be exposed to the LAN on purpose. */
  host: z.string().min(1).default('127.0.0.1'),
  allowedOrigins: z.array(OriginSchema).default([]),
  store: z
    .union([z.literal('sqlite'), z.literal('odbc'), StoreSchema])
    .default('sqlite')
    .transform((value): StoreConfig => (typeof value === 'string' ? StoreSchema.parse({ kind: value }) : value)),
  databasePath: z.string().min(1).default('.dev-data/optigem-demo.sqlite'),
  /** Where the bridge keeps its own tables; default: inside the SQLite store's database. */
  stateDatabasePath: z.string().min(1).optional(),
  /** Same as `store.readOnly` (older key). */
  readonly: z.boolean().default(false),
  tls: z.strictObject({ certFile: z.string().min(1), keyFile: z.string().min(1) }).optional(),
  /** Keep token hashes in this JSON file instead of the state database. */
  tokenFile: z.string().min(1).optional(),
  maxBodyBytes: z.int().positive().default(1_000_000),
  writePersons: z.boolean().default(true),
  writeBookings: z.boolean().default(true),
  /** [I] Optigem has no archive flag; the bridge archives by assigning this category. */
  archiveCategoryId: z.int().nonnegative().default(999),
  /** [I] mandant number ("01" from m01-adr.mdb). */
  mandantId: z.string().default('01'),
  /** [I] `Geschlecht` codes. */
  genderCodes: z.strictObject({ male: z.int(), female: z.int(), unknown: z.int() }).partial().default({}),
  /** [C] "Spendenertrag 1/2"; the exact stored Kontoart text is [I]. */
  donationAccountTypes: z.array(z.string().min(1)).default(['Spendenertrag 1', 'Spendenertrag 2']),
  /** [I] Kontoart of cash and bank accounts, whose booking side carries no project. */
  financialAccountTypes: z.array(z.string().min(1)).default(['Finanzkonto']),
  /** [I] The Zuwendungsart text that marks a waiver of reimbursed expenses (column `names.bookings.waiver`). */
  waiverDonationKind: z.string().min(1).default('Verzicht auf Erstattung von Aufwendungen'),
  /** [I] table and column names that differ from the defaults. */
  names: NamesSchema.default({}),
  /** [I] couple detection (reference §3.2). */
  couple: z
    .strictObject({
      firstNameSeparator: z.string().min(1),
      salutationPatterns: z.array(z.string().min(1)),
      couples: z.array(z.int().nonnegative()),
      singles: z.array(z.int().nonnegative()),
    })
    .partial()
    .default({}),
  /**
   * The nightly runner: runs the jobs with automatic execution once per night inside `window`
   * (local times in `timeZone`, default the machine's). The ChurchTools login token of the sync
   * user comes only from the environment (OPTIGEM_BRIDGE_CT_TOKEN), never from this file.
   */
  nightly: z
    .strictObject({
      enabled: z.boolean().default(false),
      churchToolsUrl: z.url().optional(),
      window: z.strictObject({ start: z.string(), end: z.string() }).default({ start: '00:00', end: '04:00' }),
      timeZone: z.string().optional(),
      /** ChurchTools requests per minute for nightly runs (default 300; at most ChurchTools' documented 600). */
      requestsPerMinute: z.int().min(1).max(CHURCHTOOLS_MAX_REQUESTS_PER_MINUTE).optional(),
      /** POSTs a JSON notice here when a nightly run needs a person (refused, failed, held back). */
      notifyWebhook: z.url({ protocol: /^https?$/ }).optional(),
    })
    .default({ enabled: false, window: { start: '00:00', end: '04:00' } }),
});

export type BridgeConfig = z.infer<typeof BridgeConfigSchema>;
export type BridgeConfigInput = z.input<typeof BridgeConfigSchema>;

/** Whether the store refuses every write (`store.readOnly`, or the older top-level `readonly`). */
export function isReadOnly(config: BridgeConfig): boolean {
  return config.readonly || config.store.readOnly;
}

/** Person and booking writes as configured: a real (ODBC) database needs them enabled in `store`. */
export function writesOf(config: BridgeConfig): { persons: boolean; bookings: boolean } {
  if (config.store.kind === 'odbc') return { persons: config.store.writePersons, bookings: config.store.writeBookings };
  return { persons: config.writePersons, bookings: config.writeBookings };
}

export function coupleRulesOf(config: BridgeConfig) {
  return { ...DEFAULT_COUPLE_RULES, ...config.couple };
}

/** Environment variables and the setting each one sets. */
export const ENVIRONMENT: readonly { name: string; key: keyof BridgeConfig; describe: string }[] = [
  { name: 'OPTIGEM_BRIDGE_PORT', key: 'port', describe: 'port to listen on (default 8478)' },
  { name: 'OPTIGEM_BRIDGE_HOST', key: 'host', describe: 'address to bind (default 127.0.0.1)' },
  { name: 'OPTIGEM_BRIDGE_ALLOWED_ORIGINS', key: 'allowedOrigins', describe: 'comma-separated ChurchTools origins' },
  { name: 'OPTIGEM_BRIDGE_STORE', key: 'store', describe: 'store kind (sqlite or odbc)' },
  { name: 'OPTIGEM_BRIDGE_DATABASE', key: 'databasePath', describe: 'path of the store database' },
  { name: 'OPTIGEM_BRIDGE_STATE_DATABASE', key: 'stateDatabasePath', describe: "path of the bridge's own database" },
  { name: 'OPTIGEM_BRIDGE_TLS_CERT', key: 'tls', describe: 'PEM certificate file (HTTPS)' },
  { name: 'OPTIGEM_BRIDGE_TLS_KEY', key: 'tls', describe: 'PEM private key file (HTTPS)' },
  { name: 'OPTIGEM_BRIDGE_TOKEN_FILE', key: 'tokenFile', describe: 'JSON file for token hashes' },
  { name: 'OPTIGEM_BRIDGE_NIGHTLY', key: 'nightly', describe: 'nightly runs on (1/true) or off (0/false)' },
  { name: 'OPTIGEM_BRIDGE_CT_URL', key: 'nightly', describe: 'ChurchTools address for nightly runs' },
  { name: 'OPTIGEM_BRIDGE_CT_PACE', key: 'nightly', describe: 'ChurchTools requests per minute for nightly runs (1–600, default 300)' },
  { name: 'OPTIGEM_BRIDGE_NOTIFY_WEBHOOK', key: 'nightly', describe: 'URL that gets a JSON POST when a nightly run needs a person' },
];

/** Flags and environment values, before validation. */
export interface ConfigOverrides {
  port?: string | undefined;
  host?: string | undefined;
  origins?: string[] | undefined;
  store?: string | undefined;
  database?: string | undefined;
  stateDatabase?: string | undefined;
  tlsCert?: string | undefined;
  tlsKey?: string | undefined;
  tokenFile?: string | undefined;
  /** "1"/"true"/"yes"/"on" or "0"/"false"/"no"/"off". */
  nightly?: string | undefined;
  churchToolsUrl?: string | undefined;
  churchToolsPace?: string | undefined;
  notifyWebhook?: string | undefined;
}

export function overridesFromEnv(env: NodeJS.ProcessEnv): ConfigOverrides {
  return {
    port: env['OPTIGEM_BRIDGE_PORT'],
    host: env['OPTIGEM_BRIDGE_HOST'],
    origins: env['OPTIGEM_BRIDGE_ALLOWED_ORIGINS']
      ?.split(',')
      .map((o) => o.trim())
      .filter((o) => o !== ''),
    store: env['OPTIGEM_BRIDGE_STORE'],
    database: env['OPTIGEM_BRIDGE_DATABASE'],
    stateDatabase: env['OPTIGEM_BRIDGE_STATE_DATABASE'],
    tlsCert: env['OPTIGEM_BRIDGE_TLS_CERT'],
    tlsKey: env['OPTIGEM_BRIDGE_TLS_KEY'],
    tokenFile: env['OPTIGEM_BRIDGE_TOKEN_FILE'],
    nightly: env['OPTIGEM_BRIDGE_NIGHTLY'],
    churchToolsUrl: env['OPTIGEM_BRIDGE_CT_URL'],
    churchToolsPace: env['OPTIGEM_BRIDGE_CT_PACE'],
    notifyWebhook: env['OPTIGEM_BRIDGE_NOTIFY_WEBHOOK'],
  };
}

const ON = ['1', 'true', 'yes', 'on'];
const OFF = ['0', 'false', 'no', 'off', ''];

function flag(value: string): boolean | string {
  const v = value.trim().toLowerCase();
  return ON.includes(v) ? true : OFF.includes(v) ? false : value;
}

function apply(target: Record<string, unknown>, o: ConfigOverrides): void {
  if (o.port !== undefined) target['port'] = Number(o.port);
  if (o.host !== undefined) target['host'] = o.host;
  if (o.origins !== undefined && o.origins.length > 0) target['allowedOrigins'] = o.origins;
  if (o.store !== undefined) {
    const current = target['store'];
    target['store'] = current !== null && typeof current === 'object' ? { ...(current as Record<string, unknown>), kind: o.store } : o.store;
  }
  if (o.database !== undefined) target['databasePath'] = o.database;
  if (o.stateDatabase !== undefined) target['stateDatabasePath'] = o.stateDatabase;
  if (o.tokenFile !== undefined) target['tokenFile'] = o.tokenFile;
  if (o.tlsCert !== undefined || o.tlsKey !== undefined) {
    const tls = (target['tls'] ?? {}) as Record<string, unknown>;
    target['tls'] = { ...tls, ...(o.tlsCert ? { certFile: o.tlsCert } : {}), ...(o.tlsKey ? { keyFile: o.tlsKey } : {}) };
  }
  if (o.nightly !== undefined || o.churchToolsUrl !== undefined || o.churchToolsPace !== undefined || o.notifyWebhook !== undefined) {
    const current = target['nightly'];
    const nightly = current !== null && typeof current === 'object' ? { ...(current as Record<string, unknown>) } : {};
    // A value that is no flag stays a string, so validation names it.
    if (o.nightly !== undefined) nightly['enabled'] = flag(o.nightly);
    if (o.churchToolsUrl !== undefined) nightly['churchToolsUrl'] = o.churchToolsUrl;
    if (o.notifyWebhook !== undefined) nightly['notifyWebhook'] = o.notifyWebhook;
    // Not a number stays the string, so validation names it.
    if (o.churchToolsPace !== undefined) nightly['requestsPerMinute'] = /^\d+$/.test(o.churchToolsPace.trim()) ? Number(o.churchToolsPace) : o.churchToolsPace;
    target['nightly'] = nightly;
  }
}

const PATH_KEYS = ['databasePath', 'stateDatabasePath', 'tokenFile'] as const;
const STORE_PATH_KEYS = ['workgroupFile', 'passwordFile'] as const;

/** Relative paths in a config file mean "next to the config file". */
function resolveFilePaths(raw: Record<string, unknown>, base: string): void {
  for (const key of PATH_KEYS) {
    const value = raw[key];
    if (typeof value === 'string' && value !== ':memory:' && !isAbsolute(value)) raw[key] = resolve(base, value);
  }
  const store = raw['store'];
  if (store !== null && typeof store === 'object') {
    for (const key of STORE_PATH_KEYS) {
      const value = (store as Record<string, unknown>)[key];
      if (typeof value === 'string' && !isAbsolute(value)) (store as Record<string, unknown>)[key] = resolve(base, value);
    }
  }
  const tls = raw['tls'];
  if (tls !== null && typeof tls === 'object') {
    for (const key of ['certFile', 'keyFile']) {
      const value = (tls as Record<string, unknown>)[key];
      if (typeof value === 'string' && !isAbsolute(value)) (tls as Record<string, unknown>)[key] = resolve(base, value);
    }
  }
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function loadConfig(options: { file?: string | undefined; env: ConfigOverrides; flags: ConfigOverrides }): BridgeConfig {
  let raw: Record<string, unknown> = {};
  if (options.file !== undefined) {
    let text: string;
    try {
      text = readFileSync(options.file, 'utf8');
    } catch (error) {
      throw new ConfigError(`Cannot read config file ${options.file}: ${(error as Error).message}`);
    }
    try {
      raw = JSON.parse(text) as Record<string, unknown>;
    } catch (error) {
      throw new ConfigError(`Config file ${options.file} is not valid JSON: ${(error as Error).message}`);
    }
    resolveFilePaths(raw, dirname(resolve(options.file)));
  }
  apply(raw, options.env);
  apply(raw, options.flags);
  const result = BridgeConfigSchema.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join('.') || '(config)'}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  checkNightlyConfig(result.data);
  return result.data;
}

/** What the schema cannot say about `nightly`: when enabled, a ChurchTools URL and a valid window and time zone. */
export function checkNightlyConfig(config: BridgeConfig): void {
  const { nightly } = config;
  if (!nightly.enabled) return;
  if (nightly.churchToolsUrl === undefined) {
    throw new ConfigError('Invalid configuration:\n  nightly.churchToolsUrl: nightly runs need the ChurchTools address (or set OPTIGEM_BRIDGE_CT_URL).');
  }
  try {
    checkWindow(nightly.window, nightly.timeZone ?? defaultTimeZone());
  } catch (error) {
    if (error instanceof RangeError) throw new ConfigError(`Invalid configuration:\n  nightly: ${error.message}`);
    throw error;
  }
}
