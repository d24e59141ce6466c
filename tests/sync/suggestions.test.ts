import { describe, expect, it } from 'vitest';
import type { SyncRecord } from '../../src/sync/model.ts';
import { nameSimilarity, suggestMatches } from '../../src/sync/suggestions.ts';
import { CT_IDENTITY, OG_IDENTITY, ctPerson, ogPerson } from './fixtures.ts';

let n = 0;
const rec = (properties: SyncRecord['properties']): SyncRecord => ({ id: String(++n), properties, modifiedAt: null });
const suggest = (ct: SyncRecord, og: SyncRecord[]) => suggestMatches(ct, CT_IDENTITY, og, OG_IDENTITY);

describe('suggestions for manual linking', () => {
  it('offers a spelling variant (Meier/Maier) that matching never links', () => {
    const maier = rec(ogPerson('Hans', 'Maier'));
    const [first] = suggest(rec(ctPerson('Hans', 'Meier')), [maier, rec(ogPerson('Eva', 'Berg'))]);
    expect(first?.record.id).toBe(maier.id);
    expect(first?.reasons).toContain('similarName');
  });

  it('calls identical names the same name, not a similar one', () => {
    const twin = rec(ogPerson('Hans', 'Meier', { Geburtsdatum: '1990-01-01' }));
    const [first] = suggest(rec(ctPerson('Hans', 'Meier', { birthday: '1980-05-05' })), [twin]);
    expect(first?.reasons).toContain('sameName');
    expect(first?.reasons).not.toContain('similarName');
  });

  it('offers swapped first and last names', () => {
    const swapped = rec(ogPerson('Schmidt', 'Anna'));
    expect(suggest(rec(ctPerson('Anna', 'Schmidt')), [swapped])[0]?.reasons).toContain('swappedNames');
  });

  it('offers one part of a double name', () => {
    const single = rec(ogPerson('Clara', 'Müller'));
    expect(suggest(rec(ctPerson('Clara', 'Müller-Lüdenscheidt')), [single])[0]?.reasons).toContain('partOfDoubleName');
  });

  it('offers a nickname with the same e-mail address', () => {
    const nick = rec(ogPerson('Hansi', 'Meier', { EMail: 'hans@example.org' }));
    const [first] = suggest(rec(ctPerson('Hans', 'Meier', { email: 'hans@example.org' })), [nick]);
    expect(first?.reasons).toEqual(['similarName', 'sameEmail']);
  });

  it('ranks a candidate with a different birthday below one without', () => {
    const other = rec(ogPerson('Hans', 'Maier', { Geburtsdatum: '1990-01-01' }));
    const likely = rec(ogPerson('Hans', 'Mayer'));
    const result = suggest(rec(ctPerson('Hans', 'Meier', { birthday: '1950-01-01' })), [other, likely]);
    expect(result[0]?.record.id).toBe(likely.id);
  });

  it('offers nothing for unrelated people', () => {
    expect(suggest(rec(ctPerson('Anna', 'Schmidt')), [rec(ogPerson('Bernd', 'Bauer'))])).toEqual([]);
  });

  it('scores identical names 1 and unrelated names low', () => {
    expect(nameSimilarity('meier', 'meier')).toBe(1);
    expect(nameSimilarity('meier', 'bauer')).toBeLessThan(0.7);
  });
});
