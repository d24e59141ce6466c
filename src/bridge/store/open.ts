/** Opens the configured store: the embedded SQLite file or an ODBC data source. */
import type { BridgeConfig } from '../config.ts';
import { dialectOf } from './driver/dialect.ts';
import type { DialectName } from './driver/dialect.ts';
import { OdbcDriver } from './driver/odbc.ts';
import { SqliteDriver } from './driver/sqlite.ts';
import type { SqlDriver } from './driver/types.ts';
import { connectionStringOf, readPassword, redact } from './secrets.ts';
import { resolveNames } from './sqlite/names.ts';
import { upgradeOptigemSchema } from './sqlite/schema.ts';
import { SqlStore } from './sqlite/store.ts';

export function dialectNameOf(config: BridgeConfig): DialectName {
  return config.store.dialect ?? (config.store.kind === 'odbc' ? 'access' : 'sqlite');
}

/** The names the store uses: `store.names` over the top-level `names`. */
export function namesOf(config: BridgeConfig): BridgeConfig['names'] {
  const own = config.store.names;
  if (own === undefined) return config.names;
  const merged: Record<string, unknown> = { ...config.names };
  for (const [group, value] of Object.entries(own)) merged[group] = { ...(config.names as Record<string, object | undefined>)[group], ...value };
  return merged as BridgeConfig['names'];
}

export async function openDriver(config: BridgeConfig, options: { readonly: boolean }, env: NodeJS.ProcessEnv = process.env): Promise<SqlDriver> {
  if (config.store.kind === 'sqlite') {
    const driver = new SqliteDriver(config.databasePath, { readonly: options.readonly });
    // Only the embedded SQLite store is ever altered (a column added by a later version); a real
    // Optigem database keeps its schema.
    if (!options.readonly) upgradeOptigemSchema(driver.db, resolveNames(namesOf(config)));
    return driver;
  }
  const secret = readPassword(config.store, env);
  const connection = connectionStringOf(config.store, secret.password);
  return OdbcDriver.connect(connection, (text) => redact(text, secret.password === undefined ? [] : [secret.password]));
}

export async function openStore(config: BridgeConfig, options: { readonly: boolean }, env: NodeJS.ProcessEnv = process.env): Promise<SqlStore> {
  const driver = await openDriver(config, options, env);
  try {
    return await SqlStore.open({
      driver,
      dialect: dialectOf(dialectNameOf(config)),
      names: namesOf(config),
      genderCodes: config.genderCodes,
      archiveCategoryId: config.archiveCategoryId,
      donationAccountTypes: config.donationAccountTypes,
      financialAccountTypes: config.financialAccountTypes,
      waiverDonationKind: config.waiverDonationKind,
      mandantId: config.mandantId,
    });
  } catch (error) {
    await driver.close();
    throw error;
  }
}
