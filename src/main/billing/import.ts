/**
 * Customer import: the file is read and checked row by row in a worker thread (import-read.ts, within the
 * limits of shared/contract/import-limits.ts); only the checks that need the database (packages, phones
 * already registered) and the write run here. Every row of the file comes back with its line number, valid
 * or with its reasons: nothing is dropped without a word.
 */
import { AppError } from '../../shared/contract/errors';
import {
  IMPORT_MAX_ROWS,
  IMPORT_MAX_UNCOMPRESSED_BYTES,
  IMPORT_TIME_LIMIT_MS,
} from '../../shared/contract/import-limits';
import { recordChange } from '../audit';
import type { Actor } from '../context';
import { WorkerPool, workerEntry } from '../lib/worker-pool';
import { AfterCommit, type BillingContext } from './context';
import { customerCode, insertCustomerRaw, routerCode } from './customers';
import { echo, type CheckedRow, type ImportField, type ReadLimits, type ReadResult } from './import-read';
import { createSubscriptionsInTrx } from './subscriptions';
import { stmt } from './sql';

export { SEED_COLUMNS, type ImportField } from './import-read';

export interface ImportRequest {
  fileName: string;
  content: string;
  format: 'csv' | 'xlsx';
  mapping?: Record<string, ImportField> | undefined;
  routerId?: string | null | undefined;
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
  const parsed: ParsedRow[] = read.rows.map((r: CheckedRow) => {
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
  });
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

/** Imports the valid rows in ONE transaction (customers, and subscriptions when a router is chosen). */
export async function commitImport(c: BillingContext, actor: Actor, req: ImportRequest) {
  const p = await parseImport(c, req);
  const router = req.routerId ? await routerCode(c, req.routerId) : 'R';
  const now = c.clock.now();
  const after = new AfterCommit(c.hooks);
  await c.database.db.transaction().execute(async (trx) => {
    const subs = [];
    for (const r of p.parsed.filter((x) => x.valid)) {
      const f = {
        name: r.name,
        phone: r.phone,
        nik: r.nik,
        address: r.address,
        area: r.area,
        routerId: req.routerId ?? null,
        notes: `Impor ${echo(req.fileName, 200)}`,
        whatsappOptOut: false,
        ...(r.registeredOn ? { registeredOn: r.registeredOn } : {}),
      };
      const id = insertCustomerRaw(c, f, customerCode(c, f, router), now);
      if (req.routerId && r.packageId && r.billingDay !== null) {
        subs.push({
          customerId: id,
          packageId: r.packageId,
          routerId: req.routerId,
          remoteAddress: '',
          billingDay: r.billingDay,
          discount: r.discount,
          invoiceNow: false,
        });
      }
    }
    if (subs.length) await createSubscriptionsInTrx(c, trx, actor, subs, after);
    await recordChange(trx, c, {
      actor,
      action: 'customers.import',
      entity: 'customer',
      entityId: null,
      after: { file: req.fileName, imported: p.valid, skipped: p.invalid },
    });
  });
  after.flush();
  c.routers?.poke();
  c.events.emit('billing.changed', { entity: 'customer', id: null });
  return { imported: p.valid, skipped: p.invalid, rows: p.rows };
}
