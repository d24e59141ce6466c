// Connections stored before issue #11 pair Soll with ChurchTools' Gegenkonto and Haben with its
// Konto. They are recognised by their fields (not by their keys), and switched to Soll ↔ Konto
// (`accountId`), Haben ↔ Gegenkonto (`contraAccountId`) under new keys.
import { describe, expect, it } from 'vitest';
import { hasReversedBookingSides, reversedBookingSides, switchBookingSides, withRenamedPairKeys } from '../../src/sync/booking-sides.ts';
import type { Job, PropertyPair } from '../../src/sync/model.ts';
import { DEFAULT_TRANSACTION_PROPERTY_PAIRS } from '../../src/sync/transaction-fields.ts';

const PERSON: PropertyPair = { key: 'fn', domain: 'person', churchtools: 'firstName', optigem: 'Vorname' };
const OLD_SOLL: PropertyPair = { key: 'ts', domain: 'transaction', churchtools: 'contraAccount', optigem: 'debitAccount' };
const OLD_HABEN: PropertyPair = { key: 'th', domain: 'transaction', churchtools: 'account', optigem: 'creditAccount' };
const others = DEFAULT_TRANSACTION_PROPERTY_PAIRS.filter((pair) => pair.key !== 'tk' && pair.key !== 'tg');

const job = (keys: string[]): Job => ({
  id: 'j',
  name: 'Spenden',
  connectionId: 'c',
  domain: 'transaction',
  actions: {},
  conditions: { churchtools: [], optigem: [] },
  propertyPairKeys: keys,
  autoRun: false,
});

describe('booking sides of a stored connection', () => {
  it('finds the old, reversed sides and nothing in the default pairs', () => {
    expect(reversedBookingSides([PERSON, ...others, OLD_SOLL, OLD_HABEN])).toEqual([OLD_SOLL, OLD_HABEN]);
    expect(hasReversedBookingSides([PERSON, ...DEFAULT_TRANSACTION_PROPERTY_PAIRS])).toBe(false);
    expect(hasReversedBookingSides([])).toBe(false);
  });

  it('recognises one reversed side alone, under any key', () => {
    expect(reversedBookingSides([{ ...OLD_HABEN, key: 'haben' }])).toEqual([{ ...OLD_HABEN, key: 'haben' }]);
    // Soll paired with Konto is right; only the other way round is the old mapping.
    expect(hasReversedBookingSides([{ ...OLD_SOLL, churchtools: 'account' }])).toBe(false);
  });

  it('switches to Soll ↔ Konto and Haben ↔ Gegenkonto under new keys, leaving every other pair as it is', () => {
    const pairs = [PERSON, ...others.slice(0, 4), OLD_SOLL, OLD_HABEN, ...others.slice(4)];
    const { propertyPairs, renamed } = switchBookingSides(pairs);
    expect(renamed).toEqual({ ts: 'tk', th: 'tg' });
    expect(propertyPairs).toEqual([PERSON, ...DEFAULT_TRANSACTION_PROPERTY_PAIRS]);
    expect(hasReversedBookingSides(propertyPairs)).toBe(false);
    expect(switchBookingSides(propertyPairs)).toEqual({ propertyPairs, renamed: {} });
  });

  it('never reuses a key the connection already has: the old baselines must not be read as the new sides', () => {
    const taken: PropertyPair = { key: 'tk', domain: 'transaction', churchtools: 'note', optigem: 'text' };
    const { propertyPairs, renamed } = switchBookingSides([taken, OLD_SOLL]);
    expect(renamed).toEqual({ ts: 'tkn' });
    expect(propertyPairs).toEqual([taken, { ...OLD_SOLL, key: 'tkn', churchtools: 'account' }]);
  });

  it('renames the selected keys of a job, and leaves a job without them untouched', () => {
    const renamed = { ts: 'tk', th: 'tg' };
    expect(withRenamedPairKeys(job(['td', 'ts', 'th', 'tp']), renamed).propertyPairKeys).toEqual(['td', 'tk', 'tg', 'tp']);
    const untouched = job(['td', 'ta']);
    expect(withRenamedPairKeys(untouched, renamed)).toBe(untouched);
  });
});
