// CSV for spreadsheets (Excel in German locales reads `;` and a BOM as UTF-8). Every cell is
// quoted when it needs to be; a leading = + - @ is defused so a name cannot become a formula.
export type CsvCell = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: CsvCell, separator = ';'): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  if (text.includes(separator) || /["\r\n]/.test(text) || text !== text.trim()) return `"${text.replace(/"/g, '""')}"`;
  return text;
}

export function toCsv(header: readonly string[], rows: Iterable<readonly CsvCell[]>, separator = ';'): string {
  const lines = [header.map((cell) => csvCell(cell, separator)).join(separator)];
  for (const row of rows) lines.push(row.map((cell) => csvCell(cell, separator)).join(separator));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
