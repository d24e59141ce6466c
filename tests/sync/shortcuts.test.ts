import { describe, expect, it } from 'vitest';
import { canonicalValue } from '../../src/sync/canonical.ts';
import { parseTimestamp } from '../../src/sync/field-sync.ts';
import { findRemembered, valueHash } from '../../src/sync/fingerprint.ts';
import { normalizeName } from '../../src/sync/normalize.ts';

/** The planner's shortcuts must give exactly what the general path gives. */
describe('planning shortcuts', () => {
  it('reads timestamps as Date.parse does, valid or not', () => {
    const samples = [
      '2026-01-01T00:00:00Z',
      '2026-01-01T00:00:00.000Z',
      '2026-06-15T13:45:07.123Z',
      '1999-12-31T23:59:59.999Z',
      '2024-02-29T12:00:00Z',
      '2025-02-29T12:00:00Z',
      '2026-02-31T00:00:00Z',
      '2026-04-31T23:59:59Z',
      '2026-01-01T24:00:00Z',
      '2026-00-10T00:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-01-00T00:00:00Z',
      '2026-01-32T00:00:00Z',
      '2026-01-01T00:60:00Z',
      '2026-01-01T00:00:60Z',
      '0099-01-01T00:00:00Z',
      '0999-01-01T00:00:00Z',
      '2026-1-01T00:00:00Z',
      '2026-01-01 00:00:00Z',
      '2026-01-01T00:00:00+01:00',
      '2026-01-01T00:00:00.00Z',
      '2026-01-01T0a:00:00Z',
      '2026-01-01',
      'yesterday',
      '',
    ];
    for (const text of samples) expect([text, parseTimestamp(text)]).toEqual([text, Date.parse(text)]);
  });

  it('treats every text below U+0300 as composed already (NFC), so only other text is normalised', () => {
    for (let a = 0; a < 0x300; a++) {
      for (let b = 0; b < 0x300; b += a < 0x80 ? 1 : 7) {
        const text = String.fromCharCode(a, b);
        if (text.normalize('NFC') !== text) throw new Error(`U+${a.toString(16)} U+${b.toString(16)} is not NFC`);
      }
    }
    expect(canonicalValue('Ko\u0308ln')).toBe('Köln');
  });

  it('normalises names without umlauts or white space by lower-casing alone', () => {
    expect(normalizeName('Schmidt')).toBe('schmidt');
    expect(normalizeName('Hans-Peter')).toBe('hans-peter');
    expect(normalizeName(' Hans - Peter ')).toBe('hans-peter');
    expect(normalizeName('MÜLLER')).toBe('mueller');
  });

  it('finds a remembered value wherever it stands in the fingerprint, and only a whole segment', () => {
    const fp = `ci${valueHash('Köln')}.fn${valueHash('Anna')}.st${valueHash('1')}`;
    expect(findRemembered(fp, 'fn', valueHash('Anna'))).toBeGreaterThan(0);
    expect(findRemembered(fp, 'ci', valueHash('Köln'), fp.indexOf('st'))).toBe(5);
    expect(findRemembered(fp, 'fn', valueHash('Anne'))).toBe(-1);
    expect(findRemembered(fp, 'f', valueHash('Anna'))).toBe(-1);
    expect(findRemembered(`stx${valueHash('1')}`, 'st', valueHash('1'))).toBe(-1);
    expect(findRemembered('', 'st', valueHash('1'))).toBe(-1);
  });
});
