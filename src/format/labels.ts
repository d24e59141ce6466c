/**
 * Names of the things a log speaks about, as the module shows them: actions by the domain's own
 * words ("Buchungen importieren", not "Personen importieren"), operations, systems. Plain
 * TypeScript for the views, the runner's messages and the CLI alike.
 */
import { engineDe, engineEn } from '../messages/engine.ts';
import { vocabularyDe } from '../messages/vocabulary-de.ts';
import { vocabularyEn } from '../messages/vocabulary-en.ts';
import type { BlockerFix, BlockerGroupId } from '../sync/blockers.ts';
import type { Domain, EntryAction, LogEntry, SystemId } from '../sync/model.ts';
import { localeOf } from './values.ts';

type Table = Readonly<Record<string, string>>;

const ACTIONS: Readonly<Record<'de' | 'en', { person: Table; transaction: Table }>> = {
  de: { person: engineDe.action, transaction: vocabularyDe.transactionAction },
  en: { person: engineEn.action, transaction: vocabularyEn.transactionAction },
};

const OPERATIONS: Readonly<Record<'de' | 'en', Table>> = { de: vocabularyDe.report.operation, en: vocabularyEn.report.operation };

/** An action (or restore/pairs/pre-flight) by the name its domain gives it. */
export function actionLabel(domain: Domain, action: EntryAction | string, locale: string): string {
  const tables = ACTIONS[localeOf(locale)];
  return (domain === 'transaction' ? tables.transaction[action] : undefined) ?? tables.person[action] ?? action;
}

/** "Anlegen", "Konflikt", … for a log entry's type. */
export function operationLabel(type: LogEntry['type'], locale: string): string {
  return OPERATIONS[localeOf(locale)][type] ?? type;
}

/** System names are always spelt as the products spell them. */
export function systemName(system: SystemId | 'both'): string {
  return system === 'churchtools' ? 'ChurchTools' : system === 'optigem' ? 'Optigem' : 'ChurchTools ↔ Optigem';
}

const STATUSES: Readonly<Record<'de' | 'en', Table>> = { de: vocabularyDe.status, en: vocabularyEn.status };

/** An execution's or pair's status as the views name it ("erfolgreich", "abgelehnt"). */
export function statusLabel(status: string, locale: string): string {
  return STATUSES[localeOf(locale)][status] ?? status;
}

const ENTRY_STATES: Readonly<Record<'de' | 'en', Table>> = { de: vocabularyDe.entryState, en: vocabularyEn.entryState };

/** A log entry's state ("erledigt", "fehlgeschlagen"). */
export function entryStateLabel(state: LogEntry['state'], locale: string): string {
  return ENTRY_STATES[localeOf(locale)][state] ?? state;
}

const BLOCKER_GROUPS = { de: vocabularyDe.blockerGroups, en: vocabularyEn.blockerGroups } as const;

/** "Spender ohne Personen-Paar": a group of blockers as the job-run view titles it. */
export function blockerGroupLabel(group: BlockerGroupId, locale: string): string {
  return BLOCKER_GROUPS[localeOf(locale)].group[group];
}

/** What to do about a group, as the view's link or hint says it; '' when there is nothing to name. */
export function blockerFixLabel(fix: BlockerFix, locale: string): string {
  return fix === 'none' ? '' : BLOCKER_GROUPS[localeOf(locale)].fix[fix];
}
