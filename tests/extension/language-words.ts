// What "one language at a time" looks for (issue 15 §2), shared by the component walk
// (languages.test.ts) and the browser walk (tests/e2e/language-walk.e2e.test.ts).
import de from '../../src/extension/i18n/de.ts';

export type WalkLocale = 'de' | 'en';

// Small lists of words that belong to one language only (not names, not Optigem's own columns).
// Not "und": Optigem couple records are named "Max und Erika" — data, shown as it is in both languages.
export const GERMAN = ['Beleg', 'nicht', 'Bitte', 'bitte', 'wählen', 'Auftrag', 'Aufträge', 'Verbindung', 'Verbindungen', 'Ausführung', 'Ausführungen', 'keine', 'Keine', 'wird', 'werden', 'oder', 'noch', 'Simulieren', 'Ausführen'];
export const ENGLISH = ['the', 'and', 'not', 'Please', 'please', 'Job', 'Jobs', 'Connection', 'Connections', 'Execution', 'Executions', 'none', 'None', 'with', 'will', 'Simulate', 'Run'];

/** The words of the other language, for a text shown in `locale`. */
export function otherLanguage(locale: WalkLocale): readonly string[] {
  return locale === 'de' ? ENGLISH : GERMAN;
}

/** A message key shown instead of its text: a catalogue section, a dot, a key ("report.run"). */
export const RAW_KEY = new RegExp(`\\b(?:${Object.keys(de).join('|')})\\.[a-z][a-zA-Z]*(?:\\.[a-zA-Z]+)*\\b`);

export function foreignWords(text: string, words: readonly string[]): string[] {
  return words.filter((word) => new RegExp(`(^|[^\\p{L}])${word}($|[^\\p{L}])`, 'u').test(text));
}
