/** Human-readable output of the CLI: execution summaries, job lists, and a progress bar on a TTY. */
import { actionLabel as domainActionLabel, blockerFixLabel, blockerGroupLabel, operationLabel, statusLabel } from '../format/labels.ts';
import { bookingLabelFor } from '../format/booking-label.ts';
import { groupBlockers } from '../sync/blockers.ts';
import { formatChange, formatDateTime, formatDay, type OptionLookup, type PersonLookup, type ValueFormatOptions } from '../format/values.ts';
import type { Domain, Execution, LogEntry, FieldValue, WriteKind } from '../sync/model.ts';
import type { PersonCard } from '../sync/duplicates.ts';
import type { Plan } from '../sync/plan.ts';
import type { Progress } from '../sync/ports.ts';
import { actionName, formatMessage, type TextLocale } from '../runner/messages.ts';
import type { Outcome } from './report.ts';
import { CLI_SUMMARY } from '../messages/cli-summary.ts';

export interface OutStream {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

const KINDS: readonly WriteKind[] = ['create', 'update', 'archive', 'delete', 'storno'];

/** "Import bookings (Buchungen importieren)": English, with the German name admins know. */
export function actionLabel(action: LogEntry['action'], locale: TextLocale, domain: Domain = 'person'): string {
  const primary = domainActionLabel(domain, action, locale);
  const german = domainActionLabel(domain, action, 'de');
  return locale === 'de' || primary === german ? primary : `${primary} (${german})`;
}

function time(iso: string | null, locale: TextLocale): string {
  return iso ? formatDateTime(iso, locale) : '…';
}

function pad(text: string, width: number, right = false): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

function counterTable(execution: Execution, locale: TextLocale): string[] {
  const texts = CLI_SUMMARY[locale];
  const head = `${pad('', 13)}${KINDS.map((k) => pad(texts.kinds[k], 9, true)).join('')}${pad(texts.kinds.link, 9, true)}`;
  const row = (label: string, system: 'churchtools' | 'optigem') =>
    `${pad(label, 13)}${KINDS.map((k) => pad(String(execution.counters[system][k]), 9, true)).join('')}${pad('', 9)}`;
  const links = execution.counters.both.link;
  return [head, row('ChurchTools', 'churchtools'), row('Optigem', 'optigem'), `${pad(texts.pairsRow, 13)}${pad('', 36)}${pad(String(links), 9, true)}`];
}

function ids(entry: LogEntry): string {
  const parts = [entry.ctId ? `CT ${entry.ctId}` : null, entry.ogId ? `Optigem ${entry.ogId}` : null].filter(Boolean);
  return parts.length > 0 ? ` (${parts.join(' ↔ ')})` : '';
}

function entryLines(entry: LogEntry, locale: TextLocale, withChanges: boolean, domain: Domain, names: ValueFormatOptions = {}): string[] {
  const { persons } = names;
  const mark = entry.level === 'error' || entry.state === 'failed' ? '✗' : entry.level === 'warning' || entry.type === 'conflict' || entry.type === 'duplicate' ? '!' : '·';
  const who = `${bookingLabelFor(entry.label, locale)}${ids(entry)}`.trim();
  const message = formatMessage(entry.message, locale, entry.system, domain, persons);
  const lines = [`  ${mark} ${operationLabel(entry.type, locale)}${who ? ` ${who}` : ''} — ${actionLabel(entry.action, locale, domain)}: ${message}`];
  if (entry.error) lines.push(`      ${formatMessage(entry.error, locale, entry.system, domain)}`);
  // Entries about both sides name ChurchTools' field (its value old, Optigem's new), as the report does.
  if (withChanges) {
    for (const change of entry.changes) {
      const shown = formatChange(entry.system, change, locale, names);
      lines.push(`      ${shown.field}: ${shown.old} → ${shown.new}`);
    }
  }
  return lines;
}

function notable(entry: LogEntry): boolean {
  return entry.level !== 'info' || entry.state === 'failed' || entry.type === 'conflict' || entry.type === 'duplicate' || entry.type === 'skip';
}

const OUTCOME_TEXT: Readonly<Record<TextLocale, Readonly<Record<Outcome, string>>>> = {
  en: {
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
  },
  de: {
    succeeded: 'OK',
    finishedWithErrors: 'mit Fehlern beendet',
    conflicts: 'mit Konflikten beendet',
    possibleDuplicates: 'mögliche Doppelungen brauchen eine Entscheidung (für sie wurde nichts angelegt)',
    cancelled: 'abgebrochen',
    invalidInput: 'ungültige Eingabe',
    preflightRefused: 'von der Vorabprüfung abgelehnt: Auftrag oder Eigenschaften-Paare korrigieren',
    lockHeld: 'abgelehnt: der Auftrag läuft bereits',
    massChange: 'abgelehnt: eine Massenänderung braucht --confirm-mass-change',
    needsConfirmation: 'eine Ausführung braucht --confirm-mass-change (Massenänderung)',
    incomplete: 'unvollständig: ein Lesen schlug fehl; Ursache beheben und erneut simulieren',
    refused: 'abgelehnt',
    failed: 'fehlgeschlagen',
  },
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

/** Every blocker at once, grouped as the job-run view groups them, with a count and the fix per group. */
function blockerLines(blockers: Plan['blockers'], locale: TextLocale, domain: Domain, persons?: PersonLookup): string[] {
  const lines = [CLI_SUMMARY[locale].preflightRefused(blockers.length)];
  for (const group of groupBlockers(blockers)) {
    const fix = blockerFixLabel(group.fix, locale);
    lines.push(`  ${blockerGroupLabel(group.id, locale)} (${group.count})${fix ? ` — ${fix}` : ''}`);
    for (const blocker of group.blockers) lines.push(`    ✗ ${formatMessage(blocker, locale, undefined, domain, persons)}`);
  }
  return lines;
}

export function executionSummary(
  input: {
    jobName: string;
    domain?: Domain;
    execution: Execution;
    plan: Plan | null;
    entries: readonly LogEntry[];
    outcome: Outcome;
    exitCode: number;
    /** Names of the persons (donors) the output shows, read once for it; unknown ones read "Person #237". */
    persons?: PersonLookup;
    /** Names of the ids the output shows (statuses, categories, accounts …), read once for it. */
    lookup?: OptionLookup;
  },
  locale: TextLocale,
  verbose: boolean,
): string {
  const { execution, entries } = input;
  const domain = input.domain ?? 'person';
  const { persons, lookup } = input;
  const names: ValueFormatOptions = { ...(persons ? { persons } : {}), ...(lookup ? { lookup } : {}) };
  const texts = CLI_SUMMARY[locale];
  const lines = [
    headline(execution.dryRun, input.outcome, input.jobName, locale),
    texts.execution(execution.id, statusLabel(execution.status, locale), time(execution.startedAt, locale), time(execution.finishedAt, locale)),
  ];
  const blockers = input.plan?.blockers ?? [];
  if (blockers.length > 0) lines.push(...blockerLines(blockers, locale, domain, persons));
  else if (execution.refusal) lines.push(texts.refused(formatMessage(execution.refusal, locale, undefined, domain, persons)));
  for (const problem of execution.problems ?? []) lines.push(`✗ ${formatMessage(problem, locale, undefined, domain)}`);
  const mass = input.plan?.massChange;
  if (execution.dryRun && mass?.requiresConfirmation) {
    lines.push(texts.massChange(mass.count, mass.pairs, Math.round(mass.threshold * 100)));
  }
  lines.push('', ...counterTable(execution, locale), '');
  const warnings = entries.filter((e) => e.level === 'warning').length;
  lines.push(texts.entries(entries.length, execution.errorCount, execution.conflictCount, warnings));
  // A refused job wrote nothing: its bookkeeping lines would only bury the reason given above.
  const refused = execution.status === 'refused';
  const shown = verbose ? entries : entries.filter((entry) => notable(entry) && (!refused || entry.level !== 'info'));
  const limit = verbose ? Infinity : 20;
  for (const entry of shown.slice(0, limit)) lines.push(...entryLines(entry, locale, verbose, domain, names));
  if (shown.length > limit) lines.push(texts.more(shown.length - limit));
  lines.push(...possibleDuplicateLines(input.plan, locale));
  lines.push('', texts.result(OUTCOME_TEXT[locale][input.outcome], input.exitCode));
  return `${lines.join('\n')}\n`;
}

function card(c: PersonCard, locale: TextLocale): string {
  const texts = CLI_SUMMARY[locale];
  const system = c.system === 'churchtools' ? 'ChurchTools' : 'Optigem';
  const facts = [c.birthday ? texts.born(formatDay(c.birthday, locale)) : null, c.email, c.address, c.archived ? texts.archived : null, c.paired ? texts.linkedElsewhere : null].filter(Boolean);
  return `${system} ${c.id}: ${c.label}${facts.length > 0 ? ` — ${facts.join('; ')}` : ''}`;
}

/** Each undecided possible duplicate with its candidates, one per line, and how to decide. */
function possibleDuplicateLines(plan: Plan | null, locale: TextLocale): string[] {
  const texts = CLI_SUMMARY[locale];
  const open = plan?.possibleDuplicates ?? [];
  if (open.length === 0) return [];
  const lines = ['', texts.duplicatesHeader(open.length)];
  for (const p of open) {
    // The bracket holds the values a --decisions file takes, as the file writes them.
    lines.push(`  ? ${card(p.record, locale)}   ${texts.source(p.record.system, p.record.id, p.basis)}${p.outdated ? texts.outdated(p.outdated.reason) : ''}]`);
    for (const c of p.candidates) lines.push(`      ${texts.sameName} ${card(c, locale)}`);
  }
  lines.push(texts.decideHint);
  return lines;
}

export interface JobLine {
  readonly id: string;
  readonly name: string;
  readonly domain: string;
  readonly autoRun: boolean;
  readonly last: Execution | null;
}

export function jobTable(jobs: readonly JobLine[], locale: TextLocale = 'en'): string {
  if (jobs.length === 0) return 'No jobs yet. Create one in the Sync module or import a job document.\n';
  const rows = jobs.map((job) => [
    job.name,
    job.id,
    job.domain,
    job.autoRun ? 'yes' : 'no',
    job.last ? `${time(job.last.startedAt, locale)} ${job.last.dryRun ? 'simulation' : 'run'} ${statusLabel(job.last.status, locale)}${job.last.errorCount ? `, ${job.last.errorCount} errors` : ''}${job.last.conflictCount ? `, ${job.last.conflictCount} conflicts` : ''}${job.last.possibleDuplicateCount ? `, ${job.last.possibleDuplicateCount} possible duplicates` : ''}` : 'never',
  ]);
  const header = ['NAME', 'ID', 'DOMAIN', 'AUTO', 'LAST EXECUTION'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const format = (row: readonly string[]) => row.map((cell, i) => (i === row.length - 1 ? cell : pad(cell, widths[i] ?? 0))).join('  ');
  return `${[format(header), ...rows.map(format)].join('\n')}\n`;
}

/**
 * Progress on stderr: a one-line bar on a terminal; elsewhere (logs of a scheduled task, CI) a
 * plain line at most every `everyMs`, so a long run shows it is alive without flooding the log.
 */
export class ProgressBar {
  private active = false;
  private lastLine = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly stream: OutStream,
    private readonly locale: TextLocale,
    private readonly domain: Domain = 'person',
    private readonly everyMs = 5000,
    private readonly now: () => number = Date.now,
  ) {}

  get enabled(): boolean {
    return this.stream.isTTY === true;
  }

  note(text: string): void {
    if (!this.enabled) {
      this.stream.write(`${text}\n`);
      this.lastLine = this.now();
      return;
    }
    this.stream.write(`\r\x1b[2K${text}`);
    this.active = true;
  }

  update(progress: Progress): void {
    const share = progress.total > 0 ? Math.min(1, progress.done / progress.total) : 1;
    const percent = String(Math.round(share * 100)).padStart(3);
    const step = progress.step.startsWith('action.') ? actionName(progress.step.slice('action.'.length) as LogEntry['action'], this.locale, this.domain) : '';
    if (!this.enabled) {
      if (this.now() - this.lastLine < this.everyMs) return;
      this.note(`${percent}% ${progress.done}/${progress.total} ${step}`.trimEnd());
      return;
    }
    const width = 24;
    const filled = Math.round(share * width);
    const line = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${percent}% ${progress.done}/${progress.total} ${step}`;
    const columns = this.stream.columns ?? 80;
    this.note(line.slice(0, Math.max(10, columns - 1)));
  }

  clear(): void {
    if (!this.active) return;
    this.stream.write('\r\x1b[2K');
    this.active = false;
  }
}
