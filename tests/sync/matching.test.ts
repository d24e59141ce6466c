import { describe, expect, it } from 'vitest';
import { PersonIndex, identityOf } from '../../src/sync/matching.ts';
import type { SyncRecord } from '../../src/sync/model.ts';
import { normalizeName } from '../../src/sync/normalize.ts';
import { CT_IDENTITY, OG_IDENTITY, ctPerson, ogPerson } from './fixtures.ts';

let n = 0;
const rec = (properties: SyncRecord['properties']): SyncRecord => ({ id: String(++n), properties, modifiedAt: null });
const find = (ogRecords: SyncRecord[], ct: SyncRecord) => new PersonIndex(ogRecords, OG_IDENTITY).find(identityOf(ct, CT_IDENTITY));

describe('person matching', () => {
  // "The minimum requirement for linking is that a person's first and last names must be identical in both systems."
  it('requires identical first and last names', () => {
    const og = [rec(ogPerson('Anna', 'Schmidt')), rec(ogPerson('Anne', 'Schmidt'))];
    const result = find(og, rec(ctPerson('Anna', 'Schmidt')));
    expect(result.kind).toBe('unique');
    expect(result.kind === 'unique' && result.record.properties.Vorname).toBe('Anna');
    expect(find([rec(ogPerson('Anna', 'Schmitt'))], rec(ctPerson('Anna', 'Schmidt'))).kind).toBe('none');
  });

  it('treats umlaut spellings as identical (DIN 5007-2: Müller = Mueller, Weiß = Weiss)', () => {
    expect(normalizeName('Müller')).toBe(normalizeName('Mueller'));
    expect(normalizeName('Weiß')).toBe(normalizeName('Weiss'));
    expect(normalizeName('Jürgen')).toBe(normalizeName('Juergen'));
    expect(find([rec(ogPerson('Juergen', 'Mueller'))], rec(ctPerson('Jürgen', 'Müller'))).kind).toBe('unique');
  });

  it('ignores case, surrounding and repeated white space, and Unicode composition', () => {
    const decomposed = 'Mu\u0308ller';
    expect(find([rec(ogPerson('  anna ', decomposed))], rec(ctPerson('Anna', 'MÜLLER'))).kind).toBe('unique');
    expect(find([rec(ogPerson('Anna  Lena', 'Meyer - Schulz'))], rec(ctPerson('Anna Lena', 'Meyer-Schulz'))).kind).toBe('unique');
  });

  // "A combination of first name, last name, e-mail, and date of birth determines whether a person … is linked"
  it('rules out a candidate whose e-mail is set on both sides and differs', () => {
    const og = [rec(ogPerson('Anna', 'Schmidt', { EMail: 'anna@old.example' }))];
    expect(find(og, rec(ctPerson('Anna', 'Schmidt', { email: 'anna@new.example' }))).kind).toBe('none');
  });

  it('rules out a candidate whose birthday is set on both sides and differs', () => {
    const og = [rec(ogPerson('Anna', 'Schmidt', { Geburtsdatum: '1980-01-01' }))];
    expect(find(og, rec(ctPerson('Anna', 'Schmidt', { birthday: '1981-01-01' }))).kind).toBe('none');
  });

  it('still matches when e-mail or birthday is missing on one side', () => {
    const og = [rec(ogPerson('Anna', 'Schmidt', { EMail: null, Geburtsdatum: '1980-01-01' }))];
    expect(find(og, rec(ctPerson('Anna', 'Schmidt', { email: 'anna@example.org', birthday: null }))).kind).toBe('unique');
  });

  it('compares e-mail addresses without regard to case', () => {
    const og = [rec(ogPerson('Anna', 'Schmidt', { EMail: 'Anna@Example.org' }))];
    expect(find(og, rec(ctPerson('Anna', 'Schmidt', { email: 'anna@example.org' }))).kind).toBe('unique');
  });

  it('prefers the candidate with more agreeing fields', () => {
    const withBirthday = rec(ogPerson('Anna', 'Schmidt', { Geburtsdatum: '1980-01-01' }));
    const withoutAnything = rec(ogPerson('Anna', 'Schmidt'));
    const result = find([withoutAnything, withBirthday], rec(ctPerson('Anna', 'Schmidt', { birthday: '1980-01-01' })));
    expect(result.kind === 'unique' && result.record.id).toBe(withBirthday.id);
  });

  it('reports two equally good candidates with the same name as a duplicate and picks neither', () => {
    const a = rec(ogPerson('Hans', 'Meier'));
    const b = rec(ogPerson('Hans', 'Meier'));
    const result = find([a, b], rec(ctPerson('Hans', 'Meier')));
    expect(result.kind).toBe('duplicate');
    expect(result.kind === 'duplicate' && result.candidates.map((c) => c.id)).toEqual([a.id, b.id]);
  });

  it('never matches a record without a last name', () => {
    expect(find([rec(ogPerson('Anna', ''))], rec(ctPerson('Anna', ''))).kind).toBe('none');
  });

  it('does not link on similarity alone: Meier is not Maier', () => {
    expect(find([rec(ogPerson('Hans', 'Maier'))], rec(ctPerson('Hans', 'Meier'))).kind).toBe('none');
  });
});
