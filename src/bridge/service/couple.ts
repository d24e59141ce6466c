/**
 * Couple records: one Optigem record that stands for two people, e.g. Vorname "Max und Erika"
 * (reference §3.2, rules there are [I]). The bridge only flags them and suggests how the first
 * names split; it never changes the record.
 */
import type { Couple, PersonData } from '../../optigem/schemas.ts';

export interface CoupleRules {
  /** Regex (source) between two first names. */
  firstNameSeparator: string;
  /** Regexes (source, case-insensitive) on Anrede/Briefanrede that name two people. */
  salutationPatterns: string[];
  /** Manual overrides by Nr. */
  couples: number[];
  singles: number[];
}

export const DEFAULT_COUPLE_RULES: CoupleRules = {
  firstNameSeparator: '\\s+(?:und|u\\.|&|\\+)\\s+',
  salutationPatterns: ['\\bHerr(?:n)? und Frau\\b', '\\bEheleute\\b', '\\bEhepaar\\b', '\\bFamilie\\b'],
  couples: [],
  singles: [],
};

export type CoupleDetector = (nr: number, person: Pick<PersonData, 'firstName' | 'salutation' | 'letterSalutation'>) => Couple | null;

export function coupleDetector(rules: CoupleRules = DEFAULT_COUPLE_RULES): CoupleDetector {
  const separator = new RegExp(rules.firstNameSeparator, 'iu');
  const salutations = rules.salutationPatterns.map((source) => new RegExp(source, 'iu'));
  const couples = new Set(rules.couples);
  const singles = new Set(rules.singles);
  return (nr, person) => {
    if (singles.has(nr)) return null;
    const firstNames = (person.firstName ?? '')
      .split(separator)
      .map((name) => name.trim())
      .filter((name) => name !== '');
    if (firstNames.length >= 2 || couples.has(nr)) return { firstNames };
    const named = [person.salutation, person.letterSalutation].filter((s): s is string => s !== null);
    if (named.some((s) => salutations.some((pattern) => pattern.test(s)))) return { firstNames };
    return null;
  };
}
