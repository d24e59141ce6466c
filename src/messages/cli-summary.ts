// The lines of the CLI's execution summary around the engine's messages, in the reader's
// language (LANG): German for German admins, English otherwise. Kept apart from the engine's
// catalogue because only the text output of the CLI says them.
import type { TextLocale } from '../runner/messages.ts';

interface SummaryTexts {
  readonly execution: (id: string, status: string, from: string, to: string) => string;
  readonly preflightRefused: (count: number) => string;
  readonly refused: (reason: string) => string;
  readonly massChange: (count: number, pairs: number, percent: number) => string;
  readonly entries: (count: number, errors: number, conflicts: number, warnings: number) => string;
  readonly more: (count: number) => string;
  readonly result: (outcome: string, exitCode: number) => string;
  readonly pairsRow: string;
  readonly kinds: Readonly<Record<'create' | 'update' | 'archive' | 'delete' | 'storno' | 'link', string>>;
  readonly duplicatesHeader: (count: number) => string;
  readonly born: (day: string) => string;
  readonly archived: string;
  readonly linkedElsewhere: string;
  readonly sameName: string;
  readonly source: (system: string, id: string, basis: string) => string;
  readonly outdated: (reason: string) => string;
  readonly decideHint: string;
}

export const CLI_SUMMARY: Readonly<Record<TextLocale, SummaryTexts>> = {
  de: {
    execution: (id, status, from, to) => `Ausführung ${id} (${status}), ${from} → ${to}`,
    preflightRefused: (count) => `Von der Vorabprüfung abgelehnt, ${count === 1 ? 'ein Hindernis' : `${count} Hindernisse`}:`,
    refused: (reason) => `Abgelehnt: ${reason}`,
    massChange: (count, pairs, percent) =>
      `Eine Ausführung würde ${count} von ${pairs} Paaren archivieren oder löschen (mehr als ${percent} %): Sie braucht --confirm-mass-change.`,
    entries: (count, errors, conflicts, warnings) =>
      `${count} ${count === 1 ? 'Protokolleintrag' : 'Protokolleinträge'}: ${errors} Fehler, ${conflicts} ${conflicts === 1 ? 'Konflikt' : 'Konflikte'}, ${warnings} ${warnings === 1 ? 'Warnung' : 'Warnungen'}`,
    more: (count) => `  … und ${count} weitere (--verbose zeigt alle, --json gibt alles aus)`,
    result: (outcome, exitCode) => `Ergebnis: ${outcome} (Exit-Code ${exitCode})`,
    pairsRow: 'Paare',
    kinds: { create: 'angelegt', update: 'geändert', archive: 'archiv.', delete: 'gelöscht', storno: 'storniert', link: 'verkn.' },
    duplicatesHeader: (count) => `Mögliche Doppelungen, die eine Entscheidung brauchen: ${count} (nicht angelegt)`,
    born: (day) => `geboren ${day}`,
    archived: 'archiviert',
    linkedElsewhere: 'mit jemand anderem verknüpft',
    sameName: 'gleicher Name in',
    source: (system, id, basis) => `[Quelle ${system}, ID ${id}, Grundlage ${basis}`,
    outdated: (reason) => `, gespeicherte Entscheidung veraltet: ${reason}`,
    decideHint: '  Im Sync-Modul entscheiden („Mit diesem verknüpfen“ / „Trotzdem anlegen“) oder mit --decisions DATEI (siehe docs/cli.md).',
  },
  en: {
    execution: (id, status, from, to) => `Execution ${id} (${status}), ${from} → ${to}`,
    preflightRefused: (count) => `Refused by the pre-flight check, ${count} ${count === 1 ? 'blocker' : 'blockers'}:`,
    refused: (reason) => `Refused: ${reason}`,
    massChange: (count, pairs, percent) => `A run would archive or delete ${count} of ${pairs} pairs (more than ${percent} %): it needs --confirm-mass-change.`,
    entries: (count, errors, conflicts, warnings) =>
      `${count} log ${count === 1 ? 'entry' : 'entries'}: ${errors} ${errors === 1 ? 'error' : 'errors'}, ${conflicts} ${conflicts === 1 ? 'conflict' : 'conflicts'}, ${warnings} ${warnings === 1 ? 'warning' : 'warnings'}`,
    more: (count) => `  … and ${count} more (--verbose lists all, --json gives everything)`,
    result: (outcome, exitCode) => `Result: ${outcome} (exit code ${exitCode})`,
    pairsRow: 'pairs',
    kinds: { create: 'create', update: 'update', archive: 'archive', delete: 'delete', storno: 'storno', link: 'link' },
    duplicatesHeader: (count) => `Possible duplicates needing a decision: ${count} (not created)`,
    born: (day) => `born ${day}`,
    archived: 'archived',
    linkedElsewhere: 'linked with someone else',
    sameName: 'same name in',
    source: (system, id, basis) => `[source ${system}, id ${id}, basis ${basis}`,
    outdated: (reason) => `, stored decision outdated: ${reason}`,
    decideHint: '  Decide in the Sync module ("Mit diesem verknüpfen" / "Trotzdem anlegen"), or with --decisions FILE (see docs/cli.md).',
  },
};
