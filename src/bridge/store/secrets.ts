/**
 * The database password and the ODBC connection string. The password comes from a file or an
 * environment variable, never from the config file itself, and every text the bridge shows
 * (logs, errors, doctor) passes `redact` first.
 */
import { readFileSync } from 'node:fs';
import type { StoreConfig } from '../config.ts';

const SECRET_KEYS = /\b(pwd|password|passwd|uid-password)\s*=\s*(\{[^}]*\}|[^;]*)/gi;

/** Hides `Pwd=…`/`Password=…` values and any of the given secrets in a text. */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text.replace(SECRET_KEYS, (_match, key: string) => `${key}=***`);
  for (const secret of secrets) if (secret.length >= 3) out = out.replaceAll(secret, '***');
  return out;
}

export interface DatabaseSecret {
  readonly password: string | undefined;
  /** Where it came from, for messages (never the value). */
  readonly source: string | undefined;
}

export function readPassword(store: StoreConfig, env: NodeJS.ProcessEnv): DatabaseSecret {
  if (store.passwordFile !== undefined) {
    let text: string;
    try {
      text = readFileSync(store.passwordFile, 'utf8');
    } catch (error) {
      throw new Error(`Cannot read the database password file ${store.passwordFile} (store.passwordFile): ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
    }
    return { password: text.split(/\r?\n/)[0] ?? '', source: `file ${store.passwordFile}` };
  }
  const value = env[store.passwordEnv];
  return value === undefined || value === '' ? { password: undefined, source: undefined } : { password: value, source: `environment ${store.passwordEnv}` };
}

/** ODBC values with `;` or braces must be wrapped in braces. */
function odbcValue(value: string): string {
  return /[;{}]/.test(value) || value.trim() !== value ? `{${value.replaceAll('}', '}}')}}` : value;
}

/** A bare DSN name becomes `DSN=<name>`; a string with `=` is a connection string as it is. */
export function connectionStringOf(store: StoreConfig, password: string | undefined): string {
  const base = store.connection;
  if (base === undefined) throw new Error('store.kind "odbc" needs store.connection (a DSN like "DSN=Optigem" or a connection string).');
  const parts = [base.includes('=') ? base.replace(/;\s*$/, '') : `DSN=${odbcValue(base)}`];
  if (store.workgroupFile !== undefined) parts.push(`SystemDB=${odbcValue(store.workgroupFile)}`);
  if (store.user !== undefined) parts.push(`Uid=${odbcValue(store.user)}`);
  if (password !== undefined) parts.push(`Pwd=${odbcValue(password)}`);
  return parts.join(';');
}
