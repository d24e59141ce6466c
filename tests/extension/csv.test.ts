// CSV export: separators, quotes, line breaks and formula-looking cells are escaped.
import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from '../../src/format/csv.ts';

describe('CSV', () => {
  it('quotes what needs it and doubles quotes', () => {
    expect(csvCell('Müller, Anna')).toBe('Müller, Anna');
    expect(csvCell('a;b')).toBe('"a;b"');
    expect(csvCell('sagt "hallo"')).toBe('"sagt ""hallo"""');
    expect(csvCell('zwei\nZeilen')).toBe('"zwei\nZeilen"');
    expect(csvCell(' Rand ')).toBe('" Rand "');
    expect(csvCell(null)).toBe('');
    expect(csvCell(42)).toBe('42');
  });

  it('defuses cells a spreadsheet would run as formulas', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('+49 170 1234')).toBe("'+49 170 1234");
    expect(csvCell('-5')).toBe("'-5");
    expect(csvCell(-5)).toBe('-5');
  });

  it('writes a BOM, a header and CRLF lines', () => {
    expect(toCsv(['Nr.', 'Person'], [[1, 'Müller; Anna']])).toBe('\uFEFFNr.;Person\r\n1;"Müller; Anna"\r\n');
  });
});
