/** Human-readable output of the CLI: execution summaries, job lists, and a progress bar on a TTY. */
import type { Execution, LogEntry, FieldValue, WriteKind } from '../sync/model.ts';
import type { PersonCard } from '../sync/duplicates.ts';
import type { Plan } from '../sync/plan.ts';
import type { Progress } from '../sync/ports.ts';
import { actionName, formatMessage, type TextLocale } from '../runner/messages.ts';
import type { Outcome } from './report.ts';

export interface OutStream {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

const KINDS: readonly WriteKind[] = ['create', 'update', 'archive', 'delete', 'storno'];

/** "Link people & unify properties (Personen verknüpfen & …)": English, with the German name admins know. */
export function actionLabel(action: LogEntry['action'], locale: TextLocale): string {
  const primary = actionName(action, locale);
  const german = actionName(action, 'de');
  return locale === 'de' || primary === german ? primary : `${primary} (${german})`;
}

function value(v: FieldValue): string {
  if (v === null || v === '') return '–';
  if (Array.isArray(v)) return `[${(v as readonly string[]).join(', ')}]`;
  return JSON.stringify(v);
}

function time(iso: string | null): string {
  return iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '…';
}

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

function counterTable(execution: Execution): string[] {
  const head = `${pad('', 13)}${KINDS.map((k) => pad(k, 9, true)).join('')}${pad('link', 9, true)}`;
  const row = (label: string, system: 'churchtools' | 'optigem') =>
    `${pad(label, 13)}${KINDS.map((k) => pad(String(execution.counters[system][k]), 9, true)).join('')}${pad('', 9)}`;
  const links = execution.counters.both.link;
  return [head, row('ChurchTools', 'churchtools'), row('Optigem', 'optigem'), `${pad('pairs', 13)}${pad('', 36)}${pad(String(links), 9, true)}`];
}

function ids(entry: LogEntry): string {
  const parts = [entry.ctId ? `CT ${entry.ctId}` : null, entry.ogId ? `Optigem ${entry.ogId}` : null].filter(Boolean);
  return parts.length > 0 ? ` (${parts.join(' ↔ ')})` : '';
}

function entryLines(entry: LogEntry, locale: TextLocale, withChanges: boolean): string[] {
  const mark = entry.level === 'error' || entry.state === 'failed' ? '✗' : entry.level === 'warning' || entry.type === 'conflict' || entry.type === 'duplicate' ? '!' : '·';
  const who = `${entry.label}${ids(entry)}`.trim();
  const lines = [`  ${mark} ${entry.type}${who ? ` ${who}` : ''} — ${actionLabel(entry.action, locale)}: ${formatMessage(entry.message, locale)}`];
  if (entry.error) lines.push(`      ${formatMessage(entry.error, locale)}`);
  if (withChanges) for (const change of entry.changes) lines.push(`      ${change.field}: ${value(change.oldValue)} → ${value(change.newValue)}`);
  return lines;
}

function notable(entry: LogEntry): boolean {
  return entry.level !== 'info' || entry.state === 'failed' || entry.type === 'conflict' || entry.type === 'duplicate' || entry.type === 'skip';
}

const OUTCOME_TEXT: Readonly<Record<Outcome, string>> = {
  succeeded: 'OK',
  finishedWithErrors: 'finished with errors',
  conflicts: 'finished with conflicts',
  possibleDuplicates: 'possible duplicates need a decision (nothing created for them)',
  cancelled: 'cancelled',
  invalidInput: 'invalid input',
  preflightRefused: 'refused by the pre-flight check: fix the job or its property pairs',
  lockHeld: 'refused: the job is already running',
  massChange: 'refused: mass change needs --confirm-mass-change',
  needsConfirmation: 'a run needs --confirm-mass-change (mass change)',
  incomplete: 'incomplete: a read failed; fix the cause and simulate again',
  refused: 'refused',
  failed: 'failed',
};

/** The first line's verdict, in the user's language: what happened, before any detail. */
const HEADLINE: Readonly<Record<TextLocale, Readonly<Record<Outcome, string>>>> = {
  en: {
    succeeded: 'succeeded',
    finishedWithErrors: 'finished with errors',
    conflicts: 'finished with conflicts',
    cancelled: 'cancelled',
    invalidInput: 'invalid input',
    preflightRefused: 'refused by the pre-flight check',
    lockHeld: 'refused: already running',
    massChange: 'refused: mass change needs confirmation',
    needsConfirmation: 'needs confirmation',
    incomplete: 'incomplete',
    possibleDuplicates: 'possible duplicates need a decision',
    refused: 'refused',
    failed: 'failed',
  },
  de: {
    succeeded: 'erfolgreich',
    finishedWithErrors: 'mit Fehlern beendet',
    conflicts: 'mit Konflikten beendet',
    cancelled: 'abgebrochen',
    invalidInput: 'ungültige Eingabe',
    preflightRefused: 'von der Vorabprüfung abgelehnt',
    lockHeld: 'abgelehnt: läuft bereits',
    massChange: 'abgelehnt: Massenänderung braucht Bestätigung',
    needsConfirmation: 'braucht Bestätigung',
    incomplete: 'unvollständig',
    possibleDuplicates: 'mögliche Doppelungen brauchen eine Entscheidung',
    refused: 'abgelehnt',
    failed: 'fehlgeschlagen',
  },
};

/** "Simulation incomplete: „Personen“" — the outcome first, so nobody reads "succeeded" above a warning. */
export function headline(dryRun: boolean, outcome: Outcome, jobName: string, locale: TextLocale): string {
  const what = dryRun ? 'Simulation' : locale === 'de' ? 'Ausführung' : 'Run';
  return locale === 'de' ? `${what} ${HEADLINE.de[outcome]}: „${jobName}“` : `${what} ${HEADLINE.en[outcome]}: "${jobName}"`;
}

export function executionSummary(
  input: { jobName: string; execution: Execution; plan: Plan | null; entries: readonly LogEntry[]; outcome: Outcome; exitCode: number },
  locale: TextLocale,
  verbose: boolean,
): string {
  const { execution, entries } = input;
  const lines = [
    headline(execution.dryRun, input.outcome, input.jobName, locale),
    `Execution ${execution.id} (${execution.status}), ${time(execution.startedAt)} → ${time(execution.finishedAt)}`,
  ];
  if (execution.refusal) lines.push(`Refused: ${formatMessage(execution.refusal, locale)}`);
  for (const problem of execution.problems ?? []) lines.push(`✗ ${formatMessage(problem, locale)}`);
  const mass = input.plan?.massChange;
  if (execution.dryRun && mass?.requiresConfirmation) {
    lines.push(`A run would archive or delete ${mass.count} of ${mass.pairs} pairs (more than ${Math.round(mass.threshold * 100)} %): it needs --confirm-mass-change.`);
  }
  lines.push('', ...counterTable(execution), '');
  const warnings = entries.filter((e) => e.level === 'warning').length;
  lines.push(`${entries.length} log entries: ${execution.errorCount} errors, ${execution.conflictCount} conflicts, ${warnings} warnings`);
  const shown = verbose ? entries : entries.filter(notable);
  const limit = verbose ? Infinity : 20;
  for (const entry of shown.slice(0, limit)) lines.push(...entryLines(entry, locale, verbose));
  if (shown.length > limit) lines.push(`  … and ${shown.length - limit} more (--verbose lists all, --json gives everything)`);
  lines.push(...possibleDuplicateLines(input.plan));
  lines.push('', `Result: ${OUTCOME_TEXT[input.outcome]} (exit code ${input.exitCode})`);
  return `${lines.join('\n')}\n`;
}

function card(c: PersonCard): string {
  const system = c.system === 'churchtools' ? 'ChurchTools' : 'Optigem';
  const facts = [c.birthday ? `born ${c.birthday}` : null, c.email, c.address, c.archived ? 'archived' : null, c.paired ? 'linked with someone else' : null].filter(Boolean);
  return `${system} ${c.id}: ${c.label}${facts.length > 0 ? ` — ${facts.join('; ')}` : ''}`;
}

/** Each undecided possible duplicate with its candidates, one per line, and how to decide. */
function possibleDuplicateLines(plan: Plan | null): string[] {
  const open = plan?.possibleDuplicates ?? [];
  if (open.length === 0) return [];
  const lines = ['', `Possible duplicates needing a decision: ${open.length} (not created)`];
  for (const p of open) {
    lines.push(`  ? ${card(p.record)}   [source ${p.record.system}, id ${p.record.id}, basis ${p.basis}${p.outdated ? `, stored decision outdated: ${p.outdated.reason}` : ''}]`);
    for (const c of p.candidates) lines.push(`      same name in ${card(c)}`);
  }
  lines.push('  Decide in the Sync module ("Mit diesem verknüpfen" / "Trotzdem anlegen"), or with --decisions FILE (see docs/cli.md).');
  return lines;
}

export interface JobLine {
  readonly id: string;
  readonly name: string;
  readonly domain: string;
  readonly autoRun: boolean;
  readonly last: Execution | null;
}

export function jobTable(jobs: readonly JobLine[]): string {
  if (jobs.length === 0) return 'No jobs yet. Create one in the Sync module or import a job document.\n';
  const rows = jobs.map((job) => [
    job.name,
    job.id,
    job.domain,
    job.autoRun ? 'yes' : 'no',
    job.last ? `${time(job.last.startedAt)} ${job.last.dryRun ? 'simulation' : 'run'} ${job.last.status}${job.last.errorCount ? `, ${job.last.errorCount} errors` : ''}${job.last.conflictCount ? `, ${job.last.conflictCount} conflicts` : ''}${job.last.possibleDuplicateCount ? `, ${job.last.possibleDuplicateCount} possible duplicates` : ''}` : 'never',
  ]);
  const header = ['NAME', 'ID', 'DOMAIN', 'AUTO', 'LAST EXECUTION'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const format = (row: readonly string[]) => row.map((cell, i) => (i === row.length - 1 ? cell : pad(cell, widths[i] ?? 0))).join('  ');
  return `${[format(header), ...rows.map(format)].join('\n')}\n`;
}

/** A one-line progress bar on stderr, only when stderr is a terminal. */
export class ProgressBar {
  private active = false;

  constructor(
    private readonly stream: OutStream,
    private readonly locale: TextLocale,
  ) {}

  get enabled(): boolean {
    return this.stream.isTTY === true;
  }

  note(text: string): void {
    if (!this.enabled) return;
    this.stream.write(`\r\x1b[2K${text}`);
    this.active = true;
  }

  update(progress: Progress): void {
    if (!this.enabled) return;
    const width = 24;
    const share = progress.total > 0 ? Math.min(1, progress.done / progress.total) : 1;
    const filled = Math.round(share * width);
    const step = progress.step.startsWith('action.') ? actionName(progress.step.slice('action.'.length) as LogEntry['action'], this.locale) : '';
    const line = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.round(share * 100)).padStart(3)}% ${progress.done}/${progress.total} ${step}`;
    const columns = this.stream.columns ?? 80;
    this.note(line.slice(0, Math.max(10, columns - 1)));
  }

  clear(): void {
    if (!this.active) return;
    this.stream.write('\r\x1b[2K');
    this.active = false;
  }
}
