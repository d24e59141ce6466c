/**
 * Near-matches for a person, offered to a human for manual linking and never linked
 * automatically: spelling variants (Meier/Maier), nicknames in the first name (Hans/Hans-Peter),
 * swapped first and last name, and one part of a double name (Müller-Lüdenscheidt/Müller).
 */
import { identityOf, type PersonIdentity } from './matching.ts';
import type { IdentityFields, SyncRecord } from './model.ts';

export type SuggestionReason = 'sameName' | 'similarName' | 'swappedNames' | 'partOfDoubleName' | 'sameEmail' | 'sameBirthday';

export interface Suggestion {
  readonly record: SyncRecord;
  /** 0..1, higher is more likely the same person. */
  readonly score: number;
  readonly reasons: readonly SuggestionReason[];
}

/** Jaro-Winkler similarity: robust for short strings such as names. */
export function nameSimilarity(a: string, b: string): number {
  if (a === b) return a === '' ? 0 : 1;
  const window = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  const aMatched = new Array<boolean>(a.length).fill(false);
  const bMatched = new Array<boolean>(b.length).fill(false);
  let matches = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = Math.max(0, i - window); j < Math.min(b.length, i + window + 1); j++) {
      if (bMatched[j] || a[i] !== b[j]) continue;
      aMatched[i] = bMatched[j] = true;
      matches++;
      break;
    }
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  for (let i = 0, j = 0; i < a.length; i++) {
    if (!aMatched[i]) continue;
    while (!bMatched[j]) j++;
    if (a[i] !== b[j]) transpositions++;
    j++;
  }
  const jaro = (matches / a.length + matches / b.length + (matches - transpositions / 2) / matches) / 3;
  let prefix = 0;
  while (prefix < 4 && a[prefix] !== undefined && a[prefix] === b[prefix]) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}

function parts(name: string): string[] {
  return name.split(/[-\s]+/).filter((part) => part !== '');
}

function sharesPart(a: string, b: string): boolean {
  const pa = parts(a);
  const pb = parts(b);
  return (pa.length > 1 || pb.length > 1) && pa.some((part) => pb.includes(part));
}

function judge(person: PersonIdentity, other: PersonIdentity): { score: number; reasons: SuggestionReason[] } | null {
  const reasons: SuggestionReason[] = [];
  const straight = (nameSimilarity(person.first, other.first) + nameSimilarity(person.last, other.last)) / 2;
  const swapped = (nameSimilarity(person.first, other.last) + nameSimilarity(person.last, other.first)) / 2;
  let score = Math.max(straight, swapped);
  if (swapped > straight && swapped > 0.9) reasons.push('swappedNames');
  // Identical names are not "similar": saying so would make the admin look for a difference.
  else if (person.first === other.first && person.last === other.last && person.last !== '') reasons.push('sameName');
  else if (straight >= 0.85) reasons.push('similarName');
  if (sharesPart(person.last, other.last) || sharesPart(person.first, other.first)) {
    reasons.push('partOfDoubleName');
    score = Math.max(score, 0.85);
  }
  const sameEmail = person.email !== null && person.email === other.email;
  const sameBirthday = person.birthday !== null && person.birthday === other.birthday;
  if (sameEmail) reasons.push('sameEmail');
  if (sameBirthday) reasons.push('sameBirthday');
  if (reasons.length === 0) return null;
  // Agreeing e-mail or birthday make a weak name match worth showing; a differing one weakens it.
  if (sameEmail) score = Math.max(score, 0.8) + 0.1;
  if (sameBirthday) score += 0.05;
  if (person.email && other.email && person.email !== other.email) score -= 0.1;
  if (person.birthday && other.birthday && person.birthday !== other.birthday) score -= 0.2;
  return score >= 0.8 ? { score: Math.min(1, score), reasons } : null;
}

/** The best candidates among `others` for `record`, best first; exact name matches included. */
export function suggestMatches(
  record: SyncRecord,
  fields: IdentityFields,
  others: Iterable<SyncRecord>,
  otherFields: IdentityFields,
  limit = 5,
): Suggestion[] {
  const person = identityOf(record, fields);
  const found: Suggestion[] = [];
  for (const other of others) {
    const verdict = judge(person, identityOf(other, otherFields));
    if (verdict) found.push({ record: other, ...verdict });
  }
  return found.sort((a, b) => b.score - a.score).slice(0, limit);
}
