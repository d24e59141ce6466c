/**
 * optigem-sync, the command line: import/export job documents, list jobs, simulate and run them
 * from Node with a ChurchTools login token. Every simulation and run goes through JobRunner, so
 * it takes the same run lock and stores the same execution and log as the extension.
 *
 * `main(argv, io)` does the work and returns the exit code; it never calls process.exit, so tests
 * run it in-process. Run as a program (`npx tsx src/cli/main.ts …`, or the `optigem-sync` bin via
 * src/cli/bin.mjs), `runCli()` wires it to the process.
 */
import { open, readFile, writeFile } from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CtHttpOptions } from '../churchtools/index.ts';
import { CHURCHTOOLS_MAX_REQUESTS_PER_MINUTE, clampPace } from '../churchtools/http/pacer.ts';
import { CorruptValueError, KvRightsError, LockHeldError } from '../churchtools/index.ts';
import type { Stored } from '../churchtools/kv/documents.ts';
import type { RunLock } from '../churchtools/kv/schemas.ts';
import { formatDateTime } from '../format/values.ts';
import { connectHeadless, LoginError, type Headless } from '../runner/headless.ts';
import {
  JobDocumentError,
  exportDocument,
  findByNameOrId,
  importDocument,
  validateDocument,
  TOKEN_UNSAFE,
  TOKEN_UNSAFE_TEXT,
  type DocumentProblem,
  type ExportOptions,
  type TokenOutcome,
} from '../runner/job-document.ts';
import { fixBookingSides } from '../runner/booking-sides.ts';
import { RunFailedError, RunnerError, runLockKey, type RunReport } from '../runner/job-runner.ts';
import { formatMessage, localeFromEnv, type TextLocale } from '../runner/messages.ts';
import type { DuplicateDecision, Execution, Job } from '../sync/model.ts';
import { validateDecisionFile } from './decisions.ts';
import { HELP, UsageError, parse, type Command, type Parsed } from './args.ts';
import { coupleLines, coupleTable } from './couples.ts';
import { NightlyCommandError, nightlyCommand } from './nightly.ts';
import { executionSummary, jobTable, ProgressBar, type OutStream } from './render.ts';
import { readValueNames } from './value-names.ts';
import {
  CLI_REPORT_FORMAT,
  CLI_REPORT_VERSION,
  EXIT_CODES,
  entryReport,
  executionReport,
  judgeExecution,
  planReport,
  possibleDuplicatesReport,
  type CliRunReport,
  type ExitCode,
  type Outcome,
} from './report.ts';

export interface CliIo {
  readonly stdout: OutStream;
  readonly stderr: OutStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Relative file names are resolved against it; default process.cwd(). */
  readonly cwd?: string;
  /** Cancels a run between operations (Ctrl-C). */
  readonly signal?: AbortSignal;
  /** Pacing of ChurchTools requests; tests against the stand-in go faster than a real instance allows. */
  readonly churchToolsHttp?: CtHttpOptions;
  /** Asks the user a question on the terminal; absent when nobody can answer (not a TTY). */
  readonly ask?: (question: string) => Promise<string>;
  /** How often `nightly --now` asks the bridge whether its runs have finished (default 2 s). */
  readonly nightlyPollMs?: number;
}

/** A failure with its exit code and a message for stderr (or the JSON report). */
class CliFailure extends Error {
  constructor(
    readonly exitCode: ExitCode,
    readonly code: string,
    message: string,
    readonly problems: readonly DocumentProblem[] = [],
  ) {
    super(message);
    this.name = 'CliFailure';
  }
}

interface Context {
  readonly parsed: Parsed;
  readonly io: CliIo;
  readonly locale: TextLocale;
  readonly json: boolean;
}

function say(stream: OutStream, text: string): void {
  stream.write(text.endsWith('\n') ? text : `${text}\n`);
}

function flag(ctx: Context, name: string): boolean {
  return ctx.parsed.values[name] === true;
}

function option(ctx: Context, name: string): string | undefined {
  const value = ctx.parsed.values[name];
  return typeof value === 'string' ? value : undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/** `--pace` / CT_PACE: requests per minute, capped at ChurchTools' documented limit. */
function paceOf(ctx: Context): number | undefined {
  const raw = nonEmpty(option(ctx, 'pace')) ?? nonEmpty(ctx.io.env['CT_PACE']);
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) {
    throw new CliFailure(EXIT_CODES.invalid, 'invalidPace', `--pace / CT_PACE must be a whole number of requests per minute (1–${CHURCHTOOLS_MAX_REQUESTS_PER_MINUTE}), not "${raw}".`);
  }
  return clampPace(Number(raw));
}

async function connect(ctx: Context, bridgeToken?: string): Promise<Headless> {
  const url = nonEmpty(option(ctx, 'churchtools')) ?? nonEmpty(ctx.io.env['CT_URL']);
  const token = nonEmpty(option(ctx, 'token')) ?? nonEmpty(ctx.io.env['CT_TOKEN']);
  if (!url) throw new CliFailure(EXIT_CODES.invalid, 'missingChurchToolsUrl', 'Missing the ChurchTools address: --churchtools URL or env CT_URL.');
  if (!token) throw new CliFailure(EXIT_CODES.invalid, 'missingToken', 'Missing the ChurchTools login token: --token TOKEN or env CT_TOKEN.');
  const pace = paceOf(ctx);
  const http = pace === undefined ? ctx.io.churchToolsHttp : { ...ctx.io.churchToolsHttp, requestsPerMinute: pace };
  try {
    return await connectHeadless({
      churchToolsUrl: url,
      loginToken: token,
      owner: 'CLI',
      ...(bridgeToken !== undefined ? { bridgeToken } : {}),
      ...(http ? { http } : {}),
    });
  } catch (error) {
    if (error instanceof LoginError) throw new CliFailure(EXIT_CODES.invalid, 'loginFailed', error.message);
    throw error;
  }
}

/** A stored job by name or id, or a CliFailure (exit 2) that lists the jobs there are. */
async function findJob(headless: Headless, wanted: string): Promise<Job> {
  const { items, problems } = await headless.storage.jobs.list();
  const jobs = items.map((item) => item.data);
  const matches = findByNameOrId(jobs, wanted);
  const [job] = matches;
  if (!job) {
    const broken = problems.length > 0 ? ` (${problems.length} stored job(s) cannot be read)` : '';
    throw new CliFailure(EXIT_CODES.invalid, 'jobNotFound', `Unknown job "${wanted}". Jobs: ${jobs.map((j) => `"${j.name}"`).join(', ') || 'none'}${broken}.`);
  }
  if (matches.length > 1) {
    throw new CliFailure(EXIT_CODES.invalid, 'jobAmbiguous', `Several jobs are called "${wanted}"; give the id: ${matches.map((j) => j.id).join(', ')}.`);
  }
  return job;
}

// ---------------------------------------------------------------------------------------------
// simulate / run

async function execute(ctx: Context): Promise<ExitCode> {
  const command = ctx.parsed.command as 'simulate' | 'run';
  const wanted = ctx.parsed.positionals[0] ?? '';
  const bridgeToken = nonEmpty(option(ctx, 'bridge-token')) ?? nonEmpty(ctx.io.env['OPTIGEM_BRIDGE_TOKEN']);
  let job: Job | null = null;
  const fail = (failure: CliFailure, outcome: Outcome): ExitCode => {
    if (ctx.json) {
      const report: CliRunReport = {
        format: CLI_REPORT_FORMAT,
        version: CLI_REPORT_VERSION,
        command,
        exitCode: failure.exitCode,
        outcome,
        job: job ? { id: job.id, name: job.name, domain: job.domain } : null,
        execution: null,
        plan: null,
        possibleDuplicates: [],
        entries: [],
        error: { code: failure.code, message: failure.message },
      };
      say(ctx.io.stdout, JSON.stringify(report, null, 2));
    }
    say(ctx.io.stderr, failure.message);
    return failure.exitCode;
  };

  let report: RunReport;
  let ran: Job;
  let headless: Headless | undefined;
  let bar = new ProgressBar(ctx.io.stderr, ctx.locale);
  try {
    // Checked before logging in: a bad decision file needs no ChurchTools and stores nothing.
    const decisions = await readDecisions(ctx);
    const connected = await connect(ctx, bridgeToken);
    headless = connected;
    ran = await findJob(connected, wanted);
    job = ran;
    if (decisions) {
      if (ran.domain !== 'person') throw new CliFailure(EXIT_CODES.invalid, 'decisionsNotForTransactions', `--decisions: "${ran.name}" syncs bookings; decisions on possible duplicates are for person jobs.`);
      await connected.storage.decisions.decide(ran.connectionId, ran.domain, decisions);
      say(ctx.io.stderr, `Stored ${decisions.length} decision(s) on possible duplicates for connection ${ran.connectionId}; this and every later simulation and run follow them.`);
    }
    if (command === 'run' && flag(ctx, 'break-lock')) await breakLock(ctx, connected, ran);
    bar = new ProgressBar(ctx.io.stderr, ctx.locale, ran.domain);
    bar.note(`Reading ChurchTools and Optigem for "${ran.name}"…`);
    const onProgress = (progress: Parameters<ProgressBar['update']>[0]) => bar.update(progress);
    report =
      command === 'run'
        ? await connected.runner.run(ran, {
            confirmMassChange: flag(ctx, 'confirm-mass-change'),
            ...(ctx.io.signal ? { signal: ctx.io.signal } : {}),
            onProgress,
          })
        : await connected.runner.simulate(ran, { onProgress });
  } catch (error) {
    bar.clear();
    if (error instanceof CliFailure) return fail(error, 'invalidInput');
    if (error instanceof LockHeldError) {
      return fail(new CliFailure(EXIT_CODES.refused, 'lockHeld', `${lockHeldText(error, job?.name ?? wanted, ctx.locale)} (exit code ${EXIT_CODES.refused})`), 'lockHeld');
    }
    if (error instanceof RunFailedError) {
      // The run stopped after it started: what it stored (execution, log so far) is the report.
      report = error.report;
      ran = job as Job;
      say(ctx.io.stderr, `${command === 'run' ? 'Run' : 'Simulation'} failed: ${error.message}`);
      return finish(ctx, command, ran, report, headless);
    }
    if (error instanceof RunnerError) {
      const text: Record<RunnerError['code'], string> = {
        jobNotFound: `The job ${error.subject} does not exist (any more).`,
        connectionNotFound: `The job's connection ${error.subject} does not exist; import or create it first.`,
        tokenMissing: `No Optigem bridge token is stored for connection ${error.subject}: enter it in the extension, import it (--store-token), or pass --bridge-token / OPTIGEM_BRIDGE_TOKEN.`,
        bookingSidesReversed: error.message,
      };
      return fail(new CliFailure(EXIT_CODES.invalid, error.code, text[error.code]), 'invalidInput');
    }
    if (error instanceof KvRightsError || error instanceof CorruptValueError) {
      return fail(new CliFailure(EXIT_CODES.invalid, error.name, error.message), 'invalidInput');
    }
    return fail(new CliFailure(EXIT_CODES.errors, 'failed', `${command === 'run' ? 'Run' : 'Simulation'} failed: ${error instanceof Error ? error.message : String(error)}`), 'failed');
  }
  bar.clear();
  return finish(ctx, command, ran, report, headless);
}

async function finish(ctx: Context, command: 'simulate' | 'run', ran: Job, report: RunReport, headless?: Headless): Promise<ExitCode> {
  const { exitCode, outcome } = judgeExecution(report.execution, report.plan);
  if (ctx.json) {
    const output: CliRunReport = {
      format: CLI_REPORT_FORMAT,
      version: CLI_REPORT_VERSION,
      command,
      exitCode,
      outcome,
      job: { id: ran.id, name: ran.name, domain: ran.domain },
      execution: executionReport(report.execution, ctx.locale),
      plan: planReport(report.plan, ctx.locale),
      possibleDuplicates: possibleDuplicatesReport(report.plan),
      entries: report.entries.map((entry) => entryReport(entry, ctx.locale)),
      error: null,
    };
    say(ctx.io.stdout, JSON.stringify(output, null, 2));
  } else {
    const verbose = flag(ctx, 'verbose');
    // Only the changes a verbose output prints need names; blockers' donors always do.
    const names = headless ? await readValueNames(headless, ran, verbose ? report.entries : [], report.plan?.blockers ?? []) : {};
    const summary = { jobName: ran.name, domain: ran.domain, execution: report.execution, plan: report.plan, entries: report.entries, outcome, exitCode };
    ctx.io.stdout.write(executionSummary({ ...summary, ...names }, ctx.locale, verbose));
  }
  return exitCode;
}

/** The decisions of `--decisions FILE`, validated as a whole; undefined without the option. */
async function readDecisions(ctx: Context): Promise<readonly DuplicateDecision[] | undefined> {
  const name = option(ctx, 'decisions');
  if (name === undefined) return undefined;
  const file = resolve(ctx.io.cwd ?? process.cwd(), name);
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new CliFailure(EXIT_CODES.invalid, 'invalidDecisions', `--decisions: cannot read ${file} as JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const result = validateDecisionFile(json, 'CLI', new Date().toISOString());
  if (!result.ok) {
    throw new CliFailure(EXIT_CODES.invalid, 'invalidDecisions', `${file} is not a valid decision file (${result.problems.length} problem(s)); nothing was stored:\n${problemLines(result.problems)}`, result.problems);
  }
  return result.decisions;
}

// ---------------------------------------------------------------------------------------------
// connection fix-booking-sides

async function connectionCommand(ctx: Context): Promise<ExitCode> {
  const [subcommand = '', wanted = ''] = ctx.parsed.positionals;
  if (subcommand !== 'fix-booking-sides') {
    throw new CliFailure(EXIT_CODES.invalid, 'usage', `Unknown "connection ${subcommand}"; the command is "optigem-sync connection fix-booking-sides <connection>".`);
  }
  const headless = await connect(ctx);
  const { items } = await headless.storage.connections.list();
  const matches = findByNameOrId(items.map((item) => item.data), wanted);
  const [connection] = matches;
  if (!connection) {
    throw new CliFailure(EXIT_CODES.invalid, 'connectionNotFound', `Unknown connection "${wanted}". Connections: ${items.map((c) => `"${c.data.name}"`).join(', ') || 'none'}.`);
  }
  if (matches.length > 1) {
    throw new CliFailure(EXIT_CODES.invalid, 'connectionAmbiguous', `Several connections are called "${wanted}"; give the id: ${matches.map((c) => c.id).join(', ')}.`);
  }
  const outcome = await fixBookingSides(headless.storage, connection.id);
  if (ctx.json) {
    say(ctx.io.stdout, JSON.stringify({ ok: true, connection: { id: connection.id, name: connection.name }, ...outcome }, null, 2));
  } else if (!outcome.switched) {
    say(ctx.io.stdout, `Connection "${connection.name}" already pairs Soll with Konto (accountId) and Haben with Gegenkonto (contraAccountId); nothing changed.`);
  } else {
    const keys = Object.entries(outcome.renamed).map(([from, to]) => `${from} → ${to}`).join(', ');
    const jobs = outcome.jobs.length > 0 ? ` Jobs updated: ${outcome.jobs.map((name) => `"${name}"`).join(', ')}.` : '';
    say(
      ctx.io.stdout,
      `Connection "${connection.name}" now pairs Soll with Konto (accountId) and Haben with Gegenkonto (contraAccountId) (property pairs ${keys}).${jobs}\n` +
        'Bookings already linked stay linked; where their accounts now differ, the next simulation shows a conflict to decide.',
    );
  }
  return EXIT_CODES.ok;
}

/** "Der Auftrag „Personen“ läuft bereits (seit 06.12.2026 10:51 UTC, von CLI (Anna Admin))." */
function lockHeldText(error: LockHeldError, fallbackJob: string, locale: TextLocale): string {
  return formatMessage({ key: 'refusal.lockHeld', args: { job: error.holderJobName ?? fallbackJob, since: when(error.since, locale), owner: error.owner } }, locale);
}

function when(iso: string | null, locale: TextLocale): string {
  if (iso === null || Number.isNaN(Date.parse(iso))) return locale === 'de' ? 'unbekannt' : 'unknown';
  return new Date(iso).toLocaleString(locale === 'de' ? 'de-DE' : 'en-GB', { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'UTC' }) + ' UTC';
}

function lockLine(claim: Stored<RunLock>, locale: TextLocale): string {
  const job = claim.data.jobName ?? claim.data.jobId ?? claim.data.id;
  return `  „${job}“ — ${claim.data.owner}, ${when(claim.data.acquiredAt, locale)} (run ${claim.data.runId ?? '?'})`;
}

/**
 * Breaks the run lock of the job's connection and domain after the user confirmed (or --yes).
 * Returns how many claims were removed.
 */
async function breakLock(ctx: Context, headless: Headless, job: Job): Promise<number> {
  const key = runLockKey(job);
  const claims = await headless.storage.locks.claims(key);
  if (claims.length === 0) {
    say(ctx.io.stderr, `The job "${job.name}" is not locked.`);
    return 0;
  }
  say(ctx.io.stderr, `Run lock of "${job.name}" (${key}):\n${claims.map((claim) => lockLine(claim, ctx.locale)).join('\n')}`);
  if (!flag(ctx, 'yes')) {
    if (!ctx.io.ask) throw new CliFailure(EXIT_CODES.invalid, 'confirmationNeeded', 'Breaking a run lock needs a confirmation: run on a terminal or add --yes.');
    const answer = (await ctx.io.ask('Break this lock? Only if that run is really gone. Type "yes": ')).trim().toLowerCase();
    if (answer !== 'yes' && answer !== 'ja') throw new CliFailure(EXIT_CODES.invalid, 'notConfirmed', 'Not confirmed; the lock stays.');
  }
  const removed = await headless.storage.locks.breakLock(key);
  say(ctx.io.stderr, `Broke the run lock of "${job.name}" (${removed.length} claim(s) removed).`);
  return removed.length;
}

async function unlockCommand(ctx: Context): Promise<ExitCode> {
  const headless = await connect(ctx);
  const job = await findJob(headless, ctx.parsed.positionals[0] ?? '');
  const removed = await breakLock(ctx, headless, job);
  if (ctx.json) say(ctx.io.stdout, JSON.stringify({ ok: true, job: { id: job.id, name: job.name }, claimsRemoved: removed }, null, 2));
  return EXIT_CODES.ok;
}

// ---------------------------------------------------------------------------------------------
// jobs

async function listJobs(ctx: Context): Promise<ExitCode> {
  const headless = await connect(ctx);
  const [jobs, executions, connections] = await Promise.all([
    headless.storage.jobs.list(),
    headless.storage.executions.recent(),
    headless.storage.connections.list(),
  ]);
  const latest = new Map<string, Execution>();
  // recent() is newest first: the first one seen per job is its last execution.
  for (const item of executions.items) if (!latest.has(item.data.jobId)) latest.set(item.data.jobId, item.data);
  const connectionName = new Map(connections.items.map((c) => [c.data.id, c.data.name]));
  const lines = jobs.items
    .map((item) => item.data)
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((job) => ({
      id: job.id,
      name: job.name,
      domain: job.domain,
      connection: { id: job.connectionId, name: connectionName.get(job.connectionId) ?? null },
      autoRun: job.autoRun,
      last: latest.get(job.id) ?? null,
    }));
  const problems = [...jobs.problems, ...executions.problems, ...connections.problems];
  if (ctx.json) {
    say(ctx.io.stdout, JSON.stringify({ jobs: lines.map(({ last, ...rest }) => ({ ...rest, lastExecution: last })), unreadable: problems }, null, 2));
  } else {
    ctx.io.stdout.write(jobTable(lines, ctx.locale));
  }
  for (const problem of problems) say(ctx.io.stderr, `Warning: ${problem.category} value ${problem.valueId} cannot be read: ${problem.reason}`);
  return EXIT_CODES.ok;
}

// ---------------------------------------------------------------------------------------------
// couples

async function couplesCommand(ctx: Context): Promise<ExitCode> {
  const bridgeToken = nonEmpty(option(ctx, 'bridge-token')) ?? nonEmpty(ctx.io.env['OPTIGEM_BRIDGE_TOKEN']);
  const headless = await connect(ctx, bridgeToken);
  const connections = (await headless.storage.connections.list()).items.map((item) => item.data);
  const wanted = option(ctx, 'connection');
  const matches = wanted === undefined ? connections : findByNameOrId(connections, wanted);
  const [connection] = matches;
  if (!connection || matches.length > 1) {
    const names = connections.map((c) => `"${c.name}"`).join(', ') || 'none';
    throw new CliFailure(EXIT_CODES.invalid, 'connectionNotFound', `${connection ? 'Several connections; give --connection' : `Unknown connection "${wanted ?? ''}"`}. Connections: ${names}.`);
  }
  const token = await headless.storage.secrets.token(connection.id);
  if (!token) throw new CliFailure(EXIT_CODES.invalid, 'missingBridgeToken', `No bridge token is stored for "${connection.name}": --bridge-token TOKEN or env OPTIGEM_BRIDGE_TOKEN.`);
  const result = await coupleLines(headless.storage, connection, token);
  if (ctx.json) say(ctx.io.stdout, JSON.stringify({ connection: { id: connection.id, name: connection.name }, complete: result.complete, couples: result.lines }, null, 2));
  else ctx.io.stdout.write(coupleTable(result));
  return result.complete ? EXIT_CODES.ok : EXIT_CODES.refused;
}

// ---------------------------------------------------------------------------------------------
// nightly

async function nightly(ctx: Context): Promise<ExitCode> {
  const bridgeUrl = nonEmpty(option(ctx, 'bridge')) ?? nonEmpty(ctx.io.env['OPTIGEM_BRIDGE_URL']);
  const bridgeToken = nonEmpty(option(ctx, 'bridge-token')) ?? nonEmpty(ctx.io.env['OPTIGEM_BRIDGE_TOKEN']);
  if (!bridgeUrl) throw new CliFailure(EXIT_CODES.invalid, 'missingBridgeUrl', 'Missing the bridge address: --bridge URL or env OPTIGEM_BRIDGE_URL.');
  if (!bridgeToken) throw new CliFailure(EXIT_CODES.invalid, 'missingBridgeToken', 'Missing the bridge token: --bridge-token TOKEN or env OPTIGEM_BRIDGE_TOKEN.');
  const job = ctx.parsed.positionals[0];
  if (job !== undefined && !flag(ctx, 'now')) throw new CliFailure(EXIT_CODES.invalid, 'usage', `A job ("${job}") is only taken with --now.`);
  try {
    return await nightlyCommand({
      bridgeUrl,
      bridgeToken,
      now: flag(ctx, 'now'),
      job,
      json: ctx.json,
      locale: ctx.locale,
      stdout: ctx.io.stdout,
      stderr: ctx.io.stderr,
      pollMs: ctx.io.nightlyPollMs,
      signal: ctx.io.signal,
    });
  } catch (error) {
    if (error instanceof NightlyCommandError) throw new CliFailure(error.exitCode, error.code, error.message);
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// export / import

async function exportCommand(ctx: Context): Promise<ExitCode> {
  const tokenEnv = option(ctx, 'token-env');
  if (tokenEnv !== undefined && flag(ctx, 'include-token')) throw new CliFailure(EXIT_CODES.invalid, 'usage', 'Give either --token-env or --include-token, not both.');
  if (tokenEnv !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(tokenEnv)) throw new CliFailure(EXIT_CODES.invalid, 'usage', `--token-env takes an environment variable name, not "${tokenEnv}".`);
  const headless = await connect(ctx);
  const job = option(ctx, 'job');
  const connection = option(ctx, 'connection');
  const options: ExportOptions = {
    ...(job !== undefined ? { jobName: job } : {}),
    ...(connection !== undefined ? { connection } : {}),
    token: tokenEnv !== undefined ? { kind: 'env', name: tokenEnv } : flag(ctx, 'include-token') ? { kind: 'inline' } : { kind: 'stored' },
  };
  let result: Awaited<ReturnType<typeof exportDocument>>;
  try {
    result = await exportDocument(headless.storage, options);
  } catch (error) {
    if (error instanceof JobDocumentError) throw new CliFailure(EXIT_CODES.invalid, error.code, error.message);
    throw error;
  }
  const text = `${JSON.stringify(result.document, null, 2)}\n`;
  const out = option(ctx, 'out');
  if (out !== undefined) {
    const path = resolve(ctx.io.cwd ?? process.cwd(), out);
    if (flag(ctx, 'include-token')) await writeSecretFile(path, text);
    else await writeFile(path, text, { encoding: 'utf8', mode: 0o644 });
    say(ctx.io.stderr, `Wrote ${path}: connection "${result.document.connection.name}", ${result.document.jobs.length} job(s).`);
  } else {
    ctx.io.stdout.write(text);
  }
  for (const warning of result.warnings) say(ctx.io.stderr, `Warning: ${warning}`);
  return EXIT_CODES.ok;
}

function problemLines(problems: readonly DocumentProblem[]): string {
  return problems.map((p) => `  ${p.path}: ${p.message}`).join('\n');
}

async function importCommand(ctx: Context): Promise<ExitCode> {
  const file = resolve(ctx.io.cwd ?? process.cwd(), ctx.parsed.positionals[0] ?? '');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new CliFailure(EXIT_CODES.invalid, 'fileUnreadable', `Cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const problems = [{ path: '$', message: `not valid JSON: ${error instanceof Error ? error.message : String(error)}` }];
    throw new CliFailure(EXIT_CODES.invalid, 'invalidDocument', `${file} is not a valid job document:\n${problemLines(problems)}`, problems);
  }
  // Checked before logging in: an invalid document needs no ChurchTools and touches nothing.
  const validation = validateDocument(json);
  if (!validation.ok) {
    throw new CliFailure(EXIT_CODES.invalid, 'invalidDocument', `${file} is not a valid job document (${validation.problems.length} problem(s)); nothing was stored:\n${problemLines(validation.problems)}`, validation.problems);
  }
  if (flag(ctx, 'check')) {
    if (ctx.json) say(ctx.io.stdout, JSON.stringify({ ok: true, checked: true, connection: validation.document.connection.name, jobs: validation.document.jobs.map((j) => j.name) }, null, 2));
    else say(ctx.io.stdout, `${file} is a valid job document: connection "${validation.document.connection.name}", ${validation.document.jobs.length} job(s).`);
    return EXIT_CODES.ok;
  }

  const storeToken = flag(ctx, 'store-token');
  let document = validation.document;
  const token = document.connection.token;
  if (storeToken && 'env' in token) {
    const value = nonEmpty(ctx.io.env[token.env]);
    if (!value) throw new CliFailure(EXIT_CODES.invalid, 'tokenMissing', `--store-token: the document names the environment variable ${token.env}, which is not set.`);
    if (TOKEN_UNSAFE.test(value)) throw new CliFailure(EXIT_CODES.invalid, 'tokenUnsafe', `--store-token: in ${token.env}, ${TOKEN_UNSAFE_TEXT}.`);
    document = { ...document, connection: { ...document.connection, token: { value } } };
  } else if (storeToken && 'stored' in token) {
    throw new CliFailure(EXIT_CODES.invalid, 'usage', '--store-token: the document refers to the stored token ({"stored": true}); there is no token to store.');
  }

  const headless = await connect(ctx);
  const result = await importDocument(headless.storage, document, { writeToken: storeToken });
  if (!result.ok) {
    throw new CliFailure(EXIT_CODES.invalid, 'invalidDocument', `${file} does not fit what is stored in ChurchTools; nothing was stored:\n${problemLines(result.problems)}`, result.problems);
  }
  if (ctx.json) {
    say(ctx.io.stdout, JSON.stringify(result, null, 2));
  } else {
    const lines = [
      `Connection "${result.connection.name}" [${result.connection.id}]: ${result.connection.change}`,
      ...result.jobs.map((job) => `Job "${job.name}" [${job.id}]: ${job.change}`),
      `Bridge token: ${TOKEN_OUTCOME_TEXT[result.token]}`,
      ...result.notes.map((note) => `Note: ${note}`),
    ];
    say(ctx.io.stdout, lines.join('\n'));
  }
  return EXIT_CODES.ok;
}

const TOKEN_OUTCOME_TEXT: Readonly<Record<TokenOutcome, string>> = {
  written: 'stored in ChurchTools',
  unchanged: 'unchanged (the same token is stored)',
  ignoredInline: 'not stored (the document contains one; import with --store-token to store it)',
  notStored: 'none stored for this connection',
  keptStored: 'the token stored in ChurchTools is kept',
  missing: 'none stored for this connection yet',
};

// ---------------------------------------------------------------------------------------------

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed: Parsed;
  try {
    parsed = parse(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      say(io.stderr, `${error.message}\n${error.command ? `Run "optigem-sync ${error.command} --help" for its options.` : 'Run "optigem-sync --help" for the commands.'}`);
      return EXIT_CODES.invalid;
    }
    throw error;
  }
  if (parsed.command === 'help' || parsed.values['help'] === true) {
    const topic = parsed.command === 'help' ? parsed.positionals[0] : parsed.command;
    const text = topic !== undefined && topic in HELP ? HELP[topic as Command] : HELP.help;
    if (topic !== undefined && !(topic in HELP)) {
      say(io.stderr, `Unknown command "${topic}".`);
      return EXIT_CODES.invalid;
    }
    io.stdout.write(text);
    return EXIT_CODES.ok;
  }
  const lang = parsed.values['lang'];
  const ctx: Context = { parsed, io, locale: lang === 'de' || lang === 'en' ? lang : localeFromEnv(io.env), json: parsed.values['json'] === true };
  try {
    switch (parsed.command) {
      case 'simulate':
      case 'run':
        return await execute(ctx);
      case 'jobs':
        return await listJobs(ctx);
      case 'unlock':
        return await unlockCommand(ctx);
      case 'export':
        return await exportCommand(ctx);
      case 'import':
        return await importCommand(ctx);
      case 'connection':
        return await connectionCommand(ctx);
      case 'couples':
        return await couplesCommand(ctx);
      case 'nightly':
        return await nightly(ctx);
      default:
        return EXIT_CODES.invalid;
    }
  } catch (error) {
    if (error instanceof CliFailure) {
      // simulate/run print their own report; the other commands a small failure object.
      if (ctx.json) say(io.stdout, JSON.stringify({ ok: false, error: { code: error.code, message: error.message }, problems: error.problems }, null, 2));
      say(io.stderr, error.message);
      return error.exitCode;
    }
    if (error instanceof KvRightsError || error instanceof CorruptValueError) {
      say(io.stderr, error.message);
      return EXIT_CODES.invalid;
    }
    say(io.stderr, `Failed: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT_CODES.errors;
  }
}

/** Runs `main` for this process: Ctrl-C cancels a run between operations, then exits. */
export async function runCli(argv: readonly string[] = process.argv.slice(2)): Promise<never> {
  const controller = new AbortController();
  const interrupt = (): void => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write('\nCancelling after the current operation (Ctrl-C again to quit at once)…\n');
    controller.abort();
  };
  process.on('SIGINT', interrupt);
  const ask = process.stdin.isTTY
    ? async (question: string): Promise<string> => {
        const rl = createInterface({ input: process.stdin, output: process.stderr });
        try {
          return await rl.question(question);
        } finally {
          rl.close();
        }
      }
    : undefined;
  const code = await main(argv, {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    signal: controller.signal,
    ...(ask ? { ask } : {}),
  });
  // Exit explicitly: the ChurchTools client leaves a 60 s timeout per request pending, which
  // would otherwise keep the process alive long after the work is done. Flush stdout first.
  await new Promise<void>((done) => process.stdout.write('', () => done()));
  process.exit(code);
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) void runCli();

/**
 * A document with the token inline is a secret: readable by its owner only. The mode of a new
 * file is set on creation; an existing file is narrowed to 0600 before the token is written into it.
 */
async function writeSecretFile(path: string, text: string): Promise<void> {
  const handle = await open(path, 'w', 0o600);
  try {
    await handle.chmod(0o600);
    await handle.writeFile(text, 'utf8');
  } finally {
    await handle.close();
  }
}
