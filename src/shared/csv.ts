/**
 * The one way Rukun writes CSV (exports in the core, the import report in the UI), so every file is safe to
 * open in a spreadsheet.
 *
 * A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is read by Excel / LibreOffice as a
 * formula ("CSV injection"): a customer named `=HYPERLINK("http://…","Klik")` would become a live link in
 * the office's report. Such text cells get a leading apostrophe, which spreadsheets show as plain text.
 * Numbers stay numbers (a negative balance is data, not a formula). Full-width look-alikes are included
 * because some spreadsheet versions treat them as the ASCII signs.
 *
 * papaparse's own `escapeFormulae` is not used: its pattern (`/^[=+\-@\t\r].*$/`) misses a cell whose
 * formula is followed by a line break.
 */
import Papa from 'papaparse';

export type CsvCell = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/** A text cell a spreadsheet would evaluate, made inert; anything else unchanged. */
export function escapeCsvCell(v: CsvCell): CsvCell {
  return typeof v === 'string' && FORMULA_START.test(v) ? `'${v}` : v;
}

/**
 * CSV text (with a BOM, so Excel on Windows reads Indonesian names as UTF-8) of a header and rows.
 * Every cell, the header included, goes through `escapeCsvCell`.
 */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  const data = [header, ...rows].map((r) => r.map(escapeCsvCell));
  return `\ufeff${Papa.unparse(data, { newline: '\r\n' })}`;
}
