/** CSV for the core's exports: the shared writer (src/shared/csv.ts, formula-safe) as base64 bytes. */
import { toCsv, type CsvCell } from '../../shared/csv';

export { escapeCsvCell, toCsv, type CsvCell } from '../../shared/csv';

/** `toCsv` as base64 bytes, the shape every export method returns. */
export function csvBase64(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return Buffer.from(toCsv(header, rows), 'utf8').toString('base64');
}
