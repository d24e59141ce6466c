/** Command-line parsing and help text of the bridge. */
import { parseArgs } from 'node:util';
import { ENVIRONMENT } from './config.ts';
import type { ConfigOverrides } from './config.ts';

export type Command = 'serve' | 'demo' | 'token' | 'doctor' | 'help';

export interface CliArgs {
  command: Command;
  configFile: string | undefined;
  flags: ConfigOverrides;
  force: boolean;
  createDemo: boolean;
  scope: 'read' | 'readwrite' | 'both';
  /** doctor: print the report as JSON (for support). */
  json: boolean;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const HELP = `Optigem bridge: a small, token-protected HTTP API over Optigem's data.

Usage:
  npx tsx src/bridge/main.ts [serve|demo|token|doctor|help] [options]

Commands:
  serve   Start the bridge (default). Prints its URL; on the very first start it
          makes a read-write and a read-only token and prints them once (stderr).
  demo    Create the demo database (Optigem-like tables with demo data).
  token   Make new tokens and print them once; the old ones stop working.
  doctor  Check the configured store and settings: tables and columns against
          what the bridge expects, counts, Donor 0, state database, TLS, origins.
          One verdict per line; exit code 0 only when the bridge can serve.
  help    Show this text.

Options:
  --config <file>          JSON config file (see docs/bridge.md for every key)
  --port <n>               port (default 8478)
  --host <address>         bind address (default 127.0.0.1; 0.0.0.0 for the LAN)
  --origin <url>           allowed ChurchTools origin, exact, repeatable
                           (e.g. https://gemeinde.church.tools; "*" is refused)
  --store <kind>           store kind: sqlite (default) or odbc (see store.* in docs/bridge.md)
  --database <file>        store database (default .dev-data/optigem-demo.sqlite)
  --state-database <file>  the bridge's own tables (default: inside the store database)
  --tls-cert <file>        PEM certificate: serve HTTPS (needs --tls-key)
  --tls-key <file>         PEM private key
  --token-file <file>      keep token hashes in this JSON file instead of the database
  --create-demo            serve: create the demo database first if it is missing
  --force                  demo: replace an existing database
  --scope <s>              token: read, readwrite or both (default both)
  --json                   doctor: print the report as JSON
  -h, --help               show this text

Environment (overridden by options, override the config file):
${ENVIRONMENT.map((e) => `  ${e.name.padEnd(31)}${e.describe}`).join('\n')}
  OPTIGEM_BRIDGE_CONFIG          config file (like --config)
  OPTIGEM_BRIDGE_CT_TOKEN        ChurchTools login token of the sync user for nightly
                                 runs (only from the environment, never the config file)

Nightly runs: with "nightly": {"enabled": true, "churchToolsUrl": ...} in the config
file (or OPTIGEM_BRIDGE_NIGHTLY=1 and OPTIGEM_BRIDGE_CT_URL), serve runs every job with
automatic execution once per night inside nightly.window (default 00:00-04:00, in
nightly.timeZone or the machine's). See docs/bridge.md, "Nightly runs".

Logs are JSON lines on stdout; they never contain tokens or personal data.
`;

export function parseCli(argv: readonly string[], env: NodeJS.ProcessEnv): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        config: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        origin: { type: 'string', multiple: true },
        store: { type: 'string' },
        database: { type: 'string' },
        'state-database': { type: 'string' },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        'token-file': { type: 'string' },
        'create-demo': { type: 'boolean', default: false },
        force: { type: 'boolean', default: false },
        scope: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) throw new UsageError(`Unexpected arguments: ${positionals.slice(1).join(' ')}`);
  const first = positionals[0] ?? 'serve';
  if (!['serve', 'demo', 'token', 'doctor', 'help'].includes(first)) throw new UsageError(`Unknown command "${first}".`);
  const scope = values.scope ?? 'both';
  if (scope !== 'read' && scope !== 'readwrite' && scope !== 'both') throw new UsageError('--scope must be read, readwrite or both.');
  return {
    command: values.help ? 'help' : (first as Command),
    configFile: values.config ?? env['OPTIGEM_BRIDGE_CONFIG'],
    flags: {
      port: values.port,
      host: values.host,
      origins: values.origin,
      store: values.store,
      database: values.database,
      stateDatabase: values['state-database'],
      tlsCert: values['tls-cert'],
      tlsKey: values['tls-key'],
      tokenFile: values['token-file'],
    },
    force: values.force,
    createDemo: values['create-demo'],
    scope,
    json: values.json,
  };
}
