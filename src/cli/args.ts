/**
 * Command-line parsing with node:util parseArgs: the command comes first, each command knows its
 * own options (strict, so a misspelt flag is an error and not silently ignored), and every
 * command has its own --help.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

export const COMMANDS = ['jobs', 'simulate', 'run', 'export', 'import', 'help'] as const;
export type Command = (typeof COMMANDS)[number];

type Options = NonNullable<ParseArgsConfig['options']>;

const CONNECT: Options = {
  churchtools: { type: 'string' },
  token: { type: 'string' },
  pace: { type: 'string' },
};
const COMMON: Options = {
  json: { type: 'boolean' },
  lang: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

const OPTIONS: Readonly<Record<Command, Options>> = {
  jobs: { ...CONNECT, ...COMMON },
  simulate: { ...CONNECT, ...COMMON, 'bridge-token': { type: 'string' }, verbose: { type: 'boolean', short: 'v' } },
  run: {
    ...CONNECT,
    ...COMMON,
    'bridge-token': { type: 'string' },
    'confirm-mass-change': { type: 'boolean' },
    verbose: { type: 'boolean', short: 'v' },
  },
  export: {
    ...CONNECT,
    ...COMMON,
    job: { type: 'string' },
    connection: { type: 'string' },
    out: { type: 'string', short: 'o' },
    'token-env': { type: 'string' },
    'include-token': { type: 'boolean' },
  },
  import: { ...CONNECT, ...COMMON, 'store-token': { type: 'boolean' }, check: { type: 'boolean' } },
  help: { help: { type: 'boolean', short: 'h' } },
};

/** Positional arguments each command takes. */
const POSITIONALS: Readonly<Record<Command, { readonly names: readonly string[]; readonly required: number }>> = {
  jobs: { names: [], required: 0 },
  simulate: { names: ['job'], required: 1 },
  run: { names: ['job'], required: 1 },
  export: { names: [], required: 0 },
  import: { names: ['file'], required: 1 },
  help: { names: ['command'], required: 0 },
};

export type Values = Record<string, string | boolean | undefined>;

export interface Parsed {
  readonly command: Command;
  readonly positionals: readonly string[];
  readonly values: Values;
}

export class UsageError extends Error {
  constructor(
    message: string,
    readonly command?: Command,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

function isCommand(word: string): word is Command {
  return (COMMANDS as readonly string[]).includes(word);
}

export function parse(argv: readonly string[]): Parsed {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h') return { command: 'help', positionals: [], values: {} };
  if (!isCommand(first)) {
    throw new UsageError(first.startsWith('-') ? `Put the command first, e.g. "optigem-sync run <job> ${first}".` : `Unknown command "${first}".`);
  }
  let result: { values: Values; positionals: string[] };
  try {
    result = parseArgs({ args: [...rest], options: OPTIONS[first], allowPositionals: true, strict: true }) as { values: Values; positionals: string[] };
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message.replace(/\. To specify a positional.*$/s, '.') : String(error), first);
  }
  if (result.values['help']) return { command: first, positionals: result.positionals, values: result.values };
  const spec = POSITIONALS[first];
  if (result.positionals.length < spec.required) throw new UsageError(`Missing <${spec.names[result.positionals.length]}>.`, first);
  if (result.positionals.length > spec.names.length) throw new UsageError(`Unexpected argument "${result.positionals[spec.names.length]}".`, first);
  const lang = result.values['lang'];
  if (lang !== undefined && lang !== 'de' && lang !== 'en') throw new UsageError('--lang takes de or en.', first);
  return { command: first, positionals: result.positionals, values: result.values };
}

const CONNECT_HELP = `ChurchTools:
  --churchtools URL      address of ChurchTools (or env CT_URL), e.g. https://gemeinde.church.tools
  --token TOKEN          login token of a user with rights on the Sync module (or env CT_TOKEN)
  --pace N               ChurchTools requests per minute (or env CT_PACE; default 300, at most 600,
                         ChurchTools' limit per IP; slows down by itself after a 429)
`;
const COMMON_HELP = `  --json                 machine-readable output on stdout
  --lang de|en           language of log messages (default: from LANG)
  -h, --help             this help
`;
const EXIT_HELP = `Exit codes: 0 success, 1 finished with errors or conflicts, 2 invalid input or
configuration, 3 refused by a safety rule (run lock held, mass change without confirmation,
incomplete read).
`;

export const HELP: Readonly<Record<Command, string>> = {
  help: `optigem-sync — run ChurchTools ↔ Optigem sync jobs without a browser

Usage: optigem-sync <command> [options]

Commands:
  jobs                   list the jobs (Aufträge) with their last execution
  simulate <job>         simulate a job (Simulieren): reads both systems, writes nothing
  run <job>              run a job (Ausführen)
  export                 write the connection and its jobs as a job document (JSON)
  import <file>          store a job document's connection and jobs in ChurchTools
  help [command]         help for a command (or: optigem-sync <command> --help)

Executions and logs are stored in ChurchTools as when the extension runs a job, so
Ausführungen and Protokoll in the Sync module show command-line runs too.

${CONNECT_HELP}
${EXIT_HELP}`,
  jobs: `Usage: optigem-sync jobs [options]

Lists every job with its id, domain, automatic execution and its last execution.

${CONNECT_HELP}Options:
${COMMON_HELP}`,
  simulate: `Usage: optigem-sync simulate <job> [options]

Simulates a job (by name or id): reads ChurchTools and Optigem, plans, stores the simulation
and its log in ChurchTools, writes nothing else.

${CONNECT_HELP}Options:
  --bridge-token TOKEN   Optigem bridge token (or env OPTIGEM_BRIDGE_TOKEN); default: the one
                         stored with the connection
  -v, --verbose          list every log entry with its field changes
${COMMON_HELP}
${EXIT_HELP}`,
  run: `Usage: optigem-sync run <job> [options]

Runs a job (by name or id) under its run lock, exactly as "Ausführen" in the extension.

${CONNECT_HELP}Options:
  --bridge-token TOKEN   Optigem bridge token (or env OPTIGEM_BRIDGE_TOKEN); default: the one
                         stored with the connection
  --confirm-mass-change  allow archiving/deleting more pairs than the safety threshold
  -v, --verbose          list every log entry with its field changes
${COMMON_HELP}
${EXIT_HELP}`,
  export: `Usage: optigem-sync export [options]

Writes a job document: the connection (bridge URL, token by reference), its property pairs and
its jobs. The token itself is never written unless --include-token is given.

${CONNECT_HELP}Options:
  --job NAME             only this job (name or id) and its connection
  --connection NAME      the connection to export, when there are several
  -o, --out FILE         write to FILE instead of stdout
  --token-env NAME       refer to the token as environment variable NAME
                         (default: {"stored": true}, the token stored in ChurchTools)
  --include-token        write the token itself into the document (keep the file secret!)
  -h, --help             this help
`,
  import: `Usage: optigem-sync import <file> [options]

Validates a job document completely and then stores its connection and jobs in ChurchTools
(created or updated by id, else by name). An invalid document changes nothing; every problem
is listed with its JSON path.

${CONNECT_HELP}Options:
  --check                only validate the document (no ChurchTools needed)
  --store-token          also store the bridge token: the document's inline token, or the
                         value of the environment variable it names
${COMMON_HELP}
${EXIT_HELP}`,
};
