/**
 * `optigem-sync nightly`: the bridge's nightly runner from the command line. Without `--now` it
 * prints the last result of each job; with `--now [job]` it asks a running bridge to do what its
 * window does, at once (`POST /v1/nightly/run`), waits until the bridge reports each started job
 * and prints the results. Talks to the bridge only (its token), never to ChurchTools.
 */
import { BridgeClient, BridgeError, type NightlyStatusBody } from '../optigem/index.ts';
import { formatDateTime } from '../format/values.ts';
import { formatMessage, type TextLocale } from '../runner/messages.ts';
import type { OutStream } from './render.ts';
import { EXIT_CODES, type ExitCode } from './report.ts';

type Result = NightlyStatusBody['lastResults'][number];

export interface NightlyCommandInput {
  readonly bridgeUrl: string;
  readonly bridgeToken: string;
  /** Run now; `job` names one job (id or name), else every job with automatic execution. */
  readonly now: boolean;
  readonly job?: string | undefined;
  readonly json: boolean;
  readonly locale: TextLocale;
  readonly stdout: OutStream;
  readonly stderr: OutStream;
  /** How often `--now` asks whether the runs have finished (default 2 s), and for how long at most. */
  readonly pollMs?: number | undefined;
  readonly maxWaitMs?: number | undefined;
  readonly signal?: AbortSignal | undefined;
}

/** Why the command failed, for main's CliFailure: exit code, code and message. */
export class NightlyCommandError extends Error {
  constructor(
    readonly exitCode: ExitCode,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'NightlyCommandError';
  }
}

/** The exit code a result stands for: docs/bridge.md "Try it now". */
export function exitCodeOf(result: Result): ExitCode {
  switch (result.status) {
    case 'succeeded':
      return result.heldBack && result.heldBack.count > 0 ? EXIT_CODES.errors : EXIT_CODES.ok;
    case 'refused':
    case 'skipped':
    case 'failed':
    case 'error':
      return EXIT_CODES.refused;
    case 'incomplete':
      return EXIT_CODES.incomplete;
    default:
      return EXIT_CODES.errors;
  }
}

function worst(codes: readonly ExitCode[]): ExitCode {
  // Refused/failed outweigh incomplete, which outweighs "finished with errors".
  const order: readonly ExitCode[] = [EXIT_CODES.refused, EXIT_CODES.incomplete, EXIT_CODES.errors, EXIT_CODES.ok];
  return order.find((code) => codes.includes(code)) ?? EXIT_CODES.ok;
}

function resultLine(result: Result, locale: TextLocale): string {
  const parts = [`${result.jobName} (${result.jobId}): ${result.status}`, formatDateTime(result.at, locale)];
  if (result.trigger) parts.push(`trigger ${result.trigger}`);
  if (result.executionId) parts.push(`execution ${result.executionId}`);
  const lines = [parts.join(' · ')];
  if (result.refusal) lines.push(`  ${formatMessage(result.refusal, locale)}`);
  if (result.heldBack) lines.push(`  ${formatMessage(result.heldBack.message, locale)}`);
  if (result.reason) lines.push(`  ${result.reason}`);
  return lines.join('\n');
}

function statusText(status: NightlyStatusBody, locale: TextLocale): string {
  if (!status.enabled) return 'Nightly runs are off on this bridge (nightly.enabled, see docs/bridge.md "Nightly runs").\n';
  const head = [
    `Window ${status.window ? `${status.window.start}–${status.window.end}` : '?'} (${status.timeZone ?? '?'})`,
    `next run ${status.nextRun ? formatDateTime(status.nextRun, locale) : '–'}`,
    status.busy ? 'running now' : 'idle',
  ].join(' · ');
  const results = status.lastResults.length > 0 ? status.lastResults.map((r) => resultLine(r, locale)).join('\n') : 'No results yet.';
  return `${head}\n${results}\n`;
}

/** A bridge refusal as the operator acts on it. */
function failure(error: unknown, job: string | undefined): NightlyCommandError {
  if (!(error instanceof BridgeError)) return new NightlyCommandError(EXIT_CODES.errors, 'failed', `Failed: ${error instanceof Error ? error.message : String(error)}`);
  if (error.code === 'nightlyBusy') return new NightlyCommandError(EXIT_CODES.refused, 'nightlyBusy', `The bridge is already running jobs (a nightly pass is going on). Try again when it has finished. [${error.args['detail']}]`);
  if (error.code === 'nightlyOff') return new NightlyCommandError(EXIT_CODES.invalid, 'nightlyOff', String(error.args['detail']));
  if (error.kind === 'notFound') return new NightlyCommandError(EXIT_CODES.invalid, 'jobNotFound', `The bridge has no job with automatic execution called "${job ?? ''}". [${error.args['detail']}]`);
  if (error.kind === 'readOnlyToken') return new NightlyCommandError(EXIT_CODES.invalid, 'readOnlyToken', 'The bridge token can only read: --now needs the read-write token.');
  const exit = error.kind === 'unauthorized' ? EXIT_CODES.invalid : EXIT_CODES.errors;
  return new NightlyCommandError(exit, error.kind, error.message);
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

export async function nightlyCommand(input: NightlyCommandInput): Promise<ExitCode> {
  const bridge = new BridgeClient({ baseUrl: input.bridgeUrl, token: input.bridgeToken });
  const write = (stream: OutStream, text: string) => stream.write(text.endsWith('\n') ? text : `${text}\n`);
  if (!input.now) {
    let status: NightlyStatusBody;
    try {
      status = await bridge.nightly();
    } catch (error) {
      throw failure(error, undefined);
    }
    if (input.json) write(input.stdout, JSON.stringify(status, null, 2));
    else input.stdout.write(statusText(status, input.locale));
    return EXIT_CODES.ok;
  }

  let before: NightlyStatusBody;
  let started: { id: string; name: string }[];
  try {
    before = await bridge.nightly();
    started = await bridge.runNightlyNow(input.job);
  } catch (error) {
    throw failure(error, input.job);
  }
  if (!input.json) write(input.stderr, `Started: ${started.map((job) => `"${job.name}"`).join(', ') || 'no job has automatic execution'}. Waiting for the results…`);
  const previous = new Map(before.lastResults.map((r) => [r.jobId, r.at]));
  const pollMs = input.pollMs ?? 2_000;
  const deadline = Date.now() + (input.maxWaitMs ?? 6 * 3_600_000);
  let results: Result[] = [];
  for (;;) {
    let status: NightlyStatusBody | undefined;
    try {
      status = await bridge.nightly();
    } catch (error) {
      // The bridge restarting mid-run is no reason to give up waiting; anything else is.
      if (!(error instanceof BridgeError && error.retryable)) throw failure(error, input.job);
    }
    if (status) {
      results = started.flatMap((job) => status.lastResults.filter((r) => r.jobId === job.id && r.at !== previous.get(job.id) && r.status !== 'running'));
      if (!status.busy && results.length === started.length) break;
    }
    if (input.signal?.aborted || Date.now() > deadline) {
      throw new NightlyCommandError(EXIT_CODES.errors, 'stoppedWaiting', 'Stopped waiting; the runs go on in the bridge. "optigem-sync nightly" shows their results later.');
    }
    await sleep(pollMs, input.signal);
  }
  if (input.json) write(input.stdout, JSON.stringify({ started, results }, null, 2));
  else write(input.stdout, results.map((r) => resultLine(r, input.locale)).join('\n') || 'Nothing to run.');
  return worst(results.map(exitCodeOf));
}
