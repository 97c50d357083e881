/**
 * Reading an import file: CSV (papaparse) or XLSX (exceljs), with hard limits, and the per-row checks that need
 * no database. Runs in the import worker (import-worker.ts), never on the main thread: a hostile or simply
 * huge file can cost CPU and memory there, and the worker is stopped when it takes too long.
 *
 * Limits (shared/contract/import-limits.ts): the .xlsx may inflate to IMPORT_MAX_UNCOMPRESSED_BYTES (checked
 * while inflating, whatever the file claims), and a file may hold IMPORT_MAX_ROWS data rows — a longer file
 * is refused whole, saying how many rows it has; rows are never cut off silently.
 *
 * Every row keeps its line number in the file. A row that cannot be read (an unbalanced quote, more cells
 * than the header) is reported on its own line and the rows after it are still read.
 */
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { Readable } from 'node:stream';
import type { z } from 'zod';
import { CustomerInput, ImportTarget, SubscriptionInput } from '../../shared/contract/billing';
import { AppError } from '../../shared/contract/errors';
import { replaceControlChars } from '../../shared/contract/text';
import { normalizePhone } from '../../shared/phone';
import { readZip, writeStoredZip, type ZipEntry } from '../lib/zip';

export type ImportField = z.infer<typeof ImportTarget>;
/** The seed file's own column names, declared once in the contract. */
export const SEED_COLUMNS: readonly ImportField[] = ImportTarget.options;

export interface ReadLimits {
  maxRows: number;
  maxUncompressedBytes: number;
}

export interface ReadRequest {
  content: string;
  format: 'csv' | 'xlsx';
  mapping?: Record<string, ImportField> | undefined;
}

/** One data row after the checks that need no database. */
export interface CheckedRow {
  line: number;
  errors: string[];
  name: string;
  phone: string | null;
  nik: string | null;
  address: string;
  area: string;
  registeredOn: string | null;
  packageName: string;
  /** `paket_tarif` as written (null = empty or unreadable; unreadable ones carry an error). */
  tarif: number | null;
  total: number | null;
  discount: number;
  billingDay: number | null;
}

export interface ReadResult {
  columns: string[];
  mapping: Record<string, ImportField>;
  rows: CheckedRow[];
}

interface TableRow {
  line: number;
  cells: string[];
}
interface Problem {
  line: number;
  error: string;
}
interface Table {
  columns: string[];
  rows: TableRow[];
  problems: Problem[];
  /** Data rows in the file, readable or not (the header and blank lines not counted). */
  total: number;
}

/** More broken quotes than this and the file is not a CSV worth reading row by row. */
const MAX_QUOTE_PROBLEMS = 1000;

const refuse = (message: string, reason: string, extra: Record<string, unknown> = {}) =>
  new AppError('VALIDATION', message, {
    reason,
    ...extra,
    issues: [{ path: 'content', message, code: reason }],
  });

const thousands = (n: number) => n.toLocaleString('id-ID');

/** Text shown back in a message: short, on one line. */
export const echo = (s: string, max = 40) => {
  const one = replaceControlChars(s.length > max * 2 ? s.slice(0, max * 2) : s, ' ');
  return one.length > max ? `${one.slice(0, max)}…` : one;
};

function uniqueColumns(cells: string[]): string[] {
  const seen = new Map<string, number>();
  return cells.map((c, i) => {
    const base = c.trim() || `Kolom ${i + 1}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base} (${n})`;
  });
}

function tooManyRows(total: number, maxRows: number): AppError {
  return refuse(
    `Berkas berisi ${thousands(total)} baris data; batasnya ${thousands(maxRows)} baris per impor. Bagi berkas menjadi beberapa bagian, tidak ada baris yang diimpor.`,
    'too_many_rows',
    { rows: total, limit: maxRows },
  );
}

// ---------- CSV ----------

function readCsv(raw: string, limits: ReadLimits): Table {
  const text = raw.replace(/^\ufeff/, '');
  // Delimiter (`,` or `;` from an Indonesian Excel) and line break, guessed once from the start of the file.
  const guess = Papa.parse<string[]>(text.slice(0, 64 * 1024), { preview: 20 });
  const delimiter = guess.meta.delimiter || ',';
  const newline = (guess.meta.linebreak || '\n') as '\n' | '\r' | '\r\n';
  const lineChar = newline === '\r' ? '\r' : '\n';

  // Line number of an offset; offsets only grow, so counting is linear over the whole file.
  let counted = 0;
  let lines = 1;
  const lineOf = (offset: number) => {
    for (; counted < offset; counted++) if (text.charCodeAt(counted) === lineChar.charCodeAt(0)) lines++;
    return lines;
  };

  let columns: string[] | null = null;
  const rows: TableRow[] = [];
  const problems: Problem[] = [];
  let total = 0;
  const keep = () => total <= limits.maxRows;

  let base = 0;
  while (base < text.length) {
    let prev = 0;
    let restart = -1;
    Papa.parse<string[]>(base === 0 ? text : text.slice(base), {
      delimiter,
      newline,
      step: (r, parser) => {
        const start = base + prev;
        prev = r.meta.cursor;
        const line = lineOf(start);
        if (r.errors.some((e) => e.type === 'Quotes')) {
          // An opening quote without its closing one swallows every line after it into one cell. Report this
          // line and read on from the next one, instead of importing a merged row.
          if (!columns)
            throw refuse(
              `Baris judul (baris ${line}) memiliki tanda kutip (") yang tidak seimbang`,
              'bad_header',
            );
          total++;
          if (keep())
            problems.push({
              line,
              error:
                'Tanda kutip (") tidak seimbang: baris ini tidak dapat dibaca. Perbaiki lalu impor ulang baris ini.',
            });
          const next = text.indexOf(lineChar, start);
          restart = next < 0 ? text.length : next + 1;
          parser.abort();
          return;
        }
        const cells = r.data;
        if (cells.every((c) => c.trim() === '')) return;
        if (!columns) {
          columns = uniqueColumns(cells);
          return;
        }
        total++;
        if (!keep()) return;
        const extra = cells.slice(columns.length).filter((c) => c.trim() !== '');
        if (extra.length > 0)
          problems.push({
            line,
            error: `Baris berisi ${cells.length} kolom, judul hanya ${columns.length}. Apit teks yang memuat "${delimiter}" dengan tanda kutip.`,
          });
        else rows.push({ line, cells });
      },
    });
    if (restart < 0) break;
    if (problems.length > MAX_QUOTE_PROBLEMS)
      throw refuse(
        `Lebih dari ${thousands(MAX_QUOTE_PROBLEMS)} baris memiliki tanda kutip (") tidak seimbang: berkas ini bukan CSV yang dapat dibaca.`,
        'bad_quotes',
      );
    base = restart;
  }
  if (total > limits.maxRows) throw tooManyRows(total, limits.maxRows);
  return { columns: columns ?? [], rows, problems, total };
}

// ---------- XLSX ----------

/** The parts exceljs needs before the sheets come first, so it never parks a sheet in a temp file. */
function partOrder(name: string): number {
  if (name === 'xl/workbook.xml' || name.endsWith('.rels') || name === '[Content_Types].xml') return 0;
  if (name === 'xl/sharedStrings.xml' || name === 'xl/styles.xml') return 1;
  const sheet = /^xl\/worksheets\/sheet(\d+)\.xml$/.exec(name);
  if (sheet) return 2 + Number(sheet[1]) / 1e6;
  return 3;
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    if ('text' in v) return cellText(v.text as ExcelJS.CellValue);
    if ('result' in v) return cellText((v.result ?? null) as ExcelJS.CellValue);
    if ('error' in v) return '';
    return '';
  }
  return String(v);
}

async function readXlsx(content: string, limits: ReadLimits): Promise<Table> {
  const zip = Buffer.from(content, 'base64');
  const entries: ZipEntry[] = readZip(zip, {
    maxUncompressedBytes: limits.maxUncompressedBytes,
    maxEntries: 5000,
  }).filter((e) => !e.name.endsWith('/'));
  if (!entries.some((e) => /^xl\/worksheets\/sheet\d+\.xml$/.test(e.name)))
    throw refuse('Berkas XLSX tidak berisi lembar kerja', 'invalid_file');
  entries.sort((a, b) => partOrder(a.name) - partOrder(b.name));
  // Stored (not compressed): exceljs reads exactly the bytes readZip measured and inflates nothing itself.
  const stored = writeStoredZip(entries);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([stored]), {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  });
  let columns: string[] | null = null;
  const rows: TableRow[] = [];
  let total = 0;
  try {
    // The first sheet only: the customer list.
    for await (const sheet of reader) {
      for await (const row of sheet) {
        const values = Array.isArray(row.values) ? row.values : [];
        const cells: string[] = [];
        for (let i = 1; i < values.length; i++) cells.push(cellText(values[i] as ExcelJS.CellValue));
        if (cells.every((c) => c.trim() === '')) continue;
        if (!columns) {
          columns = uniqueColumns(cells);
          continue;
        }
        total++;
        if (total <= limits.maxRows) rows.push({ line: row.number, cells });
      }
      break;
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw refuse('Berkas XLSX rusak atau bukan berkas Excel (.xlsx)', 'invalid_file');
  }
  if (total > limits.maxRows) throw tooManyRows(total, limits.maxRows);
  return { columns: columns ?? [], rows, problems: [], total };
}

// ---------- row checks ----------

/** A zod issue as a sentence about the field `label`. */
function describe(label: string, issue: z.core.$ZodIssue, value: string): string {
  if (issue.code === 'invalid_union') {
    // `'' | NIK`: the last alternative says what was expected.
    const inner = issue.errors
      .map((e) => e[0])
      .filter((e) => e !== undefined)
      .at(-1);
    if (inner) return describe(label, inner, value);
  }
  if (issue.code === 'too_big')
    return issue.origin === 'string'
      ? `${label} terlalu panjang (${thousands(value.length)} karakter, maksimal ${issue.maximum})`
      : `${label} terlalu besar (maksimal ${thousands(Number(issue.maximum))})`;
  if (issue.code === 'too_small')
    return issue.origin === 'string'
      ? value === ''
        ? `${label} kosong`
        : `${label} terlalu pendek (minimal ${issue.minimum} karakter)`
      : `${label} minimal ${thousands(Number(issue.minimum))}`;
  return issue.message.startsWith(label) ? issue.message : `${label}: ${issue.message}`;
}

/** Checks `value` with the contract's own schema for the field: one definition of what a field may hold. */
function check<S extends z.ZodType>(
  errors: string[],
  label: string,
  schema: S,
  value: string | number,
): z.output<S> | null {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  for (const issue of r.error.issues.slice(0, 2)) errors.push(describe(label, issue, String(value)));
  return null;
}

const int = (s: string) => {
  const n = s.replace(/[.\s]/g, '');
  return /^-?\d+$/.test(n) ? Number(n) : null;
};

/** Line breaks and tabs inside a cell (Alt+Enter in Excel) become spaces; other control characters stay, and
 *  the contract refuses them. */
const clean = (s: string) => s.replace(/[\t\r\n\u2028\u2029]+/g, ' ').trim();

const F = CustomerInput.shape;
const S = SubscriptionInput.shape;

function checkRow(line: number, get: (f: ImportField) => string): CheckedRow {
  const errors: string[] = [];
  const rawName = get('nama');
  const name = check(errors, 'Nama', F.name, rawName) ?? rawName;

  const rawPhone = get('telepon');
  let phone: string | null = null;
  if (!rawPhone) errors.push('Nomor telepon kosong');
  else {
    phone = normalizePhone(rawPhone);
    if (!phone) errors.push(`Nomor telepon tidak valid: ${echo(rawPhone)}`);
  }

  const rawDiscount = get('diskon');
  let discount = 0;
  if (rawDiscount !== '') {
    const n = int(rawDiscount);
    if (n === null || n < 0) errors.push(`Diskon tidak valid: ${echo(rawDiscount)}`);
    else discount = check(errors, 'Diskon', S.discount, n) ?? 0;
  }

  const rawDay = get('tanggal');
  const day = int(rawDay);
  const billingDay = day !== null && S.billingDay.safeParse(day).success ? day : null;
  if (billingDay === null) errors.push(`Tanggal tagihan harus 1–28: ${echo(rawDay) || '(kosong)'}`);

  const rawTarif = get('paket_tarif');
  const tarif = rawTarif === '' ? null : int(rawTarif);
  if (rawTarif !== '' && (tarif === null || tarif < 0))
    errors.push(`Tarif paket tidak valid: ${echo(rawTarif)}`);

  const rawTotal = get('total_bayar');
  const total = rawTotal === '' ? null : int(rawTotal);
  if (rawTotal !== '' && total === null) errors.push(`Total bayar tidak valid: ${echo(rawTotal)}`);

  const rawNik = get('nik');
  const nik = rawNik ? (check(errors, 'NIK', F.nik, rawNik) ?? null) : null;

  const rawReg = get('tanggal_register');
  let registeredOn: string | null = null;
  if (rawReg) {
    if (F.registeredOn.safeParse(rawReg).success) registeredOn = rawReg;
    else errors.push(`Tanggal register tidak valid (YYYY-MM-DD): ${echo(rawReg)}`);
  }

  const address = check(errors, 'Alamat', F.address, get('alamat')) ?? '';
  const area = check(errors, 'Area', F.area, get('area')) ?? '';

  return {
    line,
    errors,
    // What the preview shows: never the whole of a runaway cell.
    name: echo(name, 100),
    phone,
    nik: nik || null,
    address,
    area,
    registeredOn,
    packageName: get('paket_nama'),
    tarif,
    total,
    discount,
    billingDay,
  };
}

const problemRow = (p: Problem): CheckedRow => ({
  line: p.line,
  errors: [p.error],
  name: '',
  phone: null,
  nik: null,
  address: '',
  area: '',
  registeredOn: null,
  packageName: '',
  tarif: null,
  total: null,
  discount: 0,
  billingDay: null,
});

/** Reads the file within the limits and checks every row; throws VALIDATION for a file it cannot take. */
export async function readImport(req: ReadRequest, limits: ReadLimits): Promise<ReadResult> {
  const table = req.format === 'csv' ? readCsv(req.content, limits) : await readXlsx(req.content, limits);
  const mapping: Record<string, ImportField> =
    req.mapping ??
    Object.fromEntries(
      table.columns
        .filter((col) => (SEED_COLUMNS as readonly string[]).includes(col.toLowerCase()))
        .map((col) => [col, col.toLowerCase() as ImportField]),
    );
  const index = new Map<ImportField, number>();
  for (const [col, field] of Object.entries(mapping)) {
    const i = table.columns.indexOf(col);
    if (i >= 0) index.set(field, i);
  }
  const rows = table.rows.map((r) =>
    checkRow(r.line, (f) => {
      const i = index.get(f);
      return i === undefined ? '' : clean(r.cells[i] ?? '');
    }),
  );
  const all = table.problems.length ? [...rows, ...table.problems.map(problemRow)] : rows;
  if (table.problems.length) all.sort((a, b) => a.line - b.line);
  return { columns: table.columns, mapping, rows: all };
}
