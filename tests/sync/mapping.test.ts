import { describe, expect, it } from 'vitest';
import { applyFingerprintPatch, decodeFingerprint, encodeFingerprint, valueHash } from '../../src/sync/fingerprint.ts';
import { comparable, translate } from '../../src/sync/mapping.ts';
import type { PropertyPair } from '../../src/sync/model.ts';
import { PROPERTY_PAIRS, STATUS } from './fixtures.ts';

const status = PROPERTY_PAIRS.find((pair) => pair.key === 'st') as PropertyPair;
const withFallback = (fallback: NonNullable<PropertyPair['mapping']>['fallback']): PropertyPair => ({
  ...status,
  mapping: { entries: status.mapping?.entries ?? [], fallback },
});

describe('value mapping (status ↔ category)', () => {
  // Spec example: "If the status was selected as a property for the synchronisation, the corresponding category is now set for the person in Optigem."
  it('sets the category that corresponds to the ChurchTools status, keeping unrelated categories', () => {
    const result = translate(status, 'churchtools', STATUS.member, ['200', '160']);
    expect(result).toEqual({ kind: 'value', value: ['150', '200'] });
  });

  it('reads the ChurchTools status from the managed categories and ignores the others', () => {
    expect(translate(status, 'optigem', ['200', '150'], STATUS.guest)).toEqual({ kind: 'value', value: STATUS.member });
    expect(comparable(status, 'optigem', ['200', '150'])).toBe(STATUS.member);
  });

  it('compares a record without any managed category as empty', () => {
    expect(comparable(status, 'optigem', ['200'])).toBe('');
  });

  it('never empties a ChurchTools status from a record without a managed category: the fallback decides', () => {
    expect(translate(status, 'optigem', ['200'], STATUS.member)).toEqual({ kind: 'skip', reason: 'unmapped', sourceValue: '200' });
    expect(translate(withFallback({ kind: 'fixed', churchtools: STATUS.guest, optigem: null }), 'optigem', [], STATUS.member)).toEqual({ kind: 'value', value: STATUS.guest });
  });

  it('removes the managed categories when the ChurchTools status is empty', () => {
    expect(translate(status, 'churchtools', null, ['150', '200'])).toEqual({ kind: 'value', value: ['200'] });
  });

  it('follows the fallback for an unmapped value: skip the field', () => {
    expect(translate(withFallback({ kind: 'skip' }), 'churchtools', STATUS.guest, [])).toMatchObject({ kind: 'skip', reason: 'unmapped' });
  });

  it('follows the fallback for an unmapped value: block the job', () => {
    expect(translate(withFallback({ kind: 'block' }), 'churchtools', STATUS.guest, [])).toMatchObject({ kind: 'block', sourceValue: STATUS.guest });
  });

  it('follows the fallback for an unmapped value: use a fixed value', () => {
    const fixed = withFallback({ kind: 'fixed', churchtools: STATUS.optigem, optigem: '199' });
    expect(translate(fixed, 'churchtools', STATUS.guest, ['200'])).toEqual({ kind: 'value', value: ['199', '200'] });
  });

  it('calls two managed categories meaning different statuses ambiguous', () => {
    expect(translate(withFallback({ kind: 'skip' }), 'optigem', ['150', '160'], STATUS.member)).toMatchObject({ kind: 'skip', reason: 'ambiguous' });
  });

  it('passes plain values through unchanged, empty values included', () => {
    const city = PROPERTY_PAIRS.find((pair) => pair.key === 'ci') as PropertyPair;
    expect(translate(city, 'optigem', 'Köln', 'Bonn')).toEqual({ kind: 'value', value: 'Köln' });
    expect(translate(city, 'optigem', null, 'Bonn')).toEqual({ kind: 'value', value: null });
  });
});

describe('fingerprint', () => {
  it('keeps a pair to a few characters per field', () => {
    const fp = encodeFingerprint(new Map([['fn', valueHash('Anna')], ['ln', valueHash('Schmidt')], ['st', valueHash('1')]]));
    expect(fp).toMatch(/^fn[\w-]{2}\.ln[\w-]{2}\.st[\w-]{2}$/);
    expect(decodeFingerprint(fp).get('ln')).toBe(valueHash('Schmidt'));
  });

  it('changes the hash when the value changes', () => {
    expect(valueHash('Schmidt')).not.toBe(valueHash('Schmitt'));
  });

  it('patches single fields and forgets a field on null', () => {
    const fp = encodeFingerprint(new Map([['fn', 'AA'], ['ln', 'BB']]));
    expect(applyFingerprintPatch(fp, { fn: 'CC', ln: null, em: 'DD' })).toBe('emDD.fnCC');
  });
});
