/**
 * Command-line parsing with node:util parseArgs: the command comes first, each command knows its
 * own options (strict, so a misspelt flag is an error and not silently ignored), and every
 * command has its own --help.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

export const COMMANDS = ['jobs', 'simulate', 'run', 'unlock', 'export', 'import', 'connection', 'couples', 'nightly', 'help'] as const;
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
  simulate: { ...CONNECT, ...COMMON, 'bridge-token': { type: 'string' }, decisions: { type: 'string' }, verbose: { type: 'boolean', short: 'v' } },
  run: {
    ...CONNECT,
    ...COMMON,
    'bridge-token': { type: 'string' },
    decisions: { type: 'string' },
    'confirm-mass-change': { type: 'boolean' },
    'break-lock': { type: 'boolean' },
    yes: { type: 'boolean', short: 'y' },
    verbose: { type: 'boolean', short: 'v' },
  },
  unlock: { ...CONNECT, ...COMMON, yes: { type: 'boolean', short: 'y' } },
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
  connection: { ...CONNECT, ...COMMON },
  couples: { ...CONNECT, ...COMMON, connection: { type: 'string' }, 'bridge-token': { type: 'string' } },
  nightly: { ...COMMON, bridge: { type: 'string' }, 'bridge-token': { type: 'string' }, now: { type: 'boolean' } },
  help: { help: { type: 'boolean', short: 'h' } },
};

/** Positional arguments each command takes. */
const POSITIONALS: Readonly<Record<Command, { readonly names: readonly string[]; readonly required: number }>> = {
  jobs: { names: [], required: 0 },
  simulate: { names: ['job'], required: 1 },
  run: { names: ['job'], required: 1 },
  unlock: { names: ['job'], required: 1 },
  export: { names: [], required: 0 },
  import: { names: ['file'], required: 1 },
  connection: { names: ['subcommand', 'connection'], required: 2 },
  couples: { names: [], required: 0 },
  nightly: { names: ['job'], required: 0 },
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
const EXIT_HELP = `Exit codes: 0 success, 1 finished with errors, conflicts or possible duplicates
needing a decision, cancelled or failed, 2 invalid input or configuration, 3 refused by a
safety rule (run lock held, mass change without confirmation, plan changed), 4 incomplete:
a read failed, the result may miss records, 5 simulation: a run needs --confirm-mass-change.
`;

export const HELP: Readonly<Record<Command, string>> = {
  help: `optigem-sync — run ChurchTools ↔ Optigem sync jobs without a browser

Usage: optigem-sync <command> [options]

Commands:
  jobs                   list the jobs (Aufträge) with their last execution
  simulate <job>         simulate a job (Simulieren): reads both systems, writes nothing
  run <job>              run a job (Ausführen)
  unlock <job>           break a stale run lock of a job (asks first; --yes to skip)
  export                 write the connection and its jobs as a job document (JSON)
  import <file>          store a job document's connection and jobs in ChurchTools
  connection fix-booking-sides <connection>
                         switch a connection to Soll ↔ Konto, Haben ↔ Gegenkonto
  couples                list the Optigem couple records and the spouses they are paired with
  nightly [--now [job]]  the bridge's nightly runner: last results, or run now
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
  --decisions FILE       store decisions on possible duplicates first (link with a
                         candidate, or create anyway); see docs/cli.md
  -v, --verbose          list every log entry with its field changes
${COMMON_HELP}
${EXIT_HELP}`,
  run: `Usage: optigem-sync run <job> [options]

Runs a job (by name or id) under its run lock, exactly as "Ausführen" in the extension.

${CONNECT_HELP}Options:
  --bridge-token TOKEN   Optigem bridge token (or env OPTIGEM_BRIDGE_TOKEN); default: the one
                         stored with the connection
  --confirm-mass-change  allow archiving/deleting more pairs than the safety threshold
  --decisions FILE       store decisions on possible duplicates first (link with a
                         candidate, or create anyway); see docs/cli.md
  --break-lock           first break a stale run lock (asks first; with --yes without asking)
  -y, --yes              answer yes to --break-lock's question
  -v, --verbose          list every log entry with its field changes
${COMMON_HELP}
${EXIT_HELP}`,
  unlock: `Usage: optigem-sync unlock <job> [options]

Breaks the run lock of a job (by name or id) that a run left behind, e.g. after a crash. Shows
who holds it since when and asks for confirmation; --yes breaks it without asking. Only break
a lock whose run is really gone: a run that still holds it stops before its next write.

${CONNECT_HELP}Options:
  -y, --yes              do not ask
${COMMON_HELP}`,
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
  connection: `Usage: optigem-sync connection fix-booking-sides <connection> [options]

Connections stored by earlier versions pair Optigem's Soll with ChurchTools' Gegenkonto
(contraAccountId) and Haben with Konto (accountId): the wrong way round. Booking jobs of such a
connection do not run. This command switches the connection (by name or id) to Soll ↔ Konto
(accountId) and Haben ↔ Gegenkonto (contraAccountId), as ChurchTools books an income (bank on
Konto, donation account on Gegenkonto), and updates its jobs' pair selection. Bookings already
linked keep their link; where their accounts now differ, the next run shows a conflict.

${CONNECT_HELP}Options:
${COMMON_HELP}
${EXIT_HELP}`,
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
  couples: `Usage: optigem-sync couples [options]

Lists the Optigem records that stand for a married couple ("Herr und Frau Max und Erika
Muster"), as the sync sees them: the two first names (after the corrections made in the Sync
module under Paare → Ehepaar-Datensätze), confidence and reason, and the ChurchTools spouses
each record is paired with. Reads only.

${CONNECT_HELP}Options:
  --connection NAME      the connection (name or id), when there are several
  --bridge-token TOKEN   Optigem bridge token (or env OPTIGEM_BRIDGE_TOKEN); default: the one
                         stored with the connection
${COMMON_HELP}`,
  nightly: `Usage: optigem-sync nightly --bridge URL [--now [job]] [options]

Talks to a running bridge with nightly runs (docs/bridge.md, "Nightly runs"); ChurchTools is
not needed. Without --now: the next run and the last result of each job with its reason.
With --now: does at once what the nightly window does — every job with automatic execution,
or the one named (id or name), unattended, whether or not it ran tonight — then waits for the
bridge to finish and prints each result.

Options:
  --bridge URL           address of the bridge (or env OPTIGEM_BRIDGE_URL)
  --bridge-token TOKEN   bridge token (or env OPTIGEM_BRIDGE_TOKEN); --now needs the
                         read-write token
  --now                  run now
${COMMON_HELP}
Exit codes: 0 every run succeeded, 1 one finished with errors, held changes back, was
cancelled or did not start (job locked), 2 invalid input (no bridge, token, unknown job,
nightly runs off), 3 one was refused or failed, or the bridge is busy with a pass, 4 one was
incomplete.
`,
};
