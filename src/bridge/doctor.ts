/**
 * `bridge doctor`: what an installer runs first on the Optigem computer. Connects with the
 * configured store, compares the tables and columns the bridge expects with the database's
 * catalog, counts what it finds, and checks the bridge's own files and settings. Every line has a
 * verdict and, where the fix is a setting, the config key to change.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { BridgeConfig } from './config.ts';
import { isReadOnly, writesOf } from './config.ts';
import { dialectOf } from './store/driver/dialect.ts';
import type { SqlDriver } from './store/driver/types.ts';
import { dialectNameOf, namesOf, openDriver } from './store/open.ts';
import { redact } from './store/secrets.ts';
import { resolveNames } from './store/sqlite/names.ts';
import type { OptigemNames } from './store/sqlite/names.ts';
import { SqlStore } from './store/sqlite/store.ts';

export type Verdict = 'ok' | 'missing' | 'differs' | 'failed' | 'note';

export interface DoctorLine {
  readonly check: string;
  readonly verdict: Verdict;
  readonly detail: string;
  /** The config key that fixes a problem on this line. */
  readonly configKey?: string;
  /** Whether the bridge cannot serve while this line is not ok. */
  readonly blocking: boolean;
}

export interface DoctorReport {
  /** True only when the bridge can serve with this configuration. */
  readonly ok: boolean;
  readonly lines: DoctorLine[];
}

interface ExpectedTable {
  readonly group: keyof OptigemNames;
  readonly table: string;
  /** [config key below store.names.<group>, column name, whether the bridge needs it]. */
  readonly columns: [string, string, boolean][];
}

function expectedTables(n: OptigemNames): ExpectedTable[] {
  const personColumns = Object.entries(n.persons.columns)
    .filter((entry): entry is [string, string] => entry[1] !== null)
    .map(([field, column]): [string, string, boolean] => [`columns.${field}`, column, true]);
  const plain = <G extends Exclude<keyof OptigemNames, 'persons'>>(group: G, skip: string[] = []): ExpectedTable => {
    const names = n[group] as Record<string, string | null>;
    return {
      group,
      table: names['table'] as string,
      columns: Object.entries(names)
        .filter(([key, value]) => key !== 'table' && !skip.includes(key) && value !== null)
        // The waiver column is optional: without it every booking reads as no waiver.
        .map(([key, value]): [string, string, boolean] => [key, value as string, !(group === 'bookings' && key === 'waiver')]),
    };
  };
  return [
    { group: 'persons', table: n.persons.table, columns: [['nr', n.persons.nr, true], ...personColumns] },
    plain('categories'),
    plain('categoryAssignments'),
    plain('mandantOptions', ['nameKey']),
    plain('fiscalYears'),
    plain('accounts'),
    plain('projects'),
    plain('bookings'),
  ];
}

async function checkSchema(driver: SqlDriver, names: OptigemNames, lines: DoctorLine[]): Promise<boolean> {
  let fine = true;
  for (const expected of expectedTables(names)) {
    const prefix = `store.names.${expected.group}`;
    const actual = await driver.columns(expected.table);
    if (actual.length === 0) {
      fine = false;
      lines.push({ check: `table ${expected.table}`, verdict: 'missing', detail: `no table "${expected.table}" (${expected.group}) in the database`, configKey: `${prefix}.table`, blocking: true });
      continue;
    }
    const problems: DoctorLine[] = [];
    for (const [key, column, needed] of expected.columns) {
      if (actual.includes(column)) continue;
      const similar = actual.find((a) => a.toLowerCase() === column.toLowerCase());
      // Access and SQL Server compare names without case: a case difference still works.
      if (similar !== undefined) {
        problems.push({ check: `column ${expected.table}.${column}`, verdict: 'differs', detail: `the database spells it "${similar}" (works: names are compared without case)`, configKey: `${prefix}.${key}`, blocking: false });
        continue;
      }
      problems.push({
        check: `column ${expected.table}.${column}`,
        verdict: 'missing',
        detail: needed ? `no column "${column}" in "${expected.table}"` : `no column "${column}": bookings read as no waiver, a waiver cannot be written`,
        configKey: `${prefix}.${key}`,
        blocking: needed,
      });
    }
    if (problems.some((p) => p.blocking)) fine = false;
    lines.push({ check: `table ${expected.table}`, verdict: problems.length === 0 ? 'ok' : 'differs', detail: `${expected.columns.length} expected columns, ${actual.length} in the database`, blocking: false }, ...problems);
  }
  return fine;
}

async function checkData(driver: SqlDriver, config: BridgeConfig, lines: DoctorLine[]): Promise<void> {
  const store = await SqlStore.open({
    driver,
    dialect: dialectOf(dialectNameOf(config)),
    names: namesOf(config),
    archiveCategoryId: config.archiveCategoryId,
    mandantId: config.mandantId,
  });
  const persons = await store.countPersons();
  lines.push({ check: 'persons', verdict: persons > 0 ? 'ok' : 'note', detail: `${persons} persons (Donor 0 not counted)`, blocking: false });
  const categories = await store.categories();
  lines.push({ check: 'categories', verdict: categories.length > 0 ? 'ok' : 'note', detail: `${categories.length} categories`, blocking: false });
  const years = await store.fiscalYears();
  lines.push({ check: 'fiscal years', verdict: years.length > 0 ? 'ok' : 'note', detail: years.length > 0 ? years.map((y) => `${y.year}${y.closed ? ' (closed)' : ''}`).join(', ') : 'none', blocking: false });
  let bookings = 0;
  for (const year of years) bookings += await store.countBookings(year.year);
  lines.push({ check: 'bookings', verdict: 'ok', detail: `${bookings} bookings in ${years.length} fiscal years`, blocking: false });
  const donor0 = await store.donor0RecordExists();
  lines.push({
    check: 'Donor 0',
    verdict: donor0 ? 'ok' : 'missing',
    detail: donor0 ? 'the record for anonymous donations (Nr 0) exists' : 'no person with Nr 0: anonymous donations have no donor record in Optigem',
    blocking: false,
  });
}

function checkState(config: BridgeConfig, lines: DoctorLine[]): void {
  const path = config.stateDatabasePath ?? (config.store.kind === 'sqlite' ? config.databasePath : undefined);
  if (path === undefined) {
    lines.push({ check: 'bridge state database', verdict: 'missing', detail: 'an ODBC store needs a file for the bridge\'s own tables', configKey: 'stateDatabasePath', blocking: true });
    return;
  }
  try {
    if (existsSync(path)) {
      const db = new Database(path);
      try {
        db.exec('BEGIN IMMEDIATE');
        db.exec('ROLLBACK');
      } finally {
        db.close();
      }
    } else accessSync(dirname(path), constants.W_OK);
    lines.push({ check: 'bridge state database', verdict: 'ok', detail: `${path} is writable${existsSync(path) ? '' : ' (will be created)'}`, blocking: false });
  } catch (error) {
    lines.push({ check: 'bridge state database', verdict: 'failed', detail: `${path} is not writable: ${(error as Error).message}`, configKey: 'stateDatabasePath', blocking: true });
  }
}

function checkTls(config: BridgeConfig, now: Date, lines: DoctorLine[]): void {
  const tls = config.tls;
  if (tls === undefined) {
    const local = ['127.0.0.1', '::1', 'localhost'].includes(config.host);
    lines.push({
      check: 'TLS',
      verdict: local ? 'note' : 'missing',
      detail: local ? 'plain HTTP on this computer only' : `plain HTTP on ${config.host}: browsers in the network need HTTPS`,
      configKey: 'tls',
      blocking: false,
    });
    return;
  }
  try {
    const cert = new X509Certificate(readFileSync(tls.certFile));
    const key = createPrivateKey(readFileSync(tls.keyFile));
    if (!cert.checkPrivateKey(key)) throw new Error('the key does not belong to the certificate');
    const until = new Date(cert.validTo);
    if (until.getTime() < now.getTime()) throw new Error(`the certificate expired on ${until.toISOString().slice(0, 10)}`);
    lines.push({ check: 'TLS', verdict: 'ok', detail: `certificate for ${cert.subject.replace(/\n/g, ', ')}, valid until ${until.toISOString().slice(0, 10)}`, blocking: false });
  } catch (error) {
    lines.push({ check: 'TLS', verdict: 'failed', detail: `${tls.certFile} / ${tls.keyFile}: ${(error as Error).message}`, configKey: 'tls.certFile, tls.keyFile', blocking: true });
  }
}

function checkOrigins(config: BridgeConfig, lines: DoctorLine[]): void {
  lines.push(
    config.allowedOrigins.length > 0
      ? { check: 'allowed origins', verdict: 'ok', detail: config.allowedOrigins.join(', '), blocking: false }
      : { check: 'allowed origins', verdict: 'missing', detail: 'no ChurchTools address: browsers cannot call the bridge (the CLI and nightly runs can)', configKey: 'allowedOrigins', blocking: false },
  );
}

function describeStore(config: BridgeConfig): string {
  const writes = writesOf(config);
  const mode = isReadOnly(config) ? 'read-only' : `writes persons: ${writes.persons ? 'yes' : 'no'}, bookings: ${writes.bookings ? 'yes' : 'no'}`;
  if (config.store.kind === 'sqlite') return `SQLite file ${config.databasePath} (${mode})`;
  return `ODBC ${redact(config.store.connection ?? '(no store.connection)')}, dialect ${dialectNameOf(config)} (${mode})`;
}

export async function runDoctor(config: BridgeConfig, options: { env?: NodeJS.ProcessEnv; now?: Date } = {}): Promise<DoctorReport> {
  const lines: DoctorLine[] = [];
  let driver: SqlDriver | undefined;
  if (config.store.kind === 'sqlite' && !existsSync(config.databasePath)) {
    lines.push({ check: 'connect', verdict: 'missing', detail: `no database at ${config.databasePath}`, configKey: 'databasePath', blocking: true });
  } else {
    try {
      driver = await openDriver(config, { readonly: true }, options.env ?? process.env);
      lines.push({ check: 'connect', verdict: 'ok', detail: describeStore(config), blocking: false });
    } catch (error) {
      lines.push({ check: 'connect', verdict: 'failed', detail: `${describeStore(config)}: ${redact((error as Error).message)}`, configKey: config.store.kind === 'odbc' ? 'store.connection' : 'databasePath', blocking: true });
    }
  }
  if (driver !== undefined) {
    try {
      if (await checkSchema(driver, resolveNames(namesOf(config)), lines)) await checkData(driver, config, lines);
    } catch (error) {
      lines.push({ check: 'read', verdict: 'failed', detail: redact((error as Error).message), blocking: true });
    } finally {
      await driver.close();
    }
  }
  checkState(config, lines);
  checkTls(config, options.now ?? new Date(), lines);
  checkOrigins(config, lines);
  return { ok: lines.every((line) => !line.blocking || line.verdict === 'ok'), lines };
}

export function formatDoctor(report: DoctorReport): string {
  const width = Math.max(...report.lines.map((l) => l.check.length));
  const out = report.lines.map((l) => `${l.verdict.padEnd(8)}${l.check.padEnd(width + 2)}${l.detail}${l.configKey !== undefined && l.verdict !== 'ok' ? `  → ${l.configKey}` : ''}`);
  out.push('', report.ok ? 'The bridge can serve with this configuration.' : 'The bridge cannot serve yet: fix the lines marked with a config key (→) above.');
  return `${out.join('\n')}\n`;
}
