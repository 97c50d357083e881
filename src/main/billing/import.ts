/**
 * Customer import: the file is read and checked row by row in a worker thread (import-read.ts, within the
 * limits of shared/contract/import-limits.ts); only the checks that need the database (packages, phones
 * already registered) and the write run here. Every row of the file comes back with its line number, valid
 * or with its reasons: nothing is dropped without a word.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { AppError } from '../../shared/contract/errors';
import {
  IMPORT_MAX_ROWS,
  IMPORT_MAX_UNCOMPRESSED_BYTES,
  IMPORT_TIME_LIMIT_MS,
} from '../../shared/contract/import-limits';
import type { Actor } from '../context';
import { WorkerPool, workerEntry } from '../lib/worker-pool';
import type { BillingContext } from './context';
import { routerCode } from './customers';
import { echo, type CheckedRow, type ImportField, type ReadLimits, type ReadResult } from './import-read';
import type { ImportJobs, StagedRow } from './import-jobs';
import { stmt } from './sql';

export { SEED_COLUMNS, type ImportField } from './import-read';

export interface ImportRequest {
  fileName: string;
  content: string;
  format: 'csv' | 'xlsx';
  mapping?: Record<string, ImportField> | undefined;
  routerId?: string | null | undefined;
  jobId?: string | undefined;
}

export interface ImportRowResult {
  line: number;
  valid: boolean;
  errors: string[];
  name: string;
  phone: string | null;
  packageName: string;
  billingDay: number | null;
  total: number | null;
}

interface ParsedRow extends ImportRowResult {
  discount: number;
  area: string;
  address: string;
  nik: string | null;
  registeredOn: string | null;
  packageId: string | null;
}

/** Rows checked against the database between two turns of the event loop. */
const CHECK_ROWS_PER_TURN = 2000;

export const DEFAULT_READ_LIMITS: ReadLimits & { timeMs: number } = {
  maxRows: IMPORT_MAX_ROWS,
  maxUncompressedBytes: IMPORT_MAX_UNCOMPRESSED_BYTES,
  timeMs: IMPORT_TIME_LIMIT_MS,
};

const timeLimitError = (ms: number) => {
  const message = `Berkas terlalu lama dibaca (lebih dari ${Math.round(ms / 1000)} detik) dan dihentikan. Bagi berkas menjadi beberapa bagian atau simpan sebagai CSV.`;
  return new AppError('VALIDATION', message, {
    reason: 'time_limit',
    limitMs: ms,
    issues: [{ path: 'content', message, code: 'time_limit' }],
  });
};

// One small pool per billing feature; workers start on the first import and are stopped with the feature.
const pools = new WeakMap<BillingContext, WorkerPool>();
function poolOf(c: BillingContext): WorkerPool {
  let pool = pools.get(c);
  if (!pool) {
    pool = new WorkerPool({
      name: 'import',
      entry: workerEntry('import-worker', import.meta.url),
      size: 2,
      // A heap cap per worker: a file that still manages to blow up fails alone, not the whole process.
      resourceLimits: { maxOldGenerationSizeMb: 768 },
      timeoutError: timeLimitError,
    });
    pools.set(c, pool);
  }
  return pool;
}

/** Stops the import workers of this feature (feature stop). */
export async function closeImportWorkers(c: BillingContext): Promise<void> {
  const pool = pools.get(c);
  pools.delete(c);
  await pool?.close();
}

/** Reads and checks the file off the main thread; VALIDATION with a clear message when it cannot be taken. */
export async function readInWorker(
  c: BillingContext,
  req: Pick<ImportRequest, 'content' | 'format' | 'mapping'>,
  limits: ReadLimits & { timeMs: number } = DEFAULT_READ_LIMITS,
): Promise<ReadResult> {
  const { timeMs, ...readLimits } = limits;
  try {
    return await poolOf(c).run<ReadResult>(
      'import.read',
      { req: { content: req.content, format: req.format, mapping: req.mapping }, limits: readLimits },
      { timeoutMs: timeMs },
    );
  } catch (e) {
    // A worker that hit its heap cap is a file too big to read, not a fault of Rukun.
    if (
      e instanceof AppError &&
      e.code === 'INTERNAL' &&
      /memory/i.test(String(e.details?.['reason'] ?? ''))
    ) {
      const message =
        'Berkas terlalu besar untuk dibaca (memori habis). Bagi berkas menjadi beberapa bagian atau simpan sebagai CSV.';
      throw new AppError('VALIDATION', message, {
        reason: 'memory_limit',
        issues: [{ path: 'content', message, code: 'memory_limit' }],
      });
    }
    throw e;
  }
}

/** Adds the checks that need the database to the worker's rows; nothing is written. */
export async function parseImport(c: BillingContext, req: ImportRequest) {
  const read = await readInWorker(c, req);
  const packages = stmt(c.database.sqlite, 'SELECT id, name, price FROM packages').all() as {
    id: string;
    name: string;
    price: number;
  }[];
  const pkgByName = new Map(packages.map((p) => [p.name.toLowerCase(), p]));
  // One read of the registered numbers rather than a lookup per row (50,000 rows stay quick).
  const registered = new Set(
    (
      stmt(c.database.sqlite, 'SELECT phone FROM customers WHERE phone IS NOT NULL').all() as {
        phone: string;
      }[]
    ).map((r) => r.phone),
  );
  const seenPhones = new Set<string>();
  const check = (r: CheckedRow): ParsedRow => {
    const errors = [...r.errors];
    if (r.phone) {
      if (seenPhones.has(r.phone)) errors.push('Duplikat: nomor telepon sudah ada di baris sebelumnya');
      else if (registered.has(r.phone)) errors.push('Duplikat: nomor telepon sudah terdaftar');
      seenPhones.add(r.phone);
    }
    // Rows that could not be read at all (a broken quote) already say why; no package noise on top.
    const readable = r.name !== '' || r.packageName !== '' || r.phone !== null;
    const pkg = pkgByName.get(r.packageName.toLowerCase());
    if (!pkg && readable) errors.push(`Paket tidak dikenal: ${echo(r.packageName) || '(kosong)'}`);
    const tarif = r.tarif ?? pkg?.price ?? null;
    if (pkg && tarif !== null && tarif !== pkg.price)
      errors.push(`Tarif ${tarif} berbeda dengan harga paket ${pkg.price}`);
    if (r.total !== null && tarif !== null && r.total !== tarif - r.discount)
      errors.push(`Total bayar ${r.total} ≠ tarif ${tarif} − diskon ${r.discount}`);
    return {
      line: r.line,
      valid: errors.length === 0,
      errors,
      name: r.name,
      phone: r.phone,
      packageName: echo(r.packageName, 80),
      billingDay: r.billingDay,
      total: r.total,
      discount: r.discount,
      area: r.area,
      address: r.address,
      nik: r.nik,
      registeredOn: r.registeredOn,
      packageId: pkg?.id ?? null,
    };
  };
  // 50,000 rows take a while even here: a turn of the event loop every few thousand keeps callbacks flowing.
  const parsed: ParsedRow[] = [];
  for (let i = 0; i < read.rows.length; i += CHECK_ROWS_PER_TURN) {
    if (i > 0) await nextTurn();
    for (const r of read.rows.slice(i, i + CHECK_ROWS_PER_TURN)) parsed.push(check(r));
  }
  const strip = ({
    discount: _d,
    area: _a,
    address: _ad,
    nik: _n,
    registeredOn: _r,
    packageId: _p,
    ...rest
  }: ParsedRow): ImportRowResult => rest;
  return {
    columns: read.columns,
    mapping: read.mapping,
    parsed,
    rows: parsed.map(strip),
    valid: parsed.filter((r) => r.valid).length,
    invalid: parsed.filter((r) => !r.valid).length,
    strip,
  };
}

/**
 * Imports the valid rows (customers, and subscriptions when a router is chosen) through a durable job written
 * in small transactions (import-jobs.ts): the event loop stays free and a crash part-way resumes at the next
 * start. The same jobId committed again resumes or reports that job; it never imports a row twice.
 */
export async function commitImport(c: BillingContext, jobs: ImportJobs, actor: Actor, req: ImportRequest) {
  const existing = req.jobId ? jobs.job(req.jobId) : null;
  if (existing) {
    const o = await jobs.run(existing.id);
    return { imported: o.imported, skipped: o.skipped, rows: [] };
  }
  const p = await parseImport(c, req);
  const router = req.routerId ? await routerCode(c, req.routerId) : 'R';
  const jobId = req.jobId ?? c.ids();
  const staged: StagedRow[] = p.parsed
    .filter((r) => r.valid)
    .map((r) => ({
      line: r.line,
      name: r.name,
      phone: r.phone,
      nik: r.nik,
      address: r.address,
      area: r.area,
      registeredOn: r.registeredOn,
      packageId: r.packageId,
      billingDay: r.billingDay,
      discount: r.discount,
    }));
  await jobs.stage(
    actor,
    {
      jobId,
      fileName: echo(req.fileName, 200),
      routerId: req.routerId ?? null,
      routerCode: router,
      invalid: p.invalid,
    },
    staged,
  );
  const o = await jobs.run(jobId);
  // Rows skipped while writing (a colleague registered the phone meanwhile…) are reported like refused ones.
  const late = new Map(o.late.map((l) => [l.line, l.reason]));
  const rows = late.size
    ? p.rows.map((r) => {
        const reason = late.get(r.line);
        return reason && r.valid ? { ...r, valid: false, errors: [reason] } : r;
      })
    : p.rows;
  return { imported: o.imported, skipped: o.skipped, rows };
}
